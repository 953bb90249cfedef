from datetime import date

from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import DatePrecision, EventKind


class EventRead(CitedRead, TrackedRead):
    """A dated milestone: a strand launched, a report published."""

    id: int
    key: str
    title: str
    kind: EventKind
    date: date
    date_precision: DatePrecision = Field(description="How much of `date` is known.")
    strand: str | None
    country: str | None
    organisation: str | None
    project: str | None
    note: str | None

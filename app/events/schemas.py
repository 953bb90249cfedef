from datetime import date

from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import DatePrecision, EventKind
from app.writes.fields import (
    CountryCode,
    Key,
    Locator,
    LongText,
    Title,
    WriteModel,
    update_schema,
)


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


class EventCreate(WriteModel):
    """A new dated milestone."""

    key: Key = Field(description="Permanent slug.")
    title: Title
    kind: EventKind
    date: date
    date_precision: DatePrecision = Field(description="How much of `date` is known.")
    strand: Key | None = Field(None, description="Strand code.")
    country: CountryCode | None = None
    organisation: Key | None = Field(None, description="Organisation key.")
    project: Key | None = Field(None, description="Project key.")
    note: LongText | None = None
    source: Key = Field(description="Key of the cited source.")
    locator: Locator = Field(description="Where in the source: a paragraph, page or record id.")


EventUpdate = update_schema(
    EventCreate, "EventUpdate", "Changes to an event (JSON merge patch); the key is fixed."
)

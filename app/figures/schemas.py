from datetime import date
from decimal import Decimal

from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import Qualifier, Scope, Unit


class FigureRead(CitedRead, TrackedRead):
    """A reported statistic in base units, with qualifier, period and base period."""

    id: int
    key: str
    indicator: str = Field(description="What is measured; `indicator=` gives its series.")
    label: str
    value: Decimal | None = Field(description="In base units; null for a range.")
    value_low: Decimal | None
    value_high: Decimal | None
    unit: Unit
    qualifier: Qualifier
    period_start: date | None
    period_end: date | None
    base_period_start: date | None = Field(description="Start of the period compared with.")
    base_period_end: date | None
    scope: Scope
    strand: str | None
    country: str | None
    organisation: str | None = Field(description="Key of the organisation it is about.")
    project: str | None = Field(description="Key of the project it is about.")
    publisher: str | None = Field(description="Key of the organisation that reported it.")
    note: str | None

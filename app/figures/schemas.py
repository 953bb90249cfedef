from datetime import date
from decimal import Decimal

from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import Qualifier, Scope, Unit
from app.writes.fields import (
    CountryCode,
    Exact,
    Indicator,
    Key,
    Locator,
    LongText,
    Title,
    WriteModel,
    update_schema,
)


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


class FigureCreate(WriteModel):
    """A new figure, in base units: 23 billion USD is 23000000000, 40 percent is 40."""

    key: Key = Field(description="Permanent slug.")
    indicator: Indicator = Field(description="What is measured (a slug shared by a series).")
    label: Title
    value: Exact | None = Field(None, description="Needed unless the qualifier is `range`.")
    value_low: Exact | None = Field(None, description="For a range: the low end.")
    value_high: Exact | None = Field(None, description="For a range: the high end.")
    unit: Unit
    qualifier: Qualifier
    period_start: date | None = None
    period_end: date | None = None
    base_period_start: date | None = Field(None, description="Start of the period compared with.")
    base_period_end: date | None = None
    scope: Scope = Field(description="What it is about; a non-global scope needs its subject.")
    strand: Key | None = Field(None, description="Strand code (scope `strand`).")
    country: CountryCode | None = Field(None, description="Country (scope `country`).")
    organisation: Key | None = Field(None, description="Organisation key (scope `organisation`).")
    project: Key | None = Field(None, description="Project key (scope `project`).")
    publisher: Key | None = Field(None, description="Key of the organisation that reported it.")
    note: LongText | None = None
    source: Key = Field(description="Key of the cited source.")
    locator: Locator = Field(description="Where in the source: a paragraph, page or record id.")


FigureUpdate = update_schema(
    FigureCreate, "FigureUpdate", "Changes to a figure (JSON merge patch); the key is fixed."
)

"""The shape of every seed row; unknown keys are refused so typos surface."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.models.enums import (
    Basis,
    CountryRole,
    DatePrecision,
    EventKind,
    FlowType,
    OrganisationKind,
    OrganisationRole,
    ProjectKind,
    ProjectStatus,
    Qualifier,
    Scope,
    SourceKind,
    StanceAction,
    StrandKind,
    Unit,
)

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=200)]
Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Year = Annotated[int, Field(ge=1900, le=2999)]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cite(Row):
    source: Key
    locator: Text


class SourceRow(Row):
    key: Key
    kind: SourceKind
    title: Text
    authors: list[Text] = []
    publisher: Text | None = None
    published_on: date | None = None
    year: Year | None = None
    url: Text | None = None
    licence: Text | None = None
    note: Text | None = None


class StrandRow(Row):
    code: Key
    name: Text
    kind: StrandKind
    year_launched: Year
    parent: Key | None = None
    description: Text | None = None
    cite: Cite


class OrganisationRow(Row):
    key: Key
    name: Text
    kind: OrganisationKind
    country: Iso3 | None = None
    description: Text | None = None
    members: list[Iso3] = []
    cite: Cite


class StrandLink(Row):
    code: Key
    basis: Basis


class CountryLink(Row):
    iso3: Iso3
    role: CountryRole


class OrganisationLink(Row):
    key: Key
    role: OrganisationRole


class ProjectRow(Row):
    key: Key
    title: Text
    kind: ProjectKind
    description: Text | None = None
    status: ProjectStatus = ProjectStatus.unknown
    sector_name: Text | None = None
    start_year: Year | None = None
    strands: list[StrandLink] = []
    countries: list[CountryLink] = []
    organisations: list[OrganisationLink] = []
    citations: list[Cite] = Field(min_length=1)


class FundingRow(Row):
    key: Key
    project: Key
    flow_type: FlowType
    amount: Decimal | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    amount_usd_nominal: Decimal | None = None
    amount_usd_constant: Decimal | None = None
    constant_base_year: Year | None = None
    commitment_date: date | None = None
    commitment_year: Year | None = None
    financier: Key | None = None
    cite: Cite


class FigureRow(Row):
    key: Key
    indicator: Key
    label: Text
    value: Decimal | None = None
    unit: Unit
    qualifier: Qualifier
    value_low: Decimal | None = None
    value_high: Decimal | None = None
    period_start: date | None = None
    period_end: date | None = None
    base_period_start: date | None = None
    base_period_end: date | None = None
    scope: Scope
    strand: Key | None = None
    country: Iso3 | None = None
    organisation: Key | None = None
    project: Key | None = None
    publisher: Key | None = None
    note: Text | None = None
    cite: Cite


class StanceRow(Row):
    key: Key
    country: Iso3
    action: StanceAction
    strand: Key | None = None
    project: Key | None = None
    organisation: Key | None = None
    year: Year | None = None
    via: Key | None = None
    note: Text | None = None
    cite: Cite


class EventRow(Row):
    key: Key
    title: Text
    kind: EventKind
    date: date
    date_precision: DatePrecision
    strand: Key | None = None
    country: Iso3 | None = None
    organisation: Key | None = None
    project: Key | None = None
    note: Text | None = None
    cite: Cite


class CountryNoteRow(Row):
    iso3: Iso3
    note: Text
    cite: Cite

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from app.common_schemas import TrackedRead
from app.funding.schemas import FundingRead
from app.models.enums import (
    Basis,
    CountryRole,
    FlowType,
    OrganisationKind,
    OrganisationRole,
    ProjectKind,
    ProjectStatus,
)


class ProjectSummary(TrackedRead):
    """A programme or project as a list row; links appear as lists of codes."""

    id: int
    key: str
    title: str
    kind: ProjectKind
    description: str | None
    status: ProjectStatus
    intent: str | None
    sector_code: str | None = Field(description="OECD sector code.")
    sector_name: str | None
    flow_type: FlowType | None
    flow_class: str | None
    year: int | None = Field(description="Commitment year.")
    start_year: int | None
    completion_year: int | None
    amount_usd: Decimal | None = Field(description="Sum of its funding in nominal USD.")
    amount_usd_constant: Decimal | None = Field(description="Sum in constant USD.")
    umbrella: bool
    recommended_for_aggregates: bool
    parent: str | None = Field(description="Key of the parent (umbrella) project.")
    dataset: str | None = Field(description="The dataset it was imported from, if any.")
    external_id: str | None = Field(description="Its record id in that dataset.")
    strands: list[str] = Field(description="Strand codes.")
    countries: list[str] = Field(description="ISO-3 codes of the countries involved.")


class ProjectCountryRead(BaseModel):
    iso3: str
    name: str
    role: CountryRole


class ProjectOrganisationRead(BaseModel):
    id: int
    key: str
    name: str
    kind: OrganisationKind
    role: OrganisationRole


class ProjectStrandRead(BaseModel):
    code: str
    name: str
    basis: Basis = Field(description="stated by a source, or inferred by a documented rule.")


class CitationRead(BaseModel):
    source: str = Field(description="Source key.")
    title: str
    url: str | None
    locator: str


class ProjectRead(ProjectSummary):
    """A project with its countries, organisations, strands, funding and citations."""

    commitment_date: date | None
    start_date: date | None
    start_date_estimated: bool | None
    completion_date: date | None
    completion_date_estimated: bool | None
    planned_start_date: date | None
    planned_completion_date: date | None
    country_roles: list[ProjectCountryRead]
    organisations: list[ProjectOrganisationRead]
    strand_links: list[ProjectStrandRead]
    funding: list[FundingRead]
    citations: list[CitationRead]

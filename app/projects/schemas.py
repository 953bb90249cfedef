from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

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
from app.writes.fields import (
    CountryCode,
    Key,
    Locator,
    LongText,
    Text10,
    Text60,
    Text200,
    Title,
    WriteModel,
    Year,
    unique_items,
    update_schema,
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
    recipient: str | None = Field(description="The recipient as the dataset writes it.")
    recipient_region: str | None = Field(description="The dataset's region of the recipient.")
    flow_type_simplified: str | None
    income_group: str | None = Field(description="OECD ODA income group of the recipient.")
    infrastructure: bool | None
    covid: bool | None = Field(description="Related to COVID-19.")
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
    commitment_date_estimated: bool | None
    source_quality_score: int | None = Field(description="The dataset's score, 0-5.")
    data_completeness_score: int | None = Field(description="The dataset's score, 0-5.")
    implementation_detail_score: int | None = Field(description="The dataset's score, 0-5.")
    loan_detail_score: int | None = Field(description="The dataset's score, 0-5.")
    attributes: dict[str, Any] | None = Field(
        description="The dataset record's other columns, by column name (imported rows)."
    )
    country_roles: list[ProjectCountryRead]
    organisations: list[ProjectOrganisationRead]
    strand_links: list[ProjectStrandRead]
    funding: list[FundingRead]
    citations: list[CitationRead]


class ProjectCountryWrite(WriteModel):
    iso3: CountryCode = Field(description="ISO-3 (ISO-2 accepted).")
    role: CountryRole


class ProjectOrganisationWrite(WriteModel):
    key: Key = Field(description="Organisation key.")
    role: OrganisationRole


class ProjectStrandWrite(WriteModel):
    code: Key = Field(description="Strand code.")
    basis: Basis = Field(description="stated by a source, or inferred by a documented rule.")


class CitationWrite(WriteModel):
    source: Key = Field(description="Source key.")
    locator: Locator = Field(description="Where in the source: a paragraph, page or record id.")


def _one_link_per_strand(links: list[ProjectStrandWrite]) -> list[ProjectStrandWrite]:
    codes = [link.code for link in links]
    twice = sorted({code for code in codes if codes.count(code) > 1})
    if twice:
        raise ValueError(f"each strand may appear once; given twice: {', '.join(twice)}")
    return links


class ProjectCreate(WriteModel):
    """A new programme or project with its links. Its funding is written at /v1/funding."""

    key: Key = Field(description="Permanent slug, e.g. `beidou`.")
    title: Title
    kind: ProjectKind
    description: LongText | None = None
    status: ProjectStatus = ProjectStatus.unknown
    intent: Text60 | None = None
    sector_code: Text10 | None = Field(None, description="OECD sector code.")
    sector_name: Text200 | None = None
    flow_type: FlowType | None = None
    flow_class: Text60 | None = None
    year: Year | None = Field(None, description="Commitment year.")
    start_year: Year | None = None
    completion_year: Year | None = None
    commitment_date: date | None = None
    start_date: date | None = None
    start_date_estimated: bool | None = None
    completion_date: date | None = None
    completion_date_estimated: bool | None = None
    planned_start_date: date | None = None
    planned_completion_date: date | None = None
    umbrella: bool = False
    recommended_for_aggregates: bool = True
    parent: Key | None = Field(None, description="Key of the parent (umbrella) project.")
    country_roles: Annotated[list[ProjectCountryWrite], AfterValidator(unique_items)] = Field(
        default_factory=list, description="Countries involved, each with its role."
    )
    organisations: Annotated[list[ProjectOrganisationWrite], AfterValidator(unique_items)] = Field(
        default_factory=list, description="Organisations involved, each with its role."
    )
    strand_links: Annotated[
        list[ProjectStrandWrite], AfterValidator(unique_items), AfterValidator(_one_link_per_strand)
    ] = Field(default_factory=list, description="Strands it belongs to.")
    citations: Annotated[list[CitationWrite], AfterValidator(unique_items)] = Field(
        min_length=1, description="Where the project is documented: at least one source."
    )


ProjectUpdate = update_schema(
    ProjectCreate,
    "ProjectUpdate",
    "Changes to a project (JSON merge patch); a list given replaces the whole list.",
)

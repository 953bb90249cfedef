from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session

from app.funding.queries import FUNDING
from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import tracked_fields, tracked_filters
from app.listing.filters import country_code, id_or_key, id_or_key_ref
from app.listing.routes import fetch_row_by
from app.listing.run import rows_as_listed, rows_by_statement
from app.listing.spec import Link
from app.listing.sql_csv import codes_field
from app.listing.summary import Dimension, Exclusion, SummarySpec
from app.models import (
    Country,
    Organisation,
    Project,
    ProjectCitation,
    ProjectCountry,
    ProjectOrganisation,
    ProjectStrand,
    Source,
    Strand,
)
from app.models.enums import (
    Basis,
    CountryRole,
    FlowType,
    OrganisationRole,
    ProjectKind,
    ProjectStatus,
)
from app.prepared import Prepared, run_all
from app.search import project_match, project_rank

# Filters on one link combine: country=PAK&country_role=recipient is Pakistan as recipient.
COUNTRY_LINK = Link(
    ProjectCountry.__table__.join(Country.__table__), ProjectCountry.project_id, Project.id
)
STRAND_LINK = Link(ProjectStrand.__table__, ProjectStrand.project_id, Project.id)
ORGANISATION_LINK = Link(
    ProjectOrganisation.__table__.join(Organisation.__table__),
    ProjectOrganisation.project_id,
    Project.id,
)


PROJECT_FIELDS = [
    OutField("id", Project.id, int, sortable=True),
    OutField("key", Project.key, sortable=True),
    OutField("title", Project.title, sortable=True),
    OutField("kind", Project.kind, ProjectKind),
    OutField("description", Project.description),
    OutField("status", Project.status, ProjectStatus, sortable=True),
    OutField("intent", Project.intent),
    OutField("sector_code", Project.sector_code, sortable=True),
    OutField("sector_name", Project.sector_name),
    OutField("flow_type", Project.flow_type, FlowType),
    OutField("flow_class", Project.flow_class),
    OutField("year", Project.commitment_year, int, sortable=True),
    OutField("start_year", Project.start_year, int, sortable=True),
    OutField("completion_year", Project.completion_year, int, sortable=True),
    OutField("amount_usd", Project.amount_usd_nominal, Decimal, sortable=True),
    OutField("amount_usd_constant", Project.amount_usd_constant, Decimal, sortable=True),
    OutField("umbrella", Project.umbrella, bool),
    OutField("recommended_for_aggregates", Project.recommended_for_aggregates, bool),
    OutField("parent", Project.parent_key),
    OutField("dataset", Project.dataset),
    OutField("external_id", Project.external_id),
    OutField("recipient", Project.recipient),
    OutField("recipient_region", Project.recipient_region),
    OutField("flow_type_simplified", Project.flow_type_simplified),
    OutField("income_group", Project.income_group),
    OutField("infrastructure", Project.infrastructure, bool),
    OutField("covid", Project.covid, bool),
    codes_field("strands", ProjectStrand.strand_code, ProjectStrand.project_id, Project.id),
    codes_field("countries", ProjectCountry.country_iso3, ProjectCountry.project_id, Project.id),
    *tracked_fields(Project),
]

PROJECT_FILTERS = [
    Filter(
        "strand",
        str,
        column=ProjectStrand.strand_code,
        link=STRAND_LINK,
        known=Strand.code,
        description="Strand code (bri, digital, health, polar, latin-america).",
    ),
    Filter(
        "strand_basis",
        Basis,
        column=ProjectStrand.basis,
        link=STRAND_LINK,
        description="With `strand`: the strand link has this basis.",
    ),
    Filter(
        "country",
        str,
        column=ProjectCountry.country_iso3,
        link=COUNTRY_LINK,
        normalise=country_code,
        description="ISO-3 or ISO-2 code of a country involved.",
    ),
    Filter(
        "country_role",
        CountryRole,
        column=ProjectCountry.role,
        link=COUNTRY_LINK,
        description="With `country` or `region`: the country is involved in this role.",
    ),
    Filter(
        "region",
        str,
        column=Country.region,
        link=COUNTRY_LINK,
        known=Country.region,
        description="Region of a country involved (Africa, Americas, Asia, Europe, ...).",
    ),
    Filter(
        "organisation",
        str,
        column=Organisation.key,
        link=ORGANISATION_LINK,
        known=Organisation.key,
        description="Key of an organisation involved.",
    ),
    Filter(
        "organisation_role",
        OrganisationRole,
        column=ProjectOrganisation.role,
        link=ORGANISATION_LINK,
        description="With `organisation`: the organisation is involved in this role.",
    ),
    Filter("kind", ProjectKind, column=Project.kind),
    Filter("status", ProjectStatus, column=Project.status),
    Filter("sector", str, column=Project.sector_code, description="OECD sector code."),
    Filter("flow_type", FlowType, column=Project.flow_type),
    Filter("flow_class", str, column=Project.flow_class, description="ODA-like, OOF-like, ..."),
    Filter(
        "recipient_region",
        str,
        column=Project.recipient_region,
        description="The dataset's own region of the recipient (regional records too).",
    ),
    Filter("income_group", str, column=Project.income_group, description="OECD income group."),
    Filter("infrastructure", bool, column=Project.infrastructure),
    Filter("covid", bool, column=Project.covid),
    Filter("dataset", str, column=Project.dataset),
    Filter("umbrella", bool, column=Project.umbrella),
    Filter("recommended_for_aggregates", bool, column=Project.recommended_for_aggregates),
    Filter("year_min", int, op="min", column=Project.commitment_year),
    Filter("year_max", int, op="max", column=Project.commitment_year),
    Filter("amount_usd_min", Decimal, op="min", column=Project.amount_usd_nominal),
    Filter("amount_usd_max", Decimal, op="max", column=Project.amount_usd_nominal),
    *tracked_filters(Project),
]

PROJECTS = ListSpec(
    name="projects",
    source=Project.__table__,
    id_field="id",
    fields=PROJECT_FIELDS,
    filters=PROJECT_FILTERS,
    default_sort=("id",),
    search=Search(where=project_match, rank=project_rank),
    description="Programmes and projects with their strands and countries.",
)

PROJECT_SUMMARY = SummarySpec(
    name="projects",
    list_spec=PROJECTS,
    dimensions=[
        Dimension("year", Project.commitment_year, int, description="Commitment year."),
        Dimension("strand", ProjectStrand.strand_code, link=STRAND_LINK, unique=True),
        Dimension("country", ProjectCountry.country_iso3, link=COUNTRY_LINK),
        Dimension("region", Country.region, link=COUNTRY_LINK),
        Dimension("sector", Project.sector_code, description="OECD sector code."),
        Dimension("status", Project.status, ProjectStatus),
        Dimension("flow_type", Project.flow_type, FlowType),
        Dimension("kind", Project.kind, ProjectKind),
    ],
    exclusions=[
        Exclusion(
            "include_umbrella",
            Project.umbrella.is_(True),
            overridden_by="umbrella",
            description="Count umbrella projects too (left out by default).",
        ),
        Exclusion(
            "include_not_recommended",
            Project.recommended_for_aggregates.is_(False),
            overridden_by="recommended_for_aggregates",
            description="Count projects not recommended for aggregates too (left out by default).",
        ),
    ],
    description="How many projects per group. A project counts under each of its strands, "
    "countries and regions. Takes every filter of `GET /v1/projects`.",
)

DETAIL_FIELDS = [
    OutField(name, column, kind)
    for name, column, kind in [
        ("commitment_date", Project.commitment_date, date),
        ("start_date", Project.start_date, date),
        ("start_date_estimated", Project.start_date_estimated, bool),
        ("completion_date", Project.completion_date, date),
        ("completion_date_estimated", Project.completion_date_estimated, bool),
        ("planned_start_date", Project.planned_start_date, date),
        ("planned_completion_date", Project.planned_completion_date, date),
        ("commitment_date_estimated", Project.commitment_date_estimated, bool),
        ("source_quality_score", Project.source_quality_score, int),
        ("data_completeness_score", Project.data_completeness_score, int),
        ("implementation_detail_score", Project.implementation_detail_score, int),
        ("loan_detail_score", Project.loan_detail_score, int),
        ("attributes", Project.attributes, str),
    ]
]
PROJECT_DETAIL = ListSpec(
    name="projects",
    source=Project.__table__,
    id_field="id",
    fields=[*PROJECT_FIELDS, *DETAIL_FIELDS],
)

by_id_or_key = id_or_key(Project.id, Project.key)
project_ref = id_or_key_ref(Project.id, Project.key)

# A project's links, each read with one statement built once: a detail is the hot path
# of a dashboard, and building and hashing these statements anew cost a fifth of it.
PID: BindParameter[int] = bindparam("pid")
_LINKS = {
    "country_roles": Prepared(
        select(Country.iso3, Country.name, ProjectCountry.role)
        .join(Country)
        .where(ProjectCountry.project_id == PID)
        .order_by(Country.iso3, ProjectCountry.role),
        "pid",
    ),
    "organisations": Prepared(
        select(
            Organisation.id,
            Organisation.key,
            Organisation.name,
            Organisation.kind,
            ProjectOrganisation.role,
        )
        .join(Organisation)
        .where(ProjectOrganisation.project_id == PID)
        .order_by(Organisation.key, ProjectOrganisation.role),
        "pid",
    ),
    "strand_links": Prepared(
        select(Strand.code, Strand.name, ProjectStrand.basis)
        .join(Strand)
        .where(ProjectStrand.project_id == PID)
        .order_by(Strand.code),
        "pid",
    ),
    "citations": Prepared(
        select(Source.key.label("source"), Source.title, Source.url, ProjectCitation.locator)
        .join(Source)
        .where(ProjectCitation.project_id == PID)
        .order_by(Source.key, ProjectCitation.locator),
        "pid",
    ),
}


def project_detail(session: Session, column: Any, value: Any) -> dict[str, Any] | None:
    """One project (found by `column` = `value`) with everything linked to it (no N+1)."""
    project = fetch_row_by(PROJECT_DETAIL, session, column, value)
    if project is None:
        return None
    pid = {"pid": project["id"]}
    funding = rows_by_statement(FUNDING, FUNDING.field_index["project_id"].column)
    batch = [(prepared, pid) for prepared in _LINKS.values()]
    *links, funding_rows = run_all(session, [*batch, (funding, {"ref": pid["pid"]})])
    for (name, prepared), rows in zip(_LINKS.items(), links, strict=True):
        project[name] = prepared.as_dicts(session, rows)
    project["funding"] = rows_as_listed(FUNDING, funding.as_dicts(session, funding_rows))
    return project

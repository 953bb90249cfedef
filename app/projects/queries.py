from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import (
    BigInteger,
    BindParameter,
    ColumnElement,
    DateTime,
    FromClause,
    Select,
    Text,
    bindparam,
    case,
    cast,
    distinct,
    func,
    literal,
    literal_column,
    null,
    select,
    true,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import Session

from app.caching import LATEST_VERSION
from app.funding.queries import FUNDING
from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import tracked_fields, tracked_filters
from app.listing.filters import country_code, id_or_key, id_or_key_ref
from app.listing.routes import fetch_row_by
from app.listing.run import rows_as_listed, rows_by_statement
from app.listing.spec import Column, Link, StoredLines
from app.listing.sql_csv import codes_field, money_text
from app.listing.summary import Dimension, Exclusion, SummarySpec
from app.models import (
    Country,
    Funding,
    Organisation,
    Project,
    ProjectCitation,
    ProjectCountry,
    ProjectLine,
    ProjectOrganisation,
    ProjectStrand,
    Source,
    Strand,
)
from app.models.base import ExactDecimal, Money
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
        "flow_type_simplified",
        str,
        column=Project.flow_type_simplified,
        description="The dataset's simplified flow type (Loan, Grant, ...).",
    ),
    Filter(
        "intent",
        str,
        column=Project.intent,
        description="The dataset's intent (Development, Commercial, Representational, Mixed).",
    ),
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
    stored_lines=StoredLines(ProjectLine.line, ProjectLine.project_id, Project.id),
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

# A project's detail: its row, its four kinds of links and its funding.
#
# SQLite reads them with six small statements built once (the row, then the links and
# funding as one batch). PostgreSQL reads the whole detail with ONE statement: the row's
# values and every list already in JSON, orjson parsing it back into the same dict. There,
# each statement is a round trip and a parse, plan and execution by the server, and the
# server's CPU was the limit under load (about 0.8 ms per detail for seven statements).
PID: BindParameter[int] = bindparam("pid")
_EMPTY_JSON_LIST: ColumnElement[Any] = literal_column("'[]'::json")


@dataclass(frozen=True)
class _LinkList:
    """One list of a project's detail: its columns (labelled as in JSON) and order."""

    columns: list[Column]
    source: FromClause
    owner_key: Column  # the link's column holding the project's id
    order: list[Column]

    def rows(self) -> Prepared:
        """The list's rows for the project `pid`, as a statement of its own."""
        stmt = select(*self.columns).select_from(self.source).where(self.owner_key == PID)
        return Prepared(stmt.order_by(*self.order), "pid")

    def json(self) -> ColumnElement[Any]:
        """The list as one JSON array of objects, for the project of the enclosing query."""
        objects = func.json_build_object(*_json_pairs(self.columns))
        listed = func.json_agg(aggregate_order_by(objects, *self.order))
        found = select(listed).select_from(self.source).where(self.owner_key == Project.id)
        return func.coalesce(_of_the_project(found), _EMPTY_JSON_LIST)


_LINK_LISTS = {
    "country_roles": _LinkList(
        [Country.iso3, Country.name, ProjectCountry.role],
        ProjectCountry.__table__.join(Country.__table__),
        ProjectCountry.project_id,
        [Country.iso3, ProjectCountry.role],
    ),
    "organisations": _LinkList(
        [
            Organisation.id,
            Organisation.key,
            Organisation.name,
            Organisation.kind,
            ProjectOrganisation.role,
        ],
        ProjectOrganisation.__table__.join(Organisation.__table__),
        ProjectOrganisation.project_id,
        [Organisation.key, ProjectOrganisation.role],
    ),
    "strand_links": _LinkList(
        [Strand.code, Strand.name, ProjectStrand.basis],
        ProjectStrand.__table__.join(Strand.__table__),
        ProjectStrand.project_id,
        [Strand.code],
    ),
    "citations": _LinkList(
        [Source.key.label("source"), Source.title, Source.url, ProjectCitation.locator],
        ProjectCitation.__table__.join(Source.__table__),
        ProjectCitation.project_id,
        [Source.key, ProjectCitation.locator],
    ),
}
# The statements built once: a detail is the hot path of a dashboard, and building and
# hashing these statements anew cost a fifth of it.
_LINKS = {name: link.rows() for name, link in _LINK_LISTS.items()}
# A project's funding rows in the JSON statement: the funding list's own fields, minus the
# join back to projects (the project's key is the enclosing query's).
_FUNDING_LIST = _LinkList(
    [f.column.label(f.name) for f in FUNDING.fields],
    Funding.__table__.join(Source.__table__).outerjoin(
        Organisation.__table__, Funding.financier_id == Organisation.id
    ),
    Funding.project_id,
    [FUNDING.field_index[name].column for name in (*FUNDING.default_sort, FUNDING.id_field)],
)


@dataclass(frozen=True)
class ProjectDetail:
    body: dict[str, Any]  # the response's JSON, in field order
    dataset_version: int  # read with it, for X-Dataset-Version


def read_project(session: Session, column: Any, value: Any) -> ProjectDetail | None:
    """One project (found by `column` = `value`) with everything linked to it (no N+1)."""
    if session.get_bind().dialect.name == "postgresql":
        return _read_as_json(session, column, value)
    return _read_in_statements(session, column, value)


def project_detail(session: Session, column: Any, value: Any) -> dict[str, Any] | None:
    found = read_project(session, column, value)
    return None if found is None else found.body


def _read_in_statements(session: Session, column: Any, value: Any) -> ProjectDetail | None:
    project = fetch_row_by(PROJECT_DETAIL, session, column, value)
    if project is None:
        return None
    pid = {"pid": project["id"]}
    funding = rows_by_statement(FUNDING, FUNDING.field_index["project_id"].column)
    batch = [(prepared, pid) for prepared in _LINKS.values()]
    batch += [(funding, {"ref": pid["pid"]}), (LATEST_VERSION, {})]
    *links, funding_rows, version = run_all(session, batch)
    for (name, prepared), rows in zip(_LINKS.items(), links, strict=True):
        project[name] = prepared.as_dicts(session, rows)
    project["funding"] = rows_as_listed(FUNDING, funding.as_dicts(session, funding_rows))
    return ProjectDetail(project, int(version[0][0] or 0))


_AS_JSON: dict[str, Prepared] = {}


def _read_as_json(session: Session, column: Any, value: Any) -> ProjectDetail | None:
    prepared = _AS_JSON.get(str(column))
    if prepared is None:
        prepared = _AS_JSON[str(column)] = _detail_as_json(column)
    found = prepared.rows(session, {"ref": value})
    if not found:
        return None
    body, attributes, version = found[0]
    project = orjson.loads(body)
    # Parsed as the row-by-row path parses it (see _detail_as_json), in its place.
    project["attributes"] = attributes
    return ProjectDetail(project, int(version))


def _detail_as_json(column: Any) -> Prepared:
    """The whole detail of the project whose `column` is `ref`, as one PostgreSQL SELECT.

    Its first column is the detail as JSON text, keys in the response's order (row_to_json
    of a subquery keeps its column order, and has no limit on their number). `attributes`
    comes apart, as the column itself, for psycopg to parse as the other path does: the
    stored JSON text may hold numbers orjson reads otherwise than Python's json (1e400).
    """
    values: list[ColumnElement[Any]] = []
    for f in PROJECT_DETAIL.fields:
        if f.name == "attributes":
            values.append(null().label(f.name))
        elif f.decode is not None:
            values.append(_CODES[f.name].label(f.name))
        else:
            values.append(_json_value(f.column).label(f.name))
    values += [link.json().label(name) for name, link in _LINK_LISTS.items()]
    values.append(_FUNDING_LIST.json().label("funding"))
    # Correlated: the lateral subquery reads the one row the outer WHERE found.
    detail = select(*values).correlate(Project.__table__).lateral("detail")
    stmt = (
        select(
            cast(func.row_to_json(detail.table_valued()), Text),
            Project.attributes,
            LATEST_VERSION.stmt.scalar_subquery(),
        )
        .select_from(Project.__table__.join(detail, true()))
        .where(column == bindparam("ref"))
    )
    return Prepared(stmt, "ref")


# A decoded list field's JSON (the list view aggregates its codes into text, which Python
# splits and sorts): the distinct codes in byte order, as Python's sorted() orders them.
def _codes(code: Any, owner_key: Any) -> ColumnElement[Any]:
    ordered = cast(code, Text).collate("C")
    listed = func.json_agg(aggregate_order_by(distinct(ordered), ordered))
    found = select(listed).where(owner_key == Project.id)
    return func.coalesce(_of_the_project(found), _EMPTY_JSON_LIST)


def _of_the_project(stmt: Select[Any]) -> ColumnElement[Any]:
    """A scalar subquery on the enclosing query's project row: two levels down (inside
    the lateral subquery), `projects` is correlated only when named."""
    return stmt.correlate(Project.__table__).scalar_subquery()


_CODES = {
    "strands": _codes(ProjectStrand.strand_code, ProjectStrand.project_id),
    "countries": _codes(ProjectCountry.country_iso3, ProjectCountry.project_id),
}


def _json_value(column: Column) -> Column:
    """A column's value as PostgreSQL should put it in JSON so orjson reads back what the
    row-by-row path gives to `dumps`: money and exact decimals as their strings (dumps
    writes Decimals as strings), timestamps as orjson writes them; others as they are."""
    kind = getattr(column, "type", None)
    if isinstance(kind, Money):  # whole cents: always two decimals, as Money gives
        return money_text(type_coerce(column, BigInteger), "postgresql")
    if isinstance(kind, ExactDecimal):  # ExactDecimal drops trailing zeros
        return cast(func.trim_scale(column), Text)
    if isinstance(kind, DateTime):
        return _iso_timestamp(column)
    return column


def _iso_timestamp(column: Any) -> ColumnElement[Any]:
    """orjson's form of a timestamp: microseconds only when not zero, UTC written "Z"."""
    micro = func.to_char(column, _text("US"))
    offset = func.to_char(column, _text("TZH:TZM"))
    return func.concat(
        func.to_char(column, _text('YYYY-MM-DD"T"HH24:MI:SS')),
        case((micro == _text("000000"), _text("")), else_=func.concat(_text("."), micro)),
        case((offset == _text("+00:00"), _text("Z")), else_=offset),
    )


def _text(value: str) -> ColumnElement[str]:
    """A constant written into the statement's text, not sent as a parameter each time."""
    return literal(value, Text, literal_execute=True)


def _json_pairs(columns: list[Column]) -> list[Column]:
    pairs: list[Column] = []
    for column in columns:
        pairs += [_text(str(column.key)), _json_value(column)]
    assert len(pairs) <= 100, "json_build_object takes at most 100 arguments"
    return pairs

"""Writing projects with their countries, organisations, strands and citations.

Deleting a project deletes its links and its funding (each funding row is logged as
deleted); figures, stances and events about it must be changed or deleted first.
"""

from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from app.funding.queries import FUNDING
from app.listing.routes import fetch_row
from app.models import (
    Event,
    Figure,
    Funding,
    Organisation,
    Project,
    ProjectCitation,
    ProjectCountry,
    ProjectOrganisation,
    ProjectStrand,
    Source,
    Stance,
)
from app.models.enums import ChangeOp
from app.projects.queries import PROJECT_DETAIL, by_id_or_key, project_detail
from app.projects.schemas import ProjectCreate, ProjectRead, ProjectUpdate
from app.writes.refs import Refs
from app.writes.resource import ChangeTuple, LinkRows, Prepared, Reference, WriteResource


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


COUNTRIES, ORGANISATIONS, STRANDS, CITATIONS = (
    _table(model) for model in (ProjectCountry, ProjectOrganisation, ProjectStrand, ProjectCitation)
)
SCALARS = [
    *("key", "title", "kind", "description", "status", "intent", "sector_code", "sector_name"),
    *("flow_type", "flow_class", "start_year", "completion_year", "commitment_date"),
    *("start_date", "start_date_estimated", "completion_date", "completion_date_estimated"),
    *("planned_start_date", "planned_completion_date", "umbrella", "recommended_for_aggregates"),
]


def _prepare(refs: Refs, body: ProjectCreate, row_id: int | None) -> Prepared:
    columns = {name: getattr(body, name) for name in SCALARS}
    columns["commitment_year"] = body.year
    columns["parent_key"] = _parent(refs, body, row_id)
    links = [
        LinkRows(
            COUNTRIES,
            "project_id",
            [
                {
                    "country_iso3": refs.country(f"country_roles.{i}.iso3", link.iso3),
                    "role": link.role,
                }
                for i, link in enumerate(body.country_roles)
            ],
        ),
        LinkRows(
            ORGANISATIONS,
            "project_id",
            [
                {
                    "organisation_id": refs.organisation(f"organisations.{i}.key", link.key),
                    "role": link.role,
                }
                for i, link in enumerate(body.organisations)
            ],
        ),
        LinkRows(
            STRANDS,
            "project_id",
            [
                {
                    "strand_code": refs.strand(f"strand_links.{i}.code", link.code),
                    "basis": link.basis,
                }
                for i, link in enumerate(body.strand_links)
            ],
        ),
        LinkRows(
            CITATIONS,
            "project_id",
            [
                {
                    "source_id": refs.source(f"citations.{i}.source", cite.source),
                    "locator": cite.locator,
                }
                for i, cite in enumerate(body.citations)
            ],
        ),
    ]
    return Prepared(columns, links)


def _parent(refs: Refs, body: ProjectCreate, row_id: int | None) -> str | None:
    """The parent's key, checked when it is new (imported parents may name absent projects)."""
    if body.parent is None:
        return None
    if body.parent == body.key:
        refs.problem("parent", "a project cannot be its own parent")
        return None
    current = None
    if row_id is not None:
        current = refs.session.scalar(select(Project.parent_key).where(Project.id == row_id))
    if body.parent != current:
        refs.project("parent", body.parent)
    return body.parent


def project_snapshot(session: Session, row_id: int) -> dict[str, Any] | None:
    """The project's fields and its links by natural key: what the change log records."""
    row = fetch_row(PROJECT_DETAIL, session, Project.id == row_id)
    if row is None:
        return None
    row["country_roles"] = _links(
        session,
        select(ProjectCountry.country_iso3.label("iso3"), ProjectCountry.role),
        ProjectCountry.project_id == row_id,
    )
    row["organisations"] = _links(
        session,
        select(Organisation.key, ProjectOrganisation.role).join(Organisation),
        ProjectOrganisation.project_id == row_id,
    )
    row["strand_links"] = _links(
        session,
        select(ProjectStrand.strand_code.label("code"), ProjectStrand.basis),
        ProjectStrand.project_id == row_id,
    )
    row["citations"] = _links(
        session,
        select(Source.key.label("source"), ProjectCitation.locator).join(Source),
        ProjectCitation.project_id == row_id,
    )
    return row


def _links(session: Session, stmt: Any, where: Any) -> list[dict[str, Any]]:
    ordered = stmt.where(where).order_by(*stmt.selected_columns)
    return [dict(row) for row in session.execute(ordered).mappings()]


def _delete_funding(session: Session, row_id: int) -> list[ChangeTuple]:
    """Deletes the project's funding, each row logged so mirrors drop it too."""
    ids = session.scalars(
        select(Funding.id).where(Funding.project_id == row_id).order_by(Funding.id)
    ).all()
    changes: list[ChangeTuple] = []
    for funding_id in ids:
        before = fetch_row(FUNDING, session, Funding.id == funding_id)
        changes.append(("funding", funding_id, ChangeOp.delete, before, None))
    if ids:
        session.execute(delete(Funding).where(Funding.id.in_(ids)))
    return changes


def _about(resource: str, key: Any, project_id: Any) -> Reference:
    return Reference(resource, lambda row_id: select(key).where(project_id == row_id))


PROJECT_WRITES = WriteResource(
    name="projects",
    label="project",
    table=_table(Project),
    spec=PROJECT_DETAIL,
    read=ProjectRead,
    create=ProjectCreate,
    update=ProjectUpdate,
    lookup=by_id_or_key,
    prepare=_prepare,
    references=[
        _about("figures", Figure.key, Figure.project_id),
        _about("stances", Stance.key, Stance.project_id),
        _about("events", Event.key, Event.project_id),
    ],
    owned=[(table, "project_id") for table in (COUNTRIES, ORGANISATIONS, STRANDS, CITATIONS)],
    cascade=_delete_funding,
    snapshot_of=project_snapshot,
    detail_of=lambda session, row_id: project_detail(session, Project.id, row_id),
)

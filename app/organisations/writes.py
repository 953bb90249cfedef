"""Writing organisations, with their member countries; one still in use cannot be deleted."""

from typing import Any

from sqlalchemy import Table, or_, select

from app.models import (
    Event,
    Figure,
    Funding,
    Organisation,
    OrganisationMember,
    Project,
    ProjectOrganisation,
    Stance,
)
from app.organisations.queries import ORGANISATIONS, by_id_or_key
from app.organisations.schemas import OrganisationCreate, OrganisationRead, OrganisationUpdate
from app.projects.embedding import embedded_in_projects
from app.writes.refs import Refs
from app.writes.resource import LinkRows, Prepared, Reference, WriteResource

_members: Table = OrganisationMember.__table__  # type: ignore[assignment]
_table: Table = Organisation.__table__  # type: ignore[assignment]
_links: Table = ProjectOrganisation.__table__  # type: ignore[assignment]


def _prepare(refs: Refs, body: OrganisationCreate, row_id: int | None) -> Prepared:
    columns = {
        "key": body.key,
        "name": body.name,
        "kind": body.kind,
        "country_iso3": refs.country("country", body.country),
        "description": body.description,
        "source_id": refs.source("source", body.source),
        "locator": body.locator,
    }
    members = [
        {"country_iso3": refs.country(f"members.{i}", iso3)} for i, iso3 in enumerate(body.members)
    ]
    return Prepared(columns, [LinkRows(_members, "organisation_id", members)])


def _using(resource: str, key: Any, *columns: Any) -> Reference:
    return Reference(
        resource,
        lambda row_id: select(key).where(or_(*(column == row_id for column in columns))),
    )


ORGANISATION_WRITES = WriteResource(
    name="organisations",
    label="organisation",
    table=_table,
    spec=ORGANISATIONS,
    read=OrganisationRead,
    create=OrganisationCreate,
    update=OrganisationUpdate,
    lookup=by_id_or_key,
    prepare=_prepare,
    # Project details embed the names and kinds of their organisations.
    rollup=embedded_in_projects(_links, "organisation_id", ("name", "kind")),
    references=[
        Reference(
            "projects",
            lambda row_id: (
                select(Project.key)
                .join(ProjectOrganisation, ProjectOrganisation.project_id == Project.id)
                .where(ProjectOrganisation.organisation_id == row_id)
            ),
        ),
        _using("funding", Funding.key, Funding.financier_id),
        _using("figures", Figure.key, Figure.organisation_id, Figure.publisher_id),
        _using("stances", Stance.key, Stance.organisation_id, Stance.via_organisation_id),
        _using("events", Event.key, Event.organisation_id),
    ],
    owned=[(_members, "organisation_id")],
)

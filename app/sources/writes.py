"""Writing sources: a source still cited by any row cannot be deleted."""

from typing import Any

from sqlalchemy import Table, select

from app.models import (
    Country,
    Event,
    Figure,
    Funding,
    Organisation,
    Project,
    ProjectCitation,
    Source,
    Stance,
    Strand,
)
from app.projects.embedding import embedded_in_projects
from app.sources.queries import SOURCES, by_id_or_key
from app.sources.schemas import SourceCreate, SourceRead, SourceUpdate
from app.writes.refs import Refs
from app.writes.resource import Prepared, Reference, WriteResource


def _prepare(refs: Refs, body: SourceCreate, row_id: int | None) -> Prepared:
    return Prepared(body.model_dump())


def _citing(resource: str, key: Any, source_id: Any) -> Reference:
    return Reference(resource, lambda row_id: select(key).where(source_id == row_id))


_table: Table = Source.__table__  # type: ignore[assignment]
_citations: Table = ProjectCitation.__table__  # type: ignore[assignment]

SOURCE_WRITES = WriteResource(
    name="sources",
    label="source",
    table=_table,
    spec=SOURCES,
    read=SourceRead,
    create=SourceCreate,
    update=SourceUpdate,
    lookup=by_id_or_key,
    prepare=_prepare,
    # Project details embed the titles and URLs of the sources they cite.
    rollup=embedded_in_projects(_citations, "source_id", ("title", "url")),
    references=[
        _citing("strands", Strand.code, Strand.source_id),
        _citing("countries", Country.iso3, Country.source_id),
        _citing("organisations", Organisation.key, Organisation.source_id),
        Reference(
            "projects",
            lambda row_id: (
                select(Project.key)
                .join(ProjectCitation, ProjectCitation.project_id == Project.id)
                .where(ProjectCitation.source_id == row_id)
            ),
        ),
        _citing("funding", Funding.key, Funding.source_id),
        _citing("figures", Figure.key, Figure.source_id),
        _citing("stances", Stance.key, Stance.source_id),
        _citing("events", Event.key, Event.source_id),
    ],
)

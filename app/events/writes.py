"""Writing events."""

from sqlalchemy import Table

from app.events.queries import EVENTS, by_id_or_key
from app.events.schemas import EventCreate, EventRead, EventUpdate
from app.models import Event
from app.writes.refs import Refs
from app.writes.resource import Prepared, WriteResource

_table: Table = Event.__table__  # type: ignore[assignment]


def _prepare(refs: Refs, body: EventCreate, row_id: int | None) -> Prepared:
    return Prepared(
        {
            "key": body.key,
            "title": body.title,
            "kind": body.kind,
            "date": body.date,
            "date_precision": body.date_precision,
            "strand_code": refs.strand("strand", body.strand),
            "country_iso3": refs.country("country", body.country),
            "organisation_id": refs.organisation("organisation", body.organisation),
            "project_id": refs.project("project", body.project),
            "note": body.note,
            "source_id": refs.source("source", body.source),
            "locator": body.locator,
        }
    )


EVENT_WRITES = WriteResource(
    name="events",
    label="event",
    table=_table,
    spec=EVENTS,
    read=EventRead,
    create=EventCreate,
    update=EventUpdate,
    lookup=by_id_or_key,
    prepare=_prepare,
)

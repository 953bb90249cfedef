"""Writing stances: each needs a target (a strand, a project or an organisation)."""

from sqlalchemy import Table

from app.models import Stance
from app.stances.queries import STANCES, by_id_or_key
from app.stances.schemas import StanceCreate, StanceRead, StanceUpdate
from app.writes.refs import Refs
from app.writes.resource import Prepared, WriteResource

_table: Table = Stance.__table__  # type: ignore[assignment]


def _prepare(refs: Refs, body: StanceCreate, row_id: int | None) -> Prepared:
    if not (body.strand or body.project or body.organisation):
        refs.problem("strand", "a stance needs a strand, project or organisation as its target")
    return Prepared(
        {
            "key": body.key,
            "country_iso3": refs.country("country", body.country),
            "action": body.action,
            "strand_code": refs.strand("strand", body.strand),
            "project_id": refs.project("project", body.project),
            "organisation_id": refs.organisation("organisation", body.organisation),
            "via_organisation_id": refs.organisation("via", body.via),
            "year": body.year,
            "note": body.note,
            "source_id": refs.source("source", body.source),
            "locator": body.locator,
        }
    )


STANCE_WRITES = WriteResource(
    name="stances",
    label="stance",
    table=_table,
    spec=STANCES,
    read=StanceRead,
    create=StanceCreate,
    update=StanceUpdate,
    lookup=by_id_or_key,
    prepare=_prepare,
)

"""A first import adds its funding rows to funding_rollup in one statement, with the row
trigger suspended meanwhile: the table ends as the triggers (or a rebuild) would leave it,
and every trigger works again after the import."""

from pathlib import Path
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.funding.rollup import rebuild
from app.imports.rollup import TRIGGER
from app.models import Funding
from app.models.rollups import FundingRollup
from tests.imports.helpers import SAMPLE, do_import, edited_sample


def _rollup(session: Session) -> list[tuple[Any, ...]]:
    """The groups that count rows (the triggers leave a group emptied by an update)."""
    table = FundingRollup.__table__
    found = session.execute(select(table).where(table.c.row_count != 0))
    return sorted(tuple(row) for row in found)


def _as_rebuilt(session: Session) -> list[tuple[Any, ...]]:
    """The rollup recomputed from every funding row (inside a savepoint rolled back)."""
    savepoint = session.begin_nested()
    rebuild(session.connection())
    rows = _rollup(session)
    savepoint.rollback()
    return rows


def _trigger_is_on(session: Session) -> bool:
    if session.get_bind().dialect.name == "postgresql":
        sql = "SELECT tgenabled FROM pg_trigger WHERE tgname = :name"
        return session.scalar(text(sql), {"name": TRIGGER}) == "O"
    sql = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = :name"
    return session.scalar(text(sql), {"name": TRIGGER}) == 1


def _more_records(rows: list[dict[str, str]]) -> None:
    for row in rows:  # the same rows again as new records: they fall in the same groups
        row["AidData Record ID"] = str(int(row["AidData Record ID"]) + 10_000_000)


def test_a_first_import_leaves_the_rollup_as_the_triggers_would(
    session: Session, tmp_path: Path
) -> None:
    do_import(session, "aiddata", SAMPLE, infer_strands=True)
    assert _rollup(session) == _as_rebuilt(session)
    assert _trigger_is_on(session)
    more = edited_sample(tmp_path / "more.csv", _more_records)
    report = do_import(session, "aiddata", more, infer_strands=True)
    assert report.counts["funding"].inserted == 20
    assert _rollup(session) == _as_rebuilt(session)
    # Every trigger is back: a write after the import moves the rollup as it should.
    session.execute(update(Funding).values(amount=None, currency=None))
    session.flush()
    assert _trigger_is_on(session)
    assert _rollup(session) == _as_rebuilt(session)

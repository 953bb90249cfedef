"""A first import writes its projects' stored export lines in one statement, with the
line triggers suspended meanwhile: every line ends as the triggers would write it, the
triggers work again after the import, and a failed import leaves them as they were."""

from pathlib import Path

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from app.db import make_engine
from app.imports import lines as import_lines
from app.models import Project, ProjectCountry, ProjectLine
from app.projects import lines
from tests.conftest import reset_schema
from tests.imports.helpers import SAMPLE, do_import


def _triggers_on(session: Session) -> int:
    """How many of the three line insert triggers would fire now."""
    if session.get_bind().dialect.name == "postgresql":
        paused = session.scalar(text("SELECT current_setting('bri.project_lines_off', true)"))
        names = ["project_lines_project", "project_lines_strand", "project_lines_country"]
        sql = "SELECT count(*) FROM pg_trigger WHERE tgname = ANY(:names) AND tgenabled = 'O'"
        return 0 if paused == "on" else int(session.scalar(text(sql), {"names": names}) or 0)
    marks = ", ".join(f"'{name}'" for name in lines.SQLITE_INSERT_TRIGGERS)
    sql = f"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})"
    return int(session.scalar(text(sql)) or 0)


def test_a_first_import_writes_every_new_line_and_puts_the_triggers_back(
    session: Session,
) -> None:
    before = session.scalar(select(ProjectLine.project_id).order_by(ProjectLine.project_id.desc()))
    do_import(session, "aiddata", SAMPLE, infer_strands=True)
    imported = session.scalars(select(Project.id).where(Project.dataset == "aiddata")).all()
    stored = session.scalars(
        select(ProjectLine.project_id).where(ProjectLine.project_id.in_(imported))
    ).all()
    assert len(imported) == len(stored) == 20
    assert before is not None
    assert min(imported) > before
    assert lines.stale(session.connection()) == 0
    assert _triggers_on(session) == 3
    # The triggers work again: a country link removed after the import rewrites the line.
    first = min(imported)
    session.execute(delete(ProjectCountry).where(ProjectCountry.project_id == first))
    assert lines.stale(session.connection()) == 0


def test_a_dry_run_or_failed_import_leaves_the_triggers_as_they_were(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = do_import(session, "aiddata", SAMPLE, dry_run=True)
    assert report.counts["projects"].inserted == 20  # written, then rolled back
    assert _triggers_on(session) == 3

    def fail(*_: object) -> None:
        raise RuntimeError("the lines could not be written")

    monkeypatch.setattr(import_lines, "write_and_restore", fail)
    with pytest.raises(RuntimeError, match="lines could not be written"):
        do_import(session, "aiddata", SAMPLE)
    assert _triggers_on(session) == 3
    assert session.scalar(select(Project.id).where(Project.dataset == "aiddata")) is None


def test_a_dry_run_outside_any_transaction_keeps_every_trigger(tmp_path: Path) -> None:
    # pysqlite begins a transaction only before DML: when every source and organisation
    # already exists, the import's first statement is a DROP TRIGGER, which must not be
    # committed on its own (and so survive the dry run's rollback).
    engine = make_engine(f"sqlite:///{tmp_path / 'imports.db'}")
    reset_schema(engine)
    with Session(engine) as session:
        assert not do_import(session, "aiddata", SAMPLE).refused
    with engine.begin() as conn:
        first = "SELECT min(id) FROM projects WHERE dataset = 'aiddata'"
        conn.exec_driver_sql(f"DELETE FROM projects WHERE id = ({first})")
    with Session(engine) as session:
        report = do_import(session, "aiddata", SAMPLE, dry_run=True)
    assert report.counts["projects"].inserted == 1
    with engine.connect() as conn:
        names = set(
            conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
        )
        assert lines.stale(conn) == 0
    engine.dispose()
    assert {*lines.SQLITE_TRIGGERS, "projects_fts_insert"} <= names

"""Prepared statements give the rows SQLAlchemy gives, and keep its limits and errors."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, func, literal_column, select, table, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from app.caching import dataset_version
from app.db import make_engine
from app.funding.queries import FUNDING
from app.listing.run import _all_rows
from app.models import Change, Project
from app.models.enums import ProjectKind, ProjectStatus
from app.ops.database import is_query_timeout
from app.prepared import Prepared, run_all
from app.projects.queries import PROJECT_DETAIL
from tests.query_fixture import build

BY_ID = _all_rows(PROJECT_DETAIL).where(Project.id == bindparam("ref"))
FUNDING_BY_PROJECT = _all_rows(FUNDING).where(
    FUNDING.field_index["project_id"].column == bindparam("ref")
)


@pytest.fixture(autouse=True)
def _fixture_rows(session: Session) -> None:
    build(session)  # projects and funding rows with every kind of value, NULLs included


def _core(session: Session, stmt: Any, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in session.execute(stmt, params).mappings()]


def test_rows_hold_the_values_and_types_sqlalchemy_gives(session: Session) -> None:
    prepared = Prepared(BY_ID, "ref")
    ids = session.scalars(select(Project.id).order_by(Project.id)).all()
    assert len(ids) > 20
    for pid in ids:
        ours = prepared.dicts(session, {"ref": pid})
        theirs = _core(session, BY_ID, {"ref": pid})
        assert ours == theirs
        assert [type(v) for v in ours[0].values()] == [type(v) for v in theirs[0].values()]


def test_money_dates_and_flags_of_funding_rows_come_out_alike(session: Session) -> None:
    prepared = Prepared(FUNDING_BY_PROJECT, "ref")
    owners = session.scalars(select(FUNDING.field_index["project_id"].column).distinct()).all()
    compared = 0
    for owner in owners:
        ours = prepared.dicts(session, {"ref": owner})
        assert ours == _core(session, FUNDING_BY_PROJECT, {"ref": owner})
        compared += len(ours)
    assert compared > 10


def test_the_statements_own_values_are_bound(session: Session) -> None:
    latest = session.scalar(select(func.max(Change.version)))
    assert dataset_version(session) == (latest or 0)
    assert Prepared(select(func.coalesce(None, 7) + 35)).scalar(session) == 42


def test_pending_changes_are_flushed_before_reading(session: Session) -> None:
    session.add(
        Project(
            key="prepared-pending",
            title="Pending",
            kind=ProjectKind.project,
            status=ProjectStatus.unknown,
        )
    )
    found = Prepared(select(Project.title).where(Project.key == bindparam("k")), "k")
    assert found.rows(session, {"k": "prepared-pending"}) == [("Pending",)]


def test_a_database_error_is_sqlalchemys_and_not_a_timeout(session: Session) -> None:
    missing = Prepared(select(literal_column("x")).select_from(table("no_such_table")))
    with pytest.raises(DBAPIError) as failed:
        missing.rows(session)
    assert not is_query_timeout(failed.value)


SLOW = {
    "sqlite": select(func.count()).select_from(
        text("(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n)")
    ),
    "postgresql": select(func.pg_sleep(600)),
}


@pytest.fixture
def limited(engine: Engine) -> Iterator[Engine]:
    """An engine on the test database whose statements may run 200 ms."""
    limited = make_engine(
        engine.url.render_as_string(hide_password=False), statement_timeout_ms=200
    )
    yield limited
    limited.dispose()


def test_the_time_limit_stops_a_prepared_statement(limited: Engine, dialect: str) -> None:
    with Session(limited) as session:
        with pytest.raises(OperationalError) as stopped:
            Prepared(SLOW[dialect]).rows(session)
        assert is_query_timeout(stopped.value)
        session.rollback()
        assert Prepared(select(func.abs(-42))).scalar(session) == 42


def test_statements_run_together_give_what_each_gives_alone(session: Session) -> None:
    by_id, funding = Prepared(BY_ID, "ref"), Prepared(FUNDING_BY_PROJECT, "ref")
    owners = session.scalars(select(FUNDING.field_index["project_id"].column).distinct()).all()
    batch = [(s, {"ref": owner}) for owner in owners[:5] for s in (by_id, funding)]
    together = run_all(session, batch)
    assert together == [s.rows(session, params) for s, params in batch]
    assert sum(len(rows) for rows in together) > 10


def test_a_failure_inside_a_batch_is_sqlalchemys_and_the_session_recovers(
    engine: Engine,
) -> None:
    missing = Prepared(select(literal_column("x")).select_from(table("no_such_table")))
    version = Prepared(select(func.max(Change.version)))
    with Session(engine) as session:
        with pytest.raises(DBAPIError):
            run_all(session, [(version, {}), (missing, {}), (version, {})])
        session.rollback()
        assert run_all(session, [(version, {}), (version, {})]) == [
            version.rows(session),
            version.rows(session),
        ]

"""Query time limits: PostgreSQL statement_timeout, a progress handler on SQLite; both 503."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from app.db import SessionDep, get_engine, get_session, make_engine
from app.main import create_app
from app.ops.database import is_query_timeout
from app.settings import get_settings

# Runs for minutes on either database unless something stops it.
SLOW = {
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
    "SELECT count(*) FROM n",
    "postgresql": "SELECT pg_sleep(600)",
}


@pytest.fixture
def limited(engine: Engine) -> Iterator[Engine]:
    """An engine on the test database whose statements may run 200 ms."""
    url = engine.url.render_as_string(hide_password=False)
    limited = make_engine(url, statement_timeout_ms=200)
    yield limited
    limited.dispose()


def test_a_slow_statement_is_stopped_and_the_connection_still_works(
    limited: Engine, dialect: str
) -> None:
    with limited.connect() as connection:
        with pytest.raises(OperationalError) as stopped:
            connection.execute(text(SLOW[dialect]))
        assert is_query_timeout(stopped.value)
        connection.rollback()
        assert connection.execute(text("SELECT 41 + 1")).scalar_one() == 42


def test_other_errors_are_not_taken_for_timeouts(limited: Engine) -> None:
    with limited.connect() as connection, pytest.raises(DBAPIError) as failed:
        connection.execute(text("SELECT * FROM no_such_table"))
    assert not is_query_timeout(failed.value)


def test_a_slow_request_is_a_503_problem(
    limited: Engine, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRI_STATEMENT_TIMEOUT_MS", "200")
    get_settings.cache_clear()
    app = create_app()

    @app.get("/slow")
    def slow(session: SessionDep) -> int:
        return int(session.execute(text(SLOW[dialect])).scalar_one())

    def limited_session() -> Iterator[Session]:
        with Session(limited) as session:
            yield session

    app.dependency_overrides[get_session] = limited_session
    try:
        response = TestClient(app, raise_server_exceptions=False).get("/slow")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "/problems/query-timeout",
        "title": "Service Unavailable",
        "status": 503,
        "detail": "The query ran longer than the limit of 200 ms and was stopped; "
        "narrow the filters or ask for fewer rows.",
        "instance": "/slow",
    }


def test_the_engine_from_settings_sets_statement_timeout(
    engine: Engine, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if dialect != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    monkeypatch.setenv("BRI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("BRI_STATEMENT_TIMEOUT_MS", "1234")
    get_settings.cache_clear()
    get_engine.cache_clear()
    try:
        with get_engine().connect() as connection:
            shown = connection.execute(text("SHOW statement_timeout")).scalar_one()
    finally:
        get_engine().dispose()
        get_engine.cache_clear()
        monkeypatch.undo()
        get_settings.cache_clear()
    assert shown == "1234ms"

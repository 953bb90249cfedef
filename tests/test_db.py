"""The engines: the event loop's sessions have a one-connection pool of their own."""

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.db import before_close, get_engine, get_inline_sessionmaker, get_session, make_engine
from app.settings import get_settings


@pytest.fixture
def fresh_engines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("BRI_DATABASE_URL", f"sqlite:///{tmp_path}/engines.db")
    monkeypatch.setenv("BRI_POOL_TIMEOUT_S", "1")
    for cached in (get_settings, get_engine, get_inline_sessionmaker):
        cached.cache_clear()
    yield
    get_engine().dispose()
    get_inline_sessionmaker().kw["bind"].dispose()
    monkeypatch.undo()
    for cached in (get_settings, get_engine, get_inline_sessionmaker):
        cached.cache_clear()


def test_the_loop_has_one_connection_of_its_own_that_never_overflows(
    fresh_engines: None,
) -> None:
    inline = get_inline_sessionmaker().kw["bind"]
    assert inline is not get_engine()
    assert inline.url == get_engine().url
    assert inline.pool.size() == 1
    with get_inline_sessionmaker()() as session:
        session.connection()
        assert inline.pool.checkedout() == 1
        with pytest.raises(PoolTimeout):  # no second connection, not even for a moment
            inline.connect()
    assert inline.pool.checkedout() == 0
    assert get_engine().pool.size() == get_settings().pool_size


def test_the_request_session_runs_its_steps_before_it_closes(fresh_engines: None) -> None:
    """What a response body holds open on the connection is ended, in a worker thread,
    before the session returns the connection."""
    seen: list[tuple[str, bool]] = []

    async def one_request() -> None:
        sessions = get_session()
        session = await anext(sessions)
        loop_thread = threading.get_ident()
        closing = session.close

        def close() -> None:
            seen.append(("closed", threading.get_ident() == loop_thread))
            closing()

        session.close = close  # type: ignore[method-assign]
        before_close(session, lambda: seen.append(("first", threading.get_ident() != loop_thread)))
        before_close(session, lambda: seen.append(("second", threading.get_ident() != loop_thread)))
        with pytest.raises(StopAsyncIteration):
            await anext(sessions)

    asyncio.run(one_request())
    assert seen == [("first", True), ("second", True), ("closed", True)]


@pytest.mark.parametrize(
    "options",
    [{}, {"statement_timeout_ms": 1500}, {"autocommit": True}],
    ids=["plain", "with a statement timeout", "autocommit"],
)
def test_postgresql_connections_never_jit_compile(
    engine: Engine, dialect: str, options: dict[str, Any]
) -> None:
    """The planner would JIT-compile any statement whose estimate passes jit_above_cost;
    an export's estimate did, and paid 400 ms of compiling for 90 ms of work."""
    if dialect != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    made = make_engine(engine.url.render_as_string(hide_password=False), **options)
    try:
        with made.connect() as connection:
            jit = connection.execute(
                text("SELECT setting, source FROM pg_settings WHERE name = 'jit'")
            ).one()
            timeout = connection.execute(text("SHOW statement_timeout")).scalar_one()
    finally:
        made.dispose()
    assert tuple(jit) == ("off", "client")  # set by the connection, not the server's config
    assert timeout == ("1500ms" if "statement_timeout_ms" in options else "0")


def test_postgresql_options_of_the_url_and_the_environment_are_kept(
    engine: Engine, dialect: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if dialect != "postgresql":
        pytest.skip("connection options are PostgreSQL's")
    monkeypatch.setenv("PGOPTIONS", "-c lock_timeout=4321")
    url = engine.url.update_query_dict({"options": "-c idle_session_timeout=98765"})
    made = make_engine(url.render_as_string(hide_password=False))
    try:
        with made.connect() as connection:
            shown = [
                connection.execute(text(f"SHOW {name}")).scalar_one()
                for name in ("idle_session_timeout", "lock_timeout", "jit")
            ]
    finally:
        made.dispose()
    assert shown == ["98765ms", "4321ms", "off"]

"""The event loop's engine on PostgreSQL: autocommit, and a ping only after idling."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from app.db import _RETURNED_AT, make_engine


@pytest.fixture
def inline(engine: Engine, dialect: str) -> Iterator[Engine]:
    if dialect != "postgresql":
        pytest.skip("autocommit and the idle ping are set for PostgreSQL only")
    url = engine.url.render_as_string(hide_password=False)
    made = make_engine(url, pool_size=1, max_overflow=0, autocommit=True)
    yield made
    made.dispose()


def _pings(inline: Engine, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    ping = inline.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        pings.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(inline.dialect, "do_ping", counted)
    return pings


def _backend(inline: Engine) -> int:
    with inline.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")) or 0)


def _idle(inline: Engine) -> None:
    """Makes the pooled connection look as if it came back long ago."""
    with inline.connect() as connection:
        info = connection.connection.info  # the pooled connection's, kept across checkouts
    info[_RETURNED_AT] -= 3600  # after the checkin, which sets it


def test_statements_run_outside_a_transaction(inline: Engine) -> None:
    with inline.connect() as connection:
        connection.execute(text("SELECT 1"))
        status = connection.connection.dbapi_connection.info.transaction_status  # type: ignore[union-attr]
        assert status.name == "IDLE"  # no BEGIN was sent, so no ROLLBACK is owed


def test_a_busy_connection_is_not_pinged_an_idle_one_is(
    inline: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _backend(inline)
    pings = _pings(inline, monkeypatch)
    for _ in range(5):
        assert _backend(inline) == first
    assert pings == []
    _idle(inline)
    assert _backend(inline) == first
    assert pings == [1]


def test_an_idle_connection_found_dead_is_replaced_before_use(
    inline: Engine, engine: Engine
) -> None:
    first = _backend(inline)
    with engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    _idle(inline)
    second = _backend(inline)  # the ping failed, the pool connected anew: no error here
    assert second != first

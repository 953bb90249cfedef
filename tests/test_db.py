"""The engines: the event loop's sessions have a one-connection pool of their own."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app.db import get_engine, get_inline_sessionmaker
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

"""Bulk writes: deferred writes land in order, and the first failure is the one raised;
the cycle collector paused during an import."""

import gc
import sqlite3

import psycopg
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.imports.bulk import Bulk
from app.imports.run import collector_paused
from app.imports.write import table_of
from app.models import Source


def _source(key: str) -> dict[str, str | None]:
    return {"key": key, "kind": "webpage", "title": key, "url": None}


def test_deferred_writes_are_all_done_in_order_when_the_block_ends(session: Session) -> None:
    sources = table_of(Source)
    with session.begin():
        bulk = Bulk(session)
        ids = bulk.new_ids(sources, 3)
        with bulk.deferred():
            for number, source_id in enumerate(ids):
                # Each row alone: three writes queued one after the other.
                bulk.insert_with_ids(sources, [_source(f"bulk-test-{number}")], [source_id])
        found = session.execute(
            select(Source.id, Source.key).where(Source.key.like("bulk-test-%")).order_by(Source.id)
        ).all()
        assert found == [(ids[n], f"bulk-test-{n}") for n in range(3)]


def _insert_after_a_taken_key(session: Session, taken: str) -> None:
    sources = table_of(Source)
    with session.begin():
        bulk = Bulk(session)
        ids = bulk.new_ids(sources, 2)
        with bulk.deferred():
            bulk.insert_with_ids(sources, [_source(taken)], ids[:1])
            bulk.insert_with_ids(sources, [_source("bulk-test-after")], ids[1:])


def test_a_failed_deferred_write_raises_its_own_error_and_nothing_is_kept(
    session: Session,
) -> None:
    with session.begin():
        taken = session.scalar(select(Source.key).limit(1))  # a key the seed took
    assert taken is not None
    # The unique violation itself, not PostgreSQL's "current transaction is aborted" that
    # a write queued after it would meet.
    with pytest.raises((sqlite3.Error, psycopg.Error), match=r"(?i)unique"):
        _insert_after_a_taken_key(session, taken)
    with session.begin():
        count = select(func.count()).where(Source.key == "bulk-test-after")
        assert session.scalar(count) == 0
        assert session.execute(text("SELECT 1")).scalar() == 1  # the connection works


def _fail_with_the_collector_paused() -> None:
    with collector_paused():
        assert not gc.isenabled()
        raise RuntimeError


def test_the_cycle_collector_is_back_as_it_was_after_an_import() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        _fail_with_the_collector_paused()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller's own choice is kept
    finally:
        gc.enable()

"""Engine and sessions: one engine per process, one session per request."""

import os
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy import Connection, CursorResult, Engine, Executable, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.settings import get_settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def _url_options(url: str) -> str | None:
    given = make_url(url).query.get("options")
    return given if isinstance(given, str) else (" ".join(given) if given else None)


def make_engine(
    url: str,
    *,
    statement_timeout_ms: int = 0,
    pool_size: int = 10,
    max_overflow: int | None = None,
    connect_timeout_s: int = 5,
    pool_timeout_s: int = 10,
    autocommit: bool = False,
) -> Engine:
    """An engine with the settings both databases need for correctness and speed.

    Every statement is limited to `statement_timeout_ms` (0: no limit); a dead pooled
    connection is replaced on checkout (pre-ping), so the API recovers on its own.
    `autocommit` (PostgreSQL only) runs each statement in a transaction of its own.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False},
            pool_size=pool_size,
            max_overflow=pool_size if max_overflow is None else max_overflow,
            pool_timeout=pool_timeout_s,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        if statement_timeout_ms:
            from app.ops.database import limit_sqlite_statements

            limit_sqlite_statements(engine, statement_timeout_ms)
        return engine
    # No JIT: every statement here is short and index-backed, but the planner decides on
    # estimated cost, and an export's estimate (fallback subplans that never run) bought
    # 400 ms of LLVM compiling for 90 ms of work at 100k projects.
    # Ours go after any the URL (`?options=`) or PGOPTIONS give: libpq reads PGOPTIONS only
    # when no options are passed, and a URL's options would be replaced by these.
    options = [given for given in (_url_options(url), os.environ.get("PGOPTIONS")) if given]
    options.append("-c jit=off")
    if statement_timeout_ms:
        options.append(f"-c statement_timeout={statement_timeout_ms}")
    connect_args: dict[str, Any] = {
        "connect_timeout": connect_timeout_s,
        "options": " ".join(options),
    }
    engine = create_engine(
        url,
        # The event loop's engine pings only connections that sat idle (see below).
        pool_pre_ping=not autocommit,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_timeout=pool_timeout_s,
        connect_args=connect_args,
    )
    if not autocommit:
        return engine
    _ping_after_idle(engine, PING_AFTER_IDLE_S)
    return engine.execution_options(isolation_level="AUTOCOMMIT")


# A connection back in the pool for less than this is handed out again without a ping.
PING_AFTER_IDLE_S = 1.0


def _ping_after_idle(engine: Engine, idle_s: float) -> None:
    """Pre-ping, but only connections that sat idle for `idle_s` or more.

    The ping is a round trip of its own; on the event loop's one connection, busy with a
    request every few milliseconds under load, it cost about as much as the project
    detail's one statement. A connection found dead is replaced before the request uses
    it, as with pool_pre_ping; one that dies while in use fails its request (a 503) and
    is replaced for the next, as any request in flight when the database stops would.
    """

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned < idle_s:
            return
        dialect = engine.dialect
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            # The pool drops this connection and checks out a fresh one.
            raise DisconnectionError("idle connection found dead") from error


_RETURNED_AT = "bri_returned_at"


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(
        settings.database_url,
        statement_timeout_ms=settings.statement_timeout_ms,
        pool_size=settings.pool_size,
        connect_timeout_s=settings.connect_timeout_s,
        pool_timeout_s=settings.pool_timeout_s,
    )


@lru_cache
def get_inline_sessionmaker() -> sessionmaker[Session]:
    """Sessions on an engine of their own with one connection, for the event loop.

    See `inline_sessions`: the loop runs one such session at a time and returns its
    connection before it awaits anything, so one connection is enough and a checkout
    never waits, least of all on connections that thread-pool requests hold.

    On PostgreSQL its statements run in autocommit: no BEGIN and ROLLBACK round trips
    per request, and psycopg keeps its server-side prepared statements (it drops them all
    on every ROLLBACK, so before this each statement was parsed and planned anew: over
    1 ms of planning for a project's one-statement detail). These are reads of one
    statement each, or of statements that at READ COMMITTED saw a snapshot of their own
    anyway, so the answers are unchanged.
    """
    settings = get_settings()
    engine = make_engine(
        settings.database_url,
        statement_timeout_ms=settings.statement_timeout_ms,
        pool_size=1,
        max_overflow=0,
        connect_timeout_s=settings.connect_timeout_s,
        pool_timeout_s=settings.pool_timeout_s,
        autocommit=True,
    )
    return sessionmaker(bind=engine, expire_on_commit=False)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


async def get_session() -> AsyncIterator[Session]:
    """One session per request, opened and closed on the event loop.

    Creating a session does no I/O (its connection is checked out by the first query,
    inside the endpoint's worker thread), and closing it only returns the connection to
    the pool, so neither needs a trip through the thread pool: that saves two thread
    hand-offs per request. Endpoints stay sync and run their queries in worker threads.
    """
    with get_sessionmaker()() as session:
        try:
            yield session
        finally:
            await run_before_close(session)


_BEFORE_CLOSE = "bri_before_close"


def before_close(session: Session, step: Callable[[], None]) -> None:
    """Has the request's session run `step` (in a worker thread) before it closes.

    For what a response body holds open on the session's connection and Starlette may
    never close: a COPY the client left mid-way (app/listing/copy_csv.py).
    """
    session.info.setdefault(_BEFORE_CLOSE, []).append(step)


async def run_before_close(session: Session) -> None:
    for step in session.info.pop(_BEFORE_CLOSE, []):
        await run_in_threadpool(step)


SessionDep = Annotated[Session, Depends(get_session)]

SessionOpener = Callable[[], AbstractContextManager[Session]]


async def inline_sessions() -> SessionOpener:
    """Opens sessions for reads done on the event loop itself, start to end.

    A bounded, indexed read (a row by id, the dataset version behind an ETag) costs less
    than the hand-off to a worker thread and back, which also lengthens the tail of the
    latency under load. Such an endpoint is `async` and does all its database work in
    `with sessions() as session:` with no `await` inside, so the connection is back in
    its pool before the loop runs anything else. Work whose cost grows with the data
    (lists, summaries, exports, writes) stays in the thread pool.
    """
    return get_inline_sessionmaker()


InlineSessions = Annotated[SessionOpener, Depends(inline_sessions)]


def read(
    session: Session, stmt: Executable, params: dict[str, Any] | None = None
) -> CursorResult[*tuple[Any, ...]]:
    """Runs a Core SELECT on the session's connection, in its transaction.

    Half the cost of `session.execute` for column SELECTs (no ORM compile state or
    result wrapping), which read paths run several times per request. Pending ORM
    changes are flushed first, as `session.execute` would.
    """
    flush_pending(session)
    return session.connection().execute(stmt, params)


def flush_pending(session: Session) -> None:
    """Writes pending ORM changes first, as `Session.execute` would before a query."""
    if session.new or session.dirty or session.deleted:
        session.flush()


def begin_write(session: Session) -> None:
    """On SQLite, takes the write lock now, so what the write reads cannot change under it.

    pysqlite opens a transaction only at the first INSERT/UPDATE/DELETE; the reads before it
    (the row's version, the references) would otherwise run outside the transaction, and
    DDL before it (a bulk load's DROP TRIGGER) would commit at once, beyond any rollback.
    PostgreSQL needs nothing: rows are locked and updated conditionally on their version.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw: Any = connection.connection.dbapi_connection
        if not raw.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


class DroppedTriggers:
    """SQLite triggers dropped for a bulk load: true if any was there; calling it recreates
    them from their own SQL."""

    def __init__(self, conn: Connection, statements: list[str]) -> None:
        self.conn, self.statements = conn, statements

    def __bool__(self) -> bool:
        return bool(self.statements)

    def __call__(self) -> None:
        for statement in self.statements:
            self.conn.exec_driver_sql(statement)


def drop_sqlite_triggers(conn: Connection, names: Sequence[str]) -> DroppedTriggers:
    """SQLite: drops the named triggers inside the caller's transaction (begun with
    `begin_write`, so a rollback brings them back); the result recreates those that were
    there."""
    marks = ", ".join("?" for _ in names)
    saved = conn.exec_driver_sql(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
        tuple(names),
    ).scalars()
    statements = [str(sql) for sql in saved]
    for name in names:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    return DroppedTriggers(conn, statements)

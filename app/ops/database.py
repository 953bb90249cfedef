"""Database faults answered as problems, and the query time limit on SQLite.

- The database unreachable (refused, timed out at connect, dropped mid-query) or the pool
  exhausted: 503 `unavailable` with Retry-After. With `pool_pre_ping` the next request
  after the database comes back gets a fresh connection: no restart needed.
- A query over the time limit (PostgreSQL `statement_timeout`, the SQLite progress
  handler below): 503 `query-timeout`, naming the limit. Same status as an unavailable
  database because it is the server, not the request's syntax, that could not answer;
  the problem type tells them apart.
- A value the database refuses to compare or store (out of range, say): 400 (422 for a
  request body) `invalid-value`. The message never quotes the SQL or the driver's text.
"""

import logging
import sqlite3
import time
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from sqlalchemy import Engine, event
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.responses import Response

from app.errors import problem_response
from app.settings import get_settings

logger = logging.getLogger("app.database")
DEADLINE = "bri_deadline"
# The progress handler runs every this many SQLite virtual-machine instructions.
PROGRESS_STEPS = 20_000


def is_query_timeout(error: BaseException) -> bool:
    original = getattr(error, "orig", None)
    if isinstance(original, psycopg.errors.QueryCanceled):
        return True
    return isinstance(original, sqlite3.OperationalError) and str(original) == "interrupted"


async def database_error(request: Request, exc: Exception) -> Response:
    if is_query_timeout(exc):
        limit = get_settings().statement_timeout_ms
        logger.warning("query over the time limit of %s ms on %s", limit, request.url.path)
        return problem_response(
            request,
            503,
            f"The query ran longer than the limit of {limit} ms and was stopped; "
            "narrow the filters or ask for fewer rows.",
            slug="query-timeout",
        )
    logger.warning("database unavailable: %s", type(getattr(exc, "orig", exc)).__name__)
    return problem_response(
        request,
        503,
        "The database is unavailable; try again shortly.",
        slug="unavailable",
        headers={"Retry-After": "5"},
    )


async def value_refused(request: Request, exc: Exception) -> Response:
    logger.warning("database refused a value: %s", type(getattr(exc, "orig", exc)).__name__)
    status = 422 if request.method in ("POST", "PUT", "PATCH") else 400
    return problem_response(
        request,
        status,
        "A value in the request is out of the range the database can store or compare.",
        slug="invalid-value",
    )


def install_database_handlers(app: FastAPI) -> None:
    for error in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(error, database_error)
    app.add_exception_handler(DataError, value_refused)


class Deadline:
    """When the statement running on one SQLite connection must stop (None: no limit)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at: float | None = None

    def passed(self) -> int:
        return 1 if self.at is not None and time.monotonic() > self.at else 0

    def start(self) -> None:
        self.at = time.monotonic() + self.seconds

    def stop(self) -> None:
        self.at = None


def limit_sqlite_statements(engine: Engine, timeout_ms: int) -> None:
    """Interrupts any SQLite statement that runs longer than `timeout_ms`.

    The limit covers executing a statement (where SQLite sorts, groups and counts), not
    the later fetching of a streamed result, which a slow client may pace.
    """
    seconds = timeout_ms / 1000

    def connected(dbapi_connection: Any, record: Any) -> None:
        deadline = record.info[DEADLINE] = Deadline(seconds)
        dbapi_connection.set_progress_handler(deadline.passed, PROGRESS_STEPS)

    def before(conn: Any, *_args: Any) -> None:
        conn.info[DEADLINE].start()

    def after(conn: Any, *_args: Any) -> None:
        conn.info[DEADLINE].stop()

    def failed(context: Any) -> None:
        if context.connection is not None and DEADLINE in context.connection.info:
            context.connection.info[DEADLINE].stop()

    event.listen(engine, "connect", connected)
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "handle_error", failed)

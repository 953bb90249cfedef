"""CSV exports on PostgreSQL through COPY ... TO STDOUT (FORMAT csv), and stored lines
through COPY ... TO STDOUT (FORMAT binary).

The server writes and quotes each line in C and sends them in large blocks, which the
worker forwards without making one Python string per row: a line built by `concat` with a
regular-expression test per text cell (sql_csv.py) cost the server about 1.5 times as
much. COPY quotes a cell exactly when Python's csv module does (it holds a comma, a
quote, a CR or an LF), with one difference that sql_csv.py avoids: an empty string is
written `""` to tell it from NULL, so text cells send NULL for ''. (A cell that is
exactly backslash-dot is also quoted by COPY and not by Python; a CSV reader reads the
same value either way.)

Stored lines (app.projects.lines) are finished CSV already: a binary COPY of their one
column hands each over as stored, with a fixed prefix to cut and nothing to unquote.

COPY takes no server-side parameters, so psycopg binds the values into the statement on
the client (`Cursor.copy(statement, params)`), quoting them itself.
"""

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from app.db import before_close, flush_pending
from app.settings import get_settings

CHUNK_BYTES = 256 * 1024
# A value of an expanded IN list is named after its parameter: status_1 -> status_1_2.
_EXPANDED = re.compile(r"^(?P<name>.+)_\d+$")


# Binary COPY: a 19-byte header before the first row, then per row a 2-byte field count
# and a 4-byte length before the value, and a 2-byte trailer as a message of its own.
_BINARY_HEADER = 19
_BINARY_ROW_PREFIX = 6


def copied_lines(session: Session, stmt: Select[Any], header: str) -> Iterator[bytes]:
    """The header, then the blocks COPY sends; the COPY starts before this returns, so a
    refused statement is raised here, before any response is sent."""
    stream = _start(session, stmt, "csv")
    return stream.blocks(header, bytes)


def copied_values(session: Session, stmt: Select[Any], header: str) -> Iterator[bytes]:
    """The header, then a one-column SELECT's non-NULL text values (stored lines) as they
    are, through a binary COPY: no quoting or escaping to undo, no Python object per row
    beyond a slice."""
    stream = _start(session, stmt, "binary")

    skip = _BINARY_HEADER + _BINARY_ROW_PREFIX  # the first message carries the header

    def value(row: memoryview) -> bytes:
        nonlocal skip
        start, skip = skip, _BINARY_ROW_PREFIX
        # The trailer (2 bytes) and a header with no row after it hold no value.
        return bytes(row[start:]) if len(row) > start else b""

    return stream.blocks(header, value)


def _start(session: Session, stmt: Select[Any], kind: str) -> "_CopyStream":
    flush_pending(session)
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = _bound(compiled, connection.dialect)
    driver = connection.connection.dbapi_connection
    assert driver is not None
    cursor = driver.cursor()
    # One statement streams the whole export: the per-statement limit would cut a
    # million-row export at ten seconds. LOCAL: the transaction's end restores it.
    limit_ms = get_settings().export_timeout_s * 1000
    cursor.execute(f"SET LOCAL statement_timeout = {int(limit_ms)}")
    manager = cursor.copy(f"COPY ({compiled}) TO STDOUT WITH (FORMAT {kind})", params)
    stream = _CopyStream(manager, manager.__enter__(), cursor, driver)
    # Starlette never closes a body it stops reading: the session closes the COPY first.
    before_close(session, stream.close)
    return stream


class _CopyStream:
    """One COPY's data as chunks, and its end: finished, or cancelled if left mid-way.

    `close` may come from the body (finished or closed) or from the session's end (the
    client left, perhaps before the first chunk); the first one ends the COPY.
    """

    def __init__(self, manager: Any, copy: Any, cursor: Any, driver: Any) -> None:
        self.manager, self.copy, self.cursor, self.driver = manager, copy, cursor, driver
        self.finished = False
        self.closed = False
        self.lock = threading.Lock()

    def blocks(self, header: str, value: Callable[[memoryview], bytes]) -> Iterator[bytes]:
        try:
            yield header.encode()
            # libpq hands over COPY data a row at a time; each chunk costs a thread hop.
            pending: list[bytes] = []
            size = 0
            for row in self.copy:
                pending.append(value(row))
                size += len(row)
                if size >= CHUNK_BYTES:
                    yield b"".join(pending)
                    pending, size = [], 0
            if pending:
                yield b"".join(pending)
            self.finished = True
        finally:
            self.close()

    def close(self) -> None:
        with self.lock:
            if self.closed:
                return
            self.closed = True
            try:
                if self.finished:
                    self.manager.__exit__(None, None, None)
                else:
                    self._abandon()
            finally:
                with suppress(Exception):
                    self.cursor.close()

    def _abandon(self) -> None:
        """The server stops its COPY rather than send the rest.

        The connection takes no other command until the COPY's end (here its
        cancellation error) is read; the transaction is then failed, and the session's
        rollback at the end of the request clears it.
        """
        with suppress(Exception):
            self.driver.cancel_safe()
        with suppress(Exception):  # the cancellation is the expected end
            for _ in self.copy:
                pass
        with suppress(Exception):  # the same cancellation, reported again
            self.manager.__exit__(None, None, None)


def _bound(compiled: Any, dialect: Dialect) -> dict[str, Any]:
    """The statement's values as the column types send them (money in cents, say)."""
    values: dict[str, Any] = {}
    for name, value in compiled.construct_params().items():
        bind = compiled.binds.get(name)
        if bind is None:
            match = _EXPANDED.match(name)
            bind = compiled.binds[match.group("name")] if match else None
        if bind is None:
            raise LookupError(f"no parameter for {name!r}")
        processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
        values[name] = processor(value) if processor is not None else value
    return values

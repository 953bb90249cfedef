"""Fast batched inserts for imports, inside the session's transaction.

Rows go to the database driver directly: one `executemany` on SQLite, one `COPY ... FROM
STDIN` on PostgreSQL. Values are converted by the columns' own SQLAlchemy bind processors
(so money is stored as cents, dates and timestamps as SQLAlchemy stores them), except JSON,
which orjson serialises. The change log is written the same way: the rows
`app.audit.record_many` would write, in one batch (see `Bulk.changes`).

On PostgreSQL, inside `Bulk.deferred()`, those writes run on one background thread, in
order, while this thread builds the next batch: the server works at the same time as
Python instead of after it. (SQLite writes inline: its `executemany` binds every parameter
under the GIL, so a thread measured no faster.)
"""

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Column, Table
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON

from app import audit
from app.db import begin_write
from app.models import Change
from app.models.base import utcnow
from app.models.enums import ChangeOp

Convert = Callable[[Any], Any] | None
FTS_TRIGGER = "projects_fts_insert"
FTS_TRIGGER_SQL = (
    "CREATE TRIGGER projects_fts_insert AFTER INSERT ON projects BEGIN "
    "INSERT INTO projects_fts(rowid, title, description) "
    "VALUES (new.id, new.title, new.description); END"
)
# SQLite settings of the importing connection while it writes (nothing a commit makes
# durable depends on them). Random keys (hashes of URLs) thrash the default 2 MB page cache:
# up to 256 MB of it while the import runs. (temp_store = MEMORY measured no clear gain, and
# SQLite refuses to change it inside a transaction once temporary storage is open.)
IMPORT_PRAGMAS = {"cache_size": -262144}
ChangeRow = tuple[str, object, ChangeOp, dict[str, Any] | None, dict[str, Any] | None]
CHANGES: Table = Change.__table__  # type: ignore[assignment]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data")


def to_json(value: Any) -> str | None:
    """JSON text as `app.audit.jsonable` + json.dumps would write it (decimals as strings)."""
    if value is None:
        return None
    return orjson.dumps(value, default=_plain, option=orjson.OPT_NON_STR_KEYS).decode()


class Bulk:
    def __init__(self, session: Session) -> None:
        self.session = session
        begin_write(session)  # the import suspends triggers: DDL that must roll back
        connection = session.connection()
        self.dialect = connection.dialect
        self.postgres = self.dialect.name == "postgresql"
        raw = connection.connection.driver_connection
        assert raw is not None  # an open connection always has its driver connection
        self.raw: Any = raw
        self.now = utcnow()
        self.writer: ThreadPoolExecutor | None = None  # set inside `deferred()`
        self.queued: list[Future[None]] = []
        self.failed = False
        self.standard_fts_trigger = False
        if not self.postgres:
            found = self.raw.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
                (FTS_TRIGGER,),
            ).fetchone()
            self.standard_fts_trigger = found is not None and found[0] == FTS_TRIGGER_SQL

    @contextmanager
    def tuned(self) -> Iterator[None]:
        """SQLite's import settings (`IMPORT_PRAGMAS`) on this connection for the block,
        then its own again: the pool hands it to requests after the import."""
        if self.postgres:
            yield
            return
        kept = {name: self.raw.execute(f"PRAGMA {name}").fetchone()[0] for name in IMPORT_PRAGMAS}
        try:
            for name, value in IMPORT_PRAGMAS.items():
                self.raw.execute(f"PRAGMA {name} = {value}")
            yield
        finally:
            for name, value in kept.items():
                self.raw.execute(f"PRAGMA {name} = {int(value)}")

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Writes made inside run on a background thread, in order; all of them are done
        (and the first failure raised) when the block ends. Nothing else may use the
        connection inside the block: no lookups, no id draws, no session statements."""
        if not self.postgres:
            yield
            return
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bri-import-writer")
        try:
            yield
        finally:
            writer, self.writer = self.writer, None
            # Even when this thread failed, the connection is free again before the
            # caller rolls back.
            writer.shutdown(wait=True)
            queued, self.queued = self.queued, []
        for future in queued:
            future.result()  # the first failure; the writes after it were skipped
        self.failed = False

    def call(self, task: Callable[[], Any]) -> None:
        """Runs a database call now, or queues it inside `deferred()`."""
        if self.writer is None:
            task()
            return

        def guarded() -> None:
            if self.failed:  # the transaction is lost: the first error is the one to tell
                return
            try:
                task()
            except BaseException:
                self.failed = True
                raise

        self.queued.append(self.writer.submit(guarded))

    def execute(self, sql: str, *params: Any) -> None:
        """One statement on the driver connection (callers queue it with `call`)."""
        cursor = self.raw.cursor()
        try:
            cursor.execute(sql, params)
        finally:
            cursor.close()

    def id_list(self, ids: Sequence[int]) -> Any:
        """A list of ids as one parameter: an array (PostgreSQL), JSON for json_each (SQLite)."""
        return list(ids) if self.postgres else orjson.dumps(list(ids)).decode()

    def immediate(self) -> None:
        assert self.writer is None, "a query inside Bulk.deferred() would overtake its writes"

    def converter(self, column: Column[Any]) -> Convert:
        if isinstance(column.type, JSON):
            return to_json
        processor: Convert = column.type.dialect_impl(self.dialect).bind_processor(self.dialect)
        return processor

    def insert(
        self,
        table: Table,
        rows: Sequence[dict[str, Any]],
        *,
        tracked: bool = False,
        ids: list[int] | None = None,
    ) -> None:
        """Inserts the rows (all with the same keys); `tracked` adds timestamps and version 1,
        `ids` the rows' ids."""
        if not rows:
            return
        names = list(rows[0])
        values: list[list[Any]] = []
        if ids is not None:
            names.insert(0, "id")
            values.append(ids)
            rows_names = names[1:]
        else:
            rows_names = names
        for name in rows_names:
            convert = self.converter(table.c[name])
            if convert is None:
                values.append([row[name] for row in rows])
            else:
                values.append([convert(row[name]) for row in rows])
        if tracked:
            stamp = self.converter(table.c.created_at)
            now = stamp(self.now) if stamp else self.now
            names += ["created_at", "updated_at", "version"]
            values += [[now] * len(rows), [now] * len(rows), [1] * len(rows)]
        self.write(table.name, names, list(zip(*values, strict=True)))

    def write(self, table: str, names: list[str], data: list[tuple[Any, ...]]) -> None:
        if data:
            self.call(lambda: self.write_now(table, names, data))

    def write_now(self, table: str, names: list[str], data: list[tuple[Any, ...]]) -> None:
        columns = ", ".join(names)
        if self.postgres:
            with (
                self.raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in data:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(names))
            self.raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", data)

    def lookup(
        self, table: Table, column: str, values: Sequence[Any], wanted: Sequence[str]
    ) -> dict[Any, dict[str, Any]]:
        """Rows whose `column` is one of `values`, by that value (one array parameter per
        query: `= ANY(%s)` on PostgreSQL, `json_each(?)` on SQLite). Plain columns only:
        values come back as the driver returns them."""
        self.immediate()
        names = list(dict.fromkeys([column, *wanted]))
        selected = ", ".join(names)
        found: dict[Any, dict[str, Any]] = {}
        if self.postgres:
            sql = f"SELECT {selected} FROM {table.name} WHERE {column} = ANY(%s)"
        else:
            sql = f"SELECT {selected} FROM {table.name} WHERE {column} IN "
            sql += "(SELECT value FROM json_each(?))"
        cursor = self.raw.cursor()
        try:
            for start in range(0, len(values), 50_000):
                chunk = list(values[start : start + 50_000])
                cursor.execute(sql, (chunk if self.postgres else orjson.dumps(chunk).decode(),))
                for row in cursor.fetchall():
                    found[row[0]] = dict(zip(names, row, strict=True))
        finally:
            cursor.close()
        return found

    def ids(self, table: Table, column: str, values: Sequence[Any]) -> dict[Any, int]:
        """The ids of rows by a unique column."""
        rows = self.lookup(table, column, values, ["id"])
        return {value: row["id"] for value, row in rows.items()}

    def new_ids(self, table: Table, count: int) -> list[int]:
        """`count` fresh ids: drawn from the sequence on PostgreSQL; on SQLite, after the
        largest id (one writer at a time: a concurrent insert would make ours fail, not
        collide)."""
        self.immediate()
        cursor = self.raw.cursor()
        try:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    (table.name, count),
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table.name}")
            first = int(cursor.fetchone()[0]) + 1
            return list(range(first, first + count))
        finally:
            cursor.close()

    def insert_returning_ids(
        self, table: Table, rows: Sequence[dict[str, Any]], column: str = "key"
    ) -> dict[Any, int]:
        """Inserts the rows with ids given here (no second query to learn them)."""
        if not rows:
            return {}
        ids = self.new_ids(table, len(rows))
        self.insert_with_ids(table, rows, ids)
        return {row[column]: i for i, row in zip(ids, rows, strict=True)}

    def insert_with_ids(self, table: Table, rows: Sequence[dict[str, Any]], ids: list[int]) -> None:
        """Inserts tracked rows with ids drawn by `new_ids` (no query: may be deferred)."""
        if table.name == "projects" and self.standard_fts_trigger:
            self.insert_projects_sqlite(table, rows, ids)
        else:
            self.insert(table, rows, tracked=True, ids=ids)

    def insert_projects_sqlite(
        self, table: Table, rows: Sequence[dict[str, Any]], ids: list[int]
    ) -> None:
        """Projects on SQLite, with their search index filled in one statement.

        FTS5 fed one row at a time by the insert trigger costs several times what a single
        INSERT ... SELECT does. When the trigger is exactly the one the migrations create, it
        is dropped for the insert and put back after, inside this transaction (a failed
        import restores it too); any other trigger is left to do its work.
        """
        if not rows:
            return
        self.call(lambda: self.raw.execute(f"DROP TRIGGER {FTS_TRIGGER}"))
        self.insert(table, rows, tracked=True, ids=ids)
        fill = (
            "INSERT INTO projects_fts(rowid, title, description) "
            "SELECT id, title, description FROM projects WHERE id BETWEEN ? AND ?"
        )
        self.call(lambda: self.raw.execute(fill, (min(ids), max(ids))))
        self.call(lambda: self.raw.execute(FTS_TRIGGER_SQL))

    def changes(
        self, changes: Sequence[ChangeRow], actor: str, prepared: Sequence[tuple[Any, ...]] = ()
    ) -> int:
        """The change log rows, in order: each one moves the dataset version by one.

        The first goes through `app.audit.record_many`, so whatever the change log requires
        of a writing transaction (on PostgreSQL, the lock that orders change numbers by
        commit) holds for this one too; the rest follow in one batch. `prepared` holds
        `change_rows` of `changes[1:]` made earlier (while the database was busy).
        """
        if not changes:
            return 0
        self.immediate()
        data = [*prepared, *self.change_rows(changes[1 + len(prepared) :], actor)]
        audit.record_many(self.session, changes[:1], actor)
        names = ["resource", "resource_id", "op", "actor", "at", "before", "after"]
        self.write(CHANGES.name, names, data)
        return len(data) + 1

    def change_rows(self, changes: Sequence[ChangeRow], actor: str) -> list[tuple[Any, ...]]:
        """The change log's rows as the driver takes them (pure Python: may overlap writes)."""
        table = CHANGES
        op = self.converter(table.c.op)
        stamp = self.converter(table.c.at)
        at = stamp(self.now) if stamp else self.now
        return [
            (
                resource,
                str(resource_id),
                op(change_op) if op else change_op.value,
                actor,
                at,
                to_json(before) or "null",  # as SQLAlchemy writes None into JSON
                to_json(after) or "null",
            )
            for resource, resource_id, change_op, before, after in changes
        ]

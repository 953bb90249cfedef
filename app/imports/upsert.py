"""Batched create-or-update of rows matched on their `key`, collecting the change log.

One SELECT per few thousand keys finds what exists, one bulk INSERT (`app.imports.bulk`)
creates the rest and one executemany UPDATE rewrites the rows that differ: no per-row round
trip. A row the caller may not update (an organisation a curator or another dataset
created, say) is linked to but left as it is.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from app.models.base import utcnow
from app.models.enums import ChangeOp

if TYPE_CHECKING:
    from app.imports.bulk import Bulk

T = TypeVar("T")
CHUNK = 5000

Change = tuple[str, object, ChangeOp, dict[str, Any] | None, dict[str, Any] | None]


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Upserted:
    counts: Counts = field(default_factory=Counts)
    ids: dict[str, int] = field(default_factory=dict)  # key -> id
    changes: list[Change] = field(default_factory=list)


def existing_rows(
    session: Session, table: Table, column: str, values: Sequence[Any], wanted: list[str]
) -> dict[Any, dict[str, Any]]:
    columns = [table.c[name] for name in dict.fromkeys([column, *wanted])]
    found: dict[Any, dict[str, Any]] = {}
    for chunk in chunks(values):
        stmt = select(*columns).where(table.c[column].in_(chunk))
        for row in session.execute(stmt).mappings():
            found[row[column]] = dict(row)
    return found


def update_rows(
    session: Session, table: Table, rows: list[dict[str, Any]], columns: list[str]
) -> None:
    """Rewrites `columns` of each row (matched on `id`) and moves its version on."""
    if not rows:
        return
    values: dict[str, Any] = {name: bindparam(f"b_{name}") for name in columns}
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(**values, version=bindparam("b_version"), updated_at=bindparam("b_now"))
    )
    now = utcnow()
    params = [
        {f"b_{name}": row[name] for name in columns}
        | {"b_id": row["id"], "b_version": row["version"] + 1, "b_now": now}
        for row in rows
    ]
    # executemany: the dialect sends every parameter set with one prepared statement.
    session.connection().execute(stmt, params)


def differing(wanted: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in wanted.items() if current.get(name) != value}


def upsert_by_key(
    bulk: "Bulk",
    table: Table,
    rows: list[dict[str, Any]],
    *,
    resource: str,
    may_update: Callable[[dict[str, Any]], bool] = lambda _row: True,
) -> Upserted:
    result = Upserted()
    if not rows:
        return result
    session = bulk.session
    columns = [name for name in rows[0] if name != "key"]
    keys = [row["key"] for row in rows]
    current = bulk.lookup(table, "key", keys, ["id", "version", *columns])
    new = [row for row in rows if row["key"] not in current]
    result.ids = bulk.insert_returning_ids(table, new)
    result.counts.inserted = len(new)
    result.changes += [
        (resource, result.ids[row["key"]], ChangeOp.create, None, row) for row in new
    ]
    rewrite = []
    for row in rows:
        found = current.get(row["key"])
        if found is None:
            continue
        result.ids[row["key"]] = found["id"]
        diff = differing(row, found) if may_update(found) else {}
        if not diff:
            result.counts.unchanged += 1
            continue
        rewrite.append(row | {"id": found["id"], "version": found["version"]})
        before = {name: found[name] for name in diff}
        result.changes.append((resource, found["id"], ChangeOp.update, before, diff))
    update_rows(session, table, rewrite, columns)
    result.counts.updated = len(rewrite)
    return result

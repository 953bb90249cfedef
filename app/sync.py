"""Batched create-or-update by natural key, with the change log kept: used by the seed.

Only rows whose values differ are written, so a second run changes nothing and leaves
every version and the dataset version as they were.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from app import audit
from app.models.base import utcnow
from app.models.enums import ChangeOp


@dataclass
class SyncCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "SyncCounts") -> None:
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class SyncResult:
    counts: SyncCounts = field(default_factory=SyncCounts)
    ids: dict[Any, Any] = field(default_factory=dict)  # natural key -> primary key
    created: set[Any] = field(default_factory=set)  # primary keys inserted by this call


def sync_rows(
    session: Session,
    table: Table,
    key: str,
    rows: Sequence[dict[str, Any]],
    *,
    resource: str,
    actor: str,
    id_column: str = "id",
) -> SyncResult:
    """Inserts new rows and updates changed ones (matched on `key`), recording each change."""
    result = SyncResult()
    if not rows:
        return result
    columns = sorted({name for row in rows for name in row} | {key, id_column, "version"})
    wanted = [table.c[name] for name in columns]
    keys = [row[key] for row in rows]
    existing = {
        found[key]: dict(found)
        for found in session.execute(select(*wanted).where(table.c[key].in_(keys))).mappings()
    }
    changes: list[tuple[str, object, ChangeOp, Any, Any]] = []
    new_rows = [row for row in rows if row[key] not in existing]
    if new_rows:
        session.execute(insert(table), new_rows)
        result.counts.inserted = len(new_rows)
    now = utcnow()
    for row in rows:
        before = existing.get(row[key])
        if before is None:
            continue
        differing = {name: value for name, value in row.items() if before.get(name) != value}
        if not differing:
            result.counts.unchanged += 1
            continue
        session.execute(
            update(table)
            .where(table.c[key] == row[key])
            .values(**differing, version=before["version"] + 1, updated_at=now)
        )
        result.counts.updated += 1
        changes.append(
            (
                resource,
                before[id_column],
                ChangeOp.update,
                {name: before.get(name) for name in differing},
                differing,
            )
        )
    id_rows = session.execute(
        select(table.c[key], table.c[id_column]).where(table.c[key].in_(keys))
    ).all()
    result.ids = {row[0]: row[1] for row in id_rows}
    for row in new_rows:
        result.created.add(result.ids[row[key]])
        changes.append((resource, result.ids[row[key]], ChangeOp.create, None, row))
    audit.record_many(session, changes, actor)
    return result


def sync_links(
    session: Session,
    table: Table,
    owner_column: str,
    desired: dict[Any, set[tuple[Any, ...]]],
    columns: Sequence[str],
) -> set[Any]:
    """Makes each owner's link rows equal `desired`; returns the owners whose links changed."""
    if not desired:
        return set()
    link_columns = [table.c[name] for name in columns]
    current: dict[Any, set[tuple[Any, ...]]] = {owner: set() for owner in desired}
    stmt = select(table.c[owner_column], *link_columns).where(
        table.c[owner_column].in_(list(desired))
    )
    for owner, *values in session.execute(stmt):
        current[owner].add(tuple(values))
    changed = {owner for owner, links in desired.items() if links != current[owner]}
    for owner in changed:
        session.execute(delete(table).where(table.c[owner_column] == owner))
        links = [
            dict(zip(columns, link, strict=True)) | {owner_column: owner}
            for link in sorted(desired[owner], key=repr)
        ]
        if links:
            session.execute(insert(table), links)
    return changed


def touch(
    session: Session,
    table: Table,
    ids: Iterable[Any],
    *,
    resource: str,
    actor: str,
    what: dict[Any, dict[str, Any]],
) -> None:
    """Moves the version of owners whose links changed, and logs the new links."""
    for owner in ids:
        session.execute(
            update(table)
            .where(table.c.id == owner)
            .values(version=table.c.version + 1, updated_at=utcnow())
        )
    audit.record_many(
        session, [(resource, owner, ChangeOp.update, None, what[owner]) for owner in ids], actor
    )


__all__ = ["SyncCounts", "SyncResult", "sync_links", "sync_rows", "touch"]

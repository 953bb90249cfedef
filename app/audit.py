"""The change log: every write and import records who, when, what, before and after.

Each change's number is the dataset version after it, so `max(version)` is the version of
the whole dataset and the change feed replays writes in order.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from app.models import Change
from app.models.base import utcnow
from app.models.enums import ChangeOp

CHANGE_LOG_LOCK = 0x62726963  # "bric": the advisory lock that orders change numbers


def jsonable(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Row values as JSON-safe data (decimals as strings, dates as ISO text)."""
    if values is None:
        return None
    return {key: _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def record(
    session: Session,
    resource: str,
    resource_id: object,
    op: ChangeOp,
    actor: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    record_many(session, [(resource, resource_id, op, before, after)], actor)


def record_many(
    session: Session,
    changes: Iterable[
        tuple[str, object, ChangeOp, Mapping[str, Any] | None, Mapping[str, Any] | None]
    ],
    actor: str,
) -> int:
    """Records changes in one batched INSERT; returns how many."""
    now = utcnow()
    rows = [
        {
            "resource": resource,
            "resource_id": str(resource_id),
            "op": op,
            "actor": actor,
            "at": now,
            "before": jsonable(before),
            "after": jsonable(after),
        }
        for resource, resource_id, op, before, after in changes
    ]
    if rows:
        if session.get_bind().dialect.name == "postgresql":
            # Numbers are drawn in commit order: the lock is held until this transaction
            # ends, so a reader of the feed never sees version n+1 before version n commits
            # and a mirror that asks for `since=n` misses nothing. (SQLite has one writer.)
            session.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": CHANGE_LOG_LOCK})
        session.execute(insert(Change), rows)
    return len(rows)

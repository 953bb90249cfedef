"""Idempotency-Key on POST: a repeat returns the first result; a different body is a 422.

Records are per API key (the same Idempotency-Key from two keys never collide), kept for
24 hours, and written in the write's own transaction: either the row and its record both
exist, or neither does. Expired records are purged by the next idempotent request.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

import orjson
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.errors import ProblemError, ProblemException
from app.models import IdempotencyRecord
from app.models.base import utcnow

TTL = timedelta(hours=24)
HEADER = "Idempotency-Key"


@dataclass(frozen=True)
class Replay:
    status: int
    body: bytes
    location: str | None


def fingerprint(method: str, path: str, body: object) -> str:
    """What makes two requests the same: method, path and the validated body."""
    material = orjson.dumps([method, path, body], option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(material).hexdigest()


def purge_expired(session: Session) -> None:
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - TTL))


def previous(session: Session, key: str, actor: str, request_hash: str) -> Replay | None:
    """The stored result for this key, or None; a 422 when the key came with another request."""
    found = session.execute(
        select(
            IdempotencyRecord.request_hash,
            IdempotencyRecord.status_code,
            IdempotencyRecord.response_body,
            IdempotencyRecord.location,
        ).where(
            IdempotencyRecord.key == key,
            IdempotencyRecord.actor == actor,
            IdempotencyRecord.created_at >= utcnow() - TTL,
        )
    ).first()
    if found is None:
        return None
    if found.request_hash != request_hash:
        raise ProblemException(
            422,
            f"The {HEADER} '{key}' was already used with a different request; use a new key "
            "for a new request.",
            slug="idempotency-key-reused",
            errors=[
                ProblemError(location="header", field=HEADER, message="used for another request")
            ],
        )
    return Replay(found.status_code, found.response_body.encode(), found.location)


def claim(session: Session, key: str, actor: str, request_hash: str) -> None:
    """Reserves the key before the write: a concurrent twin waits on it, then replays."""
    session.add(
        IdempotencyRecord(
            key=key,
            actor=actor,
            request_hash=request_hash,
            status_code=0,
            response_body="",
            created_at=utcnow(),
        )
    )
    session.flush()


def settle(
    session: Session, key: str, actor: str, status: int, body: bytes, location: str | None
) -> None:
    session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.key == key, IdempotencyRecord.actor == actor)
        .values(status_code=status, response_body=body.decode(), location=location)
    )

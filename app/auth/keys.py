"""API keys: made by the CLI, shown once, stored as a SHA-256 hash, checked in constant time.

A key reads `bri_<prefix>_<secret>`. The prefix is public (it finds the row and is shown by
`bri keys list`); the secret carries 256 random bits. A plain SHA-256 is enough here: slow
password hashes exist to stop guessing of low-entropy secrets, and no one can guess 256
random bits, so a fast hash keeps every request cheap without weakening anything.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import ApiKey
from app.models.base import utcnow
from app.models.enums import KeyScope

KEY_PATTERN = re.compile(r"^bri_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})$")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
# Actors that write without a key (`import:<dataset>` cannot be a key name: no colon).
RESERVED_NAMES = {"seed", "synth"}


class KeyRefused(ValueError):
    """A key cannot be created or revoked; the message says why."""


@dataclass(frozen=True)
class KeyInfo:
    name: str
    prefix: str
    scope: KeyScope
    created_at: datetime
    revoked_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh key and its public prefix."""
    prefix = secrets.token_hex(4)
    return f"bri_{prefix}_{secrets.token_urlsafe(32)}", prefix


def create_key(session: Session, name: str, scope: KeyScope) -> str:
    """Stores a new key's hash under `name` and returns the key (the only time it is seen)."""
    if not NAME_PATTERN.match(name):
        raise KeyRefused(
            f"'{name}' is not a valid key name: use up to 100 letters, digits, '.', '_', '@' "
            "or '-', starting with a letter or digit"
        )
    if name.lower() in RESERVED_NAMES:
        raise KeyRefused(
            f"'{name}' names the {name.lower()} loader in the audit log; choose another"
        )
    if session.scalar(select(ApiKey.id).where(ApiKey.name == name)) is not None:
        raise KeyRefused(f"a key named '{name}' already exists (names are never reused)")
    key, prefix = new_key()
    session.add(ApiKey(name=name, prefix=prefix, key_hash=hash_key(key), scope=scope))
    session.flush()
    return key


def list_keys(session: Session) -> list[KeyInfo]:
    rows = session.execute(
        select(
            ApiKey.name, ApiKey.prefix, ApiKey.scope, ApiKey.created_at, ApiKey.revoked_at
        ).order_by(ApiKey.name)
    ).all()
    return [KeyInfo(*row) for row in rows]


def revoke_key(session: Session, name: str) -> None:
    found = session.execute(select(ApiKey.id, ApiKey.revoked_at).where(ApiKey.name == name)).first()
    if found is None:
        raise KeyRefused(f"no key named '{name}'")
    if found.revoked_at is not None:
        raise KeyRefused(f"the key '{name}' was already revoked")
    session.execute(update(ApiKey).where(ApiKey.id == found.id).values(revoked_at=utcnow()))


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key's name (the audit log's actor) and its scope."""

    name: str
    scope: KeyScope


def authenticate(session: Session, key: str) -> Caller | None:
    """The active key matching `key`, compared in constant time; None when there is none."""
    shape = KEY_PATTERN.match(key)
    if shape is None:
        return None
    presented = hash_key(key)
    candidates = session.execute(
        select(ApiKey.name, ApiKey.scope, ApiKey.key_hash).where(
            ApiKey.prefix == shape["prefix"], ApiKey.revoked_at.is_(None)
        )
    ).all()
    found = None
    for name, scope, stored in candidates:
        if hmac.compare_digest(presented, stored):
            found = Caller(name, KeyScope(scope))
    return found

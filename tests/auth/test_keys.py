"""API keys: shown once, stored as a hash, found by prefix, compared in constant time."""

import hashlib
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.keys import (
    Caller,
    KeyRefused,
    authenticate,
    create_key,
    list_keys,
    revoke_key,
)
from app.models import ApiKey
from app.models.enums import KeyScope


def test_only_the_hash_is_stored(session: Session) -> None:
    key = create_key(session, "alice", KeyScope.write)
    assert re.fullmatch(r"bri_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", key)
    row = session.scalars(select(ApiKey).where(ApiKey.name == "alice")).one()
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert row.prefix == key[4:12]
    assert key.split("_", 2)[2] not in (row.key_hash, row.prefix, row.name)
    assert (row.scope, row.revoked_at) == (KeyScope.write, None)


def test_two_keys_differ(session: Session) -> None:
    assert create_key(session, "alice", KeyScope.write) != create_key(
        session, "bob", KeyScope.write
    )


def test_authenticate_finds_the_caller(session: Session) -> None:
    key = create_key(session, "alice", KeyScope.read)
    assert authenticate(session, key) == Caller("alice", KeyScope.read)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # wrong secret
        lambda key: key.replace("bri_", "brx_"),  # wrong shape
        lambda key: key + "x",  # too long
        lambda key: "",
        lambda key: "bri_00000000_" + key.split("_", 2)[2],  # unknown prefix
    ],
)
def test_anything_else_is_no_caller(session: Session, mangle: object) -> None:
    key = create_key(session, "alice", KeyScope.write)
    assert callable(mangle)
    assert authenticate(session, mangle(key)) is None


def test_a_revoked_key_no_longer_works(session: Session) -> None:
    key = create_key(session, "alice", KeyScope.write)
    revoke_key(session, "alice")
    assert authenticate(session, key) is None
    with pytest.raises(KeyRefused, match=r"^the key 'alice' was already revoked$"):
        revoke_key(session, "alice")


def test_names_are_checked_and_never_reused(session: Session) -> None:
    create_key(session, "alice", KeyScope.write)
    revoke_key(session, "alice")
    with pytest.raises(KeyRefused, match=r"^a key named 'alice' already exists \(names are never"):
        create_key(session, "alice", KeyScope.write)
    with pytest.raises(KeyRefused, match=r"^'bad name' is not a valid key name"):
        create_key(session, "bad name", KeyScope.write)
    with pytest.raises(KeyRefused, match=r"^'seed' names the seed loader in the audit log"):
        create_key(session, "seed", KeyScope.write)
    with pytest.raises(KeyRefused, match="is not a valid key name"):
        create_key(session, "import:aiddata", KeyScope.write)
    with pytest.raises(KeyRefused, match=r"^no key named 'carol'$"):
        revoke_key(session, "carol")


def test_list_shows_names_prefixes_and_status(session: Session) -> None:
    alice = create_key(session, "alice", KeyScope.write)
    bob = create_key(session, "bob", KeyScope.read)
    revoke_key(session, "bob")
    listed = [(k.name, k.prefix, k.scope, k.revoked_at is None) for k in list_keys(session)]
    assert listed == [
        ("alice", alice[4:12], KeyScope.write, True),
        ("bob", bob[4:12], KeyScope.read, False),
    ]

"""`bri keys create | list | revoke` against a migrated SQLite file."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.auth.keys import Caller, authenticate
from app.cli import cli
from app.db import get_engine, get_sessionmaker, make_engine
from app.models.enums import KeyScope
from app.settings import get_settings
from tests.conftest import alembic_config

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    engine.dispose()
    monkeypatch.setenv("BRI_DATABASE_URL", url)
    for cached in (get_settings, get_engine, get_sessionmaker):
        cached.cache_clear()
    yield url
    get_engine().dispose()
    for cached in (get_settings, get_engine, get_sessionmaker):
        cached.cache_clear()


def lookup(url: str, key: str) -> Caller | None:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return authenticate(session, key)
    finally:
        engine.dispose()


def test_create_prints_the_key_once_and_it_works(database: str) -> None:
    result = runner.invoke(cli, ["keys", "create", "--name", "alice", "--scope", "write"])
    assert result.exit_code == 0, result.output
    key = result.stdout.strip()
    assert key.startswith("bri_")
    assert "only time it is shown" in result.stderr
    caller = lookup(database, key)
    assert caller is not None
    assert (caller.name, caller.scope) == ("alice", KeyScope.write)
    listed = runner.invoke(cli, ["keys", "list"])
    assert listed.exit_code == 0
    assert key not in listed.stdout
    lines = listed.stdout.splitlines()
    assert lines[0].split() == ["name", "prefix", "scope", "created", "status"]
    assert lines[1].split()[:3] == ["alice", key[:12], "write"]
    assert lines[1].endswith("active")


def test_revoke_stops_the_key(database: str) -> None:
    key = runner.invoke(cli, ["keys", "create", "--name", "bob", "--scope", "read"]).stdout.strip()
    result = runner.invoke(cli, ["keys", "revoke", "bob"])
    assert (result.exit_code, result.stdout) == (0, "key 'bob' revoked\n")
    assert lookup(database, key) is None
    assert "revoked" in runner.invoke(cli, ["keys", "list"]).stdout.splitlines()[1]
    again = runner.invoke(cli, ["keys", "revoke", "bob"])
    assert (again.exit_code, again.stderr) == (1, "bri: the key 'bob' was already revoked\n")


def test_bad_requests_are_refused(database: str) -> None:
    assert runner.invoke(cli, ["keys", "list"]).stdout == (
        "no keys yet: make one with `bri keys create --name NAME`\n"
    )
    scope = runner.invoke(cli, ["keys", "create", "--name", "x", "--scope", "admin"])
    assert (scope.exit_code, scope.stderr) == (
        2,
        "bri: scope must be 'write' or 'read', not 'admin'\n",
    )
    runner.invoke(cli, ["keys", "create", "--name", "alice"])
    twice = runner.invoke(cli, ["keys", "create", "--name", "alice"])
    assert twice.exit_code == 1
    assert "a key named 'alice' already exists" in twice.stderr
    unknown = runner.invoke(cli, ["keys", "revoke", "nobody"])
    assert (unknown.exit_code, unknown.stderr) == (1, "bri: no key named 'nobody'\n")

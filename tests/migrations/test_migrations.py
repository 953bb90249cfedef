"""Alembic builds the schema from empty and takes it back to empty, on both databases."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url

from app.db import make_engine
from app.models import Base
from tests.conftest import (
    POSTGRES_URL,
    REQUIRE_POSTGRES,
    ROOT,
    alembic_config,
    ensure_postgres_database,
)


def _fresh_postgres() -> Engine:
    """A database of its own (the test database's name + _migrations), emptied first."""
    url = make_url(POSTGRES_URL)
    url = url.set(database=f"{url.database}_migrations").render_as_string(hide_password=False)
    try:
        ensure_postgres_database(url)
    except Exception as error:
        if REQUIRE_POSTGRES:
            raise
        pytest.skip(f"PostgreSQL half skipped: {url} unreachable ({error})")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'migrations.db'}")
    else:
        engine = _fresh_postgres()
    yield engine
    engine.dispose()


def migrate(engine: Engine, direction: str, revision: str) -> None:
    with engine.begin() as conn:
        getattr(command, direction)(alembic_config(conn), revision)


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def leftovers(engine: Engine) -> list[str]:
    """Anything but Alembic's own bookkeeping left in the schema."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        else:
            query = (
                "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                "UNION ALL SELECT typname FROM pg_type WHERE typnamespace = "
                "'public'::regnamespace AND typrelid = 0 AND typelem = 0"
            )
        names = conn.scalars(text(query)).all()
    return sorted(name for name in names if not name.startswith("alembic_version"))


# Full-text search lives outside the ORM models: SQLite's FTS5 table and its shadow tables,
# PostgreSQL's expression index. Migrations create and drop them by hand.
SEARCH_OBJECT = re.compile(r"^(projects_fts(_\w+)?|ix_projects_search)$")


def schema_tables(engine: Engine) -> set[str]:
    return {name for name in tables(engine) if not SEARCH_OBJECT.match(name)}


def model_differences(engine: Engine) -> list[object]:
    """What autogenerate would change to make the migrated schema match the models."""

    def include(obj: object, name: str | None, kind: str, reflected: bool, _: object) -> bool:
        return not (reflected and name is not None and SEARCH_OBJECT.match(name))

    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": include, "compare_type": True}
        )
        return list(compare_metadata(context, Base.metadata))


def test_upgrade_downgrade_upgrade(empty_engine: Engine) -> None:
    everything = set(Base.metadata.tables) | {"alembic_version"}
    migrate(empty_engine, "upgrade", "head")
    assert schema_tables(empty_engine) == everything
    assert model_differences(empty_engine) == []

    migrate(empty_engine, "downgrade", "base")
    assert tables(empty_engine) <= {"alembic_version"}
    assert leftovers(empty_engine) == []

    migrate(empty_engine, "upgrade", "head")
    assert schema_tables(empty_engine) == everything
    assert model_differences(empty_engine) == []


def test_every_revision_steps_down_and_up_again(empty_engine: Engine) -> None:
    script = ScriptDirectory(str(ROOT / "migrations"))
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    for revision in revisions:
        migrate(empty_engine, "upgrade", revision)
        migrate(empty_engine, "downgrade", "-1")
        migrate(empty_engine, "upgrade", revision)
    with empty_engine.connect() as conn:
        assert conn.scalar(text("SELECT version_num FROM alembic_version")) == revisions[-1]


def test_one_head_and_dated_file_names() -> None:
    script = ScriptDirectory(str(ROOT / "migrations"))
    assert len(script.get_heads()) == 1
    for path in (ROOT / "migrations" / "versions").glob("*.py"):
        assert path.name[:16].replace("_", "").replace("-", "").isdigit(), path.name

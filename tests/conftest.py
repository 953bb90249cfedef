"""Fixtures: every test runs on SQLite and on PostgreSQL, inside a transaction rolled back.

Each database is migrated with Alembic and seeded with the app's own seed loader once per
test session. PostgreSQL comes from BRI_TEST_POSTGRES_URL (default: the local server's
`test` database); when it is unreachable the PostgreSQL half is skipped and says so,
unless BRI_REQUIRE_POSTGRES=1 (CI), which turns the skip into a failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db import make_engine
from app.main import create_app
from app.projects import lines
from app.seed.write import seed
from tests.sessions import shared, use_sessions

ROOT = Path(__file__).resolve().parents[1]
_BASE_POSTGRES_URL = os.environ.get(
    "BRI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _per_worker(url: str) -> str:
    """Each pytest-xdist worker gets its own database, so parallel runs never collide."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _per_worker(_BASE_POSTGRES_URL)
REQUIRE_POSTGRES = os.environ.get("BRI_REQUIRE_POSTGRES") == "1"


def alembic_config(connection: Connection) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["connection"] = connection
    return config


def ensure_postgres_database(url: str) -> None:
    """Creates the test database when it does not exist yet (trust auth, local server)."""
    target = make_url(url)
    admin = make_engine(target.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            exists = conn.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def reset_schema(engine: Engine) -> None:
    """Drops everything, then migrates from empty and seeds, committed once."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        command.upgrade(alembic_config(conn), "head")
    with Session(engine) as session, session.begin():
        seed(session)


def _postgres_engine() -> Engine:
    try:
        ensure_postgres_database(POSTGRES_URL)
        engine = make_engine(POSTGRES_URL)
        with engine.connect():
            pass
    except Exception as error:
        if REQUIRE_POSTGRES:
            raise
        pytest.skip(f"PostgreSQL half skipped: {POSTGRES_URL} unreachable ({error})")
    return engine


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "bri-test.db"
        engine = make_engine(f"sqlite:///{path}")
    else:
        engine = _postgres_engine()
    reset_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def dialect(engine: Engine) -> str:
    return engine.dialect.name


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose every write is rolled back after the test (commits become savepoints)."""
    connection = engine.connect()
    outer = connection.begin()
    if connection.dialect.name == "sqlite":
        # pysqlite only opens a transaction before DML, so without this BEGIN the test's
        # first SAVEPOINT would be the outermost and releasing it would commit for real.
        connection.exec_driver_sql("BEGIN")
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
        _lines_kept(connection)
    finally:
        db.close()
        outer.rollback()
        connection.close()


def _lines_kept(connection: Connection) -> None:
    """Whatever the test wrote, every project's stored CSV line is still the fresh one
    (app.projects.lines): the triggers are checked against every write path the suite
    takes. A test that left its transaction unusable is not checked."""
    try:
        with connection.begin_nested():
            stale = lines.stale(connection)
    except DBAPIError:
        return
    assert stale == 0, f"{stale} stored project lines differ from fresh ones"


@pytest.fixture
def app(session: Session) -> FastAPI:
    application = create_app()

    use_sessions(application, shared(session))
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client

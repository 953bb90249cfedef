"""`bri synth` from the command line, on a SQLite file of its own (it commits)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from app.cli import cli
from app.db import get_engine, get_sessionmaker, make_engine
from app.settings import get_settings


def _clear_caches() -> None:
    get_settings.cache_clear()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'synth.db'}"
    monkeypatch.setenv("BRI_DATABASE_URL", url)
    _clear_caches()
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(cli, ["seed"]).exit_code == 0
    yield url
    get_engine().dispose()
    _clear_caches()


def test_synth_commits_the_projects_and_restores_the_connection(database: str) -> None:
    result = CliRunner().invoke(cli, ["synth", "--projects", "15", "--seed", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["projects", "15"]
    assert lines[1].split() == ["project_strands", "15"]
    assert lines[-1].endswith("seed 3")
    engine = make_engine(database)
    try:
        with engine.connect() as conn:
            count = conn.scalar(text("SELECT count(*) FROM projects WHERE dataset = 'synthetic'"))
            assert count == 15
            assert conn.scalar(text("SELECT count(*) FROM sqlite_stat1")) > 0  # analysed
    finally:
        engine.dispose()
    with get_engine().connect() as conn:  # the bulk-load PRAGMAs were put back
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1


def test_synth_refuses_a_second_load_and_writes_nothing(database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["synth", "--projects", "5"]).exit_code == 0
    again = runner.invoke(cli, ["synth", "--projects", "5", "--seed", "2"])
    assert again.exit_code == 1
    assert "synth refused: the database already holds 5 synthetic projects" in again.output
    with get_engine().connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM projects WHERE dataset = 'synthetic'")) == 5


def test_synth_rejects_a_count_below_one(database: str) -> None:
    result = CliRunner().invoke(cli, ["synth", "--projects", "0"])
    assert result.exit_code == 2
    assert "--projects" in result.output

"""`bri import aiddata|cgit` end to end, on a database of its own (SQLite file or a separate
PostgreSQL database), migrated and seeded first."""

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.db import get_engine, get_sessionmaker, make_engine
from app.models import Change, Project, Source
from app.settings import get_settings
from tests.conftest import POSTGRES_URL, alembic_config, ensure_postgres_database, reset_schema
from tests.imports.helpers import CGIT_SAMPLE, SAMPLE, edited_sample, row_of

runner = CliRunner()


def _clear() -> None:
    for cached in (get_settings, get_engine, get_sessionmaker):
        cached.cache_clear()


@pytest.fixture
def database(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if engine.dialect.name == "sqlite":
        url = f"sqlite:///{tmp_path / 'cli.db'}"
    else:
        parsed = make_url(POSTGRES_URL)
        url = parsed.set(database=f"{parsed.database}_cli").render_as_string(False)
        ensure_postgres_database(url)
    own = make_engine(url)
    reset_schema(own)
    own.dispose()
    monkeypatch.setenv("BRI_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    _clear()
    yield url
    _clear()


def _scalar(url: str, stmt: object) -> int:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return int(session.scalar(stmt) or 0)  # type: ignore[call-overload]
    finally:
        engine.dispose()


def test_import_prints_a_summary_and_a_second_run_changes_nothing(database: str) -> None:
    first = runner.invoke(cli, ["import", "aiddata", str(SAMPLE)])

    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[:5] == [
        "gcdf3_ports_projects.csv: 20 rows read, 20 valid, 0 rejected, 0 warning(s)",
        "sources        inserted     273  updated       0  unchanged       0",
        "organisations  inserted      49  updated       0  unchanged       0",
        "projects       inserted      20  updated       0  unchanged       0",
        "funding        inserted      20  updated       0  unchanged       0",
    ]
    version = _scalar(database, select(func.max(Change.version)))
    assert first.stdout.splitlines()[5].endswith(f"-> {version}")

    second = runner.invoke(cli, ["import", "aiddata", str(SAMPLE)])

    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines()[3:6] == [
        "projects       inserted       0  updated       0  unchanged      20",
        "funding        inserted       0  updated       0  unchanged      20",
        f"dataset version {version} -> {version}",
    ]
    cgit = runner.invoke(cli, ["import", "cgit", str(CGIT_SAMPLE), "--dry-run"])
    assert cgit.exit_code == 0, cgit.output
    assert cgit.stdout.splitlines()[-1] == (
        "dry run: nothing was written (the counts say what an import would do)"
    )
    assert "warning: line 10, field '-': not a transaction: skipped" in cgit.stderr
    assert _scalar(database, select(func.count()).where(Project.dataset == "cgit")) == 0


def _two_bad_rows(path: Path) -> Path:
    def spoil(rows: list[dict[str, str]]) -> None:
        row_of(rows, "89653")["Original Currency"] = "XYZ"
        row_of(rows, "54912")["Recipient ISO-3"] = "ZZZ"

    return edited_sample(path, spoil)


def test_invalid_rows_stop_the_import_with_exit_code_1(database: str, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["import", "aiddata", str(_two_bad_rows(tmp_path / "bad.csv"))])

    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "rejected: line 2 (record 89653), field 'Original Currency': "
        "not an ISO 4217 currency code: 'XYZ'",
        "rejected: line 6 (record 54912), field 'Recipient ISO-3': "
        "unknown ISO 3166-1 alpha-3 code 'ZZZ'",
    ]
    assert "import refused: 2 invalid row(s); nothing was written" in result.stdout
    assert _scalar(database, select(func.count()).where(Project.dataset == "aiddata")) == 0
    assert not (tmp_path / "bad.rejects.csv").exists()


def test_a_refusal_longer_than_the_terminal_list_writes_every_bad_row_to_the_report(
    database: str, tmp_path: Path
) -> None:
    def many_bad_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        first = rows[0]
        copies = [first | {"AidData Record ID": str(900_000 + n)} for n in range(205)]
        for row in copies:
            row["Original Currency"] = "XYZ"
        return copies

    path = edited_sample(tmp_path / "many.csv", many_bad_rows)

    result = runner.invoke(cli, ["import", "aiddata", str(path)])

    assert result.exit_code == 1
    printed = [line for line in result.stderr.splitlines() if line.startswith("rejected: ")]
    assert len(printed) == 200
    assert "... and 5 more problems (all of them in the report)" in result.stderr
    assert f"report: {tmp_path / 'many.rejects.csv'}" in result.stderr
    with (tmp_path / "many.rejects.csv").open(encoding="utf-8", newline="") as handle:
        reported = list(csv.reader(handle))[1:]
    assert [(row[0], row[1], row[2], row[3]) for row in reported] == [
        ("error", str(line), str(900_000 + line - 2), "Original Currency") for line in range(2, 207)
    ]
    assert _scalar(database, select(func.count()).where(Project.dataset == "aiddata")) == 0


def test_skip_invalid_writes_the_rejects_report(database: str, tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["import", "aiddata", str(_two_bad_rows(tmp_path / "bad.csv")), "--skip-invalid"]
    )

    assert result.exit_code == 0, result.output
    assert f"report: {tmp_path / 'bad.rejects.csv'}" in result.stderr
    with (tmp_path / "bad.rejects.csv").open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["severity", "line", "record", "field", "value", "reason"],
            ["error", "2", "89653", "Original Currency", "XYZ",
             "not an ISO 4217 currency code: 'XYZ'"],
            ["error", "6", "54912", "Recipient ISO-3", "ZZZ",
             "unknown ISO 3166-1 alpha-3 code 'ZZZ'"],
        ]  # fmt: skip
    assert _scalar(database, select(func.count()).where(Project.dataset == "aiddata")) == 18


def test_a_file_of_the_wrong_layout_exits_with_code_2(database: str, tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")

    result = runner.invoke(cli, ["import", "aiddata", str(path)])

    assert result.exit_code == 2
    assert result.stderr.startswith(
        "import refused: not an AidData GCDF 3.0 file: missing column(s) AidData Record ID, "
    )
    assert result.stderr.rstrip().endswith("; nothing was written")


def test_an_unseeded_database_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    own = make_engine(url)
    with own.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    own.dispose()
    monkeypatch.setenv("BRI_DATABASE_URL", url)
    _clear()
    try:
        result = runner.invoke(cli, ["import", "cgit", str(CGIT_SAMPLE)])
    finally:
        _clear()

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "import refused: 5 country code(s) missing from the database (CHN, GBR, LAO, LKA, PER): "
        "run `bri seed` first; nothing was written"
    )


def test_a_database_error_rolls_everything_back_with_exit_code_3(
    database: str, engine: Engine
) -> None:
    own = make_engine(database)
    with Session(own) as session, session.begin():  # a curator took a key the import needs
        session.add(Project(key="aiddata-54912", title="A curated project", kind="project"))
    own.dispose()

    result = runner.invoke(cli, ["import", "aiddata", str(SAMPLE)])

    assert result.exit_code == 3
    reason = {
        "sqlite": "UNIQUE constraint failed: projects.key",
        "postgresql": 'duplicate key value violates unique constraint "uq_projects_key"',
    }[engine.dialect.name]
    assert result.stderr.splitlines()[-1] == f"import failed: {reason}; nothing was written"
    assert _scalar(database, select(func.count()).where(Project.dataset == "aiddata")) == 0
    assert _scalar(database, select(func.count()).where(Source.key.like("url-%"))) == 0

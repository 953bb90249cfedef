"""A bad configuration stops `bri serve` with one clear line on stderr, never a traceback."""

import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ops.support import BIN, free_port, server_environment


def bri(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "bri"), *args],
        env=server_environment(env.pop("BRI_DATABASE_URL", "sqlite:///unused.db"), env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def refused(result: subprocess.CompletedProcess[str]) -> str:
    """The one stderr line of a start-up that was refused."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("settings", "line"),
    [
        (
            {"BRI_LOG_LEVEL": "LOUD"},
            "bri: bad configuration: BRI_LOG_LEVEL: Input should be 'DEBUG', 'INFO', "
            "'WARNING' or 'ERROR' (got 'LOUD')",
        ),
        (
            {"BRI_MAX_LIMIT": "lots"},
            "bri: bad configuration: BRI_MAX_LIMIT: Input should be a valid integer, unable to "
            "parse string as an integer (got 'lots')",
        ),
        (
            {"BRI_STATEMENT_TIMEOUT_MS": "-5"},
            "bri: bad configuration: BRI_STATEMENT_TIMEOUT_MS: Input should be greater than or "
            "equal to 0 (got '-5')",
        ),
        (
            {"BRI_DEFAULT_LIMIT": "2000"},
            "bri: bad configuration: BRI_DEFAULT_LIMIT must not exceed BRI_MAX_LIMIT",
        ),
    ],
)
def test_an_invalid_setting_is_one_line(settings: dict[str, str], line: str) -> None:
    assert refused(bri("serve", env=dict(settings))) == line


def test_an_unreachable_database_is_one_line_without_the_password() -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql+psycopg://bri:s3cret@127.0.0.1:{port}/bri"
    line = refused(bri("serve", env={"BRI_DATABASE_URL": url}))
    assert line == (
        f"bri: cannot reach the database at postgresql+psycopg://bri:***@127.0.0.1:{port}/bri: "
        f'connection failed: connection to server at "127.0.0.1", port {port} failed: '
        "Connection refused"
    )


@pytest.fixture
def black_hole() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


def test_a_database_that_never_answers_is_given_up_on(black_hole: int) -> None:
    url = f"postgresql+psycopg://bri@127.0.0.1:{black_hole}/bri"
    env = {"BRI_DATABASE_URL": url, "BRI_CONNECT_TIMEOUT_S": "1"}
    line = refused(bri("serve", env=env))
    assert line.startswith(f"bri: cannot reach the database at {url}: connection timeout expired")


def test_a_sqlite_file_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/missing/folder/bri.db"
    line = refused(bri("serve", env={"BRI_DATABASE_URL": url}))
    assert line == f"bri: cannot reach the database at {url}: unable to open database file"


def test_a_database_without_the_schema_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/empty.db"
    line = refused(bri("serve", env={"BRI_DATABASE_URL": url}))
    assert line == f"bri: the database at {url} has no schema yet; run `bri db upgrade` first"


def test_a_url_that_is_not_a_database_url_is_one_line() -> None:
    line = refused(bri("serve", env={"BRI_DATABASE_URL": "not a url"}))
    assert line == (
        "bri: bad configuration: BRI_DATABASE_URL <unparseable URL> is not a usable URL "
        "(Could not parse SQLAlchemy URL from given URL string)"
    )


def test_an_unknown_bri_variable_is_warned_about() -> None:
    result = bri("db", "--help", env={"BRI_MAX_LIMT": "3"})
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "bri: warning: BRI_MAX_LIMT is not a setting and is ignored"
    ]


@pytest.mark.parametrize("command", [("db", "upgrade"), ("seed",)])
def test_other_commands_report_a_database_failure_in_one_line(command: tuple[str, ...]) -> None:
    port = free_port()
    # %40 is a URL-encoded "@": the migration config must not read it as interpolation.
    url = f"postgresql+psycopg://bri:p%40ss@127.0.0.1:{port}/bri"
    line = refused(bri(*command, env={"BRI_DATABASE_URL": url}))
    assert line == (
        f"bri: the database at postgresql+psycopg://bri:***@127.0.0.1:{port}/bri failed: "
        f'connection failed: connection to server at "127.0.0.1", port {port} failed: '
        "Connection refused"
    )


def test_a_password_with_percent_encoding_reaches_the_migrations(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/with%25percent.db"
    result = bri("db", "upgrade", env={"BRI_DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "database at head"


def test_settings_come_only_from_the_environment(tmp_path: Path) -> None:
    """A .env file (or any file) is never read: secrets come from the environment alone."""
    (tmp_path / ".env").write_text("BRI_LOG_LEVEL=LOUD\nBRI_DATABASE_URL=sqlite:///nowhere.db\n")
    result = subprocess.run(
        [str(BIN / "bri"), "db", "--help"],
        env=server_environment("sqlite:///unused.db"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (0, "")

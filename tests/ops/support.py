"""Real servers for the operations tests: databases of their own, uvicorn via `bri serve`."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url

from app.db import make_engine
from tests.conftest import POSTGRES_URL, REQUIRE_POSTGRES, ensure_postgres_database, reset_schema

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_url(name: str) -> str:
    """A PostgreSQL database of the test server's own, next to the suite's test database."""
    url = make_url(POSTGRES_URL)
    return url.set(database=f"{url.database}_{name}").render_as_string(hide_password=False)


def prepared_database(kind: str, name: str, folder: Path) -> str:
    """A migrated, seeded database URL (SQLite file or PostgreSQL database) for a server."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / (name + '.db')}"
    else:
        url = postgres_url(name)
        try:
            ensure_postgres_database(url)
        except Exception as error:
            if REQUIRE_POSTGRES:
                raise
            pytest.skip(f"PostgreSQL half skipped: {url} unreachable ({error})")
    engine = make_engine(url)
    try:
        reset_schema(engine)
    finally:
        engine.dispose()
    return url


def server_environment(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRI_")}
    env.update({"BRI_DATABASE_URL": database_url, "BRI_LOG_LEVEL": "INFO"})
    env.update(extra or {})
    return env


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_lines(self) -> list[str]:
        return self.log.read_text().splitlines()


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}: {log.read_text()}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up: {log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode


def write_key(database_url: str, name: str) -> str:
    """A new write key, made as an operator would: `bri keys create`."""
    made = subprocess.run(
        [str(BIN / "bri"), "keys", "create", "--name", name, "--scope", "write"],
        env=server_environment(database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


@contextmanager
def serving(
    database_url: str, folder: Path, *, env: dict[str, str] | None = None, workers: int = 1
) -> Iterator[Server]:
    """`bri serve` on a free port of 127.0.0.1, stopped (SIGTERM) on exit."""
    port = free_port()
    log = folder / f"server-{port}.log"
    command = [str(BIN / "bri"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)],
            env=server_environment(database_url, env),
            stdout=sink,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log)
        yield Server(url, process, log)
    finally:
        stop(process)

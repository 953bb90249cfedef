"""Starting and stopping the two servers, and reading their memory."""

import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
DATASETTE = ROOT / "benchmarks" / ".venv" / "bin" / "datasette"
# The summary as an analyst would publish it: a canned query with the strand as parameter.
SUMMARY_SQL = (
    "SELECT year, count(*) AS projects, sum(amount_usd) AS amount_usd, "
    "sum(amount_usd_constant) AS amount_usd_constant "
    # As our summary does by default (and as AidData advises): umbrella records and records
    # not recommended for aggregates are left out, so both answers count the same money.
    "FROM projects WHERE strand = :strand AND umbrella = 0 AND recommended_for_aggregates = 1 "
    "GROUP BY year ORDER BY year"
)
LOGS = ROOT / "benchmarks" / "data"


@dataclass
class Server:
    name: str
    base: str
    process: subprocess.Popen[bytes]

    def pids(self) -> list[int]:
        """The server process and its children (uvicorn's workers)."""
        found = [self.process.pid]
        frontier = [self.process.pid]
        while frontier:
            pid = frontier.pop()
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                found.append(child)
                frontier.append(child)
        return found

    def rss_mib(self) -> dict[int, float]:
        """Resident memory of each process, in MiB."""
        sizes = {}
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        sizes[pid] = int(line.split()[1]) / 1024
            except OSError:
                continue
        return sizes


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer {url} within {timeout:.0f} s; see {log}")


@contextmanager
def _running(
    name: str, command: list[str], env: dict[str, str], port: int, ready: str
) -> Iterator[Server]:
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        server = Server(name, f"http://{HOST}:{port}", process)
        try:
            _wait(server.base + ready, process, log)
            yield server
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)  # the server and its workers, by process group
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@contextmanager
def bri(url: str, port: int, workers: int, extra: dict[str, str] | None = None) -> Iterator[Server]:
    """BRI Tracker under uvicorn, one worker per core, as `bri serve` runs it."""
    env = {**os.environ, "BRI_DATABASE_URL": url, "BRI_ENVIRONMENT": "production", **(extra or {})}
    command = [
        str(ROOT / ".venv" / "bin" / "bri"),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    with _running("bri", command, env, port, "/healthz") as server:
        yield server


@contextmanager
def datasette(path: Path, port: int) -> Iterator[Server]:
    """Datasette over the flat file, immutable (as `datasette publish` serves it)."""
    metadata = LOGS / "datasette-metadata.json"
    metadata.write_text(
        json.dumps(
            {
                "databases": {
                    path.stem: {
                        "queries": {"summary_by_year": {"sql": SUMMARY_SQL, "title": "By year"}}
                    }
                }
            }
        )
    )
    command = [
        str(DATASETTE),
        "serve",
        "-i",
        str(path),
        "--host",
        HOST,
        "--port",
        str(port),
        "--metadata",
        str(metadata),
        # A full export is what the CSV query asks for: lift the 100 MB cap on streamed CSV.
        "--setting",
        "max_csv_mb",
        "0",
        # Datasette refuses a query after 1 s by default; at a million rows its summary takes
        # longer, and an analyst publishing that many would raise the limit, as here.
        "--setting",
        "sql_time_limit_ms",
        "30000",
    ]
    with _running("datasette", command, dict(os.environ), port, "/-/versions.json") as server:
        yield server

"""End to end: the `bri` CLI migrates and seeds a SQLite file, real uvicorn serves it over HTTP."""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.seed.seed_copy import SeedCopy

pytestmark = pytest.mark.e2e
BRI = str(Path(sys.executable).parent / "bri")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def bri(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [BRI, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("e2e")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRI_")}
    env["BRI_DATABASE_URL"] = f"sqlite:///{folder / 'bri.db'}"
    env["BRI_ENVIRONMENT"] = "test"
    return env


@pytest.fixture(scope="module")
def server(environment: dict[str, str]) -> Iterator[httpx.Client]:
    migrated = bri(environment, "db", "upgrade")
    assert migrated.returncode == 0, migrated.stderr
    seeded = bri(environment, "seed")
    assert seeded.returncode == 0, seeded.stderr
    assert "countries      inserted  249  updated    0  unchanged    0" in seeded.stdout

    port = free_port()
    process = subprocess.Popen(
        [BRI, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            for _ in range(300):  # up to ~30 s for the server to come up
                if process.poll() is not None:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"bri serve exited with {process.returncode}: {output}")
                try:
                    if client.get("/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("bri serve did not answer /healthz")
            yield client
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_bad_seed_is_refused_by_the_cli_and_writes_nothing(
    environment: dict[str, str], tmp_path: Path
) -> None:
    env = {**environment, "BRI_DATABASE_URL": f"sqlite:///{tmp_path / 'refused.db'}"}
    assert bri(env, "db", "upgrade").returncode == 0
    copy = SeedCopy(tmp_path / "seed_data")
    line = copy.replace("stances.yaml", "  country: NZL", "  country: NZX")
    start = copy.line_of("stances.yaml", "- key: nzl-restricted-huawei")
    assert line > start
    refused = bri(env, "seed", "--directory", str(copy.directory))
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        f"stances.yaml: row 6 (line {start}), field 'country': "
        "'NZX' is not an ISO 3166-1 alpha-3 code",
        "seed refused: 1 problem(s); nothing was written",
    ]
    with sqlite3.connect(tmp_path / "refused.db") as db:
        assert db.execute("SELECT count(*) FROM changes").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM countries").fetchone() == (0,)


def test_health_and_readiness(server: httpx.Client) -> None:
    assert server.get("/healthz").json() == {"status": "ok"}
    assert server.get("/readyz").json() == {"status": "ready"}


def test_list_and_detail(server: httpx.Client) -> None:
    strands = server.get("/v1/strands", params={"fields": "code,year_launched"})
    assert strands.status_code == 200
    assert strands.json()["data"] == [
        {"code": "bri", "year_launched": 2013},
        {"code": "digital", "year_launched": 2015},
        {"code": "health", "year_launched": 2017},
        {"code": "latin-america", "year_launched": 2017},
        {"code": "polar", "year_launched": 2018},
    ]
    beidou = server.get("/v1/projects/beidou")
    assert beidou.headers["etag"] == '"v1"'
    assert [c["iso3"] for c in beidou.json()["country_roles"]] == [
        "BRN",
        "CHN",
        "LAO",
        "PAK",
        "THA",
    ]
    again = server.get("/v1/projects/beidou", headers={"If-None-Match": '"v1"'})
    assert (again.status_code, again.content) == (304, b"")


def test_head_over_http(server: httpx.Client) -> None:
    got = server.get("/v1/projects/beidou")
    head = server.head("/v1/projects/beidou")
    assert (head.status_code, head.content) == (200, b"")
    assert (head.headers["etag"], head.headers["content-length"]) == (
        '"v1"',
        str(len(got.content)),
    )
    export = server.head("/v1/countries", params={"format": "csv"})
    assert (export.status_code, export.content) == (200, b"")
    assert export.headers["content-type"] == "text/csv; charset=utf-8"


def test_paging_over_http(server: httpx.Client) -> None:
    url: str | None = "/v1/countries?limit=40&sort=-name&fields=iso3"
    codes: list[str] = []
    pages = 0
    while url is not None:
        body = server.get(url).json()
        codes += [row["iso3"] for row in body["data"]]
        url = body["links"]["next"]
        pages += 1
    assert (pages, len(codes), len(set(codes))) == (7, 249, 249)
    # Text sorts by code point on both databases: "Åland Islands" after "Zimbabwe".
    assert codes[:2] == ["ALA", "ZWE"]


def test_csv(server: httpx.Client) -> None:
    response = server.get(
        "/v1/strands", params={"fields": "code,year_launched"}, headers={"Accept": "text/csv"}
    )
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == (
        "code,year_launched\nbri,2013\ndigital,2015\nhealth,2017\nlatin-america,2017\npolar,2018\n"
    )


def test_problems(server: httpx.Client) -> None:
    missing = server.get("/v1/strands/space")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json() == {
        "type": "/problems/not-found",
        "title": "Not Found",
        "status": 404,
        "detail": "No strand 'space'.",
        "instance": "/v1/strands/space",
    }
    bad = server.get("/v1/countries", params={"limit": 0})
    assert (bad.status_code, bad.json()["type"]) == (400, "/problems/invalid-parameter")
    not_allowed = server.delete("/v1/strands")
    assert not_allowed.status_code == 405
    assert not_allowed.headers["content-type"] == "application/problem+json"

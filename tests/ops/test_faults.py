"""The database going away: 503 problems at once, and recovery without a restart."""

import json
import socket
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import make_engine
from app.main import create_app
from tests.conftest import ensure_postgres_database, reset_schema
from tests.ops.cluster import Cluster, create_cluster, unavailable_reason
from tests.ops.support import Server, serving
from tests.sessions import use_sessions

# Generous: a request that hangs on a dead database fails the test instead of passing late.
PATIENCE = 30


def unavailable(response: httpx.Response, path: str, detail: str) -> None:
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json() == {
        "type": "/problems/unavailable",
        "title": "Service Unavailable",
        "status": 503,
        "detail": detail,
        "instance": path,
    }


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(f"fault tests need a private PostgreSQL cluster: {reason}")
    cluster = create_cluster()
    try:
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="module")
def server(cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    url = make_url(cluster.url).set(database="bri").render_as_string(hide_password=False)
    ensure_postgres_database(url)
    engine = make_engine(url)
    reset_schema(engine)
    engine.dispose()
    settings = {"BRI_CONNECT_TIMEOUT_S": "2", "BRI_POOL_SIZE": "3"}
    with serving(url, tmp_path_factory.mktemp("faults"), env=settings) as running:
        yield running


def test_the_database_stops_and_comes_back(cluster: Cluster, server: Server) -> None:
    api = httpx.Client(base_url=server.url, timeout=PATIENCE)
    assert api.get("/readyz").json() == {"status": "ready"}
    assert api.get("/v1/strands").json()["meta"]["count"] == 5

    cluster.stop()
    unavailable(api.get("/readyz"), "/readyz", "The database is unreachable.")
    down = "The database is unavailable; try again shortly."
    unavailable(api.get("/v1/strands"), "/v1/strands", down)
    unavailable(api.get("/v1/strands/bri"), "/v1/strands/bri", down)
    unavailable(api.get("/v1/projects", params={"format": "csv"}), "/v1/projects", down)
    assert api.get("/healthz").json() == {"status": "ok"}
    metrics = api.get("/metrics").text
    assert 'bri_http_requests_total{method="GET",route="/readyz",status="503"} 1.0' in metrics

    cluster.start()
    assert api.get("/readyz").json() == {"status": "ready"}
    assert api.get("/v1/strands").json()["meta"]["count"] == 5
    assert server.process.poll() is None  # the same process, never restarted
    logged = [json.loads(line) for line in server.log_lines() if line.startswith("{")]
    assert {"level": "WARNING", "message": "database unavailable: OperationalError"} in [
        {"level": entry["level"], "message": entry["message"]}
        for entry in logged
        if entry["logger"] == "app.database"
    ]


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word (a hung database host)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield int(listener.getsockname()[1])


def client_on(engine: Engine) -> TestClient:
    app = create_app()

    use_sessions(app, lambda: Session(engine))
    return TestClient(app, raise_server_exceptions=False)


def test_a_database_that_never_answers_times_out_at_connect(black_hole: int) -> None:
    engine = make_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{black_hole}/bri", connect_timeout_s=1
    )
    try:
        client = client_on(engine)
        readiness = client.get("/readyz")
        strands = client.get("/v1/strands")
    finally:
        engine.dispose()
    unavailable(readiness, "/readyz", "The database is unreachable.")
    assert strands.status_code == 503
    assert strands.json()["detail"] == "The database is unavailable; try again shortly."


def test_an_exhausted_pool_is_a_503_not_a_hang(engine: Engine, dialect: str) -> None:
    if dialect != "postgresql":
        pytest.skip("the pool's size and overflow limits are set for PostgreSQL only")
    url = engine.url.render_as_string(hide_password=False)
    small = make_engine(url, pool_size=1, pool_timeout_s=1)  # one connection, one overflow
    held = [small.connect(), small.connect()]
    try:
        for connection in held:
            connection.execute(text("SELECT 1"))
        response = client_on(small).get("/v1/strands")
    finally:
        for connection in held:
            connection.close()
        small.dispose()
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/unavailable"

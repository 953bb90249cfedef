"""Operations over real HTTP: request log lines, pool gauges, raw bytes uvicorn refuses."""

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.ops.support import Server, prepared_database, serving


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp(f"server-{request.param}")
    url = prepared_database(request.param, "server", folder)
    with serving(url, folder, env={"BRI_POOL_SIZE": "3"}) as running:
        yield running


def raw_request(server: Server, target: bytes) -> bytes:
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.split(b"\r\n", 1)[0]


def test_each_request_is_one_json_log_line(server: Server) -> None:
    response = httpx.get(f"{server.url}/v1/projects/beidou", headers={"X-Request-ID": "log-me-1"})
    assert response.headers["x-request-id"] == "log-me-1"
    assert "server" not in response.headers
    # The line is written once the response is sent, so it may trail the answer a little.
    for _ in range(100):
        entries = [json.loads(line) for line in server.log_lines()]
        mine = [entry for entry in entries if entry.get("request_id") == "log-me-1"]
        if mine:
            break
        time.sleep(0.05)
    assert len(mine) == 1
    line = mine[0]
    assert isinstance(line.pop("duration_ms"), float)
    line.pop("time")
    assert line == {
        "level": "INFO",
        "logger": "app.access",
        "message": "GET /v1/projects/{project} 200",
        "request_id": "log-me-1",
        "method": "GET",
        "route": "/v1/projects/{project}",
        "path": "/v1/projects/beidou",
        "status": 200,
    }


def test_the_pool_gauges_read_the_running_pool(server: Server) -> None:
    for _ in range(5):
        assert httpx.get(f"{server.url}/v1/strands").status_code == 200
    metrics = httpx.get(f"{server.url}/metrics").text.splitlines()
    assert "bri_db_pool_size 3.0" in metrics
    assert "bri_db_pool_checked_out 0.0" in metrics
    assert 'bri_http_requests_total{method="GET",route="/v1/strands",status="200"} 5.0' in metrics


@pytest.mark.parametrize(
    "target", [b"/v1/strands?q=\xff\xfe", b"/v1/strands/\xed\xa0\x80", b"/v1/x\x00y"]
)
def test_raw_bytes_in_the_request_line_are_a_400(server: Server, target: bytes) -> None:
    # uvicorn refuses a request line that is not ASCII before the app sees it (plain text).
    assert raw_request(server, target) == b"HTTP/1.1 400 Bad Request"
    assert httpx.get(f"{server.url}/healthz").status_code == 200


def test_percent_encoded_invalid_utf8_is_a_problem_over_http(server: Server) -> None:
    response = httpx.get(f"{server.url}/v1/strands?q=%ED%A0%80")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "The query is not valid UTF-8 once percent-decoded."

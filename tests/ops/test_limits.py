"""OWASP API4 limits: body size, URL size and encoding, page size, filter values."""

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from app.ops.guard import RequestGuardMiddleware
from tests.ops.conftest import ClientFactory

PROBLEM = "application/problem+json"


def echo_app(limit: int) -> TestClient:
    """A bare app behind the guard whose one route answers the size of the body it got."""
    app = FastAPI()

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    app.add_middleware(RequestGuardMiddleware, max_body_bytes=limit, max_url_bytes=8192)
    return TestClient(app)


def chunks(size: int, piece: int = 7) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        part = min(piece, size - sent)
        sent += part
        yield b"x" * part


def test_a_body_at_the_limit_reaches_the_route_whole() -> None:
    response = echo_app(100).post("/echo", content=b"x" * 100)
    assert (response.status_code, response.json()) == (200, {"received": 100})


def test_a_declared_body_over_the_limit_is_refused_before_reading() -> None:
    response = echo_app(100).post("/echo", content=b"x" * 101)
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM
    assert response.json() == {
        "type": "/problems/content-too-large",
        "title": "Request Entity Too Large",
        "status": 413,
        "detail": "The request body is larger than the limit of 100 bytes.",
        "instance": "/echo",
        "errors": [
            {
                "location": "body",
                "field": "body",
                "message": "The request body is larger than the limit of 100 bytes.",
            }
        ],
    }


def test_a_chunked_body_is_counted_while_read() -> None:
    client = echo_app(100)
    within = client.post("/echo", content=chunks(100))
    over = client.post("/echo", content=chunks(101))
    assert (within.status_code, within.json()) == (200, {"received": 100})
    assert over.status_code == 413
    assert over.json()["detail"] == "The request body is larger than the limit of 100 bytes."


def test_a_content_length_that_is_not_a_number_is_a_bad_request() -> None:
    client = echo_app(100)
    response = client.post(
        "/echo", content=b"{}", headers={"Content-Length": "²".encode("latin-1")}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Content-Length is not a number."


def test_the_api_refuses_a_body_over_the_setting(client_with: ClientFactory) -> None:
    client = client_with(max_body_bytes="64")
    response = client.post(
        "/v1/sources", content=b'{"key": "' + b"k" * 64 + b'"}', headers={"X-Request-ID": "r-1"}
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is larger than the limit of 64 bytes."
    assert response.headers["x-request-id"] == "r-1"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_url_over_the_limit_is_414(client: TestClient) -> None:
    response = client.get("/v1/strands", params={"q": "a" * 8200})
    assert response.status_code == 414
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["detail"] == "The URL is longer than 8192 bytes."


def test_a_query_that_is_not_utf8_is_refused(client: TestClient) -> None:
    response = client.get("/v1/strands?q=%FF%FE")
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-query"
    assert response.json()["detail"] == "The query is not valid UTF-8 once percent-decoded."


def test_a_path_that_is_not_utf8_is_refused_without_echoing_it(client: TestClient) -> None:
    response = client.get("/v1/projects/%C3%28")
    assert response.status_code == 400
    assert response.json()["detail"] == "The path is not valid UTF-8 once percent-decoded."
    assert response.json()["instance"] is None


def test_nul_characters_are_refused_in_query_and_path(client: TestClient) -> None:
    query = client.get("/v1/sources?publisher=a%00b")
    path = client.get("/v1/sources/a%00b")
    assert (query.status_code, query.json()["detail"]) == (
        400,
        "The query contains a NUL character.",
    )
    assert (path.status_code, path.json()["detail"]) == (400, "The path contains a NUL character.")


def test_limit_has_a_maximum(client: TestClient) -> None:
    assert client.get("/v1/countries", params={"limit": 1000}).json()["meta"]["limit"] == 1000
    over = client.get("/v1/countries", params={"limit": 1001})
    huge = client.get("/v1/countries", params={"limit": 10**30})
    assert (over.status_code, over.json()["detail"]) == (
        400,
        "Query parameter 'limit': must be at most 1000",
    )
    assert (huge.status_code, huge.json()["detail"]) == (
        400,
        "Query parameter 'limit': must be at most 1000",
    )


def test_limit_maximum_follows_the_setting(client_with: ClientFactory) -> None:
    client = client_with(max_limit="3", default_limit="2")
    page = client.get("/v1/strands")
    assert page.json()["meta"]["limit"] == 2
    assert client.get("/v1/strands", params={"limit": 3}).json()["meta"]["limit"] == 3
    refused = client.get("/v1/strands", params={"limit": 4})
    assert refused.json()["detail"] == "Query parameter 'limit': must be at most 3"


def test_filter_values_have_a_maximum(client: TestClient) -> None:
    codes = ["PAK", "LAO"] * 50
    assert client.get("/v1/countries", params={"iso3": codes, "fields": "iso3"}).json()["data"] == [
        {"iso3": "LAO"},
        {"iso3": "PAK"},
    ]
    refused = client.get("/v1/countries", params={"iso3": [*codes, "PAK"]})
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Query parameter 'iso3': at most 100 values are allowed"


def test_filter_value_maximum_follows_the_setting(client_with: ClientFactory) -> None:
    client = client_with(max_filter_values="2")
    two = client.get("/v1/countries", params={"iso3": ["PAK", "LAO"], "fields": "iso3"})
    three = client.get("/v1/countries", params={"iso3": ["PAK", "LAO", "CHN"]})
    assert two.json()["meta"]["count"] == 2
    assert three.json()["detail"] == "Query parameter 'iso3': at most 2 values are allowed"


def asgi_get(app: Any, raw_path: bytes, query: bytes) -> tuple[int, dict[str, Any]]:
    """Calls the app as a server would that passes raw bytes through (no percent-encoding)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path.decode("latin-1"),
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], json.loads(body)


@pytest.mark.parametrize(
    ("raw_path", "query", "detail"),
    [
        (b"/v1/strands", b"q=\xff\xfe", "The query is not valid UTF-8 once percent-decoded."),
        (b"/v1/strands", b"q=%ED%A0%80", "The query is not valid UTF-8 once percent-decoded."),
        (b"/v1/strands/\xed\xa0\x80", b"", "The path is not valid UTF-8 once percent-decoded."),
        (b"/v1/strands/\xc3", b"", "The path is not valid UTF-8 once percent-decoded."),
        (b"/v1/strands", b"q=a\x00", "The query contains a NUL character."),
    ],
)
def test_raw_bytes_from_a_lenient_server_are_problems(
    client: TestClient, raw_path: bytes, query: bytes, detail: str
) -> None:
    status, body = asgi_get(client.app, raw_path, query)
    assert (status, body["detail"]) == (400, detail)

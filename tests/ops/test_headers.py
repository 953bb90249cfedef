"""Security headers on every answer, request ids, CORS from allowed and refused origins."""

import re

import pytest
from fastapi.testclient import TestClient

from app.ops.headers import API_POLICY, DOCS_POLICY
from tests.ops.conftest import ClientFactory

DASHBOARD = "https://dash.example.org"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/strands", 200),
        ("GET", "/v1/strands/space", 404),
        ("GET", "/v1/strands?colour=red", 400),
        ("DELETE", "/v1/meta", 405),
        ("GET", "/nowhere", 404),
        ("GET", "/healthz", 200),
        ("GET", "/metrics", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/v1/strands?q=%00", 400),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == API_POLICY


def test_an_unhandled_error_is_a_problem_with_the_headers_and_no_trace(
    client: TestClient,
) -> None:
    app = client.app

    def broken() -> None:
        raise RuntimeError("SELECT secret FROM internals")

    app.add_api_route("/broken", broken)  # type: ignore[attr-defined]
    response = client.get("/broken", headers={"X-Request-ID": "trace-me"})
    assert response.status_code == 500
    assert response.json() == {
        "type": "/problems/internal-server-error",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "An unexpected error occurred; it has been logged.",
        "instance": "/broken",
    }
    assert response.headers["x-request-id"] == "trace-me"
    assert response.headers["content-security-policy"] == API_POLICY


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_docs_may_load_their_cdn_assets(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == DOCS_POLICY
    assert "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net" in DOCS_POLICY
    assert "https://cdn.jsdelivr.net" in response.text


def test_a_valid_request_id_is_echoed(client: TestClient) -> None:
    given = "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7.1-x"
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response.headers["x-request-id"] == given


@pytest.mark.parametrize(
    "given",
    ["", "has space", "new\\nline", "x" * 129, "-starts-with-dash", "semi;colon", "é"],
)
def test_an_invalid_request_id_is_replaced(client: TestClient, given: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": given.encode()})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


def test_a_request_id_is_made_when_none_is_given(client: TestClient) -> None:
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_cors_answers_an_allowed_origin(client_with: ClientFactory) -> None:
    client = client_with(cors_origins=f"{DASHBOARD}, https://other.example.org")
    response = client.get("/v1/strands", headers={"Origin": DASHBOARD})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == DASHBOARD
    exposed = response.headers["access-control-expose-headers"]
    assert exposed == "ETag, Location, X-Dataset-Version, X-Request-ID"
    preflight = client.options(
        "/v1/strands",
        headers={
            "Origin": DASHBOARD,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == DASHBOARD
    assert "GET" in preflight.headers["access-control-allow-methods"].split(", ")


def test_cors_refuses_another_origin(client_with: ClientFactory) -> None:
    client = client_with(cors_origins=DASHBOARD)
    response = client.get("/v1/strands", headers={"Origin": "https://evil.example.com"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/v1/strands",
        headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 400
    assert preflight.headers["content-type"] == "application/problem+json"
    assert preflight.json()["detail"] == "CORS preflight refused; not allowed: origin."
    assert "access-control-allow-origin" not in preflight.headers


def test_without_cors_origins_no_origin_is_allowed(client: TestClient) -> None:
    response = client.get("/v1/strands", headers={"Origin": DASHBOARD})
    assert "access-control-allow-origin" not in response.headers

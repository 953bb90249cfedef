"""ETags, 304s, Cache-Control, X-Dataset-Version and CORS on lists, details and summaries."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.audit import record
from app.caching import dataset_version
from app.main import create_app
from app.models.enums import ChangeOp
from app.settings import get_settings
from tests.sessions import shared, use_sessions

PATHS = [
    "/v1/projects?strand=digital&sort=-year",
    "/v1/funding?format=csv",
    "/v1/funding/summary?group_by=year",
    "/v1/projects/summary?group_by=strand&format=ndjson",
    "/v1/figures?indicator=bri-activity-index",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_get_has_an_etag_that_if_none_match_turns_into_a_304(
    client: TestClient, session: Session, path: str
) -> None:
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    assert len(etag) == 34
    assert first.headers["cache-control"] == "public, max-age=60"
    assert first.headers["x-dataset-version"] == str(dataset_version(session))
    assert first.headers["vary"] == "Accept"
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["x-dataset-version"] == first.headers["x-dataset-version"]
    assert again.headers["cache-control"] == "public, max-age=60"
    # A weak validator, a list of them and * match too (If-None-Match compares weakly).
    for header in [f"W/{etag}", f'"other", {etag}', "*"]:
        assert client.get(path, headers={"If-None-Match": header}).status_code == 304
    assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_write_moves_the_dataset_version_and_every_etag(
    client: TestClient, session: Session
) -> None:
    path = "/v1/funding/summary?group_by=strand"
    before = client.get(path)
    record(session, "projects", 1, ChangeOp.update, "test", {"title": "a"}, {"title": "b"})
    after = client.get(path, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    # PostgreSQL sequences skip numbers other transactions used, so only "later" is certain.
    assert int(after.headers["x-dataset-version"]) > int(before.headers["x-dataset-version"])
    assert after.headers["etag"] != before.headers["etag"]
    assert after.json() == before.json()


def test_etags_differ_by_query_and_format_but_not_by_parameter_order(client: TestClient) -> None:
    def etag(path: str, **headers: str) -> str:
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        return response.headers["etag"]

    base = etag("/v1/projects?strand=digital&status=unknown")
    assert etag("/v1/projects?status=unknown&strand=digital") == base
    assert etag("/v1/projects?strand=digital&status=operational") != base
    assert etag("/v1/projects?strand=digital&status=unknown", accept="text/csv") != base
    assert etag("/v1/projects?strand=digital&status=unknown&count=none") != base
    assert etag("/v1/projects/summary?strand=digital&status=unknown") != base


def test_a_detail_etag_is_the_row_version(client: TestClient) -> None:
    response = client.get("/v1/funding/summary")
    assert response.status_code == 200
    project = client.get("/v1/projects/beidou")
    assert project.headers["etag"] == '"v1"'
    assert client.get("/v1/projects/beidou", headers={"If-None-Match": '"v1"'}).status_code == 304


@pytest.fixture
def cors_client(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """An app built with BRI_CORS_ORIGINS set (settings are read once, so rebuilt here)."""
    monkeypatch.setenv("BRI_CORS_ORIGINS", "https://dash.example.org, https://other.example")
    get_settings.cache_clear()
    try:
        application = create_app()
    finally:
        monkeypatch.delenv("BRI_CORS_ORIGINS")
        get_settings.cache_clear()

    use_sessions(application, shared(session))
    with TestClient(application, raise_server_exceptions=False) as test_client:
        yield test_client


def test_cors_lets_an_allowed_origin_read_lists_and_their_headers(
    cors_client: TestClient,
) -> None:
    origin = {"Origin": "https://dash.example.org"}
    response = cors_client.get("/v1/funding/summary?group_by=year", headers=origin)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://dash.example.org"
    exposed = {h.strip() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"ETag", "X-Dataset-Version"} <= exposed
    assert response.headers["vary"] == "Accept, Origin"
    preflight = cors_client.options(
        "/v1/projects",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://dash.example.org"


def test_cors_refuses_an_origin_not_in_the_settings(cors_client: TestClient) -> None:
    origin = {"Origin": "https://evil.example"}
    response = cors_client.get("/v1/projects", headers=origin)
    assert response.status_code == 200  # the browser, not the server, withholds the body
    assert "access-control-allow-origin" not in response.headers
    preflight = cors_client.options(
        "/v1/projects", headers={**origin, "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 400
    assert preflight.headers["content-type"] == "application/problem+json"
    assert "access-control-allow-origin" not in preflight.headers


def test_without_cors_settings_no_origin_is_allowed(client: TestClient) -> None:
    response = client.get("/v1/projects", headers={"Origin": "https://dash.example.org"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers

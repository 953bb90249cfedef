"""HEAD answers as GET would, with the same status and headers and no body."""

import pytest
from fastapi.testclient import TestClient

COMPARED = ("content-type", "etag", "cache-control", "x-dataset-version", "vary")


@pytest.mark.parametrize(
    "path",
    [
        "/v1/projects?strand=digital",
        "/v1/projects/beidou",
        "/v1/funding/summary?group_by=year",
        "/v1/meta",
        "/v1/countries?format=csv",
        "/healthz",
    ],
)
def test_head_gives_gets_headers_without_a_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)
    assert (head.status_code, head.content) == (200, b"")
    assert {name: head.headers.get(name) for name in COMPARED} == {
        name: got.headers.get(name) for name in COMPARED
    }
    if "content-length" in got.headers:
        assert head.headers["content-length"] == got.headers["content-length"]


def test_head_honours_if_none_match(client: TestClient) -> None:
    etag = client.get("/v1/projects/beidou").headers["etag"]
    head = client.head("/v1/projects/beidou", headers={"If-None-Match": etag})
    assert (head.status_code, head.content, head.headers["etag"]) == (304, b"", etag)


@pytest.mark.parametrize(
    ("path", "status", "content_type"),
    [
        ("/v1/projects/no-such-project", 404, "application/problem+json"),
        ("/v1/projects?colour=red", 400, "application/problem+json"),
    ],
)
def test_head_of_a_problem_has_its_status_and_no_body(
    client: TestClient, path: str, status: int, content_type: str
) -> None:
    head = client.head(path)
    assert (head.status_code, head.content) == (status, b"")
    assert head.headers["content-type"] == content_type


def test_head_is_counted_under_its_route_template(client: TestClient) -> None:
    client.head("/v1/projects/beidou")
    client.head("/v1/projects/beidou")
    metrics = client.get("/metrics").text
    counted = 'bri_http_requests_total{method="HEAD",route="/v1/projects/{project}",status="200"}'
    assert f"{counted} 2.0" in metrics.splitlines()

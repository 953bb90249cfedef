"""Writing sources: create, change, delete, and the checks on each."""

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, untimed
from tests.writes.helpers import MERGE_PATCH, delete, patch

REPORT = {
    "key": "cgit-2024",
    "kind": "dataset",
    "title": "  China Global Investment Tracker  ",
    "authors": "Derek Scissors",
    "publisher": "American Enterprise Institute",
    "year": 2024,
    "url": "https://www.aei.org/china-global-investment-tracker/",
}


def test_create_answers_201_with_location_etag_and_the_row(
    client: TestClient, writer: dict[str, str]
) -> None:
    response = client.post("/v1/sources", json=REPORT, headers=writer)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/sources/{body['id']}"
    assert response.headers["etag"] == '"v1"'
    assert response.headers["cache-control"] == "no-store"
    assert untimed(body) == {
        "id": body["id"],
        "key": "cgit-2024",
        "kind": "dataset",
        "title": "China Global Investment Tracker",
        "authors": "Derek Scissors",
        "publisher": "American Enterprise Institute",
        "published_on": None,
        "year": 2024,
        "url": "https://www.aei.org/china-global-investment-tracker/",
        "licence": None,
        "note": None,
        "version": 1,
    }
    fetched = client.get(response.headers["location"])
    assert fetched.json() == body
    assert fetched.headers["etag"] == '"v1"'


def test_patch_changes_only_the_given_fields_and_null_clears(
    client: TestClient, writer: dict[str, str]
) -> None:
    path = client.post("/v1/sources", json=REPORT, headers=writer).headers["location"]
    response = patch(client, path, {"note": "Updated twice a year.", "publisher": None}, writer)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v2"'
    body = response.json()
    assert (body["note"], body["publisher"], body["authors"], body["version"]) == (
        "Updated twice a year.",
        None,
        "Derek Scissors",
        2,
    )
    assert client.get(path).json() == body


def test_patch_with_plain_json_is_read_as_a_merge_patch(
    client: TestClient, writer: dict[str, str]
) -> None:
    path = client.post("/v1/sources", json=REPORT, headers=writer).headers["location"]
    response = client.patch(path, json={"year": 2023}, headers={**writer, "If-Match": '"v1"'})
    assert response.status_code == 200, response.text
    assert response.json()["year"] == 2023


def test_a_patch_that_changes_nothing_keeps_the_version(
    client: TestClient, writer: dict[str, str]
) -> None:
    path = client.post("/v1/sources", json=REPORT, headers=writer).headers["location"]
    before = client.get("/v1/meta").json()["dataset_version"]
    response = patch(client, path, {"title": "China Global Investment Tracker"}, writer)
    assert response.status_code == 200
    assert response.headers["etag"] == '"v1"'
    assert client.get("/v1/meta").json()["dataset_version"] == before


def test_delete_answers_204_and_the_row_is_gone(client: TestClient, writer: dict[str, str]) -> None:
    path = client.post("/v1/sources", json=REPORT, headers=writer).headers["location"]
    response = delete(client, path, writer)
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(client.get(path), 404, "not-found")


def test_a_taken_key_is_a_409_naming_the_field(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post("/v1/sources", json={**REPORT, "key": ARTICLE}, headers=writer)
    body = assert_problem(
        response,
        409,
        "conflict",
        f"A source with key '{ARTICLE}' already exists; keys are unique.",
    )
    assert body["errors"] == [{"location": "body", "field": "key", "message": "already taken"}]


def test_a_source_still_cited_cannot_be_deleted(client: TestClient, writer: dict[str, str]) -> None:
    response = delete(client, "/v1/sources/cfr-bri-backgrounder", writer)
    body = assert_problem(
        response,
        409,
        "still-referenced",
        "The source 'cfr-bri-backgrounder' is still referenced by strands (1) and events (1); "
        "change or delete those first (errors lists them).",
    )
    assert body["errors"] == [
        {"location": "resource", "field": "strands", "message": "bri"},
        {"location": "resource", "field": "events", "message": "bri-announced-2013"},
    ]
    assert client.get("/v1/sources/cfr-bri-backgrounder").status_code == 200


def test_the_409_lists_at_most_five_keys_per_resource(
    client: TestClient, writer: dict[str, str]
) -> None:
    body = delete(client, f"/v1/sources/{ARTICLE}", writer).json()
    assert body["errors"][0] == {
        "location": "resource",
        "field": "strands",
        "message": "digital, health, latin-america, polar",
    }
    assert body["errors"][-1]["field"] == "events"
    assert body["errors"][-1]["message"].endswith(" and 5 more")


def test_values_are_checked_field_by_field(client: TestClient, writer: dict[str, str]) -> None:
    bad = {**REPORT, "kind": "tweet", "year": 3100, "url": "ftp://example.org/x", "title": " "}
    body = assert_problem(
        client.post("/v1/sources", json=bad, headers=writer), 422, "unprocessable-entity"
    )
    assert sorted(error["field"] for error in body["errors"]) == ["kind", "title", "url", "year"]


def test_merge_patch_content_type_is_accepted(client: TestClient, writer: dict[str, str]) -> None:
    path = client.post("/v1/sources", json=REPORT, headers=writer).headers["location"]
    response = client.patch(
        path,
        content=b'{"licence": "CC BY 4.0"}',
        headers={**writer, **MERGE_PATCH, "If-Match": '"v1"'},
    )
    assert response.status_code == 200, response.text
    assert response.json()["licence"] == "CC BY 4.0"

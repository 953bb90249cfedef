"""What every write checks before it writes: If-Match, the body's type, shape and fields."""

import pytest
from fastapi.testclient import TestClient

from tests.api_helpers import assert_problem
from tests.writes.helpers import MERGE_PATCH, etag, patch

FIGURE = "/v1/figures/caixin-bri-activity-2020-04-vs-2019-04"


def test_patch_without_if_match_is_428(client: TestClient, writer: dict[str, str]) -> None:
    response = client.patch(FIGURE, json={"note": "x"}, headers={**writer, **MERGE_PATCH})
    body = assert_problem(
        response,
        428,
        "precondition-required",
        "Changing a figure needs an If-Match header with its ETag (from GET), so no one "
        "overwrites a change they have not seen.",
    )
    assert body["errors"] == [{"location": "header", "field": "If-Match", "message": "missing"}]


def test_delete_without_if_match_is_428(client: TestClient, writer: dict[str, str]) -> None:
    assert_problem(client.delete(FIGURE, headers=writer), 428, "precondition-required")
    assert client.get(FIGURE).status_code == 200


def test_a_stale_etag_is_412_and_names_the_current_one(
    client: TestClient, writer: dict[str, str]
) -> None:
    assert patch(client, FIGURE, {"note": "first"}, writer).status_code == 200
    stale = {**writer, **MERGE_PATCH, "If-Match": '"v1"'}
    response = client.patch(FIGURE, json={"note": "second"}, headers=stale)
    assert_problem(
        response,
        412,
        "precondition-failed",
        'The figure has changed: its ETag is now "v2", not "v1". Fetch it again, reapply '
        "your change and send the new ETag in If-Match.",
    )
    assert response.headers["etag"] == '"v2"'
    assert client.get(FIGURE).json()["note"] == "first"
    deleted = client.delete(FIGURE, headers={**writer, "If-Match": '"v1"'})
    assert_problem(deleted, 412, "precondition-failed")
    assert client.get(FIGURE).status_code == 200


@pytest.mark.parametrize("header", ['W/"v1"', '"v0", "v1"', "*"])
def test_if_match_accepts_weak_lists_and_star(
    client: TestClient, writer: dict[str, str], header: str
) -> None:
    response = client.patch(
        FIGURE, json={"note": "ok"}, headers={**writer, **MERGE_PATCH, "If-Match": header}
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"v2"'


def test_unknown_rows_are_404_before_if_match(client: TestClient, writer: dict[str, str]) -> None:
    headers = {**writer, **MERGE_PATCH, "If-Match": '"v1"'}
    assert_problem(
        client.patch("/v1/figures/no-such-figure", json={"note": "x"}, headers=headers),
        404,
        "not-found",
        "No figure 'no-such-figure'.",
    )
    assert_problem(
        client.delete("/v1/figures/999999", headers=headers),
        404,
        "not-found",
        "No figure '999999'.",
    )


def test_a_body_that_is_not_json_is_400(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post(
        "/v1/sources",
        content=b'{"key": "x", ',
        headers={**writer, "Content-Type": "application/json"},
    )
    body = assert_problem(response, 400, "bad-request")
    assert body["errors"][0]["location"] == "body"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_other_content_types_are_415(
    client: TestClient, writer: dict[str, str], content_type: str | None
) -> None:
    headers = {**writer, "Content-Type": content_type} if content_type else writer
    response = client.post("/v1/sources", content=b'{"key": "x"}', headers=headers)
    given = content_type or "none"
    assert_problem(
        response,
        415,
        "unsupported-media-type",
        f"Content-Type {given} is not accepted here; send application/json.",
    )
    patched = client.patch(
        FIGURE, content=b'{"note": "x"}', headers={**headers, "If-Match": etag(client, FIGURE)}
    )
    assert_problem(patched, 415, "unsupported-media-type")
    assert patched.headers["accept-patch"] == "application/merge-patch+json"


def test_unknown_fields_are_refused_by_name(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post(
        "/v1/sources",
        json={"key": "new-source", "kind": "report", "title": "T", "titel": "typo"},
        headers=writer,
    )
    body = assert_problem(response, 422, "unprocessable-entity")
    assert body["errors"] == [
        {"location": "body", "field": "titel", "message": "Extra inputs are not permitted"}
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", 1),
        ("version", 99),
        ("created_at", "2020-01-01T00:00:00Z"),
        ("updated_at", "2020-01-01T00:00:00Z"),
    ],
)
def test_ids_versions_and_timestamps_cannot_be_assigned(
    client: TestClient, writer: dict[str, str], field: str, value: object
) -> None:
    body = {"key": "new-source", "kind": "report", "title": "T", field: value}
    created = client.post("/v1/sources", json=body, headers=writer)
    assert assert_problem(created, 422, "unprocessable-entity")["errors"][0]["field"] == field
    patched = patch(client, FIGURE, {field: value}, writer)
    assert assert_problem(patched, 422, "unprocessable-entity")["errors"][0]["field"] == field
    assert client.get(FIGURE).headers["etag"] == '"v1"'


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/v1/projects/beidou", "amount_usd"),
        ("/v1/projects/beidou", "dataset"),
        ("/v1/projects/beidou", "strands"),
        ("/v1/projects/beidou", "funding"),
        ("/v1/funding/test-none", "project_id"),
        (FIGURE, "key"),
        (FIGURE, "source_id"),
    ],
)
def test_derived_and_fixed_fields_cannot_be_patched(
    client: TestClient, writer: dict[str, str], path: str, field: str
) -> None:
    headers = {**writer, **MERGE_PATCH, "If-Match": '"v1"'}
    response = client.patch(path, json={field: "x"}, headers=headers)
    body = assert_problem(response, 422, "unprocessable-entity")
    assert body["errors"] == [
        {"location": "body", "field": field, "message": "Extra inputs are not permitted"}
    ]


def test_null_on_a_required_field_is_422(client: TestClient, writer: dict[str, str]) -> None:
    body = assert_problem(
        patch(client, FIGURE, {"label": None}, writer), 422, "unprocessable-entity"
    )
    assert body["errors"] == [{"location": "body", "field": "label", "message": "Field required"}]


def test_a_patch_body_must_be_an_object(client: TestClient, writer: dict[str, str]) -> None:
    response = client.patch(
        FIGURE, json=["note"], headers={**writer, **MERGE_PATCH, "If-Match": '"v1"'}
    )
    assert_problem(response, 422, "unprocessable-entity")


@pytest.mark.parametrize(
    ("path", "noun"), [("/v1/organisations/huawei", "an organisation"), (FIGURE, "a figure")]
)
def test_the_428_detail_reads_naturally(
    client: TestClient, writer: dict[str, str], path: str, noun: str
) -> None:
    body = assert_problem(client.delete(path, headers=writer), 428, "precondition-required")
    assert body["detail"].startswith(f"Changing {noun} needs an If-Match header with its ETag")

"""Writing projects with their countries, organisations, strands and citations."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, untimed
from tests.writes.helpers import delete, patch

PORT: dict[str, Any] = {
    "key": "gwadar-port",
    "title": "Gwadar Port",
    "kind": "project",
    "status": "operational",
    "sector_code": "210",
    "year": 2015,
    "country_roles": [{"iso3": "pk", "role": "host"}, {"iso3": "CN", "role": "financier"}],
    "organisations": [{"key": "chinese-government", "role": "promoter"}],
    "strand_links": [{"code": "bri", "basis": "stated"}],
    "citations": [{"source": ARTICLE, "locator": "para 6"}],
}


def create(client: TestClient, writer: dict[str, str], **changes: Any) -> str:
    response = client.post("/v1/projects", json={**PORT, **changes}, headers=writer)
    assert response.status_code == 201, response.text
    location: str = response.headers["location"]
    return location


def test_create_answers_the_project_detail_with_its_links(
    client: TestClient, writer: dict[str, str]
) -> None:
    response = client.post("/v1/projects", json=PORT, headers=writer)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/projects/{body['id']}"
    assert response.headers["etag"] == '"v1"'
    assert (body["key"], body["year"], body["status"], body["amount_usd"]) == (
        "gwadar-port",
        2015,
        "operational",
        None,
    )
    assert (body["strands"], body["countries"], body["funding"]) == (["bri"], ["CHN", "PAK"], [])
    assert body["country_roles"] == [
        {"iso3": "CHN", "name": "China", "role": "financier"},
        {"iso3": "PAK", "name": "Pakistan", "role": "host"},
    ]
    assert [(o["key"], o["role"]) for o in body["organisations"]] == [
        ("chinese-government", "promoter")
    ]
    assert body["strand_links"] == [
        {"code": "bri", "name": "Belt and Road Initiative", "basis": "stated"}
    ]
    assert [(c["source"], c["locator"]) for c in body["citations"]] == [(ARTICLE, "para 6")]
    assert client.get(response.headers["location"]).json() == body


def test_a_list_in_a_patch_replaces_the_whole_list(
    client: TestClient, writer: dict[str, str]
) -> None:
    path = create(client, writer)
    response = patch(
        client,
        path,
        {"country_roles": [{"iso3": "LAO", "role": "recipient"}], "year": 2016},
        writer,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert response.headers["etag"] == '"v2"'
    assert body["country_roles"] == [{"iso3": "LAO", "name": "Laos", "role": "recipient"}]
    assert (body["countries"], body["year"], body["strands"]) == (["LAO"], 2016, ["bri"])


def test_changing_links_only_still_moves_the_version(
    client: TestClient, writer: dict[str, str]
) -> None:
    path = create(client, writer)
    response = patch(client, path, {"strand_links": None}, writer)
    assert response.status_code == 200, response.text
    assert (response.json()["strand_links"], response.headers["etag"]) == ([], '"v2"')
    same = patch(client, path, {"strand_links": []}, writer)
    assert same.headers["etag"] == '"v2"'


def test_a_project_needs_a_citation(client: TestClient, writer: dict[str, str]) -> None:
    body = assert_problem(
        client.post("/v1/projects", json={**PORT, "citations": []}, headers=writer),
        422,
        "unprocessable-entity",
    )
    assert body["errors"] == [
        {
            "location": "body",
            "field": "citations",
            "message": "List should have at least 1 item after validation, not 0",
        }
    ]
    path = create(client, writer)
    removed = assert_problem(
        patch(client, path, {"citations": None}, writer), 422, "unprocessable-entity"
    )
    assert removed["errors"][0]["field"] == "citations"


def test_every_unknown_reference_is_named_in_one_422(
    client: TestClient, writer: dict[str, str]
) -> None:
    bad = {
        **PORT,
        "parent": "no-such-programme",
        "organisations": [{"key": "huawei", "role": "supplier"}, {"key": "acme", "role": "owner"}],
        "strand_links": [{"code": "space", "basis": "stated"}],
        "citations": [{"source": "nowhere", "locator": "p. 1"}],
    }
    body = assert_problem(
        client.post("/v1/projects", json=bad, headers=writer),
        422,
        "unprocessable-entity",
        "The request body cannot be used: parent: no project with key 'no-such-programme'; "
        "organisations.1.key: no organisation with key 'acme'; strand_links.0.code: no strand "
        "with key 'space'; citations.0.source: no source with key 'nowhere'.",
    )
    assert [error["field"] for error in body["errors"]] == [
        "parent",
        "organisations.1.key",
        "strand_links.0.code",
        "citations.0.source",
    ]
    assert client.get("/v1/projects/gwadar-port").status_code == 404


def test_country_codes_must_be_iso_3166(client: TestClient, writer: dict[str, str]) -> None:
    bad = {**PORT, "country_roles": [{"iso3": "XX", "role": "host"}]}
    body = assert_problem(
        client.post("/v1/projects", json=bad, headers=writer), 422, "unprocessable-entity"
    )
    assert body["errors"] == [
        {
            "location": "body",
            "field": "country_roles.0.iso3",
            "message": "Value error, 'XX' is not an ISO 3166-1 alpha-3 or alpha-2 country code",
        }
    ]


def test_a_strand_appears_once(client: TestClient, writer: dict[str, str]) -> None:
    links = [{"code": "bri", "basis": "stated"}, {"code": "bri", "basis": "inferred"}]
    body = assert_problem(
        client.post("/v1/projects", json={**PORT, "strand_links": links}, headers=writer),
        422,
        "unprocessable-entity",
    )
    assert body["errors"][0]["message"] == (
        "Value error, each strand may appear once; given twice: bri"
    )


def test_repeated_links_count_once(client: TestClient, writer: dict[str, str]) -> None:
    twice = [{"iso3": "PAK", "role": "host"}, {"iso3": "PK", "role": "host"}]
    response = client.post("/v1/projects", json={**PORT, "country_roles": twice}, headers=writer)
    assert response.status_code == 201, response.text
    assert response.json()["country_roles"] == [{"iso3": "PAK", "name": "Pakistan", "role": "host"}]


def test_parent_must_exist_and_not_be_itself(client: TestClient, writer: dict[str, str]) -> None:
    own = assert_problem(
        client.post("/v1/projects", json={**PORT, "parent": "gwadar-port"}, headers=writer),
        422,
        "unprocessable-entity",
    )
    assert own["errors"][0] == {
        "location": "body",
        "field": "parent",
        "message": "a project cannot be its own parent",
    }
    path = create(client, writer, parent="beidou")
    assert client.get(path).json()["parent"] == "beidou"


def test_deleting_a_project_deletes_its_links_and_funding(
    client: TestClient, writer: dict[str, str]
) -> None:
    path = create(client, writer)
    loan = {
        "key": "gwadar-loan",
        "project": "gwadar-port",
        "flow_type": "loan",
        "amount_usd": "1000000.00",
        "source": ARTICLE,
        "locator": "para 6",
    }
    assert client.post("/v1/funding", json=loan, headers=writer).status_code == 201
    response = delete(client, path, writer)
    assert response.status_code == 204, response.text
    assert_problem(client.get(path), 404, "not-found")
    assert_problem(client.get("/v1/funding/gwadar-loan"), 404, "not-found")
    feed = client.get("/v1/changes", params={"actor": "curator", "op": "delete"}).json()["data"]
    assert [(c["resource"], c["after"]) for c in feed] == [("funding", None), ("projects", None)]
    assert feed[0]["before"]["key"] == "gwadar-loan"
    assert untimed(feed[1]["before"])["country_roles"] == [
        {"iso3": "CHN", "role": "financier"},
        {"iso3": "PAK", "role": "host"},
    ]


def test_a_project_that_facts_are_about_cannot_be_deleted(
    client: TestClient, writer: dict[str, str]
) -> None:
    body = assert_problem(
        delete(client, "/v1/projects/beidou", writer),
        409,
        "still-referenced",
        "The project 'beidou' is still referenced by stances (4); change or delete those "
        "first (errors lists them).",
    )
    assert body["errors"] == [
        {
            "location": "resource",
            "field": "stances",
            "message": "brn-adopted-beidou, lao-adopted-beidou, pak-adopted-beidou, "
            "tha-adopted-beidou",
        }
    ]


def test_a_seeded_project_with_no_facts_can_be_deleted(
    client: TestClient, writer: dict[str, str]
) -> None:
    assert delete(client, "/v1/projects/gps", writer).status_code == 204
    assert client.get("/v1/projects", params={"organisation": "us-government"}).json()["data"] == []


def test_a_taken_key_is_409(client: TestClient, writer: dict[str, str]) -> None:
    assert_problem(
        client.post("/v1/projects", json={**PORT, "key": "beidou"}, headers=writer),
        409,
        "conflict",
        "A project with key 'beidou' already exists; keys are unique.",
    )

"""Writing organisations with their member countries."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, untimed
from tests.writes.helpers import delete, patch

QUAD: dict[str, Any] = {
    "key": "quad",
    "name": "Quadrilateral Security Dialogue",
    "kind": "alliance",
    "members": ["USA", "jp", "IND", "AU", "US"],
    "source": ARTICLE,
    "locator": "para 28",
}


def test_create_with_members(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post("/v1/organisations", json=QUAD, headers=writer)
    assert response.status_code == 201, response.text
    body = response.json()
    assert untimed(body) == {
        "id": body["id"],
        "key": "quad",
        "name": "Quadrilateral Security Dialogue",
        "kind": "alliance",
        "country": None,
        "description": None,
        "members": ["AUS", "IND", "JPN", "USA"],
        "source": ARTICLE,
        "locator": "para 28",
        "version": 1,
    }
    assert client.get("/v1/organisations", params={"member": "JPN"}).json()["data"][0]["key"] == (
        "quad"
    )


def test_members_are_replaced_by_a_patch(client: TestClient, writer: dict[str, str]) -> None:
    path = client.post("/v1/organisations", json=QUAD, headers=writer).headers["location"]
    response = patch(client, path, {"members": ["NZL"], "country": "us"}, writer)
    assert response.status_code == 200, response.text
    assert (response.json()["members"], response.json()["country"]) == (["NZL"], "USA")
    assert response.headers["etag"] == '"v2"'


def test_an_organisation_in_use_cannot_be_deleted(
    client: TestClient, writer: dict[str, str]
) -> None:
    body = assert_problem(
        delete(client, "/v1/organisations/huawei", writer),
        409,
        "still-referenced",
        "The organisation 'huawei' is still referenced by projects (1) and stances (5); change "
        "or delete those first (errors lists them).",
    )
    assert body["errors"] == [
        {"location": "resource", "field": "projects", "message": "huawei-5g"},
        {
            "location": "resource",
            "field": "stances",
            "message": "aus-restricted-huawei, can-restricted-huawei, gbr-restricted-huawei, "
            "nzl-restricted-huawei, usa-restricted-huawei",
        },
    ]


def test_a_financier_in_use_cannot_be_deleted(client: TestClient, writer: dict[str, str]) -> None:
    client.post("/v1/organisations", json=QUAD, headers=writer)
    loan = {
        "key": "quad-loan",
        "project": "gps",
        "flow_type": "grant",
        "financier": "quad",
        "source": ARTICLE,
        "locator": "para 28",
    }
    assert client.post("/v1/funding", json=loan, headers=writer).status_code == 201
    body = assert_problem(delete(client, "/v1/organisations/quad", writer), 409, "still-referenced")
    assert body["errors"] == [{"location": "resource", "field": "funding", "message": "quad-loan"}]


def test_delete_removes_the_members_too(client: TestClient, writer: dict[str, str]) -> None:
    path = client.post("/v1/organisations", json=QUAD, headers=writer).headers["location"]
    assert delete(client, path, writer).status_code == 204
    assert client.get("/v1/organisations", params={"member": "JPN"}).json()["data"] == []


def test_unknown_country_and_source_are_422(client: TestClient, writer: dict[str, str]) -> None:
    bad = {**QUAD, "country": "ZZ", "source": "gossip"}
    body = assert_problem(
        client.post("/v1/organisations", json=bad, headers=writer), 422, "unprocessable-entity"
    )
    assert [error["field"] for error in body["errors"]] == ["country"]
    body = assert_problem(
        client.post("/v1/organisations", json={**QUAD, "source": "gossip"}, headers=writer),
        422,
        "unprocessable-entity",
    )
    assert body["errors"] == [
        {"location": "body", "field": "source", "message": "no source with key 'gossip'"}
    ]

"""A change to what project details embed moves those projects' versions and ETags."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem
from tests.writes.helpers import MERGE_PATCH, patch

HUAWEI_5G = "/v1/projects/huawei-5g"


def version_now(client: TestClient) -> int:
    return int(client.get("/v1/meta").headers["X-Dataset-Version"])


def changes_since(client: TestClient, since: int) -> list[tuple[str, str, str]]:
    body = client.get("/v1/changes", params={"since": since}).json()
    return [(c["resource"], c["op"], c["actor"]) for c in body["data"]]


def test_renaming_an_organisation_moves_its_projects_etags(
    client: TestClient, writer: dict[str, str]
) -> None:
    before = version_now(client)
    renamed = patch(client, "/v1/organisations/huawei", {"name": "Huawei Technologies"}, writer)
    assert renamed.status_code == 200, renamed.text

    detail = client.get(HUAWEI_5G)
    assert detail.headers["etag"] == '"v2"'
    assert [o["name"] for o in detail.json()["organisations"]] == ["Huawei Technologies"]
    assert changes_since(client, before) == [
        ("organisations", "update", "curator"),
        ("projects", "update", "curator"),
    ]
    # A curator holding the old ETag has not seen the new name: their write is stale.
    stale = client.patch(
        HUAWEI_5G,
        json={"status": "completed"},
        headers={**writer, **MERGE_PATCH, "If-Match": '"v1"'},
    )
    assert_problem(stale, 412, "precondition-failed")


def test_a_field_no_project_embeds_leaves_projects_alone(
    client: TestClient, writer: dict[str, str]
) -> None:
    before = version_now(client)
    changed = patch(client, "/v1/organisations/huawei", {"description": "Shenzhen."}, writer)
    assert changed.status_code == 200, changed.text
    assert client.get(HUAWEI_5G).headers["etag"] == '"v1"'
    assert changes_since(client, before) == [("organisations", "update", "curator")]


def test_retitling_a_source_moves_every_citing_project(
    client: TestClient, writer: dict[str, str]
) -> None:
    before = version_now(client)
    retitled = patch(client, f"/v1/sources/{ARTICLE}", {"title": "Digital diplomacy"}, writer)
    assert retitled.status_code == 200, retitled.text

    projects = client.get("/v1/projects", params={"fields": "key,version"}).json()["data"]
    assert {row["version"] for row in projects} == {2}
    assert len(projects) == 10
    entries: list[Any] = changes_since(client, before)
    assert entries == [("sources", "update", "curator")] + [("projects", "update", "curator")] * 10
    titles = {c["title"] for c in client.get(HUAWEI_5G).json()["citations"]}
    assert titles == {"Digital diplomacy"}

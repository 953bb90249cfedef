"""GET /v1/changes: every write in order, filtered and paged like every other list."""

import csv
import io

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Change
from tests.api_helpers import ARTICLE, assert_problem
from tests.writes.helpers import bad_request, patch

SOURCE = {"key": "feed-source", "kind": "report", "title": "A report"}


def latest(session: Session) -> int:
    return session.scalar(select(func.max(Change.version))) or 0


def test_since_lists_only_later_changes_in_order(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    start = latest(session)
    path = client.post("/v1/sources", json=SOURCE, headers=writer).headers["location"]
    patch(client, path, {"note": "checked"}, writer)
    response = client.get("/v1/changes", params={"since": start})
    assert response.status_code == 200
    rows = response.json()["data"]
    row_id = path.rsplit("/", 1)[1]
    assert [(r["resource"], r["resource_id"], r["op"], r["actor"]) for r in rows] == [
        ("sources", row_id, "create", "curator"),
        ("sources", row_id, "update", "curator"),
    ]
    # Increasing, not always consecutive: PostgreSQL does not reuse numbers of rolled-back writes.
    assert start < rows[0]["version"] < rows[1]["version"] == latest(session)
    assert rows[0]["path"] == path
    assert rows[0]["before"] is None
    assert rows[0]["after"] == rows[1]["before"]
    assert (rows[1]["before"]["note"], rows[1]["after"]["note"]) == (None, "checked")
    assert rows[1]["after"] == client.get(path).json()
    assert response.json()["meta"]["count"] == 2
    assert client.get("/v1/changes", params={"since": rows[1]["version"]}).json()["data"] == []
    assert client.get("/v1/changes", params={"since": rows[0]["version"]}).json()["data"] == [
        rows[1]
    ]


def test_filters_by_resource_op_and_actor(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    start = latest(session)
    path = client.post("/v1/sources", json=SOURCE, headers=writer).headers["location"]
    patch(client, path, {"note": "checked"}, writer)
    seeded = client.get("/v1/changes", params={"actor": "seed", "resource": "strands"}).json()
    assert seeded["meta"]["count"] == 5
    assert {row["op"] for row in seeded["data"]} == {"create"}
    updates = client.get("/v1/changes", params={"since": start, "op": "update"}).json()["data"]
    assert [row["version"] for row in updates] == [latest(session)]
    mine = client.get("/v1/changes", params={"actor": "curator", "resource": "figures"}).json()
    assert mine["data"] == []


def test_pages_with_the_shared_cursor(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    start = latest(session)
    for n in range(5):
        client.post("/v1/sources", json={**SOURCE, "key": f"feed-{n}"}, headers=writer)
    seen: list[int] = []
    url: str | None = f"/v1/changes?since={start}&limit=2"
    while url:
        page = client.get(url).json()
        seen += [row["version"] for row in page["data"]]
        url = page["links"]["next"]
    every = client.get("/v1/changes", params={"since": start}).json()["data"]
    assert seen == [row["version"] for row in every]
    assert len(seen) == 5
    assert seen == sorted(seen)


def test_one_change_and_unknown_ones(client: TestClient, session: Session) -> None:
    version = latest(session)
    one = client.get(f"/v1/changes/{version}")
    assert one.status_code == 200, one.text
    assert one.json()["version"] == version
    assert_problem(client.get(f"/v1/changes/{version + 1}"), 404, "not-found")
    assert_problem(client.get("/v1/changes/latest"), 404, "not-found")


def test_bad_parameters_are_400(client: TestClient) -> None:
    for params, field in [
        ({"since": "yesterday"}, "since"),
        ({"after": "3"}, "after"),
        ({"op": "upsert"}, "op"),
    ]:
        body = bad_request(client.get("/v1/changes", params=params))
        assert [(e["location"], e["field"].split(".")[0]) for e in body["errors"]] == [
            ("query", field)
        ]


def test_csv_carries_before_and_after_as_json(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    start = latest(session)
    client.post("/v1/sources", json=SOURCE, headers=writer)
    response = client.get("/v1/changes", params={"since": start, "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1
    assert rows[0]["before"] == ""
    assert rows[0]["after"].startswith('{"id":')
    assert '"key":"feed-source"' in rows[0]["after"]


def test_every_write_moves_the_dataset_version_and_etags(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    meta = client.get("/v1/meta")
    listing = client.get("/v1/projects")
    version = meta.json()["dataset_version"]
    assert listing.headers["x-dataset-version"] == str(version)
    response = client.post(
        "/v1/funding",
        json={
            "key": "feed-loan",
            "project": "beidou",
            "flow_type": "loan",
            "amount_usd": "1.00",
            "source": ARTICLE,
            "locator": "para 29",
        },
        headers=writer,
    )
    now = latest(session)
    assert now > version
    assert response.headers["x-dataset-version"] == str(now)
    assert client.get("/v1/meta").json()["dataset_version"] == now
    newest = client.get("/v1/changes", params={"since": version}).json()["data"]
    assert [(row["resource"], row["op"]) for row in newest] == [
        ("funding", "create"),
        ("projects", "update"),
    ]
    again = client.get("/v1/projects", headers={"If-None-Match": listing.headers["etag"]})
    assert again.status_code == 200
    assert again.headers["etag"] != listing.headers["etag"]
    cached = client.get("/v1/meta", headers={"If-None-Match": meta.headers["etag"]})
    assert cached.status_code == 200

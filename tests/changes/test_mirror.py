"""A mirror that copies the API once and then applies the change feed ends up equal to it."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Change
from tests.api_helpers import ARTICLE
from tests.writes.helpers import delete, patch

RESOURCES = ("sources", "organisations", "projects", "funding", "figures", "stances", "events")
# A project's links by natural key: what its change records carry besides the list fields.
LINKS = {
    "country_roles": ("iso3", "role"),
    "organisations": ("key", "role"),
    "strand_links": ("code", "basis"),
    "citations": ("source", "locator"),
}

Mirror = dict[str, dict[str, dict[str, Any]]]


def every_row(client: TestClient, resource: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    url: str | None = f"/v1/{resource}?limit=1000"
    while url:
        page = client.get(url).json()
        rows += page["data"]
        url = page["links"]["next"]
    return rows


def api_state(client: TestClient) -> Mirror:
    """Every writable row as the API shows it now, by resource and id."""
    state: Mirror = {}
    for resource in RESOURCES:
        state[resource] = {str(row["id"]): row for row in every_row(client, resource)}
    for project_id, row in state["projects"].items():
        detail = client.get(f"/v1/projects/{project_id}").json()
        for name, fields in LINKS.items():
            row[name] = [{field: link[field] for field in fields} for link in detail[name]]
    return state


def replay(mirror: Mirror, client: TestClient, since: int) -> int:
    """Applies the feed after `since`, page by page; returns the last version applied."""
    url: str | None = f"/v1/changes?since={since}&limit=3"
    while url:
        page = client.get(url).json()
        for change in page["data"]:
            rows = mirror[change["resource"]]
            if change["op"] == "delete":
                del rows[change["resource_id"]]
            else:
                rows[change["resource_id"]] = change["after"]
            since = change["version"]
        url = page["links"]["next"]
    return since


def same_fields(mirror: Mirror, state: Mirror) -> Mirror:
    """The mirror's rows cut to the fields the API state has (a project's change carries more)."""
    return {
        resource: {
            row_id: {name: row[name] for name in state[resource].get(row_id, row)}
            for row_id, row in rows.items()
        }
        for resource, rows in mirror.items()
    }


def curate(client: TestClient, writer: dict[str, str]) -> None:
    """A morning of curation: creates, changes and deletes across every resource."""

    def post(path: str, body: dict[str, Any]) -> None:
        response = client.post(path, json=body, headers=writer)
        assert response.status_code == 201, response.text

    cite = {"source": ARTICLE, "locator": "para 29"}
    post("/v1/sources", {"key": "mirror-report", "kind": "report", "title": "Report"})
    post(
        "/v1/organisations",
        {"key": "mirror-bank", "name": "A bank", "kind": "bank", "members": ["PK"], **cite},
    )
    post(
        "/v1/projects",
        {
            "key": "mirror-port",
            "title": "A port",
            "kind": "project",
            "country_roles": [{"iso3": "PAK", "role": "host"}],
            "organisations": [{"key": "mirror-bank", "role": "financier"}],
            "strand_links": [{"code": "bri", "basis": "stated"}],
            "citations": [{"source": "mirror-report", "locator": "p. 3"}],
        },
    )
    for n, amount in enumerate(["10.10", "20.20"]):
        loan = {"key": f"mirror-loan-{n}", "flow_type": "loan", "amount_usd": amount, **cite}
        post("/v1/funding", {**loan, "project": "mirror-port", "financier": "mirror-bank"})
    post("/v1/funding", {"key": "beidou-grant", "project": "beidou", "flow_type": "grant", **cite})
    figure = {"key": "mirror-figure", "indicator": "x", "label": "X", "value": "1", **cite}
    post("/v1/figures", {**figure, "unit": "count", "qualifier": "exact", "scope": "global"})
    post(
        "/v1/stances",
        {"key": "mirror-stance", "country": "IND", "action": "resisted", "strand": "bri", **cite},
    )
    post(
        "/v1/events",
        {
            "key": "mirror-event",
            "title": "E",
            "kind": "report",
            "date": "2020-07-21",
            "date_precision": "day",
            **cite,
        },
    )
    patch(client, "/v1/funding/mirror-loan-1", {"amount_usd": "0.05", "project": "beidou"}, writer)
    patch(client, "/v1/organisations/mirror-bank", {"members": ["LAO", "PAK"]}, writer)
    patch(
        client,
        "/v1/projects/mirror-port",
        {"strand_links": [{"code": "digital", "basis": "inferred"}]},
        writer,
    )
    patch(
        client, "/v1/figures/caixin-bri-activity-2020-04-vs-2019-04", {"note": "Checked."}, writer
    )
    patch(client, "/v1/stances/mirror-stance", {"year": 2017}, writer)
    delete(client, "/v1/figures/mirror-figure", writer)
    delete(client, "/v1/events/mirror-event", writer)
    delete(client, "/v1/projects/mirror-port", writer)
    delete(client, "/v1/funding/beidou-grant", writer)


def test_a_mirror_replaying_the_feed_equals_the_api(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    start = session.scalar(select(func.max(Change.version))) or 0
    mirror = api_state(client)
    curate(client, writer)
    last = replay(mirror, client, start)
    state = api_state(client)
    assert last == session.scalar(select(func.max(Change.version)))
    assert same_fields(mirror, state) == state
    assert [row["key"] for row in state["funding"].values()] == ["mirror-loan-1"]
    assert state["projects"][_id(state, "projects", "beidou")]["amount_usd"] == "0.05"


def test_an_empty_mirror_fed_from_the_start_has_every_row_the_api_wrote(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    start = session.scalar(select(func.max(Change.version))) or 0
    curate(client, writer)
    mirror: Mirror = {resource: {} for resource in RESOURCES}
    replay(mirror, client, start)
    state = api_state(client)
    touched = same_fields(mirror, state)
    assert touched == {
        resource: {row_id: state[resource][row_id] for row_id in rows}
        for resource, rows in touched.items()
    }
    assert sorted(row["key"] for row in mirror["funding"].values()) == ["mirror-loan-1"]
    assert sorted(row["key"] for row in mirror["projects"].values()) == ["beidou"]


def _id(state: Mirror, resource: str, key: str) -> str:
    return next(row_id for row_id, row in state[resource].items() if row["key"] == key)

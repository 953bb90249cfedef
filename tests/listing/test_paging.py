"""Keyset paging across every page: no row lost or repeated, the order kept, bad input refused."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.audit import record
from app.models import Figure, Source
from app.models.enums import ChangeOp, Qualifier, Scope, Unit
from tests.api_helpers import ARTICLE, assert_problem


def walk(client: TestClient, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
    """Every row, following `links.next` from the first page to the last."""
    response = client.get(path, params=params)
    rows: list[dict[str, Any]] = []
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        page = body["data"]
        assert 1 <= len(page) <= int(params["limit"])
        assert body["meta"]["limit"] == int(params["limit"])
        rows += page
        if body["meta"]["next_cursor"] is None:
            assert body["links"]["next"] is None
            return rows
        assert len(page) == int(params["limit"])
        assert body["links"]["next"].endswith(f"cursor={body['meta']['next_cursor']}")
        response = client.get(body["links"]["next"])


def ordered(session: Session, order_by: str) -> list[str]:
    """The database's own order for the same sort, as a plain SQL query."""
    return list(session.scalars(text(f"SELECT iso3 FROM countries ORDER BY {order_by}")))


@pytest.mark.parametrize(
    ("sort", "order_by"),
    [
        (None, "iso3"),
        ("-name", "name DESC, iso3"),
        ("region,name", "region, name, iso3"),
        ("-region,-iso3", "region DESC, iso3 DESC"),
    ],
)
def test_walks_every_country_seven_at_a_time(
    client: TestClient, session: Session, sort: str | None, order_by: str
) -> None:
    params = {"limit": "7", "fields": "iso3,name,region"}
    if sort is not None:
        params["sort"] = sort
    rows = walk(client, "/v1/countries", params)
    codes = [row["iso3"] for row in rows]
    assert len(codes) == 249
    assert len(set(codes)) == 249
    assert codes == ordered(session, order_by)


def test_the_order_is_the_one_asked_for(client: TestClient) -> None:
    by_name = walk(client, "/v1/countries", {"limit": "7", "sort": "-name", "fields": "name"})
    names = [row["name"] for row in by_name]
    assert names == sorted(names, reverse=True)
    by_region = walk(
        client, "/v1/countries", {"limit": "7", "sort": "region,name", "fields": "region,name"}
    )
    pairs = [(row["region"], row["name"]) for row in by_region]
    assert pairs == sorted(pairs)
    assert pairs[0] == ("Africa", "Algeria")


@pytest.mark.parametrize("sort", ["subregion,name", "-subregion,name"])
def test_nulls_come_last_in_both_directions(client: TestClient, sort: str) -> None:
    rows = walk(client, "/v1/countries", {"limit": "7", "sort": sort, "fields": "iso3,subregion"})
    assert len({row["iso3"] for row in rows}) == 249
    assert rows[-1] == {"iso3": "ATA", "subregion": None}
    subregions = [row["subregion"] for row in rows[:-1]]
    assert subregions == sorted(subregions, reverse=sort.startswith("-"))


def test_count_none_skips_the_total_but_still_pages(client: TestClient) -> None:
    response = client.get("/v1/countries", params={"limit": 100, "count": "none"})
    assert response.json()["meta"]["count"] is None
    assert len(response.json()["data"]) == 100
    rows = walk(client, "/v1/countries", {"limit": "100", "count": "none", "fields": "iso3"})
    assert len(rows) == 249
    exact = client.get("/v1/countries", params={"limit": 1})
    assert exact.json()["meta"]["count"] == 249


def test_the_limit_may_change_between_pages(client: TestClient) -> None:
    first = client.get("/v1/countries", params={"limit": 3, "fields": "iso3"}).json()
    cursor = first["meta"]["next_cursor"]
    second = client.get("/v1/countries", params={"limit": 2, "fields": "iso3", "cursor": cursor})
    assert [r["iso3"] for r in first["data"] + second.json()["data"]] == [
        "ABW",
        "AFG",
        "AGO",
        "AIA",
        "ALA",
    ]


def test_a_cursor_is_stable_under_inserts(client: TestClient, session: Session) -> None:
    params = {"limit": "3", "sort": "key", "fields": "key"}
    first = client.get("/v1/figures", params=params).json()
    assert [r["key"] for r in first["data"]] == [
        "aei-investment-announcements-2020-h1",
        "aei-investment-announcements-2020-h1-vs-2019",
        "bri-projects-adversely-affected-2020",
    ]
    article = session.scalar(select(Source.id).where(Source.key == ARTICLE))
    for key in ("aaa-before-the-cursor", "zzz-after-the-cursor"):
        row = Figure(
            key=key,
            indicator="test",
            label=key,
            value=Decimal(1),
            unit=Unit.count_,
            qualifier=Qualifier.exact,
            period_start=date(2020, 1, 1),
            scope=Scope.global_,
            source_id=article,
            locator="test",
        )
        session.add(row)
        session.flush()
        record(session, "figures", row.id, ChangeOp.create, "test")
    rest = client.get("/v1/figures", params={**params, "cursor": first["meta"]["next_cursor"]})
    assert [r["key"] for r in rest.json()["data"]] == [
        "bri-projects-somewhat-affected-2020",
        "caixin-bri-activity-2020-04-vs-2019-04",
        "china-ecommerce-purchases-growth-early-2020",
    ]
    keys = [r["key"] for r in walk(client, "/v1/figures", params)]
    assert keys[0] == "aaa-before-the-cursor"
    assert keys[-1] == "zzz-after-the-cursor"
    assert len(keys) == len(set(keys)) == 10


def cursor_for(client: TestClient, params: dict[str, str]) -> str:
    cursor = client.get("/v1/countries", params=params).json()["meta"]["next_cursor"]
    assert isinstance(cursor, str)
    return cursor


CURSOR_CHANGED = (
    "Query parameter 'cursor': belongs to a query with other parameters; start again without it"
)
NOT_A_CURSOR = "Query parameter 'cursor': is not a cursor this API issued"


@pytest.mark.parametrize(
    "changed",
    [
        {"region": "Africa"},
        {"subregion": "Eastern Asia"},
        {"sort": "name"},
        {"fields": "iso3"},
        {"q": "island"},
    ],
)
def test_a_cursor_reused_with_other_parameters_is_a_400(
    client: TestClient, changed: dict[str, str]
) -> None:
    original = {"limit": "5", "region": "Asia", "sort": "-name"}
    cursor = cursor_for(client, original)
    response = client.get("/v1/countries", params={**original, **changed, "cursor": cursor})
    body = assert_problem(response, 400, "invalid-parameter", CURSOR_CHANGED)
    assert body["errors"] == [
        {"location": "query", "field": "cursor", "message": CURSOR_CHANGED.split(": ", 1)[1]}
    ]


def test_a_cursor_from_another_resource_is_a_400(client: TestClient) -> None:
    cursor = client.get("/v1/strands", params={"limit": 1}).json()["meta"]["next_cursor"]
    response = client.get("/v1/countries", params={"limit": 1, "cursor": cursor})
    assert_problem(response, 400, "invalid-parameter", CURSOR_CHANGED)


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        "eyJ2IjpbXX0",  # {"v":[]}: no fingerprint
        "bnVsbA",  # null
    ],
)
def test_a_garbage_cursor_is_a_400(client: TestClient, cursor: str) -> None:
    response = client.get("/v1/countries", params={"cursor": cursor})
    assert_problem(response, 400, "invalid-parameter", NOT_A_CURSOR)


def test_a_cursor_with_forged_values_is_a_400(client: TestClient) -> None:
    import base64
    import json

    good = cursor_for(client, {"limit": "2", "sort": "name"})
    payload = json.loads(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))
    payload["v"] = [12, {"not": "a name"}]
    forged = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    response = client.get("/v1/countries", params={"limit": 2, "sort": "name", "cursor": forged})
    assert_problem(response, 400, "invalid-parameter")
    payload["v"] = ["Afghanistan"]  # one value where the sort needs two
    short = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    response = client.get("/v1/countries", params={"limit": 2, "sort": "name", "cursor": short})
    assert_problem(
        response,
        400,
        "invalid-parameter",
        "Query parameter 'cursor': does not match the sort order",
    )


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "Input should be greater than or equal to 1"),
        ("-3", "Input should be greater than or equal to 1"),
        ("1001", "must be at most 1000"),
        ("ten", "Input should be a valid integer, unable to parse string as an integer"),
    ],
)
def test_a_limit_out_of_range_is_a_400(client: TestClient, limit: str, message: str) -> None:
    body = assert_problem(
        client.get("/v1/countries", params={"limit": limit}), 400, "invalid-parameter"
    )
    assert body["errors"] == [{"location": "query", "field": "limit", "message": message}]


def test_the_default_and_maximum_limits(client: TestClient) -> None:
    assert len(client.get("/v1/countries").json()["data"]) == 50
    response = client.get("/v1/countries", params={"limit": 1000})
    assert (len(response.json()["data"]), response.json()["meta"]["next_cursor"]) == (249, None)

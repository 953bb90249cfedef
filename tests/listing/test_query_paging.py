"""Keyset paging for every sort key: pages concatenate to the one sorted answer."""

import base64
import json
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.funding.queries import FUNDING
from app.projects.queries import PROJECTS
from tests.api_helpers import assert_problem
from tests.query_fixture import (
    Fixture,
    add_funding,
    add_project,
    build,
    funding_values,
    plain,
    project_values,
    sorted_rows,
)

LIMIT = 5
PROJECT_SORT_KEYS = [
    "id",
    "key",
    "title",
    "status",
    "sector_code",
    "year",
    "start_year",
    "completion_year",
    "amount_usd",
    "amount_usd_constant",
    "updated_at",
]
FUNDING_SORT_KEYS = [
    "id",
    "key",
    "flow_type",
    "amount",
    "currency",
    "amount_usd",
    "amount_usd_constant",
    "commitment_date",
    "year",
    "updated_at",
]
MIXED_PROJECT_SORTS = [
    "-year,title",
    "status,-amount_usd",
    "title,-id",
    "-updated_at,-id",
    "sector_code,-completion_year,key",
    "-amount_usd_constant,start_year",
]
MIXED_FUNDING_SORTS = ["currency,-amount", "-year,flow_type,-id", "-commitment_date,amount_usd"]


def both_directions(keys: list[str]) -> list[str]:
    return [sort for key in keys for sort in (key, f"-{key}")]


@pytest.fixture
def fx(session: Session) -> Fixture:
    return build(session)


def page_through(
    client: TestClient, path: str, params: dict[str, Any]
) -> tuple[list[dict[str, Any]], int]:
    """Every row, following `links.next`; also checks each page's size and cursor."""
    response = client.get(path, params={**params, "limit": LIMIT})
    rows: list[dict[str, Any]] = []
    pages = 0
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        rows += body["data"]
        pages += 1
        assert body["meta"]["next_cursor"] is None or len(body["data"]) == LIMIT
        if body["links"]["next"] is None:
            assert body["meta"]["next_cursor"] is None
            return rows, pages
        assert f"cursor={body['meta']['next_cursor']}" in body["links"]["next"]
        response = client.get(body["links"]["next"])


def test_every_sort_key_is_covered() -> None:
    assert PROJECTS.sort_keys == PROJECT_SORT_KEYS
    assert FUNDING.sort_keys == FUNDING_SORT_KEYS


@pytest.mark.parametrize("sort", both_directions(PROJECT_SORT_KEYS) + MIXED_PROJECT_SORTS)
def test_project_pages_concatenate_to_the_sorted_list(
    client: TestClient, fx: Fixture, sort: str
) -> None:
    fields = sorted({"id", *(part.removeprefix("-") for part in sort.split(","))})
    rows, pages = page_through(
        client, "/v1/projects", {"dataset": "qf", "sort": sort, "fields": ",".join(fields)}
    )
    expected = sorted_rows(fx.projects, sort)
    assert [row["id"] for row in rows] == [row["id"] for row in expected]
    assert rows == [{name: plain(row[name]) for name in fields} for row in expected]
    assert pages == -(-len(fx.projects) // LIMIT)


@pytest.mark.parametrize("sort", both_directions(FUNDING_SORT_KEYS) + MIXED_FUNDING_SORTS)
def test_funding_pages_concatenate_to_the_sorted_list(
    client: TestClient, fx: Fixture, sort: str
) -> None:
    fields = sorted({"id", *(part.removeprefix("-") for part in sort.split(","))})
    rows, _ = page_through(
        client, "/v1/funding", {"source": "qf-source", "sort": sort, "fields": ",".join(fields)}
    )
    expected = sorted_rows(fx.funding, sort)
    assert len(expected) == 48
    assert rows == [{name: plain(row[name]) for name in fields} for row in expected]


def _resume_after_inserts(
    client: TestClient, path: str, params: dict[str, Any], insert: Any, everything: Any, sort: str
) -> None:
    """Two pages, then inserts, then the rest: nothing lost, nothing repeated."""
    first = client.get(path, params={**params, "sort": sort, "limit": LIMIT}).json()
    second = client.get(first["links"]["next"]).json()
    seen = first["data"] + second["data"]
    insert()
    rest = []
    next_link = second["links"]["next"]
    while next_link is not None:
        body = client.get(next_link).json()
        rest += body["data"]
        next_link = body["links"]["next"]
    full = sorted_rows(everything(), sort)
    position = [row["id"] for row in full].index(seen[-1]["id"])
    assert [row["id"] for row in seen + rest] == [
        row["id"] for row in full[: position + 1] if row["id"] in {r["id"] for r in seen}
    ] + [row["id"] for row in full[position + 1 :]]
    ids = [row["id"] for row in seen + rest]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("sort", ["-amount_usd", "year", "-updated_at", "title"])
def test_project_rows_inserted_between_pages_are_neither_lost_nor_repeated(
    client: TestClient, session: Session, fx: Fixture, sort: str
) -> None:
    def insert() -> None:
        # Values that sort before, at and after the cursor, and NULLs.
        for n, i in enumerate([0, 1, 4, 6, 7, 11, 23, 30, 47, 3]):
            values = {**project_values(i), "key": f"qf-new-{n}"}
            fx.projects.append(add_project(session, values))

    _resume_after_inserts(
        client,
        "/v1/projects",
        {"dataset": "qf", "fields": "id"},
        insert,
        lambda: fx.projects,
        sort,
    )


@pytest.mark.parametrize("sort", ["commitment_date", "-amount", "currency,-amount_usd"])
def test_funding_rows_inserted_between_pages_are_neither_lost_nor_repeated(
    client: TestClient, session: Session, fx: Fixture, sort: str
) -> None:
    def insert() -> None:
        for n, (i, j) in enumerate([(0, 0), (2, 1), (5, 1), (9, 2), (13, 0), (20, 1), (33, 3)]):
            values = {**funding_values(i, j), "key": f"qf-f-new-{n}"}
            fx.funding.append(add_funding(session, fx, values))

    _resume_after_inserts(
        client,
        "/v1/funding",
        {"source": "qf-source", "fields": "id"},
        insert,
        lambda: fx.funding,
        sort,
    )


def test_a_cursor_is_refused_when_other_parameters_change(client: TestClient, fx: Fixture) -> None:
    params = {"dataset": "qf", "sort": "year", "limit": 5}
    cursor = client.get("/v1/projects", params=params).json()["meta"]["next_cursor"]
    detail = (
        "Query parameter 'cursor': belongs to a query with other parameters; start again without it"
    )
    for changed in [{"sort": "-year"}, {"status": "completed"}, {"dataset": "qf", "q": "dam"}]:
        response = client.get("/v1/projects", params={**params, **changed, "cursor": cursor})
        assert_problem(response, 400, "invalid-parameter", detail)
    # The same query on another resource is another query too.
    response = client.get("/v1/funding", params={"sort": "year", "cursor": cursor})
    assert_problem(response, 400, "invalid-parameter", detail)
    # limit, format and count may change between pages.
    for same in [{"limit": 7}, {"count": "none"}, {"format": "ndjson"}]:
        assert (
            client.get("/v1/projects", params={**params, **same, "cursor": cursor}).status_code
            == 200
        )


def _token(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_malformed_cursors_are_400_problems(client: TestClient, fx: Fixture) -> None:
    params = {"dataset": "qf", "sort": "year", "limit": 5}
    good = client.get("/v1/projects", params=params).json()["meta"]["next_cursor"]
    fingerprint = orjson.loads(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))["f"]
    not_ours = "Query parameter 'cursor': is not a cursor this API issued"
    for cursor, detail in [
        ("abc", not_ours),
        ("!!!!", not_ours),
        (_token([1, 2]), not_ours),
        (_token({"v": [2015]}), not_ours),
        (
            _token({"v": [2015], "f": fingerprint}),
            "Query parameter 'cursor': does not match the sort order",
        ),
        (_token({"v": ["x", 3], "f": fingerprint}), not_ours),
        (_token({"v": [2015, 2**70], "f": fingerprint}), not_ours),
        (_token({"v": [2015, True], "f": fingerprint}), not_ours),
    ]:
        response = client.get("/v1/projects", params={**params, "cursor": cursor})
        assert_problem(response, 400, "invalid-parameter", detail)


@pytest.mark.parametrize(
    ("sort", "value"),
    [("amount_usd", "NaN"), ("amount_usd", "1e30"), ("updated_at", "yesterday")],
)
def test_cursor_values_of_the_wrong_kind_are_refused(
    client: TestClient, fx: Fixture, sort: str, value: str
) -> None:
    params = {"dataset": "qf", "sort": sort, "limit": 5}
    good = client.get("/v1/projects", params=params).json()["meta"]["next_cursor"]
    payload = orjson.loads(base64.urlsafe_b64decode(good + "=" * (-len(good) % 4)))
    payload["v"][0] = value
    response = client.get("/v1/projects", params={**params, "cursor": _token(payload)})
    assert_problem(
        response,
        400,
        "invalid-parameter",
        "Query parameter 'cursor': is not a cursor this API issued",
    )

"""Hostile input on every parameter of every list endpoint: 4xx problems, never a 500, a leak
or a changed database.

The endpoints and their parameters are read from the served OpenAPI document, so a new
resource or filter is covered without touching this file.
"""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.keys import create_key
from app.caching import dataset_version
from app.models.base import Base
from app.models.enums import KeyScope

# For text parameters: injection, traversal, markup, oversized and odd Unicode.
HOSTILE_TEXT = [
    "' OR '1'='1",
    "1; DROP TABLE projects; --",
    '") OR 1=1 --',
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    '{"$ne": null}',
    "x" * 5000,
    "\u202e\ufeff\u200b🚀",
    " ",
]
# For typed parameters (numbers, dates, booleans, enums): nothing here is a valid value.
HOSTILE_TYPED = ["' OR '1'='1", "NaN", "1e999", "-1e999", str(10**30), str(-(10**30)), "0x1F", ""]
TYPED = ("integer", "number", "boolean", "date", "date-time", "enum")
# Text a problem document must never contain: traces, SQL, driver names.
LEAKS = ["Traceback", 'File "', "sqlalchemy", "psycopg", "sqlite3", "SELECT ", " FROM ", "WHERE "]
PATH_VALUES = [
    "' OR 1=1 --",
    "..",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252f..%252fetc",
    "1 OR 1=1",
    "99999999999999999999",
    "-1",
    "0",
    "1e999",
    "%F0%9F%9A%80",
    "a" * 3000,
]


def snapshot(session: Session) -> dict[str, int]:
    counts = {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }
    return {**counts, "dataset version": dataset_version(session)}


def kind_of(schema: dict[str, Any]) -> str:
    """integer, number, boolean, date, date-time, enum or string (of one value)."""
    options = [s for s in schema.get("anyOf", [schema]) if s.get("type") != "null"]
    first = options[0]
    if first.get("type") == "array":
        first = first["items"]
    if "$ref" in first or "enum" in first:
        return "enum"
    if any(option.get("type") == "number" for option in options):
        return "number"
    return str(first.get("format") or first.get("type"))


def list_operations(client: TestClient) -> list[tuple[str, list[tuple[str, str]]]]:
    document = client.get("/openapi.json").json()
    found = []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None or "{" in path or not get.get("parameters"):
            continue
        found.append(
            (
                path,
                [
                    (p["name"], kind_of(p["schema"]))
                    for p in get["parameters"]
                    if p["in"] == "query"
                ],
            )
        )
    return found


def no_leak(response: Any) -> None:
    assert response.headers["content-type"] == "application/problem+json", response.text
    for leak in LEAKS:
        assert leak not in response.text, response.text


def check(response: Any, name: str, kind: str) -> None:
    where = f"{response.request.url}"[:200]
    assert response.status_code < 500, where
    if response.status_code >= 400:
        no_leak(response)
    if kind in TYPED or name in ("cursor", "sort", "fields"):
        assert response.status_code == 400, where
    elif name != "q" and response.status_code == 200:
        # A hostile value of a text filter matches no row: it is a value, never SQL.
        body = response.json()
        assert body["meta"].get("count") in (0, None), where
        # A summary answers its one empty group; a list answers no rows.
        assert all(row.get("count") == 0 for row in body["data"]), where
        assert body["data"] == [] or "group" in body["data"][0], where


def test_every_list_parameter_refuses_or_matches_nothing(
    client: TestClient, session: Session
) -> None:
    before = snapshot(session)
    operations = list_operations(client)
    assert len(operations) >= 9
    for path, parameters in operations:
        for name, kind in parameters:
            for value in HOSTILE_TYPED if kind in TYPED else HOSTILE_TEXT:
                check(client.get(path, params={name: value}), name, kind)
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("parameters", "detail"),
    [
        ({"limit": str(10**30)}, "Query parameter 'limit': must be at most 1000"),
        ({"year_min": str(-(10**30))}, "Query parameter 'year_min': must be between"),
        ({"amount_usd_min": "1e999"}, "Query parameter 'amount_usd_min': must be less than"),
        ({"cursor": "bm90IGEgY3Vyc29y"}, "Query parameter 'cursor': "),
        ({"updated_since": "9" * 40}, "Query parameter 'updated_since': "),
    ],
)
def test_huge_numbers_and_garbage_cursors_are_named(
    client: TestClient, parameters: dict[str, str], detail: str
) -> None:
    response = client.get("/v1/projects", params=parameters)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail)


def test_every_detail_path_refuses_or_finds_nothing(client: TestClient, session: Session) -> None:
    before = snapshot(session)
    document = client.get("/openapi.json").json()
    templates = [p for p, ops in document["paths"].items() if "{" in p and "get" in ops]
    assert len(templates) >= 9
    for template in templates:
        prefix = template.split("{")[0]
        for value in PATH_VALUES:
            response = client.get(prefix + value)
            assert response.status_code in (400, 404), f"{prefix}{value}"[:200]
            no_leak(response)
    assert snapshot(session) == before


def test_malformed_bodies_never_reach_the_database(client: TestClient, session: Session) -> None:
    """Every write route, with a valid key and If-Match, refuses a malformed body with a 4xx."""
    before = snapshot(session)
    headers = {"Authorization": f"Bearer {create_key(session, 'hostile', KeyScope.write)}"}
    session.commit()
    before["api_keys"] += 1
    document = client.get("/openapi.json").json()
    bodies = [
        (b"{", "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        (b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "application/json"),
        (b'{"amount_usd": 1e999, "year": 100000000000000000000000}', "application/json"),
        (b'{"key": "a\\u0000b", "title": "\\ud800"}', "application/json"),
        (b"[]", "application/json"),
        (b"<xml/>", "application/xml"),
    ]
    routes = 0
    for path, operations in document["paths"].items():
        for method in ("post", "patch"):
            if method not in operations:
                continue
            routes += 1
            url = re.sub(r"\{[^}]+\}", "1", path)
            media = "application/merge-patch+json" if method == "patch" else "application/json"
            for body, kind in bodies:
                response = client.request(
                    method.upper(),
                    url,
                    content=body,
                    headers={
                        **headers,
                        "Content-Type": media if kind == "application/json" else kind,
                        "If-Match": '"v1"',
                    },
                )
                assert 400 <= response.status_code < 500, f"{method} {url}: {response.text}"
                no_leak(response)
    assert routes >= 10
    assert snapshot(session) == before

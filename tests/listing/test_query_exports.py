"""CSV and NDJSON exports hold exactly the rows of the JSON pages, in the same order."""

import csv
import io
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.query_fixture import Fixture, build, sorted_rows


@pytest.fixture
def fx(session: Session) -> Fixture:
    return build(session)


def json_pages(client: TestClient, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    response = client.get(path, params={**params, "limit": 7})
    while True:
        body = response.json()
        rows += body["data"]
        if body["links"]["next"] is None:
            return rows
        response = client.get(body["links"]["next"])


def as_cell(value: Any) -> str:
    """A JSON value as the CSV export writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def parse_csv(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


CASES = [
    ("/v1/projects", {"dataset": "qf", "sort": "-amount_usd,title"}),
    ("/v1/projects", {"dataset": "qf", "sort": "year", "fields": "key,year,strands,umbrella"}),
    ("/v1/projects", {"dataset": "qf", "strand": "digital", "fields": "id,updated_at,countries"}),
    ("/v1/funding", {"source": "qf-source", "sort": "-commitment_date"}),
    ("/v1/funding", {"source": "qf-source", "currency": "EUR", "fields": "key,amount,currency"}),
]


@pytest.mark.parametrize(("path", "params"), CASES)
def test_csv_is_row_for_row_the_json_pages(
    client: TestClient, fx: Fixture, path: str, params: dict[str, Any]
) -> None:
    pages = json_pages(client, path, params)
    assert len(pages) > 7
    response = client.get(path, params={**params, "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    header, rows = parse_csv(response.text)
    assert header == list(pages[0])
    assert rows == [[as_cell(row[name]) for name in header] for row in pages]


@pytest.mark.parametrize(("path", "params"), CASES)
def test_ndjson_is_row_for_row_the_json_pages(
    client: TestClient, fx: Fixture, path: str, params: dict[str, Any]
) -> None:
    pages = json_pages(client, path, params)
    response = client.get(path, params={**params, "format": "ndjson"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.text.endswith("\n")
    assert [orjson.loads(line) for line in response.text.splitlines()] == pages


def test_exact_csv_of_a_small_export(client: TestClient, fx: Fixture) -> None:
    response = client.get(
        "/v1/funding",
        params={
            "source": "qf-source",
            "project": ["qf-004", "qf-005"],
            "fields": "key,amount,currency,amount_usd_constant,constant_base_year,financier",
            "sort": "-amount",
            "format": "csv",
        },
    )
    assert response.text == (
        "key,amount,currency,amount_usd_constant,constant_base_year,financier\n"
        "qf-f-005-1,2200000.06,EUR,,,\n"
        "qf-f-005-0,1500000.05,CNY,750000.25,2021,qf-bank-b\n"
        "qf-f-004-0,200000.04,USD,0.25,2021,qf-bank-a\n"
    )


def test_the_accept_header_picks_the_format_and_format_overrides_it(
    client: TestClient, fx: Fixture
) -> None:
    params = {"dataset": "qf", "fields": "key", "sort": "key"}
    as_csv = client.get("/v1/projects", params=params, headers={"Accept": "text/csv"})
    assert as_csv.text.splitlines()[:3] == ["key", "qf-000", "qf-001"]
    assert len(as_csv.text.splitlines()) == 49
    as_ndjson = client.get(
        "/v1/projects", params=params, headers={"Accept": "application/x-ndjson"}
    )
    assert as_ndjson.text.splitlines()[0] == '{"key":"qf-000"}'
    as_json = client.get(
        "/v1/projects", params={**params, "format": "json"}, headers={"Accept": "text/csv"}
    )
    assert as_json.headers["content-type"] == "application/json"
    for response in (as_csv, as_ndjson, as_json):
        assert response.headers["vary"] == "Accept"
    # Three representations of one query: three ETags.
    assert len({r.headers["etag"] for r in (as_csv, as_ndjson, as_json)}) == 3


def test_exports_are_downloads_with_a_file_name(client: TestClient, fx: Fixture) -> None:
    for path, name in [
        ("/v1/projects", "bri-projects"),
        ("/v1/funding", "bri-funding"),
        ("/v1/figures", "bri-figures"),
        ("/v1/funding/summary", "bri-funding-summary"),
        ("/v1/projects/summary", "bri-projects-summary"),
    ]:
        for kind in ("csv", "ndjson"):
            response = client.get(path, params={"format": kind})
            assert response.status_code == 200, response.text
            assert response.headers["content-disposition"] == (
                f'attachment; filename="{name}.{kind}"'
            )
        assert "content-disposition" not in client.get(path).headers


def test_an_export_resumes_after_a_cursor(client: TestClient, fx: Fixture) -> None:
    params = {"dataset": "qf", "fields": "key", "sort": "-year,key", "limit": 10}
    first = client.get("/v1/projects", params=params).json()
    rest = client.get(
        "/v1/projects",
        params={**params, "format": "csv", "cursor": first["meta"]["next_cursor"]},
    )
    expected = [r["key"] for r in sorted_rows(fx.projects, "-year,key")]
    assert [row["key"] for row in first["data"]] == expected[:10]
    assert rest.text.splitlines() == ["key", *expected[10:]]


def test_an_empty_export_still_has_its_header(client: TestClient, fx: Fixture) -> None:
    response = client.get(
        "/v1/projects", params={"dataset": "none", "fields": "key,title", "format": "csv"}
    )
    assert response.text == "key,title\n"
    assert client.get("/v1/projects", params={"dataset": "none", "format": "ndjson"}).text == ""

"""Writing figures, stances and events, with the rules the seed applies."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, untimed
from tests.writes.helpers import delete, patch

FIGURE: dict[str, Any] = {
    "key": "bri-loans-2019",
    "indicator": "bri-loans",
    "label": "BRI lending in 2019",
    "value": "4.5E+9",
    "unit": "USD",
    "qualifier": "approximate",
    "period_start": "2019-01-01",
    "period_end": "2019-12-31",
    "scope": "country",
    "country": "pk",
    "publisher": "aei",
    "source": ARTICLE,
    "locator": "para 7",
}
STANCE: dict[str, Any] = {
    "key": "jpn-criticised-bri",
    "country": "JP",
    "action": "criticised",
    "strand": "bri",
    "year": 2019,
    "source": ARTICLE,
    "locator": "para 28",
}
EVENT: dict[str, Any] = {
    "key": "forum-2019",
    "title": "Second Belt and Road Forum",
    "kind": "milestone",
    "date": "2019-04-25",
    "date_precision": "day",
    "strand": "bri",
    "country": "CHN",
    "source": ARTICLE,
    "locator": "para 8",
}


def test_create_a_figure_in_base_units(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post("/v1/figures", json=FIGURE, headers=writer)
    assert response.status_code == 201, response.text
    body = response.json()
    assert untimed(body) == {
        "id": body["id"],
        "key": "bri-loans-2019",
        "indicator": "bri-loans",
        "label": "BRI lending in 2019",
        "value": "4500000000",
        "value_low": None,
        "value_high": None,
        "unit": "USD",
        "qualifier": "approximate",
        "period_start": "2019-01-01",
        "period_end": "2019-12-31",
        "base_period_start": None,
        "base_period_end": None,
        "scope": "country",
        "strand": None,
        "country": "PAK",
        "organisation": None,
        "project": None,
        "publisher": "aei",
        "note": None,
        "source": ARTICLE,
        "locator": "para 7",
        "version": 1,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"qualifier": "range"}, "value_low", "a range needs value_low and value_high"),
        (
            {"qualifier": "range", "value_low": "5", "value_high": "4"},
            "value_low",
            "value_low is above value_high",
        ),
        ({"value": None}, "value", "a figure qualified 'approximate' needs a value"),
        ({"period_end": "2018-12-31"}, "period_start", "period_start is after period_end"),
        ({"country": None}, "country", "scope 'country' needs a country"),
        ({"scope": "project"}, "project", "scope 'project' needs a project"),
        ({"publisher": "nobody"}, "publisher", "no organisation with key 'nobody'"),
    ],
)
def test_figure_rules(
    client: TestClient, writer: dict[str, str], changes: dict[str, Any], field: str, message: str
) -> None:
    response = client.post("/v1/figures", json={**FIGURE, **changes}, headers=writer)
    body = assert_problem(response, 422, "unprocessable-entity")
    assert body["errors"] == [{"location": "body", "field": field, "message": message}]


def test_a_patch_is_checked_against_the_whole_row(
    client: TestClient, writer: dict[str, str]
) -> None:
    path = client.post("/v1/figures", json=FIGURE, headers=writer).headers["location"]
    body = assert_problem(
        patch(client, path, {"qualifier": "range"}, writer), 422, "unprocessable-entity"
    )
    assert body["errors"][0]["field"] == "value_low"
    ranged = patch(
        client,
        path,
        {"qualifier": "range", "value": None, "value_low": "4E9", "value_high": "5E9"},
        writer,
    )
    assert ranged.status_code == 200, ranged.text
    assert (ranged.json()["value"], ranged.json()["value_low"], ranged.json()["value_high"]) == (
        None,
        "4000000000",
        "5000000000",
    )


def test_create_change_and_delete_a_stance(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post("/v1/stances", json=STANCE, headers=writer)
    assert response.status_code == 201, response.text
    body = response.json()
    assert untimed(body) == {
        "id": body["id"],
        "key": "jpn-criticised-bri",
        "country": "JPN",
        "action": "criticised",
        "strand": "bri",
        "project": None,
        "organisation": None,
        "via": None,
        "year": 2019,
        "note": None,
        "source": ARTICLE,
        "locator": "para 28",
        "version": 1,
    }
    path = response.headers["location"]
    changed = patch(client, path, {"action": "resisted", "via": "five-eyes"}, writer)
    assert (changed.json()["action"], changed.json()["via"]) == ("resisted", "five-eyes")
    assert delete(client, path, writer).status_code == 204
    assert_problem(client.get(path), 404, "not-found")


def test_a_stance_needs_a_target(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post("/v1/stances", json={**STANCE, "strand": None}, headers=writer)
    body = assert_problem(response, 422, "unprocessable-entity")
    assert body["errors"] == [
        {
            "location": "body",
            "field": "strand",
            "message": "a stance needs a strand, project or organisation as its target",
        }
    ]


def test_years_are_checked(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post("/v1/stances", json={**STANCE, "year": 1850}, headers=writer)
    body = assert_problem(response, 422, "unprocessable-entity")
    assert body["errors"] == [
        {
            "location": "body",
            "field": "year",
            "message": "Input should be greater than or equal to 1900",
        }
    ]


def test_create_change_and_delete_an_event(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post("/v1/events", json=EVENT, headers=writer)
    assert response.status_code == 201, response.text
    path = response.headers["location"]
    assert (response.json()["date"], response.json()["country"]) == ("2019-04-25", "CHN")
    changed = patch(client, path, {"date": "2019-04-27", "project": "beidou"}, writer)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["date"], changed.json()["project"]) == ("2019-04-27", "beidou")
    unknown = patch(client, path, {"organisation": "nobody"}, writer)
    assert assert_problem(unknown, 422, "unprocessable-entity")["errors"] == [
        {
            "location": "body",
            "field": "organisation",
            "message": "no organisation with key 'nobody'",
        }
    ]
    assert delete(client, path, writer).status_code == 204


def test_an_event_date_must_be_a_date(client: TestClient, writer: dict[str, str]) -> None:
    response = client.post("/v1/events", json={**EVENT, "date": "2019-02-30"}, headers=writer)
    body = assert_problem(response, 422, "unprocessable-entity")
    assert body["errors"][0]["field"] == "date"

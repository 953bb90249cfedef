"""The article's factual questions, answered from the API alone, each with its source.

Every answer is looked up the way a reader would (filters on the public endpoints), and
every answer's source is resolved through /v1/sources to the document it names.
"""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE

ARTICLE_TITLE = "Will digital diplomacy cement the Belt and Road Initiative's 'common destiny'?"


def rows(client: TestClient, path: str, *params: tuple[str, str]) -> list[dict[str, Any]]:
    response = client.get(path, params=list(params))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"]["next_cursor"] is None  # the whole answer is on one page
    return list(body["data"])


def cited(row: dict[str, Any]) -> tuple[str, str]:
    return row["source"], row["locator"]


def test_every_cited_source_resolves(client: TestClient) -> None:
    article = client.get(f"/v1/sources/{ARTICLE}").json()
    assert (article["title"], article["authors"], article["year"]) == (
        ARTICLE_TITLE,
        "George Magnus; Hannah Bretherton",
        2020,
    )
    for resource in ("strands", "organisations", "figures", "stances", "events"):
        for row in rows(client, f"/v1/{resource}", ("fields", "source")):
            assert client.get(f"/v1/sources/{row['source']}").status_code == 200


def test_when_each_strand_started(client: TestClient) -> None:
    strands = rows(client, "/v1/strands", ("fields", "code,name,year_launched,source,locator"))
    assert [(s["name"], s["year_launched"], cited(s)) for s in strands] == [
        ("Belt and Road Initiative", 2013, ("cfr-bri-backgrounder", "opening section")),
        ("Digital Silk Road", 2015, (ARTICLE, "para 11")),
        ("Health Silk Road", 2017, (ARTICLE, "para 12")),
        ("Latin America", 2017, (ARTICLE, "para 10")),
        ("Polar Silk Road", 2018, (ARTICLE, "para 10")),
    ]


def test_who_adopted_beidou(client: TestClient) -> None:
    stances = rows(client, "/v1/stances", ("project", "beidou"), ("action", "adopted"))
    assert [(s["country"], cited(s)) for s in stances] == [
        ("THA", (ARTICLE, "para 29")),
        ("BRN", (ARTICLE, "para 29")),
        ("PAK", (ARTICLE, "para 29")),
        ("LAO", (ARTICLE, "para 29")),
    ]
    names = [client.get(f"/v1/countries/{s['country']}").json()["name"] for s in stances]
    assert names == ["Thailand", "Brunei Darussalam", "Pakistan", "Laos"]
    beidou = client.get("/v1/projects/beidou").json()
    assert [c["iso3"] for c in beidou["country_roles"] if c["role"] == "adopter"] == [
        "BRN",
        "LAO",
        "PAK",
        "THA",
    ]
    assert beidou["citations"][0]["locator"] == "para 29"


def test_who_resisted_the_bri(client: TestClient) -> None:
    stances = rows(client, "/v1/stances", ("action", "resisted"), ("strand", "bri"))
    assert [(s["country"], cited(s)) for s in stances] == [("IND", (ARTICLE, "para 28"))]
    digital = rows(client, "/v1/stances", ("action", "resisted"), ("strand", "digital"))
    assert [(s["country"], cited(s)) for s in digital] == [("IND", (ARTICLE, "para 31"))]


def test_each_five_eyes_member_restricted_huawei(client: TestClient) -> None:
    members = client.get("/v1/organisations/five-eyes").json()["members"]
    assert members == ["AUS", "CAN", "GBR", "NZL", "USA"]
    for iso3 in members:
        stances = rows(
            client,
            "/v1/stances",
            ("country", iso3),
            ("action", "restricted"),
            ("organisation", "huawei"),
        )
        assert [(s["via"], cited(s)) for s in stances] == [("five-eyes", (ARTICLE, "para 28"))]
    # Nobody outside the alliance is recorded as restricting Huawei.
    everyone = rows(client, "/v1/stances", ("organisation", "huawei"), ("fields", "country"))
    assert sorted(s["country"] for s in everyone) == members


def figure(client: TestClient, *params: tuple[str, str]) -> dict[str, Any]:
    found = rows(client, "/v1/figures", *params)
    assert len(found) == 1, found
    return found[0]


def test_caixin_index_in_april_2020_was_half_of_april_2019(client: TestClient) -> None:
    row = figure(client, ("publisher", "caixin"))
    assert {k: row[k] for k in ("value", "unit", "qualifier")} == {
        "value": "0.5",
        "unit": "ratio",
        "qualifier": "exact",
    }
    assert (row["period_start"], row["period_end"]) == ("2020-04-01", "2020-04-30")
    assert (row["base_period_start"], row["base_period_end"]) == ("2019-04-01", "2019-04-30")
    assert cited(row) == (ARTICLE, "para 6")


def test_about_23_billion_dollars_announced_in_the_first_half_of_2020(
    client: TestClient,
) -> None:
    row = figure(client, ("indicator", "investment-announcements"))
    assert (row["value"], row["unit"], row["qualifier"]) == ("23000000000", "USD", "approximate")
    assert (row["period_start"], row["period_end"]) == ("2020-01-01", "2020-06-30")
    assert (row["publisher"], cited(row)) == ("aei", (ARTICLE, "para 6"))
    ratio = figure(client, ("indicator", "investment-announcements-ratio"))
    assert (ratio["value"], ratio["unit"], ratio["qualifier"]) == ("0.2", "ratio", "approximate")
    assert (ratio["base_period_start"], ratio["base_period_end"]) == ("2019-01-01", "2019-12-31")


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        (
            "bri-projects-adversely-affected-share",
            {"value": "40", "value_low": None, "value_high": None, "qualifier": "approximate"},
        ),
        (
            "bri-projects-somewhat-affected-share",
            {"value": None, "value_low": "30", "value_high": "40", "qualifier": "range"},
        ),
    ],
)
def test_share_of_bri_projects_hit_by_the_pandemic(
    client: TestClient, indicator: str, expected: dict[str, Any]
) -> None:
    row = figure(client, ("indicator", indicator))
    assert {k: row[k] for k in expected} == expected
    assert (row["unit"], row["publisher"], cited(row)) == (
        "percent",
        "china-mfa",
        (ARTICLE, "para 7"),
    )


def test_go_cloud_targets_a_million_companies_by_2025(client: TestClient) -> None:
    row = figure(client, ("project", "go-cloud"))
    assert (row["value"], row["unit"], row["qualifier"]) == ("1000000", "count", "target")
    assert (row["period_start"], row["period_end"]) == (None, "2025-12-31")
    assert (row["publisher"], cited(row)) == ("chinese-government", (ARTICLE, "para 21"))


def test_other_figures_the_article_reports(client: TestClient) -> None:
    growth = figure(client, ("indicator", "ecommerce-purchases-growth"))
    assert (growth["value"], growth["unit"], growth["country"], cited(growth)) == (
        "20",
        "percent",
        "CHN",
        (ARTICLE, "para 21"),
    )
    debt = figure(client, ("indicator", "developing-economies-high-china-debt-share"))
    assert (debt["value"], debt["unit"], debt["qualifier"], cited(debt)) == (
        "0.33",
        "ratio",
        "approximate",
        (ARTICLE, "para 23"),
    )


def test_peak_years_and_the_digital_authoritarianism_report(client: TestClient) -> None:
    peaks = rows(client, "/v1/events", ("kind", "milestone"), ("date_max", "2017-12-31"))
    assert [(e["date"], cited(e)) for e in peaks] == [
        ("2016-01-01", (ARTICLE, "para 6")),
        ("2017-01-01", (ARTICLE, "para 6")),
    ]
    report = rows(client, "/v1/events", ("organisation", "us-senate-foreign-relations"))
    assert [(e["date"], e["date_precision"], cited(e)) for e in report] == [
        ("2020-07-01", "month", (ARTICLE, "para 24"))
    ]

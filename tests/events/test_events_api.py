from typing import Any

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, data, seed_text, untimed

DIPLOMAT = ("diplomat-2019-bri-age", "paragraph 2")
# In date order (ties by id): id, key, kind, date, precision, strand, country,
# organisation, project, (source, locator) or the article's paragraph
EVENTS = [
    (1, "bri-announced-2013", "launch", "2013-01-01", "year", "bri", "CHN", None, None,
     ("cfr-bri-backgrounder", "opening section")),
    (2, "silk-road-economic-belt-proposed-2013-09", "announcement", "2013-09-01", "month",
     "bri", "KAZ", None, None, DIPLOMAT),
    (3, "maritime-silk-road-proposed-2013-10", "announcement", "2013-10-01", "month", "bri",
     "IDN", None, None, DIPLOMAT),
    (4, "digital-silk-road-launched-2015", "launch", "2015-01-01", "year", "digital", "CHN",
     None, None, 11),
    (5, "bri-funding-peak-2016", "milestone", "2016-01-01", "year", "bri", None, None, None, 6),
    (6, "bri-funding-peak-2017", "milestone", "2017-01-01", "year", "bri", None, None, None, 6),
    (7, "health-silk-road-launched-2017", "launch", "2017-01-01", "year", "health", "CHN",
     None, None, 12),
    (8, "latin-america-added-2017", "launch", "2017-01-01", "year", "latin-america", None,
     None, None, 10),
    (10, "xi-thought-party-constitution-2017", "policy", "2017-10-01", "month", None, "CHN",
     "ccp", None, ("china-daily-2017-xi-thought-party-constitution", "paragraphs 1-2")),
    (9, "polar-silk-road-added-2018", "launch", "2018-01-01", "year", "polar", None, None,
     None, 10),
    (11, "xi-thought-state-constitution-2018", "policy", "2018-03-11", "day", None, "CHN",
     None, None, ("ecns-2018-xi-thought-state-constitution", "paragraphs 1-2")),
    (12, "covid-19-pandemic", "milestone", "2019-01-01", "year", "bri", None, None, None, 6),
    (13, "politburo-5g-covid-recovery-2020", "statement", "2020-01-01", "year", None, "CHN",
     "ccp-politburo", "china-5g-data-centres", 20),
    (14, "xi-5g-data-centres-promise-2020", "statement", "2020-01-01", "year", None, "CHN",
     "chinese-government", "china-5g-data-centres", 20),
    (15, "sfrc-digital-authoritarianism-report-2020-07", "report", "2020-07-01", "month",
     "digital", "USA", "us-senate-foreign-relations", None, 24),
]  # fmt: skip


def expected(row: tuple[Any, ...]) -> dict[str, Any]:
    id_, key, kind, day, precision, strand, country, organisation, project, cite = row
    source, locator = cite if isinstance(cite, tuple) else (ARTICLE, f"para {cite}")
    return {
        "id": id_,
        "key": key,
        "title": seed_text("events", key, "title"),
        "kind": kind,
        "date": day,
        "date_precision": precision,
        "strand": strand,
        "country": country,
        "organisation": organisation,
        "project": project,
        "note": seed_text("events", key, "note"),
        "source": source,
        "locator": locator,
        "version": 1,
    }


def test_lists_every_event_in_date_order(client: TestClient) -> None:
    response = client.get("/v1/events")
    assert data(response) == [expected(row) for row in EVENTS]
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 15}


def test_detail_by_key_or_id(client: TestClient) -> None:
    response = client.get("/v1/events/xi-thought-state-constitution-2018")
    assert untimed(response.json()) == expected(EVENTS[10])
    assert client.get("/v1/events/11").json() == response.json()


def test_filters(client: TestClient) -> None:
    def keys(*params: tuple[str, str]) -> list[str]:
        response = client.get("/v1/events", params=[*params, ("fields", "key")])
        assert response.status_code == 200, response.text
        return [row["key"] for row in response.json()["data"]]

    assert keys(("kind", "launch"), ("date_min", "2016-01-01")) == [
        "health-silk-road-launched-2017",
        "latin-america-added-2017",
        "polar-silk-road-added-2018",
    ]
    assert keys(("country", "KZ"), ("country", "IDN")) == [
        "silk-road-economic-belt-proposed-2013-09",
        "maritime-silk-road-proposed-2013-10",
    ]
    assert keys(("project", "china-5g-data-centres"), ("organisation", "ccp-politburo")) == [
        "politburo-5g-covid-recovery-2020"
    ]
    assert keys(("source", "ecns-2018-xi-thought-state-constitution")) == [
        "xi-thought-state-constitution-2018"
    ]


def test_unknown_event_is_a_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/events/nope"), 404, "not-found", "No event 'nope'.")

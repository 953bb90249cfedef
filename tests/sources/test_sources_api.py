from typing import Any

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, data, seed_rows, seed_text, untimed

# id, key, kind, authors, published_on, year, licence
SOURCES = [
    (1, ARTICLE, "article", "George Magnus; Hannah Bretherton", None, 2020, None),
    (2, "iso-3166-1", "standard", None, None, None, None),
    (3, "un-m49", "standard", None, None, None, None),
    (4, "cfr-bri-backgrounder", "webpage", "Andrew Chatzky; James McBride", None, 2020, None),
    (5, "diplomat-2019-bri-age", "webpage", None, None, 2019, None),
    (6, "odni-fiorc", "webpage", None, None, None, None),
    (7, "china-daily-2017-xi-thought-party-constitution", "webpage", None, "2017-10-25", 2017,
     None),
    (8, "ecns-2018-xi-thought-state-constitution", "webpage", None, "2018-03-11", 2018, None),
    (9, "sfrc-2020-new-big-brother", "report", None, "2020-07-21", 2020, None),
    (10, "aiddata-gcdf-3", "dataset", None, None, 2023, "ODC-BY 1.0"),
    (11, "aei-cgit", "dataset", None, None, None, None),
]  # fmt: skip


def expected(id_: int) -> dict[str, Any]:
    _, key, kind, authors, published_on, year, licence = SOURCES[id_ - 1]
    return {
        "id": id_,
        "key": key,
        "kind": kind,
        "title": seed_text("sources", key, "title"),
        "authors": authors,
        "publisher": seed_text("sources", key, "publisher"),
        "published_on": published_on,
        "year": year,
        "url": seed_text("sources", key, "url"),
        "licence": licence,
        "note": seed_text("sources", key, "note"),
        "version": 1,
    }


def test_lists_every_source(client: TestClient) -> None:
    response = client.get("/v1/sources")
    assert data(response) == [expected(row[0]) for row in SOURCES]
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 11}
    assert len(seed_rows("sources")) == 11


def test_the_article_by_key_or_id(client: TestClient) -> None:
    response = client.get(f"/v1/sources/{ARTICLE}")
    assert untimed(response.json()) == expected(1)
    assert response.json()["title"] == (
        "Will digital diplomacy cement the Belt and Road Initiative's 'common destiny'?"
    )
    assert client.get("/v1/sources/1").json() == response.json()


def test_filters(client: TestClient) -> None:
    response = client.get("/v1/sources", params={"kind": "dataset", "fields": "key,licence"})
    assert response.json()["data"] == [
        {"key": "aiddata-gcdf-3", "licence": "ODC-BY 1.0"},
        {"key": "aei-cgit", "licence": None},
    ]
    response = client.get("/v1/sources", params={"year_min": 2020, "fields": "key"})
    assert [row["key"] for row in response.json()["data"]] == [
        ARTICLE,
        "cfr-bri-backgrounder",
        "sfrc-2020-new-big-brother",
        "aiddata-gcdf-3",
    ]


def test_unknown_source_is_a_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/sources/nope"), 404, "not-found", "No source 'nope'.")

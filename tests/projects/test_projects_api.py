from typing import Any

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, data, seed_rows, seed_text, untimed

ARTICLE_TITLE = "Will digital diplomacy cement the Belt and Road Initiative's 'common destiny'?"
BEIDOU_COUNTRIES = ["BRN", "CHN", "LAO", "PAK", "THA"]
# id, key, status, sector, start year, strands, countries
PROJECTS = [
    (1, "beidou", "operational", "Communications", None, ["digital"], BEIDOU_COUNTRIES),
    (2, "gps", "operational", "Communications", None, [], ["USA"]),
    (3, "huawei-5g", "unknown", "Communications", None, ["digital"], []),
    (4, "go-cloud", "unknown", "Communications", None, ["digital"], ["CHN"]),
    (5, "china-5g-data-centres", "implementation", "Communications", None, ["digital"], ["CHN"]),
    (6, "tcm-health-diplomacy", "unknown", "Health", 2017, ["health"], []),
    (7, "health-regional-forums", "unknown", "Health", 2017, ["health"], []),
    (8, "health-emergency-coordination", "unknown", "Health", 2017, ["health"], []),
    (9, "mask-diplomacy", "unknown", "Health", None, ["health"], []),
    (10, "track-and-trace", "unknown", "Health", None, ["digital", "health"], []),
]  # fmt: skip


def summary(id_: int) -> dict[str, Any]:
    _, key, status, sector, start_year, strands, countries = PROJECTS[id_ - 1]
    return {
        "id": id_,
        "key": key,
        "title": seed_text("projects", key, "title"),
        "kind": "programme",
        "description": seed_text("projects", key, "description"),
        "status": status,
        "intent": None,
        "sector_code": None,
        "sector_name": sector,
        "flow_type": None,
        "flow_class": None,
        "year": None,
        "start_year": start_year,
        "completion_year": None,
        "amount_usd": None,
        "amount_usd_constant": None,
        "umbrella": False,
        "recommended_for_aggregates": True,
        "parent": None,
        "dataset": None,
        "external_id": None,
        "recipient": None,
        "recipient_region": None,
        "flow_type_simplified": None,
        "income_group": None,
        "infrastructure": None,
        "covid": None,
        "strands": strands,
        "countries": countries,
        "version": 1,
    }


NO_DATES = {
    "commitment_date": None,
    "start_date": None,
    "start_date_estimated": None,
    "completion_date": None,
    "completion_date_estimated": None,
    "planned_start_date": None,
    "planned_completion_date": None,
    "commitment_date_estimated": None,
    "source_quality_score": None,
    "data_completeness_score": None,
    "implementation_detail_score": None,
    "loan_detail_score": None,
    "attributes": None,
}


def citation(para: int) -> dict[str, Any]:
    return {"source": ARTICLE, "title": ARTICLE_TITLE, "url": None, "locator": f"para {para}"}


def test_lists_every_project(client: TestClient) -> None:
    response = client.get("/v1/projects")
    assert data(response) == [summary(row[0]) for row in PROJECTS]
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 10}
    assert len(seed_rows("projects")) == 10


def test_beidou_detail_embeds_countries_organisations_strands_funding_citations(
    client: TestClient,
) -> None:
    response = client.get("/v1/projects/beidou")
    assert response.status_code == 200
    assert response.headers["etag"] == '"v1"'
    assert untimed(response.json()) == {
        **summary(1),
        **NO_DATES,
        "country_roles": [
            {"iso3": "BRN", "name": "Brunei Darussalam", "role": "adopter"},
            {"iso3": "CHN", "name": "China", "role": "host"},
            {"iso3": "LAO", "name": "Laos", "role": "adopter"},
            {"iso3": "PAK", "name": "Pakistan", "role": "adopter"},
            {"iso3": "THA", "name": "Thailand", "role": "adopter"},
        ],
        "organisations": [
            {
                "id": 9,
                "key": "chinese-government",
                "name": "Government of the People's Republic of China",
                "kind": "government",
                "role": "promoter",
            }
        ],
        "strand_links": [{"code": "digital", "name": "Digital Silk Road", "basis": "inferred"}],
        "funding": [],
        "citations": [citation(29)],
    }
    assert client.get("/v1/projects/1").json() == response.json()


def test_huawei_5g_detail_cites_two_paragraphs(client: TestClient) -> None:
    body = untimed(client.get("/v1/projects/huawei-5g").json())
    assert body == {
        **summary(3),
        **NO_DATES,
        "country_roles": [],
        "organisations": [
            {"id": 1, "key": "huawei", "name": "Huawei", "kind": "company", "role": "supplier"}
        ],
        "strand_links": [{"code": "digital", "name": "Digital Silk Road", "basis": "inferred"}],
        "funding": [],
        "citations": [citation(19), citation(28)],
    }


def test_track_and_trace_links_two_stated_strands(client: TestClient) -> None:
    body = client.get("/v1/projects/track-and-trace").json()
    assert body["strand_links"] == [
        {"code": "digital", "name": "Digital Silk Road", "basis": "stated"},
        {"code": "health", "name": "Health Silk Road", "basis": "stated"},
    ]
    assert (body["organisations"], body["country_roles"]) == ([], [])


def test_filters_by_strand_country_and_organisation(client: TestClient) -> None:
    def keys(*params: tuple[str, str]) -> list[str]:
        response = client.get("/v1/projects", params=[*params, ("fields", "key")])
        assert response.status_code == 200, response.text
        return [row["key"] for row in response.json()["data"]]

    assert keys(("strand", "health")) == [
        "tcm-health-diplomacy",
        "health-regional-forums",
        "health-emergency-coordination",
        "mask-diplomacy",
        "track-and-trace",
    ]
    assert keys(("strand", "health"), ("strand_basis", "inferred")) == ["mask-diplomacy"]
    assert keys(("country", "PK"), ("country", "USA")) == ["beidou", "gps"]
    assert keys(("country_role", "adopter")) == ["beidou"]
    assert keys(("organisation", "ccp-politburo")) == ["china-5g-data-centres"]
    assert keys(("status", "operational"), ("strand", "digital")) == ["beidou"]


def test_unknown_project_is_a_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/projects/nope"), 404, "not-found", "No project 'nope'.")
    assert_problem(client.get("/v1/projects/424242"), 404, "not-found", "No project '424242'.")

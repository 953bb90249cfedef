from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, data, seed_text, untimed


def strand(code: str, name: str, kind: str, year: int, parent: str | None, cite: tuple[str, str]):
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "year_launched": year,
        "parent": parent,
        "description": seed_text("strands", code, "description", key_field="code"),
        "source": cite[0],
        "locator": cite[1],
        "version": 1,
    }


STRANDS = [
    strand(
        "bri",
        "Belt and Road Initiative",
        "core",
        2013,
        None,
        ("cfr-bri-backgrounder", "opening section"),
    ),
    strand("digital", "Digital Silk Road", "thematic", 2015, "bri", (ARTICLE, "para 11")),
    strand("health", "Health Silk Road", "thematic", 2017, "bri", (ARTICLE, "para 12")),
    strand("latin-america", "Latin America", "geographic", 2017, "bri", (ARTICLE, "para 10")),
    strand("polar", "Polar Silk Road", "geographic", 2018, "bri", (ARTICLE, "para 10")),
]


def test_lists_every_strand_in_launch_order(client: TestClient) -> None:
    response = client.get("/v1/strands")
    assert data(response) == STRANDS
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 5}
    assert response.json()["links"] == {"self": "http://testserver/v1/strands", "next": None}


def test_selected_fields_only(client: TestClient) -> None:
    response = client.get("/v1/strands", params={"fields": "code,year_launched,parent,kind"})
    assert response.status_code == 200
    assert response.json()["data"] == [
        {"code": "bri", "year_launched": 2013, "parent": None, "kind": "core"},
        {"code": "digital", "year_launched": 2015, "parent": "bri", "kind": "thematic"},
        {"code": "health", "year_launched": 2017, "parent": "bri", "kind": "thematic"},
        {"code": "latin-america", "year_launched": 2017, "parent": "bri", "kind": "geographic"},
        {"code": "polar", "year_launched": 2018, "parent": "bri", "kind": "geographic"},
    ]


def test_filters_by_kind_and_year(client: TestClient) -> None:
    response = client.get("/v1/strands", params={"kind": "geographic", "fields": "code"})
    assert response.json()["data"] == [{"code": "latin-america"}, {"code": "polar"}]
    response = client.get(
        "/v1/strands", params={"year_min": 2016, "year_max": 2017, "fields": "code"}
    )
    assert response.json()["data"] == [{"code": "health"}, {"code": "latin-america"}]


def test_strand_detail_is_the_list_row(client: TestClient) -> None:
    for expected in STRANDS:
        response = client.get(f"/v1/strands/{expected['code']}")
        assert response.status_code == 200
        assert untimed(response.json()) == expected
        assert response.headers["etag"] == '"v1"'


def test_strand_code_is_case_insensitive(client: TestClient) -> None:
    assert client.get("/v1/strands/DIGITAL").json()["code"] == "digital"


def test_unknown_strand_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/strands/space")
    assert_problem(response, 404, "not-found", "No strand 'space'.")

from fastapi.testclient import TestClient


def test_lists_every_strand_in_launch_order(client: TestClient) -> None:
    response = client.get("/v1/strands", params={"fields": "code,year_launched,parent,kind"})
    assert response.status_code == 200
    assert response.json()["data"] == [
        {"code": "bri", "year_launched": 2013, "parent": None, "kind": "core"},
        {"code": "digital", "year_launched": 2015, "parent": "bri", "kind": "thematic"},
        {"code": "health", "year_launched": 2017, "parent": "bri", "kind": "thematic"},
        {"code": "latin-america", "year_launched": 2017, "parent": "bri", "kind": "geographic"},
        {"code": "polar", "year_launched": 2018, "parent": "bri", "kind": "geographic"},
    ]
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 5}


def test_strand_detail_cites_the_article(client: TestClient) -> None:
    body = client.get("/v1/strands/digital").json()
    assert (body["source"], body["locator"], body["year_launched"]) == (
        "magnus-bretherton-2020",
        "para 11",
        2015,
    )


def test_unknown_strand_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/strands/space")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "No strand 'space'."

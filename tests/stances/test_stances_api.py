from typing import Any

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, data, seed_text, untimed

HUAWEI, FIVE_EYES = ("organisation", "huawei"), "five-eyes"
# id, key, country, action, target (field, value), via, year, paragraph
STANCES = [
    (1, "ind-resisted-bri", "IND", "resisted", ("strand", "bri"), None, None, 28),
    (2, "ind-resisted-digital", "IND", "resisted", ("strand", "digital"), None, None, 31),
    (3, "aus-restricted-huawei", "AUS", "restricted", HUAWEI, FIVE_EYES, None, 28),
    (4, "can-restricted-huawei", "CAN", "restricted", HUAWEI, FIVE_EYES, None, 28),
    (5, "gbr-restricted-huawei", "GBR", "restricted", HUAWEI, FIVE_EYES, None, 28),
    (6, "nzl-restricted-huawei", "NZL", "restricted", HUAWEI, FIVE_EYES, None, 28),
    (7, "usa-restricted-huawei", "USA", "restricted", HUAWEI, FIVE_EYES, None, 28),
    (8, "tha-adopted-beidou", "THA", "adopted", ("project", "beidou"), None, None, 29),
    (9, "brn-adopted-beidou", "BRN", "adopted", ("project", "beidou"), None, None, 29),
    (10, "pak-adopted-beidou", "PAK", "adopted", ("project", "beidou"), None, None, 29),
    (11, "lao-adopted-beidou", "LAO", "adopted", ("project", "beidou"), None, None, 29),
    (12, "usa-criticised-digital-2020", "USA", "criticised", ("strand", "digital"), None, 2020, 24),
]  # fmt: skip


def expected(id_: int) -> dict[str, Any]:
    _, key, country, action, (target, value), via, year, para = STANCES[id_ - 1]
    return {
        "id": id_,
        "key": key,
        "country": country,
        "action": action,
        "strand": None,
        "project": None,
        "organisation": None,
        target: value,
        "via": via,
        "year": year,
        "note": seed_text("stances", key, "note"),
        "source": ARTICLE,
        "locator": f"para {para}",
        "version": 1,
    }


def test_lists_every_stance(client: TestClient) -> None:
    response = client.get("/v1/stances")
    assert data(response) == [expected(row[0]) for row in STANCES]
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 12}


def test_detail_by_key_or_id(client: TestClient) -> None:
    response = client.get("/v1/stances/tha-adopted-beidou")
    assert untimed(response.json()) == expected(8)
    assert client.get("/v1/stances/8").json() == response.json()


def test_filters(client: TestClient) -> None:
    def keys(*params: tuple[str, str]) -> list[str]:
        response = client.get("/v1/stances", params=[*params, ("fields", "key")])
        assert response.status_code == 200, response.text
        return [row["key"] for row in response.json()["data"]]

    assert keys(("via", "five-eyes"), ("country", "nz")) == ["nzl-restricted-huawei"]
    assert keys(("action", "resisted"), ("action", "criticised")) == [
        "ind-resisted-bri",
        "ind-resisted-digital",
        "usa-criticised-digital-2020",
    ]
    assert keys(("strand", "digital"), ("country", "USA")) == ["usa-criticised-digital-2020"]
    assert keys(("year_min", "2020")) == ["usa-criticised-digital-2020"]


def test_unknown_stance_is_a_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/stances/nope"), 404, "not-found", "No stance 'nope'.")

from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, data, seed_text, untimed

# id, key, name, kind, country, members, paragraph of the article cited
ORGANISATIONS = [
    (1, "huawei", "Huawei", "company", "CHN", [], 19),
    (2, "caixin", "Caixin (Caixin Online)", "media", "CHN", [], 6),
    (3, "aei", "American Enterprise Institute", "think_tank", "USA", [], 6),
    (
        4,
        "china-mfa",
        "Ministry of Foreign Affairs of the People's Republic of China",
        "ministry",
        "CHN",
        [],
        7,
    ),
    (5, "five-eyes", "Five Eyes", "alliance", None, ["AUS", "CAN", "GBR", "NZL", "USA"], 28),
    (
        6,
        "us-senate-foreign-relations",
        "United States Senate Committee on Foreign Relations",
        "legislature",
        "USA",
        [],
        24,
    ),
    (7, "ccp", "Chinese Communist Party", "political_party", "CHN", [], 8),
    (
        8,
        "ccp-politburo",
        "Politburo of the Chinese Communist Party",
        "political_party",
        "CHN",
        [],
        20,
    ),
    (
        9,
        "chinese-government",
        "Government of the People's Republic of China",
        "government",
        "CHN",
        [],
        21,
    ),
    (10, "china-policy-banks", "China's policy banks", "bank", "CHN", [], 7),
    (
        11,
        "china-major-telecom-providers",
        "China's major telecom providers",
        "company",
        "CHN",
        [],
        22,
    ),
    (12, "us-government", "United States Government", "government", "USA", [], 29),
    (13, "united-nations", "United Nations", "intergovernmental", None, [], 12),
    (14, "lse-ideas", "LSE IDEAS", "think_tank", "GBR", [], 32),
    (15, "china-foresight-forum", "China Foresight Forum", "think_tank", "GBR", [], 32),
    (
        16,
        "lse",
        "The London School of Economics and Political Science",
        "university",
        "GBR",
        [],
        32,
    ),
]


def expected(id_: int) -> dict[str, object]:
    _, key, name, kind, country, members, para = ORGANISATIONS[id_ - 1]
    return {
        "id": id_,
        "key": key,
        "name": name,
        "kind": kind,
        "country": country,
        "description": seed_text("organisations", key, "description"),
        "members": members,
        "source": ARTICLE,
        "locator": f"para {para}",
        "version": 1,
    }


def test_lists_every_organisation(client: TestClient) -> None:
    response = client.get("/v1/organisations")
    assert data(response) == [expected(row[0]) for row in ORGANISATIONS]
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 16}


def test_five_eyes_is_an_alliance_of_five_member_countries(client: TestClient) -> None:
    response = client.get("/v1/organisations/five-eyes")
    assert response.status_code == 200
    assert untimed(response.json()) == expected(5)
    assert client.get("/v1/organisations/5").json() == response.json()


def test_groups_a_country_belongs_to(client: TestClient) -> None:
    for code in ("NZL", "nz", "GB"):
        response = client.get("/v1/organisations", params={"member": code, "fields": "key"})
        assert response.json()["data"] == [{"key": "five-eyes"}]
    response = client.get("/v1/organisations", params={"member": "CHN", "fields": "key"})
    assert response.json()["data"] == []


def test_filters_by_kind_and_country(client: TestClient) -> None:
    response = client.get(
        "/v1/organisations",
        params=[("kind", "think_tank"), ("kind", "media"), ("country", "GB"), ("fields", "key")],
    )
    assert response.json()["data"] == [{"key": "lse-ideas"}, {"key": "china-foresight-forum"}]


def test_unknown_organisation_is_a_404(client: TestClient) -> None:
    assert_problem(
        client.get("/v1/organisations/nato"), 404, "not-found", "No organisation 'nato'."
    )

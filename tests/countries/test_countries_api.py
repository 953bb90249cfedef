from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, assert_problem, data, seed_text, untimed

ODNI = ("odni-fiorc", "list of member bodies")
DIPLOMAT = ("diplomat-2019-bri-age", "paragraph 2")
# iso3: (iso2, numeric, name, official name, region, subregion, cite)
NOTED = {
    "AUS": ("AU", "036", "Australia", None, "Oceania", "Australia and New Zealand", ODNI),
    "BRN": ("BN", "096", "Brunei Darussalam", None, "Asia", "South-eastern Asia", "para 29"),
    "CAN": ("CA", "124", "Canada", None, "Americas", "Northern America", ODNI),
    "CHN": (
        "CN",
        "156",
        "China",
        "People's Republic of China",
        "Asia",
        "Eastern Asia",
        "para 8",
    ),
    "GBR": (
        "GB",
        "826",
        "United Kingdom",
        "United Kingdom of Great Britain and Northern Ireland",
        "Europe",
        "Northern Europe",
        ODNI,
    ),
    "IDN": (
        "ID",
        "360",
        "Indonesia",
        "Republic of Indonesia",
        "Asia",
        "South-eastern Asia",
        DIPLOMAT,
    ),
    "IND": ("IN", "356", "India", "Republic of India", "Asia", "Southern Asia", "para 28"),
    "KAZ": ("KZ", "398", "Kazakhstan", "Republic of Kazakhstan", "Asia", "Central Asia", DIPLOMAT),
    "LAO": ("LA", "418", "Laos", None, "Asia", "South-eastern Asia", "para 29"),
    "NZL": ("NZ", "554", "New Zealand", None, "Oceania", "Australia and New Zealand", ODNI),
    "PAK": (
        "PK",
        "586",
        "Pakistan",
        "Islamic Republic of Pakistan",
        "Asia",
        "Southern Asia",
        "para 29",
    ),
    "THA": (
        "TH",
        "764",
        "Thailand",
        "Kingdom of Thailand",
        "Asia",
        "South-eastern Asia",
        "para 29",
    ),
    "USA": (
        "US",
        "840",
        "United States",
        "United States of America",
        "Americas",
        "Northern America",
        "para 29",
    ),
}


def noted(iso3: str) -> dict[str, object]:
    iso2, numeric, name, official, region, subregion, cite = NOTED[iso3]
    source, locator = cite if isinstance(cite, tuple) else (ARTICLE, cite)
    return {
        "iso3": iso3,
        "iso2": iso2,
        "numeric": numeric,
        "name": name,
        "official_name": official,
        "region": region,
        "subregion": subregion,
        "note": seed_text("countries", iso3, "note", key_field="iso3"),
        "source": source,
        "locator": locator,
        "version": 1,
    }


def test_every_iso_country_is_listed(client: TestClient) -> None:
    response = client.get("/v1/countries", params={"limit": 2})
    assert data(response) == [
        {
            "iso3": "ABW",
            "iso2": "AW",
            "numeric": "533",
            "name": "Aruba",
            "official_name": None,
            "region": "Americas",
            "subregion": "Latin America and the Caribbean",
            "note": None,
            "source": None,
            "locator": None,
            "version": 1,
        },
        {
            "iso3": "AFG",
            "iso2": "AF",
            "numeric": "004",
            "name": "Afghanistan",
            "official_name": "Islamic Republic of Afghanistan",
            "region": "Asia",
            "subregion": "Southern Asia",
            "note": None,
            "source": None,
            "locator": None,
            "version": 1,
        },
    ]
    assert response.json()["meta"]["count"] == 249


def test_countries_the_sources_speak_of(client: TestClient) -> None:
    response = client.get("/v1/countries", params={"has_note": "true"})
    assert data(response) == [noted(iso3) for iso3 in sorted(NOTED)]
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 13}


def test_countries_without_a_note(client: TestClient) -> None:
    response = client.get("/v1/countries", params={"has_note": "false", "count": "exact"})
    assert response.json()["meta"]["count"] == 249 - 13


def test_detail_by_alpha3_or_alpha2_any_case(client: TestClient) -> None:
    for code in ("PAK", "pak", "PK", "pk"):
        response = client.get(f"/v1/countries/{code}")
        assert response.status_code == 200
        assert untimed(response.json()) == noted("PAK")


def test_antarctica_has_a_region_but_no_subregion(client: TestClient) -> None:
    body = untimed(client.get("/v1/countries/ATA").json())
    assert (body["region"], body["subregion"]) == ("Antarctica", None)


def test_filter_by_region_and_code(client: TestClient) -> None:
    response = client.get("/v1/countries", params={"region": "Oceania", "count": "exact"})
    assert response.json()["meta"]["count"] == 29
    response = client.get(
        "/v1/countries", params=[("iso3", "pk"), ("iso3", "LAO"), ("fields", "iso3")]
    )
    assert response.json()["data"] == [{"iso3": "LAO"}, {"iso3": "PAK"}]


def test_unknown_country_is_a_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/countries/XXX"), 404, "not-found", "No country 'XXX'.")
    assert_problem(client.get("/v1/countries/Q"), 404, "not-found", "No country 'Q'.")


def test_a_bad_country_code_filter_is_a_400(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/countries?iso3=ZZZ"), 400, "invalid-parameter")
    assert body["errors"] == [
        {
            "location": "query",
            "field": "iso3",
            "message": "'ZZZ' is not an ISO 3166-1 alpha-3 or alpha-2 country code",
        }
    ]

"""Every kind of bad list or summary parameter is a 400 problem naming what is wrong."""

import pytest
from fastapi.testclient import TestClient

from tests.api_helpers import assert_problem

PROJECT_PARAMETERS = (
    "amount_usd_max, amount_usd_min, count, country, country_role, covid, cursor, dataset, "
    "fields, flow_class, flow_type, flow_type_simplified, format, income_group, "
    "infrastructure, intent, kind, limit, organisation, organisation_role, q, "
    "recipient_region, recommended_for_aggregates, region, sector, sort, status, strand, "
    "strand_basis, umbrella, updated_since, year_max, year_min"
)
PROJECT_SORT_KEYS = (
    "id, key, title, status, sector_code, year, start_year, completion_year, amount_usd, "
    "amount_usd_constant, updated_at"
)
FUNDING_SUMMARY_PARAMETERS = (
    "amount_usd_max, amount_usd_min, country, country_role, currency, financier, flow_class, "
    "flow_type, format, group_by, include_not_recommended, include_umbrella, intent, project, q, "
    "recommended_for_aggregates, region, sector, sort, source, status, strand, umbrella, "
    "updated_since, year_max, year_min"
)
STRANDS = "bri, digital, health, latin-america, polar"


@pytest.mark.parametrize(
    ("path", "query", "detail"),
    [
        (
            "/v1/projects",
            "colour=red",
            f"Query parameter 'colour': unknown parameter. Valid parameters: {PROJECT_PARAMETERS}",
        ),
        (
            "/v1/projects",
            "sort=colour",
            f"Query parameter 'sort': unknown sort key 'colour'. Valid: {PROJECT_SORT_KEYS}",
        ),
        (
            "/v1/projects",
            "sort=description",
            f"Query parameter 'sort': unknown sort key 'description'. Valid: {PROJECT_SORT_KEYS}",
        ),
        (
            "/v1/projects",
            "sort=--year",
            f"Query parameter 'sort': unknown sort key '-year'. Valid: {PROJECT_SORT_KEYS}",
        ),
        (
            "/v1/projects",
            "sort=year,-year",
            "Query parameter 'sort': sort key 'year' is given twice",
        ),
        ("/v1/projects", "sort=", "Query parameter 'sort': name at least one sort key"),
        ("/v1/projects", "fields=,", "Query parameter 'fields': name at least one field"),
        ("/v1/projects", "limit=5&limit=6", "Query parameter 'limit': may be given only once"),
        ("/v1/projects", "sort=id&sort=key", "Query parameter 'sort': may be given only once"),
        ("/v1/projects", "q=a&q=b", "Query parameter 'q': may be given only once"),
        (
            "/v1/projects",
            "year_min=2010&year_min=2015",
            "Query parameter 'year_min': may be given only once",
        ),
        (
            "/v1/funding",
            "updated_since=2020-01-01&updated_since=2021-01-01",
            "Query parameter 'updated_since': may be given only once",
        ),
        ("/v1/projects", "limit=1001", "Query parameter 'limit': must be at most 1000"),
        (
            "/v1/projects",
            "amount_usd_min=1e20",
            "Query parameter 'amount_usd_min': must be less than 1,000,000,000,000,000 in "
            "absolute value",
        ),
        (  # an exponent past the decimal context's range (abs() would overflow)
            "/v1/funding",
            "amount_usd_min=-8e%2B7391204002",
            "Query parameter 'amount_usd_min': must be less than 1,000,000,000,000,000 in "
            "absolute value",
        ),
        (
            "/v1/projects",
            "strand=digitl",
            f"Query parameter 'strand': unknown value 'digitl'. Valid: {STRANDS}",
        ),
        (
            "/v1/funding",
            "strand=digital&strand=Digital",
            f"Query parameter 'strand': unknown value 'Digital'. Valid: {STRANDS}",
        ),
        (
            "/v1/projects",
            "region=asia",
            "Query parameter 'region': unknown value 'asia'. Valid: Africa, Americas, "
            "Antarctica, Asia, Europe, Oceania",
        ),
        (
            "/v1/projects",
            "country=XX",
            "Query parameter 'country': 'XX' is not an ISO 3166-1 alpha-3 or alpha-2 country code",
        ),
        (
            "/v1/projects",
            "updated_since=0001-01-01T00:00:00%2B01:00",
            "Query parameter 'updated_since': '0001-01-01T00:00:00+01:00' is outside the range "
            "of dates",
        ),
        (
            "/v1/funding/summary",
            "updated_since=9999-12-31T23:00:00-05:00",
            "Query parameter 'updated_since': '9999-12-31T23:00:00-05:00' is outside the range "
            "of dates",
        ),
        (
            "/v1/funding",
            "currency=dollars",
            "Query parameter 'currency': 'dollars' is not a three-letter ISO 4217 currency code",
        ),
        (
            "/v1/funding/summary",
            "limit=5",
            "Query parameter 'limit': unknown parameter. Valid parameters: "
            f"{FUNDING_SUMMARY_PARAMETERS}",
        ),
        (
            "/v1/funding/summary",
            "group_by=year&group_by=year",
            "Query parameter 'group_by': 'year' is given twice",
        ),
        (
            "/v1/funding/summary",
            "group_by=strand&sort=year",
            "Query parameter 'sort': 'year' is not a group_by dimension",
        ),
        (
            "/v1/funding/summary",
            "group_by=year&sort=-amount_usd_constant",
            "Query parameter 'sort': unknown sort key 'amount_usd_constant'. Valid: year, "
            "strand, country, region, sector, flow_type, flow_class, intent, status, financier, "
            "currency, count, amount_usd",
        ),
        (
            "/v1/projects/summary",
            "include_umbrella=true&include_umbrella=false",
            "Query parameter 'include_umbrella': may be given only once",
        ),
    ],
)
def test_bad_parameters_named_in_the_detail(
    client: TestClient, path: str, query: str, detail: str
) -> None:
    assert_problem(client.get(f"{path}?{query}"), 400, "invalid-parameter", detail)


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/v1/projects", "year_min=abc", "year_min"),
        ("/v1/projects", "amount_usd_min=ten", "amount_usd_min"),
        ("/v1/projects", "amount_usd_min=NaN", "amount_usd_min"),
        ("/v1/projects", "updated_since=yesterday", "updated_since"),
        ("/v1/projects", "umbrella=maybe", "umbrella"),
        ("/v1/projects", "status=finished", "status"),
        ("/v1/funding", "flow_type=gift", "flow_type"),
        ("/v1/projects", "country_role=owner", "country_role"),
        ("/v1/projects", "limit=0", "limit"),
        ("/v1/projects", "limit=many", "limit"),
        ("/v1/projects", "count=some", "count"),
        ("/v1/projects", "format=xml", "format"),
        ("/v1/projects", "q=", "q"),
        ("/v1/projects", "year_min=100000000000000000000", "year_min"),
        ("/v1/funding/summary", "group_by=planet", "group_by"),
        ("/v1/funding/summary", "include_umbrella=maybe", "include_umbrella"),
        ("/v1/projects/summary", "group_by=financier", "group_by"),
    ],
)
def test_values_of_the_wrong_type_are_400s_naming_the_parameter(
    client: TestClient, path: str, query: str, field: str
) -> None:
    body = assert_problem(client.get(f"{path}?{query}"), 400, "invalid-parameter")
    assert f"'{field}" in body["detail"]
    assert [error["field"].split(".")[0] for error in body["errors"]] == [field]


def test_an_unknown_enum_value_lists_the_valid_ones(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/projects?status=finished"), 400, "invalid-parameter")
    for status in ["pledged", "committed", "implementation", "completed", "cancelled"]:
        assert f"'{status}'" in body["detail"]
    body = assert_problem(
        client.get("/v1/funding/summary?group_by=planet"), 400, "invalid-parameter"
    )
    for dimension in ["year", "strand", "country", "region", "financier", "currency"]:
        assert f"'{dimension}'" in body["detail"]


def test_an_unknown_field_names_the_valid_ones(client: TestClient) -> None:
    body = assert_problem(client.get("/v1/projects?fields=title,colour"), 400, "invalid-parameter")
    assert body["detail"].startswith(
        "Query parameter 'fields': unknown field 'colour'. Valid: id, "
    )
    assert body["errors"] == [
        {"location": "query", "field": "fields", "message": body["detail"].split(": ", 1)[1]}
    ]


def test_too_many_values_of_one_filter(client: TestClient) -> None:
    query = "&".join(["country=PAK"] * 100)
    assert client.get(f"/v1/projects?{query}").status_code == 200
    assert_problem(
        client.get(f"/v1/projects?{query}&country=LAO"),
        400,
        "invalid-parameter",
        "Query parameter 'country': at most 100 values are allowed",
    )
    assert_problem(
        client.get(f"/v1/funding/summary?{query}&country=LAO"),
        400,
        "invalid-parameter",
        "Query parameter 'country': at most 100 values are allowed",
    )


def test_a_nul_character_is_refused(client: TestClient) -> None:
    for query in ["q=a%00b", "sector=%00"]:
        response = client.get(f"/v1/projects?{query}")
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"


def test_an_unknown_key_is_a_400_not_an_empty_list(client: TestClient) -> None:
    for path, name in [
        ("/v1/funding", "project"),
        ("/v1/funding", "financier"),
        ("/v1/projects", "organisation"),
        ("/v1/funding/summary", "financier"),
    ]:
        body = assert_problem(client.get(f"{path}?{name}=nobody"), 400, "invalid-parameter")
        assert body["detail"].startswith(f"Query parameter '{name}': unknown value 'nobody'.")

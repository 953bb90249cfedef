"""Writing funding: the project's totals stay the exact sums of its rows, and its version moves."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api_helpers import ARTICLE, NO_LOAN_TERMS, assert_problem, untimed
from tests.writes.helpers import MERGE_PATCH, delete, etag, patch

LOAN: dict[str, Any] = {
    "key": "beidou-loan-1",
    "project": "beidou",
    "flow_type": "loan",
    "amount": "700000000.10",
    "currency": "cny",
    "amount_usd": "100000000.10",
    "amount_usd_constant": "120000000.05",
    "constant_base_year": 2021,
    "commitment_date": "2019-05-17",
    "year": 2019,
    "financier": "chinese-government",
    "interest_rate": "2.5",
    "source": ARTICLE,
    "locator": "para 29",
}


PLAIN_ONLY = "Value error, must be written as a plain decimal number, like 1234.50 or 4.5E9"


def post(client: TestClient, writer: dict[str, str], **changes: Any) -> Any:
    return client.post("/v1/funding", json={**LOAN, **changes}, headers=writer)


def totals(client: TestClient, project: str) -> tuple[Any, Any, str]:
    response = client.get(f"/v1/projects/{project}")
    body = response.json()
    return body["amount_usd"], body["amount_usd_constant"], response.headers["etag"]


def test_create_answers_the_row(client: TestClient, writer: dict[str, str]) -> None:
    response = post(client, writer)
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"/v1/funding/{body['id']}"
    assert untimed(body) == {
        "id": body["id"],
        "key": "beidou-loan-1",
        "project": "beidou",
        "project_id": body["project_id"],
        "flow_type": "loan",
        "flow_type_detail": None,
        "amount": "700000000.10",
        "currency": "CNY",
        "amount_estimated": None,
        "amount_usd": "100000000.10",
        "amount_usd_constant": "120000000.05",
        "constant_base_year": 2021,
        "adjusted_amount": None,
        "adjusted_usd": None,
        "adjusted_usd_constant": None,
        "commitment_date": "2019-05-17",
        "commitment_date_estimated": None,
        "year": 2019,
        "financier": "chinese-government",
        "interest_rate": "2.5",
        "maturity_years": None,
        "grace_period_years": None,
        **NO_LOAN_TERMS,
        "source": ARTICLE,
        "locator": "para 29",
        "version": 1,
    }


def test_project_totals_are_exact_sums_and_its_etag_moves(
    client: TestClient, writer: dict[str, str]
) -> None:
    assert totals(client, "beidou") == (None, None, '"v1"')
    post(client, writer, amount_usd="0.10", amount_usd_constant="0.10")
    assert totals(client, "beidou") == ("0.10", "0.10", '"v2"')
    post(client, writer, key="beidou-loan-2", amount_usd="0.20", amount_usd_constant=None)
    assert totals(client, "beidou") == ("0.30", "0.10", '"v3"')
    post(client, writer, key="beidou-loan-3", amount_usd="123456789012345.56")
    assert totals(client, "beidou")[0] == "123456789012345.86"
    embedded = client.get("/v1/projects/beidou").json()["funding"]
    assert [row["key"] for row in embedded] == ["beidou-loan-1", "beidou-loan-2", "beidou-loan-3"]


def test_changing_and_deleting_funding_recomputes_the_total(
    client: TestClient, writer: dict[str, str]
) -> None:
    first = post(client, writer, amount_usd="10.00").headers["location"]
    second = post(client, writer, key="beidou-loan-2", amount_usd="5.55").headers["location"]
    assert patch(client, first, {"amount_usd": "1.01"}, writer).status_code == 200
    assert totals(client, "beidou")[0] == "6.56"
    assert delete(client, second, writer).status_code == 204
    assert totals(client, "beidou")[0] == "1.01"
    assert delete(client, first, writer).status_code == 204
    assert totals(client, "beidou")[:2] == (None, None)


def test_moving_funding_updates_both_projects(client: TestClient, writer: dict[str, str]) -> None:
    path = post(client, writer, amount_usd="42.00").headers["location"]
    assert patch(client, path, {"project": "gps"}, writer).status_code == 200
    assert totals(client, "beidou")[:2] == (None, None)
    assert totals(client, "gps")[:2] == ("42.00", "120000000.05")
    assert client.get(path).json()["project"] == "gps"


def test_a_funding_write_makes_the_projects_old_etag_stale(
    client: TestClient, writer: dict[str, str]
) -> None:
    seen = etag(client, "/v1/projects/beidou")
    post(client, writer)
    response = client.patch(
        "/v1/projects/beidou",
        json={"status": "completed"},
        headers={**writer, **MERGE_PATCH, "If-Match": seen},
    )
    assert_problem(response, 412, "precondition-failed")


def test_the_change_log_records_the_row_then_the_project(
    client: TestClient, writer: dict[str, str]
) -> None:
    post(client, writer, amount_usd="7.00")
    feed = client.get("/v1/changes", params={"actor": "curator"}).json()["data"]
    assert [(c["resource"], c["op"]) for c in feed] == [
        ("funding", "create"),
        ("projects", "update"),
    ]
    project = feed[1]
    assert (project["before"]["amount_usd"], project["after"]["amount_usd"]) == (None, "7.00")
    assert (project["before"]["version"], project["after"]["version"]) == (1, 2)
    assert feed[1]["version"] == feed[0]["version"] + 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"currency": "XYZ"}, "currency", "'XYZ' is not an ISO 4217 code"),
        ({"currency": None}, "currency", "an amount needs its currency"),
        ({"constant_base_year": None}, "constant_base_year", "constant USD needs its base year"),
        ({"year": 2018}, "year", "2018 is not the year of commitment_date"),
        ({"project": "atlantis"}, "project", "no project with key 'atlantis'"),
        ({"financier": "acme"}, "financier", "no organisation with key 'acme'"),
        ({"source": "rumour"}, "source", "no source with key 'rumour'"),
    ],
)
def test_funding_rules(
    client: TestClient, writer: dict[str, str], changes: dict[str, Any], field: str, message: str
) -> None:
    body = assert_problem(post(client, writer, **changes), 422, "unprocessable-entity")
    assert body["errors"] == [{"location": "body", "field": field, "message": message}]
    assert totals(client, "beidou") == (None, None, '"v1"')


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1.005", "Decimal input should have no more than 2 decimal places"),
        ("-1.00", "Input should be greater than or equal to 0"),
        ("NaN", "Input should be a finite number"),
        (
            "1234567890123456.00",
            "Decimal input should have no more than 15 digits before the decimal point",
        ),
        ("ten", "Input should be a valid decimal"),
        (" 5", PLAIN_ONLY),
        ("1_000", PLAIN_ONLY),
    ],
)
def test_money_is_exact_cents(
    client: TestClient, writer: dict[str, str], value: str, message: str
) -> None:
    body = assert_problem(post(client, writer, amount_usd=value), 422, "unprocessable-entity")
    assert body["errors"] == [{"location": "body", "field": "amount_usd", "message": message}]


def test_one_project_keeps_one_constant_base_year(
    client: TestClient, writer: dict[str, str]
) -> None:
    post(client, writer)
    response = post(client, writer, key="beidou-loan-2", constant_base_year=2017)
    body = assert_problem(response, 422, "unprocessable-entity")
    assert body["errors"] == [
        {
            "location": "body",
            "field": "constant_base_year",
            "message": "the project's other funding is in constant USD of 2021; a project's "
            "funding shares one base year",
        }
    ]


LOAN_TERMS = {
    "management_fee": "0.25",
    "commitment_fee": "0.5",
    "default_interest_rate": "4.5",
    "insurance_fee_percent": "7",
    "grant_element_oecd_cash_flow": "-12.5",
    "grant_element_oecd_grant_equivalent": "34.5267",
    "grant_element_imf": "27.599",
    "insurance_fee_usd": "1250000.00",
    "first_repayment_date": "2021-12-14",
    "last_repayment_date": "2038-09-09",
}


def test_loan_terms_are_written_and_read_back(client: TestClient, writer: dict[str, str]) -> None:
    response = post(client, writer, **LOAN_TERMS)
    assert response.status_code == 201, response.text
    assert {name: response.json()[name] for name in LOAN_TERMS} == LOAN_TERMS
    detail = client.get("/v1/projects/beidou").json()
    assert {name: detail["funding"][0][name] for name in LOAN_TERMS} == LOAN_TERMS


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("grant_element_imf", "100.5", "Input should be less than or equal to 100"),
        ("grant_element_imf", "-1000.5", "Input should be greater than or equal to -1000"),
        ("management_fee", "-0.1", "Input should be greater than or equal to 0"),
        ("insurance_fee_usd", "0.001", "Decimal input should have no more than 2 decimal places"),
        (
            "first_repayment_date",
            "2021-02-30",
            "Input should be a valid date or datetime, day value is outside expected range",
        ),
    ],
)
def test_loan_terms_are_checked(
    client: TestClient, writer: dict[str, str], field: str, value: str, message: str
) -> None:
    body = assert_problem(post(client, writer, **{field: value}), 422, "unprocessable-entity")
    assert body["errors"] == [{"location": "body", "field": field, "message": message}]
    assert totals(client, "beidou") == (None, None, '"v1"')

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import record
from app.models import Funding, Organisation, Project, Source
from app.models.enums import ChangeOp, FlowType
from tests.api_helpers import ARTICLE, NO_LOAN_TERMS, assert_problem, data, untimed


def test_the_seed_has_no_funding(client: TestClient) -> None:
    response = client.get("/v1/funding")
    assert response.json() == {
        "data": [],
        "meta": {"limit": 50, "next_cursor": None, "count": 0},
        "links": {"self": "http://testserver/v1/funding", "next": None},
    }


@pytest.fixture
def loan(session: Session) -> Funding:
    """A loan to BeiDou, written in the test's transaction (rolled back afterwards)."""
    row = Funding(
        key="test-beidou-loan",
        project_id=session.scalar(select(Project.id).where(Project.key == "beidou")),
        flow_type=FlowType.loan,
        amount=Decimal("1234567.89"),
        currency="CNY",
        amount_usd_nominal=Decimal("178901.23"),
        amount_usd_constant=Decimal("190000.10"),
        constant_base_year=2021,
        commitment_date=date(2019, 5, 17),
        commitment_year=2019,
        financier_id=session.scalar(
            select(Organisation.id).where(Organisation.key == "china-policy-banks")
        ),
        interest_rate=Decimal("2.75"),
        maturity_years=Decimal("15"),
        source_id=session.scalar(select(Source.id).where(Source.key == ARTICLE)),
        locator="test row",
    )
    session.add(row)
    session.flush()
    record(session, "funding", row.id, ChangeOp.create, "test")
    return row


def expected(loan: Funding) -> dict[str, Any]:
    return {
        "id": loan.id,
        "key": "test-beidou-loan",
        "project": "beidou",
        "project_id": 1,
        "flow_type": "loan",
        "flow_type_detail": None,
        "amount": "1234567.89",
        "currency": "CNY",
        "amount_estimated": None,
        "amount_usd": "178901.23",
        "amount_usd_constant": "190000.10",
        "constant_base_year": 2021,
        "adjusted_amount": None,
        "adjusted_usd": None,
        "adjusted_usd_constant": None,
        "commitment_date": "2019-05-17",
        "commitment_date_estimated": None,
        "year": 2019,
        "financier": "china-policy-banks",
        "interest_rate": "2.75",
        "maturity_years": "15",
        "grace_period_years": None,
        **NO_LOAN_TERMS,
        "source": ARTICLE,
        "locator": "test row",
        "version": 1,
    }


def test_a_funding_row_in_the_list_and_detail(client: TestClient, loan: Funding) -> None:
    response = client.get("/v1/funding")
    assert data(response) == [expected(loan)]
    assert response.json()["meta"]["count"] == 1
    detail = client.get("/v1/funding/test-beidou-loan")
    assert detail.headers["etag"] == '"v1"'
    assert untimed(detail.json()) == expected(loan)
    assert client.get(f"/v1/funding/{loan.id}").json() == detail.json()


def test_money_is_exact_in_csv_too(client: TestClient, loan: Funding) -> None:
    response = client.get(
        "/v1/funding", params={"format": "csv", "fields": "key,amount,currency,amount_usd"}
    )
    assert (
        response.text
        == "key,amount,currency,amount_usd\ntest-beidou-loan,1234567.89,CNY,178901.23\n"
    )


def test_the_project_detail_embeds_its_funding(client: TestClient, loan: Funding) -> None:
    body = client.get("/v1/projects/beidou").json()
    assert [untimed(row) for row in body["funding"]] == [expected(loan)]


def test_funding_filters(client: TestClient, loan: Funding) -> None:
    def keys(**params: str) -> list[str]:
        response = client.get("/v1/funding", params={**params, "fields": "key"})
        assert response.status_code == 200, response.text
        return [row["key"] for row in response.json()["data"]]

    assert keys(project="beidou") == ["test-beidou-loan"]
    assert keys(project="gps") == []
    assert keys(currency="cny", country="PK") == ["test-beidou-loan"]
    assert keys(financier="china-policy-banks", strand="digital") == ["test-beidou-loan"]
    assert keys(amount_usd_min="178901.23") == ["test-beidou-loan"]
    assert keys(amount_usd_min="178901.24") == []


def test_unknown_funding_is_a_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/funding/nope"), 404, "not-found", "No funding row 'nope'.")

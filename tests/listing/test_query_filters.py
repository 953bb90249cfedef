"""Every filter operator on projects and funding: eq, OR by repetition, AND, ranges, flags."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.query_fixture import Fixture, build, where


@pytest.fixture
def fx(session: Session) -> Fixture:
    return build(session)


def project_ids(client: TestClient, **params: Any) -> list[int]:
    response = client.get(
        "/v1/projects", params={"dataset": "qf", "fields": "id", "limit": 1000, **params}
    )
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["count"] == len(response.json()["data"])
    return [row["id"] for row in response.json()["data"]]


def funding_ids(client: TestClient, **params: Any) -> list[int]:
    response = client.get(
        "/v1/funding", params={"source": "qf-source", "fields": "id", "limit": 1000, **params}
    )
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]]


def test_equality_or_by_repetition_and_across_parameters(client: TestClient, fx: Fixture) -> None:
    p = fx.projects
    completed = where(p, lambda r: r["status"] == "completed")
    assert len(completed) == 10
    assert project_ids(client, status="completed") == completed
    assert project_ids(client, status=["completed", "pledged"]) == where(
        p, lambda r: r["status"] in ("completed", "pledged")
    )
    assert project_ids(client, status="completed", sector="210") == where(
        p, lambda r: r["status"] == "completed" and r["sector_code"] == "210"
    )
    assert project_ids(client, status=["completed", "pledged"], sector=["210", "230"]) == where(
        p, lambda r: r["status"] in ("completed", "pledged") and r["sector_code"] in ("210", "230")
    )
    assert project_ids(client, kind="programme") == where(p, lambda r: r["kind"] == "programme")
    assert project_ids(client, flow_type="grant") == where(p, lambda r: r["flow_type"] == "grant")


def test_ranges_are_inclusive_and_leave_out_nulls(client: TestClient, fx: Fixture) -> None:
    p = fx.projects
    assert project_ids(client, year_min=2015, year_max=2018) == where(
        p, lambda r: r["year"] is not None and 2015 <= r["year"] <= 2018
    )
    assert project_ids(client, year_max=2011) == where(
        p, lambda r: r["year"] is not None and r["year"] <= 2011
    )
    low, high = Decimal("3000000.00"), Decimal("4000000.05")
    expected = where(p, lambda r: r["amount_usd"] is not None and low <= r["amount_usd"] <= high)
    assert {str(r["amount_usd"]) for r in p if r["id"] in expected} >= {
        "3000000.00",
        "4000000.05",
    }
    assert project_ids(client, amount_usd_min="3000000", amount_usd_max="4000000.05") == expected
    # Exponent notation is a number too.
    assert project_ids(client, amount_usd_min="3E+6", amount_usd_max="4000000.05") == expected
    # One cent inside each bound leaves out the rows on the bounds.
    inner = [r["id"] for r in p if r["id"] in expected and r["amount_usd"] not in (low, high)]
    assert len(inner) < len(expected)
    assert project_ids(client, amount_usd_min="3000000.01", amount_usd_max="4000000.04") == inner


def test_updated_since_reads_offsets_and_takes_naive_times_as_utc(
    client: TestClient, fx: Fixture
) -> None:
    p = fx.projects
    since = datetime(2024, 1, 1, 10, tzinfo=UTC)
    expected = where(p, lambda r: r["updated_at"] >= since)
    assert len(expected) == 28
    assert project_ids(client, updated_since="2024-01-01T10:00:00Z") == expected
    assert project_ids(client, updated_since="2024-01-01T10:00:00") == expected
    assert project_ids(client, updated_since="2024-01-01T12:00:00+02:00") == expected
    assert project_ids(client, updated_since="2024-01-01T05:00:00-05:00") == expected
    assert project_ids(client, updated_since="2024-01-01T10:00:01Z") == where(
        p, lambda r: r["updated_at"] > since
    )


def test_boolean_flags(client: TestClient, fx: Fixture) -> None:
    p = fx.projects
    assert project_ids(client, umbrella="true") == where(p, lambda r: r["umbrella"])
    assert project_ids(client, umbrella="false") == where(p, lambda r: not r["umbrella"])
    assert project_ids(client, recommended_for_aggregates="false") == where(
        p, lambda r: not r["recommended_for_aggregates"]
    )
    assert project_ids(client, umbrella=["true", "false"]) == where(p, lambda r: True)


def test_countries_by_alpha3_or_alpha2_in_any_case(client: TestClient, fx: Fixture) -> None:
    pakistan = where(fx.projects, lambda r: "PAK" in r["countries"])
    assert len(pakistan) == 10
    for code in ["PAK", "PK", "pk", "pak", " Pk "]:
        assert project_ids(client, country=code) == pakistan
    assert project_ids(client, country=["PK", "LAO"]) == where(
        fx.projects, lambda r: {"PAK", "LAO"} & set(r["countries"])
    )


def test_country_and_role_describe_one_link(client: TestClient, fx: Fixture) -> None:
    p = fx.projects
    china = where(p, lambda r: "CHN" in r["countries"])
    assert project_ids(client, country="CHN", country_role="financier") == china
    # China is never a recipient here, though every China project has some recipient.
    assert project_ids(client, country="CHN", country_role="recipient") == []
    assert project_ids(client, country_role="host") == where(p, lambda r: r["recipient"] == "PAK")


def test_regions(client: TestClient, fx: Fixture) -> None:
    p = fx.projects
    assert project_ids(client, region="Africa") == where(p, lambda r: "KEN" in r["countries"])
    assert project_ids(client, region=["Africa", "Americas"]) == where(
        p, lambda r: {"KEN", "BRA"} & set(r["countries"])
    )
    asia = where(p, lambda r: {"PAK", "LAO", "CHN"} & set(r["countries"]))
    assert project_ids(client, region="Asia") == asia
    assert project_ids(client, region="Asia", country_role="recipient") == where(
        p, lambda r: r["recipient"] in ("PAK", "LAO")
    )


def test_strands_or_and_with_other_filters(client: TestClient, fx: Fixture) -> None:
    p = fx.projects
    assert project_ids(client, strand="health") == where(p, lambda r: "health" in r["strands"])
    assert project_ids(client, strand=["health", "bri"]) == where(
        p, lambda r: {"health", "bri"} & set(r["strands"])
    )
    assert project_ids(client, strand="health", country="LA") == where(
        p, lambda r: "health" in r["strands"] and "LAO" in r["countries"]
    )


def test_funding_filters(client: TestClient, fx: Fixture) -> None:
    f = fx.funding
    projects = {r["id"]: r for r in fx.projects}
    by_key = {r["key"]: r for r in fx.projects}

    def project_of(row: dict[str, Any]) -> dict[str, Any]:
        return by_key[row["project"]]

    assert len(f) == 48
    assert funding_ids(client, project="qf-004") == where(f, lambda r: r["project"] == "qf-004")
    assert funding_ids(client, flow_type=["loan", "grant"]) == where(
        f, lambda r: r["flow_type"] in ("loan", "grant")
    )
    assert funding_ids(client, currency="cny") == where(f, lambda r: r["currency"] == "CNY")
    assert funding_ids(client, financier="qf-bank-a") == where(
        f, lambda r: r["financier"] == "qf-bank-a"
    )
    assert funding_ids(client, strand="digital", country="PK") == where(
        f, lambda r: "digital" in project_of(r)["strands"] and "PAK" in project_of(r)["countries"]
    )
    assert funding_ids(client, region="Americas") == where(
        f, lambda r: "BRA" in project_of(r)["countries"]
    )
    assert funding_ids(client, sector="220", status="completed") == where(
        f,
        lambda r: project_of(r)["sector_code"] == "220" and project_of(r)["status"] == "completed",
    )
    assert funding_ids(client, year_min=2015, year_max=2016) == where(
        f, lambda r: r["year"] is not None and 2015 <= r["year"] <= 2016
    )
    assert funding_ids(client, amount_usd_min="500000.2", amount_usd_max="1000000") == where(
        f,
        lambda r: (
            r["amount_usd"] is not None
            and Decimal("500000.2") <= r["amount_usd"] <= Decimal("1000000")
        ),
    )
    assert funding_ids(client, umbrella="true") == where(f, lambda r: project_of(r)["umbrella"])
    assert funding_ids(client, updated_since="2024-01-01T05:00:00Z") == where(
        f, lambda r: r["updated_at"] >= datetime(2024, 1, 1, 5, tzinfo=UTC)
    )
    assert funding_ids(client, country="CHN", country_role="financier") == where(
        f, lambda r: "CHN" in project_of(r)["countries"]
    )
    assert projects  # every funding row belongs to a fixture project


def test_organisation_search_is_a_case_insensitive_substring(
    client: TestClient, fx: Fixture
) -> None:
    def keys(q: str) -> list[str]:
        response = client.get("/v1/organisations", params={"q": q, "fields": "key"})
        assert response.status_code == 200, response.text
        return [row["key"] for row in response.json()["data"]]

    assert keys("QF-BANK") == ["qf-bank-a", "qf-bank-b"]
    assert keys("bank-b") == ["qf-bank-b"]
    # LIKE wildcards are matched literally.
    assert keys("qf_bank") == []
    assert keys("%") == []

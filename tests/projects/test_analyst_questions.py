"""The two questions the issue says an analyst must be able to ask, asked exactly so."""

import csv
import io
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.query_fixture import Fixture, build, sorted_rows
from tests.summary_expected import summary


@pytest.fixture
def fx(session: Session) -> Fixture:
    return build(session)


def test_digital_projects_in_pakistan_or_laos_since_2015_biggest_first_as_csv(
    client: TestClient, fx: Fixture
) -> None:
    # Only fixture projects have years, so the exact question sees the fixture alone.
    assert (
        client.get("/v1/projects?year_min=1900&dataset=qf").json()["meta"]["count"]
        == (client.get("/v1/projects?year_min=1900").json()["meta"]["count"])
    )
    response = client.get(
        "/v1/projects?strand=digital&country=PAK&country=LAO&year_min=2015"
        "&sort=-amount_usd&format=csv"
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="bri-projects.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = sorted_rows(
        [
            p
            for p in fx.projects
            if "digital" in p["strands"]
            and {"PAK", "LAO"} & set(p["countries"])
            and p["year"] is not None
            and p["year"] >= 2015
        ],
        "-amount_usd",
    )
    assert [(r["key"], r["amount_usd"], r["year"]) for r in rows] == [
        (p["key"], "" if p["amount_usd"] is None else str(p["amount_usd"]), str(p["year"]))
        for p in expected
    ]
    # Even (digital), recipient PAK or LAO (i % 5 in 0, 1), year 2015 or later: the ties at
    # 10,000,000.05 and 6,000,000.00 break by id.
    assert [r["key"] for r in rows] == ["qf-010", "qf-046", "qf-020", "qf-006", "qf-030"]
    amounts = [Decimal(r["amount_usd"]) for r in rows if r["amount_usd"]]
    assert amounts == sorted(amounts, reverse=True)
    assert all("digital" in r["strands"].split(";") for r in rows)
    assert all({"PAK", "LAO"} & set(r["countries"].split(";")) for r in rows)


def test_funding_by_year_and_strand_in_constant_usd(client: TestClient, fx: Fixture) -> None:
    response = client.get(
        "/v1/funding/summary?group_by=year&group_by=strand&source=qf-source&format=csv"
    )
    assert response.status_code == 200
    lines = list(csv.DictReader(io.StringIO(response.text)))
    constant = [line for line in lines if line["measure"] == "amount_usd_constant"]
    expected = [
        (group["group"], entry)
        for group in summary(fx, ["year", "strand"])
        for entry in group["amount_usd_constant"]
    ]
    assert [
        (
            {"year": int(line["year"]) if line["year"] else None, "strand": line["strand"] or None},
            {
                "constant_base_year": int(line["constant_base_year"]),
                "sum": line["sum"],
                "count": int(line["rows"]),
            },
        )
        for line in constant
    ] == expected
    assert {line["currency"] for line in constant} == {"USD"}
    assert {line["constant_base_year"] for line in constant} == {"2017", "2021"}

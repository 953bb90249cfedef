"""GET /v1/funding/summary: counts and exact sums per group, one sum per basis."""

from decimal import Decimal
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.query_fixture import Fixture, add_funding, build, funding_values
from tests.summary_expected import included, summary

DIMENSIONS = [
    "year",
    "strand",
    "country",
    "region",
    "sector",
    "flow_type",
    "flow_class",
    "intent",
    "status",
    "financier",
    "currency",
]
QF = {"source": "qf-source"}


@pytest.fixture
def fx(session: Session) -> Fixture:
    return build(session)


def get_summary(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/funding/summary", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    return body


def test_funding_by_year_and_strand_in_constant_usd(client: TestClient, fx: Fixture) -> None:
    """The analyst's question, on the fixture's funding."""
    body = get_summary(client, group_by=["year", "strand"], **QF)
    expected = summary(fx, ["year", "strand"])
    assert body["data"] == expected
    kept = [
        r for r in fx.funding if included(next(p for p in fx.projects if p["key"] == r["project"]))
    ]
    assert body["meta"] == {
        "group_by": ["year", "strand"],
        "groups": len(expected),
        "rows": len(kept),
        "excluded": ["umbrella", "not_recommended"],
        "excluded_rows": 48 - len(kept),
        "multi_valued": ["strand"],
    }
    # Two price bases occur; no group ever adds them together.
    bases = {e["constant_base_year"] for g in body["data"] for e in g["amount_usd_constant"]}
    assert bases == {2017, 2021}
    group = next(g for g in body["data"] if g["group"] == {"year": 2012, "strand": "digital"})
    assert group == {
        "group": {"year": 2012, "strand": "digital"},
        "count": 3,
        "amount_usd": {"sum": "1750000.00", "count": 3},
        "amount_usd_constant": [{"constant_base_year": 2021, "sum": "1500000.75", "count": 3}],
        "amount": [
            {"currency": "EUR", "sum": "3000000.10", "count": 1},
            {"currency": "USD", "sum": "3000000.60", "count": 2},
        ],
    }


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_each_dimension_alone(client: TestClient, fx: Fixture, dimension: str) -> None:
    body = get_summary(client, group_by=dimension, **QF)
    assert body["data"] == summary(fx, [dimension])
    assert body["meta"]["multi_valued"] == (
        [dimension] if dimension in ("strand", "country", "region") else []
    )


def test_three_dimensions_with_filters(client: TestClient, fx: Fixture) -> None:
    body = get_summary(
        client,
        group_by=["region", "flow_type", "currency"],
        year_min=2014,
        flow_type=["loan", "grant"],
        **QF,
    )

    def keep(row: dict[str, Any], project: dict[str, Any]) -> bool:
        return (
            included(project)
            and row["year"] is not None
            and row["year"] >= 2014
            and row["flow_type"] in ("loan", "grant")
        )

    assert body["data"] == summary(fx, ["region", "flow_type", "currency"], keep=keep)


def test_a_project_with_two_roles_in_one_country_counts_once(
    client: TestClient, fx: Fixture
) -> None:
    body = get_summary(client, group_by="country", **QF)
    pakistan = next(g for g in body["data"] if g["group"] == {"country": "PAK"})
    projects = {p["key"]: p for p in fx.projects}
    rows = [
        r
        for r in fx.funding
        if projects[r["project"]]["recipient"] == "PAK" and included(projects[r["project"]])
    ]
    assert pakistan["count"] == len(rows) == 7
    # A project in Laos and China counts once under Asia.
    asia = next(
        g
        for g in get_summary(client, group_by="region", **QF)["data"]
        if g["group"] == {"region": "Asia"}
    )
    assert asia["count"] == len(
        [
            r
            for r in fx.funding
            if {"PAK", "LAO", "CHN"} & set(projects[r["project"]]["countries"])
            and included(projects[r["project"]])
        ]
    )


def test_link_filters_narrow_the_groups_of_the_same_link(client: TestClient, fx: Fixture) -> None:
    projects = {p["key"]: p for p in fx.projects}

    def has(name: str, value: str) -> Any:
        return lambda row, project: included(project) and value in project[name]

    body = get_summary(client, group_by="strand", strand="digital", **QF)
    assert [g["group"] for g in body["data"]] == [{"strand": "digital"}]
    assert body["data"] == summary(
        fx, ["strand"], keep=has("strands", "digital"), links={"strand": {"digital"}}
    )
    body = get_summary(client, group_by="country", country_role="recipient", **QF)
    assert "CHN" not in [g["group"]["country"] for g in body["data"]]
    assert body["data"] == summary(
        fx,
        ["country"],
        keep=lambda row, project: included(project) and project["recipient"] is not None,
        links={"country_role": {"recipient"}},
    )
    body = get_summary(client, group_by="region", country="CHN", **QF)
    assert body["data"] == summary(
        fx, ["region"], keep=has("countries", "CHN"), links={"country": {"CHN"}}
    )
    assert [g["group"] for g in body["data"]] == [{"region": "Asia"}]
    assert projects


def test_umbrella_and_not_recommended_projects_are_left_out_unless_asked(
    client: TestClient, fx: Fixture
) -> None:
    projects = {p["key"]: p for p in fx.projects}
    umbrella = [r for r in fx.funding if projects[r["project"]]["umbrella"]]
    not_recommended = [
        r for r in fx.funding if not projects[r["project"]]["recommended_for_aggregates"]
    ]
    # Umbrella projects 5, 16, 27, 38 have 2, 1, 0, 2 funding rows; 19 and 32 (not
    # recommended) have 1 and 2; none is both.
    assert len(umbrella) == 5
    assert len(not_recommended) == 3

    def total(**params: Any) -> tuple[int, list[str], int]:
        body = get_summary(client, **QF, **params)
        assert len(body["data"]) == 1
        assert body["data"][0]["group"] == {}
        meta = body["meta"]
        assert meta["rows"] == body["data"][0]["count"]
        return meta["rows"], meta["excluded"], meta["excluded_rows"]

    assert total() == (40, ["umbrella", "not_recommended"], 8)
    assert total(include_umbrella="true") == (45, ["not_recommended"], 3)
    assert total(include_not_recommended="true") == (43, ["umbrella"], 5)
    assert total(include_umbrella="true", include_not_recommended="true") == (48, [], 0)
    # A filter on the flag decides for itself: umbrella=true means only umbrella projects.
    assert total(umbrella="true")[0] == len(
        [r for r in umbrella if projects[r["project"]]["recommended_for_aggregates"]]
    )
    body = get_summary(client, group_by="year", include_umbrella="true", **QF)
    assert body["data"] == summary(
        fx, ["year"], keep=lambda row, project: included(project, umbrella=True)
    )


def test_no_group_by_gives_the_totals(client: TestClient, fx: Fixture) -> None:
    body = get_summary(client, **QF)
    assert body["data"] == summary(fx, [])
    assert body["data"][0]["amount_usd_constant"] == [
        {"constant_base_year": 2017, **body["data"][0]["amount_usd_constant"][0]},
        {"constant_base_year": 2021, **body["data"][0]["amount_usd_constant"][1]},
    ]


def test_sums_are_exact_to_the_cent_beyond_float_precision(
    client: TestClient, session: Session, fx: Fixture
) -> None:
    big = [Decimal("98765432109876.53"), Decimal("0.01"), Decimal("0.01"), Decimal("12.99")]
    for n, amount in enumerate(big):
        values = {
            **funding_values(2, 0),
            "key": f"qf-big-{n}",
            "amount_usd": amount,
            "amount": amount,
            "currency": "XAF",
        }
        add_funding(session, fx, values)
    body = get_summary(client, group_by="currency", currency="XAF", **QF)
    assert body["data"] == [
        {
            "group": {"currency": "XAF"},
            "count": 4,
            "amount_usd": {"sum": "98765432109889.54", "count": 4},
            "amount_usd_constant": [{"constant_base_year": 2021, "sum": "6000001.00", "count": 4}],
            "amount": [{"currency": "XAF", "sum": "98765432109889.54", "count": 4}],
        }
    ]
    # Adding the same amounts as floats would be a cent out.
    assert f"{sum(float(amount) for amount in big):.2f}" == "98765432109889.55"


def test_sorting_groups(client: TestClient, fx: Fixture) -> None:
    expected = summary(fx, ["financier"])
    body = get_summary(client, group_by="financier", sort="-count", **QF)
    counts = [g["count"] for g in body["data"]]
    assert counts == sorted(counts, reverse=True)
    assert sorted(body["data"], key=lambda g: str(g["group"])) == sorted(
        expected, key=lambda g: str(g["group"])
    )
    body = get_summary(client, group_by="year", sort="-amount_usd", **QF)
    sums = [Decimal(g["amount_usd"]["sum"]) for g in body["data"] if g["amount_usd"]["sum"]]
    assert sums == sorted(sums, reverse=True)
    assert body["data"][-1]["amount_usd"]["sum"] is None or len(sums) == len(body["data"])
    body = get_summary(client, group_by="year", sort="-year", **QF)
    years = [g["group"]["year"] for g in body["data"]]
    assert years == [*sorted((y for y in years if y is not None), reverse=True), None]


def test_csv_is_long_with_the_basis_on_every_row(client: TestClient, fx: Fixture) -> None:
    # qf-005 is an umbrella project: included on request.
    params = {
        "group_by": "flow_type",
        "project": ["qf-004", "qf-005"],
        "include_umbrella": "true",
        **QF,
    }
    response = client.get("/v1/funding/summary", params={**params, "format": "csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.text == (
        "flow_type,count,measure,currency,constant_base_year,sum,rows\n"
        "grant,1,amount_usd,USD,,1250000.50,1\n"
        "grant,1,amount_usd_constant,USD,2021,750000.25,1\n"
        "grant,1,amount,CNY,,1500000.05,1\n"
        "investment,1,amount_usd,USD,,1500000.60,1\n"
        "investment,1,amount,EUR,,2200000.06,1\n"
        "loan,1,amount_usd,USD,,1000000.40,1\n"
        "loan,1,amount_usd_constant,USD,2021,0.25,1\n"
        "loan,1,amount,USD,,200000.04,1\n"
    )
    assert get_summary(client, **params)["data"] == summary(
        fx,
        ["flow_type"],
        keep=lambda r, p: r["project"] in ("qf-004", "qf-005") and included(p, umbrella=True),
    )


def test_ndjson_is_one_group_a_line(client: TestClient, fx: Fixture) -> None:
    params = {"group_by": ["status", "currency"], **QF}
    response = client.get("/v1/funding/summary", params={**params, "format": "ndjson"})
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = [orjson.loads(line) for line in response.text.splitlines()]
    assert lines == get_summary(client, **params)["data"] == summary(fx, ["status", "currency"])


def test_nothing_matches(client: TestClient, fx: Fixture) -> None:
    body = get_summary(client, group_by="year", year_min=2100, **QF)
    assert body == {
        "data": [],
        "meta": {
            "group_by": ["year"],
            "groups": 0,
            "rows": 0,
            "excluded": ["umbrella", "not_recommended"],
            "excluded_rows": 0,
            "multi_valued": [],
        },
    }
    response = client.get(
        "/v1/funding/summary", params={"group_by": "year", "year_min": 2100, "format": "csv"}
    )
    assert response.text == "year,count,measure,currency,constant_base_year,sum,rows\n"


def test_openapi_names_the_summary_and_its_schemas(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/v1/funding/summary"]["get"]
    assert operation["operationId"] == "summarise_funding"
    ok = operation["responses"]["200"]["content"]
    assert ok["application/json"]["schema"] == {
        "$ref": "#/components/schemas/FundingSummaryResponse"
    }
    assert set(ok) == {"application/json", "text/csv", "application/x-ndjson"}
    schemas = spec["components"]["schemas"]
    group = schemas["FundingSummaryGroup"]["properties"]
    assert group["amount_usd"]["$ref"] == "#/components/schemas/MoneySum"
    assert group["amount_usd_constant"]["items"] == {"$ref": "#/components/schemas/ConstantUsdSum"}
    assert group["amount"]["items"] == {"$ref": "#/components/schemas/CurrencySum"}
    assert set(schemas["FundingGroupKey"]["properties"]) == set(DIMENSIONS)
    assert schemas["FundingGroupBy"]["enum"] == DIMENSIONS
    parameters = {p["name"] for p in operation["parameters"]}
    listing = {p["name"] for p in spec["paths"]["/v1/funding"]["get"]["parameters"]}
    assert parameters == (listing - {"limit", "cursor", "fields", "count"}) | {
        "group_by",
        "include_umbrella",
        "include_not_recommended",
    }

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import record
from app.models import Figure, Source
from app.models.enums import ChangeOp, Qualifier, Scope, Unit
from tests.api_helpers import ARTICLE, assert_problem, data, seed_text, untimed


def figure(
    id_: int,
    key: str,
    indicator: str,
    value: str | None,
    unit: str,
    qualifier: str,
    period: tuple[str | None, str | None],
    *,
    low_high: tuple[str, str] | None = None,
    base: tuple[str, str] | None = None,
    scope: str = "strand",
    subject: dict[str, str] | None = None,
    publisher: str | None = None,
    para: int,
) -> dict[str, Any]:
    about = {"strand": None, "country": None, "organisation": None, "project": None}
    about.update(subject if subject is not None else {"strand": "bri"})
    return {
        "id": id_,
        "key": key,
        "indicator": indicator,
        "label": seed_text("figures", key, "label"),
        "value": value,
        "value_low": low_high[0] if low_high else None,
        "value_high": low_high[1] if low_high else None,
        "unit": unit,
        "qualifier": qualifier,
        "period_start": period[0],
        "period_end": period[1],
        "base_period_start": base[0] if base else None,
        "base_period_end": base[1] if base else None,
        "scope": scope,
        **about,
        "publisher": publisher,
        "note": seed_text("figures", key, "note"),
        "source": ARTICLE,
        "locator": f"para {para}",
        "version": 1,
    }


H1_2020 = ("2020-01-01", "2020-06-30")
YEAR_2020 = ("2020-01-01", "2020-12-31")

CAIXIN = figure(
    1,
    "caixin-bri-activity-2020-04-vs-2019-04",
    "bri-activity-index",
    "0.5",
    "ratio",
    "exact",
    ("2020-04-01", "2020-04-30"),
    base=("2019-04-01", "2019-04-30"),
    publisher="caixin",
    para=6,
)
AEI_AMOUNT = figure(
    2,
    "aei-investment-announcements-2020-h1",
    "investment-announcements",
    "23000000000",
    "USD",
    "approximate",
    H1_2020,
    publisher="aei",
    para=6,
)
AEI_RATIO = figure(
    3,
    "aei-investment-announcements-2020-h1-vs-2019",
    "investment-announcements-ratio",
    "0.2",
    "ratio",
    "approximate",
    H1_2020,
    base=("2019-01-01", "2019-12-31"),
    publisher="aei",
    para=6,
)
ADVERSELY = figure(
    4,
    "bri-projects-adversely-affected-2020",
    "bri-projects-adversely-affected-share",
    "40",
    "percent",
    "approximate",
    YEAR_2020,
    publisher="china-mfa",
    para=7,
)
SOMEWHAT = figure(
    5,
    "bri-projects-somewhat-affected-2020",
    "bri-projects-somewhat-affected-share",
    None,
    "percent",
    "range",
    YEAR_2020,
    low_high=("30", "40"),
    publisher="china-mfa",
    para=7,
)
ECOMMERCE = figure(
    6,
    "china-ecommerce-purchases-growth-early-2020",
    "ecommerce-purchases-growth",
    "20",
    "percent",
    "exact",
    ("2020-01-01", "2020-03-31"),
    scope="country",
    subject={"country": "CHN"},
    para=21,
)
GO_CLOUD = figure(
    7,
    "go-cloud-companies-target-2025",
    "go-cloud-companies",
    "1000000",
    "count",
    "target",
    (None, "2025-12-31"),
    scope="project",
    subject={"project": "go-cloud"},
    publisher="chinese-government",
    para=21,
)
DEBT_SHARE = figure(
    8,
    "developing-economies-owing-china-over-10pct-gdp",
    "developing-economies-high-china-debt-share",
    "0.33",
    "ratio",
    "approximate",
    (None, None),
    scope="global",
    subject={},
    para=23,
)
# Default order: period start (NULLs last), then id.
FIGURES = [AEI_AMOUNT, AEI_RATIO, ADVERSELY, SOMEWHAT, ECOMMERCE, CAIXIN, GO_CLOUD, DEBT_SHARE]


def test_lists_every_figure_in_period_order(client: TestClient) -> None:
    response = client.get("/v1/figures")
    assert data(response) == FIGURES
    assert response.json()["meta"] == {"limit": 50, "next_cursor": None, "count": 8}


def test_values_are_plain_decimal_strings_in_base_units(client: TestClient) -> None:
    response = client.get("/v1/figures", params={"fields": "key,value,value_low,value_high"})
    assert [
        (row["value"], row["value_low"], row["value_high"]) for row in response.json()["data"]
    ] == [
        ("23000000000", None, None),
        ("0.2", None, None),
        ("40", None, None),
        (None, "30", "40"),
        ("20", None, None),
        ("0.5", None, None),
        ("1000000", None, None),
        ("0.33", None, None),
    ]


def test_detail_by_key_or_id(client: TestClient) -> None:
    for expected in FIGURES:
        by_key = client.get(f"/v1/figures/{expected['key']}")
        by_id = client.get(f"/v1/figures/{expected['id']}")
        assert untimed(by_key.json()) == expected
        assert by_id.json() == by_key.json()


def test_qualifier_filters(client: TestClient) -> None:
    def keys(**params: str) -> list[str]:
        response = client.get("/v1/figures", params={**params, "fields": "key"})
        return [row["key"] for row in response.json()["data"]]

    assert keys(qualifier="range") == ["bri-projects-somewhat-affected-2020"]
    assert keys(qualifier="target") == ["go-cloud-companies-target-2025"]
    assert keys(unit="ratio") == [
        "aei-investment-announcements-2020-h1-vs-2019",
        "caixin-bri-activity-2020-04-vs-2019-04",
        "developing-economies-owing-china-over-10pct-gdp",
    ]
    assert keys(publisher="china-mfa") == [
        "bri-projects-adversely-affected-2020",
        "bri-projects-somewhat-affected-2020",
    ]
    assert keys(country="CN") == ["china-ecommerce-purchases-growth-early-2020"]
    assert keys(project="go-cloud") == ["go-cloud-companies-target-2025"]
    assert keys(period_start_min="2020-02-01") == ["caixin-bri-activity-2020-04-vs-2019-04"]


def test_indicator_gives_a_series_in_period_order(client: TestClient, session: Session) -> None:
    article = session.scalar(select(Source.id).where(Source.key == ARTICLE))
    # Two more points of the Caixin index series, inserted out of period order.
    for key, start, end, value in [
        ("caixin-2020-06", "2020-06-01", "2020-06-30", "0.75"),
        ("caixin-2020-02", "2020-02-01", "2020-02-29", "0.8"),
    ]:
        row = Figure(
            key=key,
            indicator="bri-activity-index",
            label=key,
            value=Decimal(value),
            unit=Unit.ratio,
            qualifier=Qualifier.exact,
            period_start=date.fromisoformat(start),
            period_end=date.fromisoformat(end),
            scope=Scope.global_,
            source_id=article,
            locator="test",
        )
        session.add(row)
        session.flush()
        record(session, "figures", row.id, ChangeOp.create, "test")
    response = client.get(
        "/v1/figures",
        params={"indicator": "bri-activity-index", "fields": "key,period_start,value"},
    )
    assert response.json()["data"] == [
        {"key": "caixin-2020-02", "period_start": "2020-02-01", "value": "0.8"},
        {
            "key": "caixin-bri-activity-2020-04-vs-2019-04",
            "period_start": "2020-04-01",
            "value": "0.5",
        },
        {"key": "caixin-2020-06", "period_start": "2020-06-01", "value": "0.75"},
    ]
    assert response.json()["meta"]["count"] == 3


def test_unknown_figure_is_a_404(client: TestClient) -> None:
    assert_problem(client.get("/v1/figures/nope"), 404, "not-found", "No figure 'nope'.")
    assert_problem(client.get("/v1/figures/999999"), 404, "not-found", "No figure '999999'.")

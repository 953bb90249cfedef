"""What an analyst sees through the API after an import."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.imports.bulk import FTS_TRIGGER_SQL
from tests.imports.helpers import SAMPLE, dataset_version, do_import, edited_sample, row_of


def test_imported_rows_are_in_the_change_feed_and_the_lists(
    client: TestClient, session: Session
) -> None:
    before = dataset_version(session)
    do_import(session, "aiddata", SAMPLE)

    feed = client.get(
        "/v1/changes",
        params={"since": before, "resource": "projects", "actor": "import:aiddata"},
    )
    assert feed.status_code == 200, feed.text
    body = feed.json()
    assert body["meta"]["count"] == 20
    assert {entry["op"] for entry in body["data"]} == {"create"}
    assert int(feed.headers["X-Dataset-Version"]) == dataset_version(session) > before

    projects = client.get(
        "/v1/projects", params={"dataset": "aiddata", "country": "JAM", "sort": "id"}
    )
    assert projects.status_code == 200, projects.text
    assert [p["external_id"] for p in projects.json()["data"]] == [
        "70720",
        "70723",
        "72019",
        "39896",
        "69143",
    ]
    funding = client.get("/v1/funding", params={"project": "aiddata-54912"})
    assert funding.status_code == 200, funding.text
    [row] = funding.json()["data"]
    assert (row["amount"], row["currency"], row["amount_usd"], row["financier"]) == (
        "600000000.00",
        "CNY",
        "90292542.31",
        "export-import-bank-of-china-china-eximbank",
    )


def test_imported_projects_are_found_by_full_text_search(
    client: TestClient, session: Session, dialect: str
) -> None:
    do_import(session, "aiddata", SAMPLE, dry_run=True)
    do_import(session, "aiddata", SAMPLE)

    query = {"q": "Nuctech scanner", "dataset": "aiddata", "sort": "id"}
    found = client.get("/v1/projects", params=query)

    assert found.status_code == 200, found.text
    assert sorted(p["key"] for p in found.json()["data"]) == ["aiddata-54994", "aiddata-60012"]
    if dialect == "sqlite":  # the index trigger the import suspends is back, unchanged
        trigger = session.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'projects_fts_insert'")
        ).scalar_one()
        assert trigger == FTS_TRIGGER_SQL


def test_funding_summary_totals_match_the_files_own(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    def umbrella(rows: list[dict[str, str]]) -> None:
        row_of(rows, "85355")["Umbrella"] = "Yes"  # USD 25,000,000.00, nominal

    do_import(session, "aiddata", edited_sample(tmp_path / "umbrella.csv", umbrella))

    summary = client.get("/v1/funding/summary", params={"source": "aiddata-gcdf-3"})
    assert summary.status_code == 200, summary.text
    body = summary.json()
    [total] = body["data"]
    assert (total["count"], body["meta"]["excluded_rows"]) == (19, 1)
    assert total["amount_usd"] == {"sum": "850724736.82", "count": 18}
    assert {a["currency"]: a["sum"] for a in total["amount"]} == {
        "CNY": "948200000.00",
        "JMD": "45210000.00",
        "USD": "668818868.00",
        "XCD": "100000000.00",
    }
    everything = client.get(
        "/v1/funding/summary",
        params={"source": "aiddata-gcdf-3", "include_umbrella": "true"},
    )
    assert everything.json()["data"][0]["amount_usd"] == {"sum": "875724736.82", "count": 19}


def test_records_not_recommended_for_aggregates_are_left_out_unless_asked(
    client: TestClient, session: Session, tmp_path: Path
) -> None:
    def flags(rows: list[dict[str, str]]) -> None:
        row_of(rows, "85355")["Umbrella"] = "Yes"  # USD 25,000,000.00
        row_of(rows, "89653")["Recommended For Aggregates"] = "No"  # USD 1,500,000.00

    do_import(session, "aiddata", edited_sample(tmp_path / "flags.csv", flags))

    def total(**extra: str) -> tuple[int, int, dict[str, object]]:
        params = {"source": "aiddata-gcdf-3", **extra}
        response = client.get("/v1/funding/summary", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        [row] = body["data"]
        return row["count"], body["meta"]["excluded_rows"], row["amount_usd"]

    assert total() == (18, 2, {"sum": "849224736.82", "count": 17})
    assert total(include_not_recommended="true") == (19, 1, {"sum": "850724736.82", "count": 18})
    assert total(include_not_recommended="true", include_umbrella="true") == (
        20,
        0,
        {"sum": "875724736.82", "count": 19},
    )


def test_funding_sums_by_flow_class_and_intent_match_the_files_own(
    client: TestClient, session: Session
) -> None:
    """AidData states its totals by flow class and intent: the API gives the same groups."""
    do_import(session, "aiddata", SAMPLE)

    def sums(group_by: str, **filters: str) -> dict[str, tuple[int, str]]:
        params = {"source": "aiddata-gcdf-3", "group_by": group_by, **filters}
        response = client.get("/v1/funding/summary", params=params)
        assert response.status_code == 200, response.text
        return {
            row["group"][group_by]: (row["count"], row["amount_usd"]["sum"])
            for row in response.json()["data"]
        }

    # The file's own sums of Amount (Nominal USD), each amount rounded to the cent.
    assert sums("flow_class") == {
        "ODA-like": (11, "257995625.20"),
        "OOF-like": (6, "492729111.62"),
        "Vague (Official Finance)": (3, "125000000.00"),
    }
    assert sums("intent") == {"Development": (15, "387636313.27"), "Mixed": (5, "488088423.55")}
    oof = {"Development": (1, "4640688.07"), "Mixed": (5, "488088423.55")}
    assert sums("intent", flow_class="OOF-like") == oof

    funding = client.get("/v1/funding", params={"flow_class": "OOF-like", "intent": "Development"})
    assert funding.status_code == 200, funding.text
    assert [row["project"] for row in funding.json()["data"]] == ["aiddata-60012"]
    listed = client.get(
        "/v1/projects",
        params={
            "dataset": "aiddata",
            "flow_class": "ODA-like",
            "intent": "Development",
            "flow_type_simplified": "Loan",
            "sort": "key",
        },
    )
    assert listed.status_code == 200, listed.text
    assert [row["external_id"] for row in listed.json()["data"]] == ["43110", "54912"]


def test_every_mapped_column_is_readable_and_filterable(
    client: TestClient, session: Session
) -> None:
    do_import(session, "aiddata", SAMPLE)

    listed = client.get(
        "/v1/projects",
        params={"dataset": "aiddata", "flow_class": "ODA-like", "infrastructure": "true"},
    )
    assert listed.status_code == 200, listed.text
    rows = {row["external_id"]: row for row in listed.json()["data"]}
    row = rows["54912"]
    assert (
        row["recipient"],
        row["recipient_region"],
        row["flow_class"],
        row["flow_type_simplified"],
        row["income_group"],
        row["infrastructure"],
        row["covid"],
        row["intent"],
    ) == (
        "Antigua and Barbuda",
        "America",
        "ODA-like",
        "Loan",
        "Upper middle income",
        True,
        None,
        "Development",
    )
    counts = [
        client.get("/v1/projects", params={"dataset": "aiddata", **query}).json()["meta"]["count"]
        for query in (
            {"flow_class": "ODA-like"},
            {"flow_class": "OOF-like"},
            {"flow_class": ["OOF-like", "Vague (Official Finance)"]},
            {"recipient_region": "America"},
            {"infrastructure": "true"},
            {"covid": "true"},
        )
    ]
    assert counts == [11, 6, 9, 20, 12, 0]

    detail = client.get("/v1/projects/aiddata-54912").json()
    assert (
        detail["commitment_date_estimated"],
        detail["source_quality_score"],
        detail["data_completeness_score"],
        detail["implementation_detail_score"],
        detail["loan_detail_score"],
    ) == (False, 5, 5, 5, 5)
    assert detail["attributes"]["Number of Lenders"] == "Bilateral Loan"
    assert detail["attributes"]["Collateralized"] is True
    [loan] = detail["funding"]
    assert {
        name: loan[name]
        for name in (
            "grant_element_oecd_cash_flow",
            "grant_element_oecd_grant_equivalent",
            "grant_element_imf",
            "management_fee",
            "first_repayment_date",
            "last_repayment_date",
        )
    } == {
        "grant_element_oecd_cash_flow": "54.7023",
        "grant_element_oecd_grant_equivalent": "34.5267",
        "grant_element_imf": "27.599",
        "management_fee": None,
        "first_repayment_date": "2021-12-14",
        "last_repayment_date": "2038-09-09",
    }
    csv_head = client.get(
        "/v1/funding",
        params={"project": "aiddata-54912", "format": "csv", "fields": "key,grant_element_imf"},
    )
    assert csv_head.text == "key,grant_element_imf\naiddata-54912,27.599\n"

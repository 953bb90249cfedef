"""The China Global Investment Tracker layout, with invented rows (its licence forbids
redistributing the real ones)."""

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imports.reading import FileRefused
from app.models import Organisation, Project
from tests.imports.helpers import (
    CGIT_SAMPLE,
    citations,
    count,
    countries,
    dataset_version,
    do_import,
    funding,
    organisation_roles,
    project,
    strands,
    versions,
)

HEADER = (
    "Year,Month,Investor,Quantity in Millions,Share Size,Transaction Party,Sector,Subsector,"
    "Country,Region,BRI,Greenfield"
)


def cgit_id(identity: str) -> str:
    """Year|month|investors|country (ISO-3)|amount in dollars|party, folded."""
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


SILK = cgit_id("2019|1|silk harbour group|LKA|1740000000.00|coastal port holdings")
JADE = cgit_id("2019|3|jade river power|LAO|500000000.00|")
CRANE = cgit_id(
    "2020|6|red crane mining lotus metals azure resources|GBR|2300500000.00|highland copper"
)
PANDA = cgit_id("2021|12|panda telecom|PER|120000000.00|andes networks")
PANDA_AGAIN = cgit_id("2021|12|panda telecom|PER|120000000.00|andes networks#2")


def write(path: Path, *lines: str, preamble: bool = True) -> Path:
    head = ['"Tracker title",,,', ",,,"] if preamble else []
    path.write_text("\n".join([*head, HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_the_sample_imports_with_its_quirks(session: Session) -> None:
    report = do_import(session, "cgit", CGIT_SAMPLE)

    assert (report.rows, report.valid, report.rejected_rows) == (5, 5, 0)
    assert [(w.line, w.field, w.reason) for w in report.warnings] == [
        (10, "-", "not a transaction: skipped")
    ]
    assert report.counts["projects"].inserted == 5
    assert report.counts["organisations"].inserted == 9
    keys = set(session.scalars(select(Project.key).where(Project.dataset == "cgit")))
    assert keys == {f"cgit-{i}" for i in (SILK, JADE, CRANE, PANDA, PANDA_AGAIN)}

    silk = project(session, f"cgit-{SILK}")
    assert (
        silk.title == "Silk Harbour Group: Transport/Shipping in Sri Lanka (Coastal Port Holdings)"
    )
    assert (silk.external_id, silk.commitment_year, silk.status, silk.flow_type) == (
        SILK,
        2019,
        "unknown",
        "investment",
    )
    assert (silk.recipient, silk.recipient_region, silk.sector_name) == (
        "Sri Lanka",
        "West Asia",
        "Transport",
    )
    assert silk.amount_usd_nominal == Decimal("1740000000.00")  # "$\t1,740" millions
    assert silk.attributes == {
        "Month": 1,
        "Investor": "Silk Harbour Group",
        "Share Size": "85%",
        "Transaction Party": "Coastal Port Holdings",
        "Subsector": "Shipping",
        "BRI": True,
        "Greenfield": False,
    }
    assert countries(session, f"cgit-{SILK}") == {("LKA", "host")}
    assert strands(session, f"cgit-{SILK}") == {("bri", "stated")}
    assert organisation_roles(session, f"cgit-{SILK}") == {
        ("silk-harbour-group", "financier"),
        ("coastal-port-holdings", "direct_receiver"),
    }
    [(source, locator)] = citations(session, f"cgit-{SILK}")
    assert (source.key, locator) == ("aei-cgit", "2019-01, Silk Harbour Group, Sri Lanka")


def test_amounts_shares_flags_and_country_names(session: Session) -> None:
    do_import(session, "cgit", CGIT_SAMPLE)

    jade = funding(session, f"cgit-{JADE}")  # "$ 500 "
    assert (jade.amount, jade.currency, jade.amount_usd_nominal, jade.amount_usd_constant) == (
        Decimal("500000000.00"),
        "USD",
        Decimal("500000000.00"),
        None,
    )
    assert (jade.flow_type, jade.flow_type_detail, jade.commitment_year) == (
        "investment",
        "greenfield",
        2019,
    )
    assert countries(session, f"cgit-{JADE}") == {("LAO", "host")}  # "Laos"
    crane = project(session, f"cgit-{CRANE}")
    assert crane.amount_usd_nominal == Decimal("2300500000.00")  # "$2,300.5"
    assert (crane.attributes or {})["Share Size"] == "45%, 35%, 20%"
    assert countries(session, f"cgit-{CRANE}") == {("GBR", "host")}  # "Britain"
    assert strands(session, f"cgit-{CRANE}") == set()  # BRI blank
    assert organisation_roles(session, f"cgit-{CRANE}") == {
        ("red-crane-mining", "financier"),
        ("lotus-metals", "financier"),
        ("azure-resources", "financier"),
        ("highland-copper", "direct_receiver"),
    }
    investor = session.scalars(
        select(Organisation).where(Organisation.key == "red-crane-mining")
    ).one()
    assert (investor.name, investor.kind, investor.country_iso3) == (
        "Red Crane Mining",
        "company",
        "CHN",
    )
    financier = funding(session, f"cgit-{CRANE}").financier_id
    assert financier == investor.id  # the first investor named
    # Two identical rows are two transactions ("Dec" and "December" are one month).
    assert project(session, f"cgit-{PANDA}").title == project(session, f"cgit-{PANDA_AGAIN}").title


@pytest.mark.parametrize(
    "investor_header", ["Investor (or Chinese Entity)", "Chinese  Entity", "INVESTOR"]
)
def test_the_investor_column_is_found_under_each_of_its_spellings(
    session: Session, tmp_path: Path, investor_header: str
) -> None:
    path = tmp_path / "spelled.csv"
    header = HEADER.replace("Investor", f'"{investor_header}"')
    row = (
        '2019,Jan,Silk Harbour Group,"$\t1,740",,Coastal Port Holdings,'
        "Transport,Ports,Sri Lanka,,1,"
    )
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")

    report = do_import(session, "cgit", path)

    assert report.problems == []
    assert organisation_roles(session, f"cgit-{SILK}") == {
        ("silk-harbour-group", "financier"),
        ("coastal-port-holdings", "direct_receiver"),
    }


def test_a_cgit_reimport_is_a_no_op_and_ids_are_stable(session: Session) -> None:
    do_import(session, "cgit", CGIT_SAMPLE)
    before = (versions(session), dataset_version(session))

    again = do_import(session, "cgit", CGIT_SAMPLE)

    assert again.counts["projects"].unchanged == 5
    assert again.counts["projects"].inserted == again.counts["projects"].updated == 0
    assert (versions(session), dataset_version(session)) == before


def test_a_column_outside_the_identity_updates_in_place(session: Session, tmp_path: Path) -> None:
    row = (
        '2019,January,Silk Harbour Group,"$\t1,740",85%,Coastal Port Holdings,Transport,{},'
        "Sri Lanka,West Asia,{},"
    )
    do_import(session, "cgit", write(tmp_path / "a.csv", row.format("Shipping", "1")))

    report = do_import(session, "cgit", write(tmp_path / "b.csv", row.format("Ports", "")))

    assert (report.counts["projects"].updated, report.counts["projects"].inserted) == (1, 0)
    silk = project(session, f"cgit-{SILK}")
    assert ((silk.attributes or {})["Subsector"], silk.version) == ("Ports", 2)
    assert strands(session, f"cgit-{SILK}") == set()


def test_a_revised_amount_is_a_new_record_and_the_old_one_is_reported_absent(
    session: Session, tmp_path: Path
) -> None:
    row = (
        '2019,January,Silk Harbour Group,"$\t{}",85%,Coastal Port Holdings,Transport,Ports,'
        "Sri Lanka,West Asia,1,"
    )
    first = do_import(session, "cgit", write(tmp_path / "a.csv", row.format("1,740")))
    assert first.absent == 0

    revised = do_import(session, "cgit", write(tmp_path / "b.csv", row.format("1,750")))

    assert (revised.counts["projects"].inserted, revised.absent) == (1, 1)
    assert "not in this file: 1 stored record(s) of this dataset (kept: imports never delete)" in (
        revised.summary()
    )
    assert count(session, Project, Project.dataset == "cgit") == 2  # nothing deleted


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        (
            "2019,May,A Co,$ 10,,B,Energy,Hydro,Atlantis,Europe,,",
            "Country",
            "no ISO 3166 country named 'Atlantis' (see the alias list in docs/imports.md)",
        ),
        ("2019,May,A Co,\"$1,74\",,B,Energy,Hydro,Peru,,,", "Quantity in Millions",
         "not an amount in millions: '$1,74'"),
        ("2019,May,A Co,$ ten,,B,Energy,Hydro,Peru,,,", "Quantity in Millions",
         "not an amount in millions: '$ ten'"),
        ("2019,Smarch,A Co,$ 10,,B,Energy,Hydro,Peru,,,", "Month", "not a month: 'Smarch'"),
        ("19,May,A Co,$ 10,,B,Energy,Hydro,Peru,,,", "Year", "not a year: '19'"),
        ("2019,May,A Co,$ 10,\"45%, x\",B,Energy,Hydro,Peru,,,", "Share Size",
         "not a percentage: 'x'"),
        ("2019,May,A Co,$ 10,150%,B,Energy,Hydro,Peru,,,", "Share Size",
         "share outside 0-100%: '150%'"),
        ("2019,May,\"A Co, C Co\",$ 10,\"45%, 35%, 20%\",B,Energy,Hydro,Peru,,,", "Share Size",
         "3 share sizes for 2 investors"),
        ("2019,May,A Co,$ 10,,B,Energy,Hydro,Peru,,yes,", "BRI", "expected 1 or blank, got 'yes'"),
        ("2019,May,A Co,$ 10,,B,Energy,Hydro,Peru,,,B", "Greenfield",
         "expected G or blank, got 'B'"),
        ("2019,May,,$ 10,,B,Energy,Hydro,Peru,,,", "Investor", "required"),
        ("2019,May,A Co,,,B,Energy,Hydro,Peru,,,", "Quantity in Millions", "required"),
    ],
)  # fmt: skip
def test_each_bad_cgit_row_is_reported(
    session: Session, tmp_path: Path, row: str, field: str, reason: str
) -> None:
    good = "2019,May,Good Co,$ 10,,B,Energy,Hydro,Peru,South America,1,"
    before = dataset_version(session)

    report = do_import(session, "cgit", write(tmp_path / "bad.csv", good, row))

    assert report.refused
    assert [(p.line, p.field, p.reason) for p in report.problems] == [(5, field, reason)]
    assert dataset_version(session) == before
    assert count(session, Project, Project.dataset == "cgit") == 0


def test_a_file_without_a_cgit_header_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "nothing.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")

    with pytest.raises(FileRefused, match="no header row"):
        do_import(session, "cgit", path)

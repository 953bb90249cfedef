"""Mapping rules beyond the sample: regional recipients, inferred strands, warnings, and
organisations that someone else made."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Organisation
from tests.imports.helpers import (
    citations,
    countries,
    do_import,
    edited_sample,
    organisation_roles,
    project,
    row_of,
    strands,
)


def _recipients(rows: list[dict[str, str]]) -> None:
    regional = row_of(rows, "89653")
    regional.update(
        {"Recipient": "Africa, regional", "Recipient ISO-3": "", "Recipient Region": "Africa"}
    )
    by_name = row_of(rows, "88899")
    by_name.update({"Recipient": "Laos", "Recipient ISO-3": ""})
    several = row_of(rows, "73745")
    several.update({"Recipient": "Kenya and Uganda", "Recipient ISO-3": "KEN|UGA"})
    kosovo = row_of(rows, "69333")
    kosovo.update({"Recipient": "Kosovo", "Recipient ISO-3": "XKX", "Recipient Region": "Europe"})
    unknown = row_of(rows, "54912")
    unknown.update({"Recipient": "Atlantis", "Recipient ISO-3": ""})


def test_regional_and_multi_country_recipients_are_kept(session: Session, tmp_path: Path) -> None:
    report = do_import(session, "aiddata", edited_sample(tmp_path / "regions.csv", _recipients))

    assert report.counts["projects"].inserted == 20
    assert report.problems == []
    regional = project(session, "aiddata-89653")
    assert (regional.recipient, regional.recipient_region) == ("Africa, regional", "Africa")
    assert countries(session, "aiddata-89653") == set()
    assert countries(session, "aiddata-88899") == {("LAO", "recipient")}
    assert countries(session, "aiddata-73745") == {("KEN", "recipient"), ("UGA", "recipient")}
    assert countries(session, "aiddata-69333") == set()
    assert project(session, "aiddata-69333").recipient == "Kosovo"
    assert countries(session, "aiddata-54912") == set()
    assert [(w.line, w.record, w.field, w.reason) for w in report.warnings] == [
        (6, "54912", "Recipient", "no ISO-3 code and no country of that name: kept as text")
    ]
    # A recipient agency of a regional record has no country either.
    government = session.scalars(
        select(Organisation).where(Organisation.key == "government-of-el-salvador")
    ).one()
    assert government.country_iso3 is None


def test_strands_are_inferred_only_when_asked(session: Session, tmp_path: Path) -> None:
    def telecoms(rows: list[dict[str, str]]) -> None:
        row_of(rows, "89653").update({"Sector Code": "220", "Commitment Year": "2019"})
        row_of(rows, "88899").update({"Sector Code": "220.0", "Commitment Year": "2014"})
        row_of(rows, "73745").update({"Sector Code": "120", "Commitment Year": "2018"})

    path = edited_sample(tmp_path / "telecoms.csv", telecoms)
    do_import(session, "aiddata", path)
    assert strands(session, "aiddata-89653") == set()

    report = do_import(session, "aiddata", path, infer_strands=True)

    assert report.counts["projects"].updated == 2  # the option is part of every row's hash
    assert strands(session, "aiddata-89653") == {("digital", "inferred")}
    assert strands(session, "aiddata-88899") == set()  # before the Digital Silk Road
    assert strands(session, "aiddata-73745") == {("health", "inferred")}
    assert project(session, "aiddata-88899").sector_code == "220"


def test_misaligned_lists_are_imported_with_warnings(session: Session, tmp_path: Path) -> None:
    def misalign(rows: list[dict[str, str]]) -> None:
        row = row_of(rows, "70720")  # two sources
        row["Source Titles"] = "One title only"
        row["Source Publishers"] = "A|B|C"
        row["Total Source Count"] = "3"
        row["Implementing Agencies Type"] = "A|B"

    report = do_import(session, "aiddata", edited_sample(tmp_path / "odd.csv", misalign))

    assert report.problems == []
    assert [(w.line, w.record, w.field, w.reason) for w in report.warnings] == [
        (
            11,
            "70720",
            "Implementing Agencies Type",
            "2 types for 1 agency name(s): kind set to 'other'",
        ),
        (11, "70720", "Source URLs", "2 URLs but Total Source Count is 3"),
        (11, "70720", "Source Titles", "titles do not line up with the URLs: URLs used as titles"),
        (11, "70720", "Source Publishers", "3 entries for 2 source URLs: left out"),
    ]
    league = session.scalars(
        select(Organisation).where(Organisation.key == "jamaican-national-premier-league")
    ).one()
    assert league.kind == "other"
    # The first row citing a source gives its title: here, its URL.
    cited = citations(session, "aiddata-70720")
    titles = {s.url: s.title for s, _ in cited if s.key.startswith("url-")}
    assert titles == {
        "http://jm.mofcom.gov.cn/article/jmxw/201308/20130800272545.shtml": (
            "http://jm.mofcom.gov.cn/article/jmxw/201308/20130800272545.shtml"
        ),
        "http://hvfc.net/news/harbour-views-thomas-nets-first-chec-award-for-coach/#": (
            "http://hvfc.net/news/harbour-views-thomas-nets-first-chec-award-for-coach/#"
        ),
    }


def test_organisations_made_by_others_are_linked_not_changed(
    session: Session, tmp_path: Path
) -> None:
    huawei = session.scalars(select(Organisation).where(Organisation.key == "huawei")).one()
    snapshot = (huawei.name, huawei.kind, huawei.version, huawei.source_id)

    def huawei_builds(rows: list[dict[str, str]]) -> None:
        row = row_of(rows, "89653")
        row["Implementing Agencies"] = "HUAWEI"
        row["Implementing Agencies Type"] = "Chinese State-owned Company"

    do_import(session, "aiddata", edited_sample(tmp_path / "huawei.csv", huawei_builds))
    do_import(session, "aiddata", edited_sample(tmp_path / "huawei.csv", huawei_builds), full=True)
    session.expire_all()

    assert ("huawei", "implementer") in organisation_roles(session, "aiddata-89653")
    huawei = session.scalars(select(Organisation).where(Organisation.key == "huawei")).one()
    assert (huawei.name, huawei.kind, huawei.version, huawei.source_id) == snapshot

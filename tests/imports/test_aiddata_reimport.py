"""Re-importing: unchanged is a no-op, a changed row rewrites its record, a dry run writes
nothing."""

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Change, Funding, Project, ProjectOrganisation, Source
from tests.imports.helpers import (
    SAMPLE,
    count,
    dataset_version,
    do_import,
    edited_sample,
    funding,
    organisation_roles,
    project,
    row_of,
    versions,
)


def _counts(report: object) -> dict[str, tuple[int, int, int]]:
    return {
        name: (c.inserted, c.updated, c.unchanged)
        for name, c in report.counts.items()  # type: ignore[attr-defined]
    }


def test_an_unchanged_reimport_changes_nothing(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)
    before = (versions(session), dataset_version(session), count(session, Source))

    again = do_import(session, "aiddata", SAMPLE)

    assert _counts(again) == {
        "sources": (0, 0, 0),
        "organisations": (0, 0, 0),
        "projects": (0, 0, 20),
        "funding": (0, 0, 20),
    }
    assert (again.rows, again.valid) == (20, 20)
    assert (versions(session), dataset_version(session), count(session, Source)) == before
    assert again.version_before == again.version_after == before[1]


def test_a_full_reimport_compares_every_row_and_still_changes_nothing(session: Session) -> None:
    do_import(session, "aiddata", SAMPLE)
    before = (versions(session), dataset_version(session))

    again = do_import(session, "aiddata", SAMPLE, full=True)

    assert _counts(again) == {
        "sources": (0, 0, 273),
        "organisations": (0, 0, 49),
        "projects": (0, 0, 20),
        "funding": (0, 0, 20),
    }
    assert (versions(session), dataset_version(session)) == before


def test_a_changed_row_updates_its_record_once(session: Session, tmp_path: Path) -> None:
    do_import(session, "aiddata", SAMPLE)
    old = project(session, "aiddata-54912")
    old_title, project_id = old.title, old.id
    before = dataset_version(session)

    def edit(rows: list[dict[str, str]]) -> None:
        row = row_of(rows, "54912")
        row["Title"] = "A corrected title"
        row["Amount (Nominal USD)"] = "90292542.3166553"
        row["Interest Rate"] = "2.5"

    report = do_import(session, "aiddata", edited_sample(tmp_path / "edited.csv", edit))

    assert _counts(report)["projects"] == (0, 1, 19)
    assert _counts(report)["funding"] == (0, 1, 19)
    session.expire_all()
    p = project(session, "aiddata-54912")
    f = funding(session, "aiddata-54912")
    assert (p.title, p.version, p.amount_usd_nominal) == (
        "A corrected title",
        2,
        Decimal("90292542.32"),
    )
    assert (f.version, f.amount_usd_nominal, f.interest_rate) == (
        2,
        Decimal("90292542.32"),
        Decimal("2.5"),
    )
    assert project(session, "aiddata-89653").version == 1
    changes = session.scalars(
        select(Change).where(Change.version > before).order_by(Change.version)
    ).all()
    assert [(c.resource, str(c.op), c.actor) for c in changes] == [
        ("funding", "update", "import:aiddata"),
        ("projects", "update", "import:aiddata"),
    ]
    assert changes[0].before == {"amount_usd_nominal": "90292542.31", "interest_rate": "2"}
    assert changes[0].after == {"amount_usd_nominal": "90292542.32", "interest_rate": "2.5"}
    assert changes[1].resource_id == str(project_id)
    assert changes[1].before == {"title": old_title, "amount_usd_nominal": "90292542.31"}
    assert changes[1].after == {
        "title": "A corrected title",
        "amount_usd_nominal": "90292542.32",
        "funding": "aiddata-54912",
    }


def test_records_missing_from_a_later_file_are_kept_and_reported(
    session: Session, tmp_path: Path
) -> None:
    do_import(session, "aiddata", SAMPLE)

    def drop_two(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [row for row in rows if row["AidData Record ID"] not in {"54912", "89653"}]

    shorter = edited_sample(tmp_path / "shorter.csv", drop_two)
    report = do_import(session, "aiddata", shorter)
    full = do_import(session, "aiddata", shorter, full=True)

    assert (report.absent, full.absent) == (2, 2)
    assert report.summary()[-2] == (
        "not in this file: 2 stored record(s) of this dataset (kept: imports never delete)"
    )
    assert count(session, Project, Project.dataset == "aiddata") == 20
    assert do_import(session, "aiddata", SAMPLE).absent == 0

    def spoil(rows: list[dict[str, str]]) -> None:
        row_of(rows, "54912")["Original Currency"] = "XYZ"

    spoilt = edited_sample(tmp_path / "spoilt.csv", spoil)
    skipped = do_import(session, "aiddata", spoilt, skip_invalid=True)
    refused = do_import(session, "aiddata", spoilt)
    # The file still names 54912, on a row it rejects: not absent.
    assert (skipped.rejected_rows, skipped.absent) == (1, 0)
    assert (refused.refused, refused.absent) == (True, 0)


def test_a_changed_agency_list_rewrites_the_links(session: Session, tmp_path: Path) -> None:
    do_import(session, "aiddata", SAMPLE)

    def edit(rows: list[dict[str, str]]) -> None:
        row = row_of(rows, "54912")
        row["Implementing Agencies"] = "China Civil Engineering Construction Corporation (CCECC)"
        row["Implementing Agencies Type"] = "Chinese State-owned Company"

    report = do_import(session, "aiddata", edited_sample(tmp_path / "edited.csv", edit))

    assert _counts(report)["projects"] == (0, 1, 19)
    assert _counts(report)["funding"] == (0, 0, 20)
    assert organisation_roles(session, "aiddata-54912") == {
        ("export-import-bank-of-china-china-eximbank", "financier"),
        ("government-of-antigua-and-barbuda", "direct_receiver"),
        ("china-civil-engineering-construction-corporation-ccecc", "implementer"),
    }
    p = project(session, "aiddata-54912")
    entry = session.scalars(
        select(Change).where(
            Change.resource == "projects", Change.resource_id == str(p.id), Change.op == "update"
        )
    ).one()
    # The agency types as written are attributes too: one type where the file had two.
    assert set(entry.after or {}) == {"attributes", "organisations"}
    implementers = "Implementing Agencies Type"
    assert entry.before["attributes"][implementers] == (  # type: ignore[index]
        "Chinese State-owned Company|Chinese State-owned Company"
    )
    assert entry.after["attributes"][implementers] == "Chinese State-owned Company"  # type: ignore[index]
    assert len(entry.before["organisations"]) == 4  # type: ignore[index]
    assert len(entry.after["organisations"]) == 3  # type: ignore[index]
    assert p.version == 2


def test_whitespace_only_changes_keep_every_version(session: Session, tmp_path: Path) -> None:
    do_import(session, "aiddata", SAMPLE)
    before = (versions(session), dataset_version(session))

    def edit(rows: list[dict[str, str]]) -> None:
        row_of(rows, "54912")["Title"] += "   "

    report = do_import(session, "aiddata", edited_sample(tmp_path / "spaced.csv", edit))

    assert _counts(report)["projects"] == (0, 0, 20)
    assert (versions(session), dataset_version(session)) == before
    # The record is compared once; the next run skips it without reading it.
    assert _counts(do_import(session, "aiddata", tmp_path / "spaced.csv"))["projects"] == (
        0,
        0,
        20,
    )


def test_project_totals_include_funding_rows_a_curator_added(
    session: Session, tmp_path: Path
) -> None:
    do_import(session, "aiddata", SAMPLE)
    p = project(session, "aiddata-69143")
    extra = funding(session, "aiddata-69143")
    session.add(
        Funding(
            key="curated-69143-extra",
            project_id=p.id,
            flow_type="loan",
            amount=Decimal("1000.00"),
            currency="USD",
            amount_usd_nominal=Decimal("1000.00"),
            source_id=extra.source_id,
            locator="curator",
        )
    )
    session.commit()

    def edit(rows: list[dict[str, str]]) -> None:
        row_of(rows, "69143")["Amount (Nominal USD)"] = "22118869.0"

    do_import(session, "aiddata", edited_sample(tmp_path / "edited.csv", edit))
    session.expire_all()

    assert project(session, "aiddata-69143").amount_usd_nominal == Decimal("22119869.00")
    assert project(session, "aiddata-69143").amount_usd_constant == Decimal("44944413.60")


def test_a_dry_run_reports_and_writes_nothing(session: Session) -> None:
    before = (versions(session), dataset_version(session))
    links = count(session, ProjectOrganisation)

    report = do_import(session, "aiddata", SAMPLE, dry_run=True)

    assert report.dry_run
    assert not report.written
    assert _counts(report)["projects"] == (20, 0, 0)
    assert _counts(report)["sources"] == (273, 0, 0)
    assert (versions(session), dataset_version(session)) == before
    assert count(session, Project, Project.dataset == "aiddata") == 0
    assert count(session, ProjectOrganisation) == links
    assert count(session, Funding, Funding.key.like("aiddata-%")) == 0
    assert report.version_after == report.version_before == before[1]

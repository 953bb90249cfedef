"""Bad rows: every one reported with its line, field and reason; nothing written by default;
--skip-invalid imports the rest and reports the rejects."""

import csv
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.imports.reading import FileRefused
from app.imports.report import write_report
from app.models import Project
from tests.imports.helpers import (
    SAMPLE,
    count,
    dataset_version,
    do_import,
    sample,
    versions,
    write_rows,
)

# (column, bad value, the reason reported); each spoils a copy of a valid row.
BAD_FIELDS = [
    ("Original Currency", "XYZ", "not an ISO 4217 currency code: 'XYZ'"),
    ("Amount (Nominal USD)", "1,500,000", "not a number: '1,500,000'"),
    ("Commitment Date (MM/DD/YYYY)", "2019-02-30", "not a valid date: '2019-02-30'"),
    ("Actual Completion Date (MM/DD/YYYY)", "03.12.2019", "not a date (YYYY-MM-DD): '03.12.2019'"),
    ("AidData Record ID", "", "required"),
    ("Recipient ISO-3", "ZZZ", "unknown ISO 3166-1 alpha-3 code 'ZZZ'"),
    ("Commitment Year", "twenty", "not a year: 'twenty'"),
    ("Umbrella", "Maybe", "expected Yes or No, got 'Maybe'"),
    ("Amount (Constant USD 2021)", "-5", "negative amount: -5"),
    ("Title", "  ", "required"),
    ("Source Quality Score", "4.5", "not a whole number: '4.5'"),
    ("Interest Rate", "8e+7391204002", "too large: '8e+7391204002'"),
    ("Status", "Finished", None),
]


def _bad_file(path: Path) -> tuple[Path, list[tuple[int, str, str, str]]]:
    """Rows 2-21 are the valid sample; then one spoilt row per bad field, a duplicate id,
    an amount without currency and a short row. Returns the expected problems."""
    header, rows = sample()
    expected: list[tuple[int, str, str, str]] = []
    line = len(rows) + 2
    for number, (column, value, reason) in enumerate(BAD_FIELDS):
        row = dict(rows[number % len(rows)])
        row["AidData Record ID"] = str(900_000 + number)
        row[column] = value
        rows.append(row)
        record = row["AidData Record ID"]
        if reason is None:
            reason = (
                "not a GCDF status (expected Pipeline: Pledge, Pipeline: Commitment, "
                "Implementation, Completion, Suspended, Cancelled or blank)"
            )
        expected.append((line, record, column, reason))
        line += 1
    duplicate = dict(rows[3])
    rows.append(duplicate)
    expected.append((line, "69333", "AidData Record ID", "duplicate of line 5"))
    line += 1
    no_currency = dict(rows[0], **{"AidData Record ID": "900100", "Original Currency": ""})
    rows.append(no_currency)
    expected.append((line, "900100", "Original Currency", "required"))
    path = write_rows(path, header, rows)
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["900200", "Yes", "", "No", "China"])
    expected.append((line + 1, "", "-", "the row has 5 fields, the header has 126"))
    return path, expected


def test_every_bad_row_is_reported_and_nothing_is_written(session: Session, tmp_path: Path) -> None:
    path, expected = _bad_file(tmp_path / "bad.csv")
    before = (versions(session), dataset_version(session))

    report = do_import(session, "aiddata", path)

    assert report.refused
    assert not report.written
    assert report.counts == {}
    found = [(p.line, p.record, p.field, p.reason) for p in report.problems]
    assert found == expected
    assert (report.rows, report.valid, report.rejected_rows) == (36, 20, 16)
    assert (versions(session), dataset_version(session)) == before
    assert count(session, Project, Project.dataset == "aiddata") == 0


def test_a_dry_run_with_bad_rows_is_refused_too(session: Session, tmp_path: Path) -> None:
    path, expected = _bad_file(tmp_path / "bad.csv")

    report = do_import(session, "aiddata", path, dry_run=True)

    assert report.refused
    assert len(report.problems) == len(expected)
    assert count(session, Project, Project.dataset == "aiddata") == 0


def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(
    session: Session, tmp_path: Path
) -> None:
    path, expected = _bad_file(tmp_path / "bad.csv")

    report = do_import(session, "aiddata", path, skip_invalid=True)

    assert report.written
    assert not report.refused
    assert report.counts["projects"].inserted == 20
    assert count(session, Project, Project.dataset == "aiddata") == 20
    write_report(tmp_path / "rejects.csv", report.problems, report.warnings)
    with (tmp_path / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["severity", "line", "record", "field", "value", "reason"]
    assert lines[1] == [
        "error",
        "22",
        "900000",
        "Original Currency",
        "XYZ",
        "not an ISO 4217 currency code: 'XYZ'",
    ]
    assert [(int(line[1]), line[2], line[3], line[5]) for line in lines[1:]] == expected
    assert {line[0] for line in lines[1:]} == {"error"}


def test_a_file_without_the_gcdf_columns_is_refused(tmp_path: Path, session: Session) -> None:
    header, rows = sample()
    path = write_rows(tmp_path / "short.csv", [h for h in header if h != "Title"], rows)

    with pytest.raises(FileRefused, match="missing column\\(s\\) Title"):
        do_import(session, "aiddata", path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"AidData Record ID\n\xff\xfe\n", "is not UTF-8 text")],
)
def test_unreadable_files_are_refused(
    tmp_path: Path, session: Session, content: bytes, message: str
) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(content)

    with pytest.raises(FileRefused, match=message):
        do_import(session, "aiddata", path)


def test_blank_lines_are_not_rows(session: Session, tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "blank.csv"
    path.write_text(text.replace("\n", "\n\n", 3), encoding="utf-8")

    report = do_import(session, "aiddata", path)

    assert (report.rows, report.counts["projects"].inserted) == (20, 20)

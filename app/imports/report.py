"""What an import did (or would do): counts per resource, rejected rows, warnings."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from app.imports.records import Problem
from app.imports.upsert import Counts

REPORT_COLUMNS = ["severity", "line", "record", "field", "value", "reason"]


@dataclass
class ImportReport:
    dataset: str
    path: Path
    rows: int = 0  # data rows read (blank lines not counted)
    valid: int = 0
    rejected_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, Counts] = field(default_factory=dict)
    refused: bool = False  # invalid rows stopped the import (no --skip-invalid)
    written: bool = False  # False: refused, or a dry run
    dry_run: bool = False
    version_before: int = 0
    version_after: int = 0
    # Records of the dataset already stored that no row of this file names: kept,
    # since imports never delete, but an analyst should know (a revised CGIT amount is a
    # new record, say).
    absent: int = 0

    def summary(self) -> list[str]:
        lines = [
            f"{self.path.name}: {self.rows} rows read, {self.valid} valid, "
            f"{self.rejected_rows} rejected, {len(self.warnings)} warning(s)"
        ]
        for name, c in self.counts.items():
            lines.append(
                f"{name:14} inserted {c.inserted:7}  updated {c.updated:7}  "
                f"unchanged {c.unchanged:7}"
            )
        if self.absent:
            lines.append(
                f"not in this file: {self.absent} stored record(s) of this dataset "
                "(kept: imports never delete)"
            )
        if self.refused:
            lines.append(
                f"import refused: {self.rejected_rows} invalid row(s); nothing was written "
                "(fix them, or pass --skip-invalid to import the valid rows)"
            )
        elif self.dry_run:
            lines.append("dry run: nothing was written (the counts say what an import would do)")
        else:
            lines.append(f"dataset version {self.version_before} -> {self.version_after}")
        return lines


def write_report(path: Path, problems: list[Problem], warnings: list[Problem]) -> None:
    """One CSV line per problem: `error` lines are rejected rows, `warning` lines were
    imported with the caveat the reason gives."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        for severity, found in (("error", problems), ("warning", warnings)):
            for p in found:
                writer.writerow([severity, p.line, p.record, p.field, p.value, p.reason])

"""Fixture files and small queries shared by the import tests."""

import csv
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.imports.report import ImportReport
from app.imports.run import run_import
from app.models import (
    Change,
    Funding,
    Organisation,
    Project,
    ProjectCitation,
    ProjectCountry,
    ProjectOrganisation,
    ProjectStrand,
    Source,
)

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE = FIXTURES / "gcdf3_ports_projects.csv"
CGIT_SAMPLE = FIXTURES / "cgit_sample.csv"
CENT = Decimal("0.01")


def sample() -> tuple[list[str], list[dict[str, str]]]:
    """The real sample's header and rows (as dicts, in file order)."""
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [dict(zip(header, row, strict=True)) for row in reader]


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(name, "") for name in header])
    return path


def edited_sample(
    path: Path, edit: Callable[[list[dict[str, str]]], list[dict[str, str]] | None]
) -> Path:
    """The sample with `edit` applied to its rows (in place, or returning new rows)."""
    header, rows = sample()
    changed = edit(rows)
    return write_rows(path, header, rows if changed is None else changed)


def row_of(rows: list[dict[str, str]], record_id: str) -> dict[str, str]:
    return next(row for row in rows if row["AidData Record ID"] == record_id)


def do_import(session: Session, dataset: str, path: Path, **options: Any) -> ImportReport:
    return run_import(session, dataset, path, **options)


def project(session: Session, key: str) -> Project:
    return session.scalars(select(Project).where(Project.key == key)).one()


def funding(session: Session, key: str) -> Funding:
    return session.scalars(select(Funding).where(Funding.key == key)).one()


def organisation_roles(session: Session, key: str) -> set[tuple[str, str]]:
    stmt = (
        select(Organisation.key, ProjectOrganisation.role)
        .join(Organisation, Organisation.id == ProjectOrganisation.organisation_id)
        .join(Project, Project.id == ProjectOrganisation.project_id)
        .where(Project.key == key)
    )
    return {(org, str(role)) for org, role in session.execute(stmt)}


def countries(session: Session, key: str) -> set[tuple[str, str]]:
    stmt = (
        select(ProjectCountry.country_iso3, ProjectCountry.role)
        .join(Project, Project.id == ProjectCountry.project_id)
        .where(Project.key == key)
    )
    return {(code, str(role)) for code, role in session.execute(stmt)}


def strands(session: Session, key: str) -> set[tuple[str, str]]:
    stmt = (
        select(ProjectStrand.strand_code, ProjectStrand.basis)
        .join(Project, Project.id == ProjectStrand.project_id)
        .where(Project.key == key)
    )
    return {(code, str(basis)) for code, basis in session.execute(stmt)}


def citations(session: Session, key: str) -> list[tuple[Source, str]]:
    stmt = (
        select(Source, ProjectCitation.locator)
        .join(ProjectCitation, ProjectCitation.source_id == Source.id)
        .join(Project, Project.id == ProjectCitation.project_id)
        .where(Project.key == key)
    )
    return [(source, locator) for source, locator in session.execute(stmt)]


def count(session: Session, model: Any, *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def dataset_version(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(Change.version), 0))) or 0


def versions(session: Session) -> dict[str, list[tuple[str, int]]]:
    """Every imported-area row's key and version, to compare before and after."""
    return {
        model.__tablename__: sorted(
            tuple(row) for row in session.execute(select(model.key, model.version))
        )
        for model in (Project, Funding, Source, Organisation)
    }


def cents(raw: str) -> Decimal:
    return Decimal(raw).quantize(CENT, rounding=ROUND_HALF_EVEN)

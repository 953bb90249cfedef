"""One import, start to end: read and validate the whole file, then write it in one
transaction (or roll back a dry run), and report."""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.caching import dataset_version
from app.imports.records import Parsed
from app.imports.report import ImportReport
from app.imports.write import Writer
from app.models import Project

Parser = Callable[..., Parsed]


def parser_for(dataset: str) -> Parser:
    if dataset == "aiddata":
        from app.imports.aiddata import parse_aiddata

        return parse_aiddata
    if dataset == "cgit":
        from app.imports.cgit import parse_cgit

        return parse_cgit
    raise ValueError(f"unknown dataset {dataset!r}")


def known_hashes(session: Session, dataset: str) -> dict[str, str]:
    """The `import_hash` of every project the last imports of this dataset wrote."""
    stmt = select(Project.external_id, Project.import_hash).where(
        Project.dataset == dataset, Project.import_hash.is_not(None)
    )
    return {str(external_id): str(digest) for external_id, digest in session.execute(stmt)}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the block, back as it was after.

    An import holds millions of long-lived objects (rows, dicts, tuples) that form no
    cycles, so refcounting frees them all; the collector would only rescan them again and
    again as they pile up (a fifth of a 20,000-row first import's time, growing faster than
    the file). Only `bri import` runs imports, one per process.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@collector_paused()
def run_import(
    session: Session,
    dataset: str,
    path: Path,
    *,
    skip_invalid: bool = False,
    dry_run: bool = False,
    infer_strands: bool = False,
    full: bool = False,
    on_line: Callable[[int], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> ImportReport:
    """Validates every row first, then writes everything in one transaction of `session`
    (a session with no transaction open). Nothing is written when a row is invalid (unless
    `skip_invalid`), nor on a dry run."""
    stage = on_stage or (lambda _name: None)
    options = {"infer_strands": infer_strands} if dataset == "aiddata" else {}
    stored = known_hashes(session, dataset)
    session.rollback()  # no transaction stays open while the file is read
    parsed = parser_for(dataset)(path, known={} if full else stored, progress=on_line, **options)
    parsed.full = full
    report = ImportReport(
        dataset=dataset,
        path=path,
        rows=parsed.rows,
        valid=len(parsed.records) + parsed.unchanged,
        rejected_rows=len(parsed.rejected_lines),
        problems=parsed.problems,
        warnings=parsed.warnings,
        dry_run=dry_run,
        absent=len(stored.keys() - parsed.ids()),
    )
    if parsed.problems and not skip_invalid:
        report.refused = True
        return report
    try:
        with session.begin():
            report.version_before = dataset_version(session)
            report.counts = Writer(session, parsed, f"import:{dataset}", stage).run()
            report.version_after = dataset_version(session)
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.version_after = report.version_before
        return report
    report.written = True
    return report

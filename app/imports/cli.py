"""`bri import aiddata PATH` and `bri import cgit PATH`."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from app.imports.report import ImportReport

import_cli = typer.Typer(
    help="Import a real dataset (validated in full, written in one transaction).",
    no_args_is_help=True,
)

PathArgument = Annotated[
    Path,
    typer.Argument(exists=True, dir_okay=False, readable=True, help="The dataset's CSV file."),
]
SkipInvalid = Annotated[
    bool,
    typer.Option(
        "--skip-invalid",
        help="Import the valid rows and write the rejected ones to the report "
        "(default: any invalid row stops the import and nothing is written).",
    ),
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Validate and report what would change; write nothing.")
]
Report = Annotated[
    Path | None,
    typer.Option(
        "--report",
        dir_okay=False,
        help="CSV of every rejected row and warning (line, record, field, value, reason); "
        "with --skip-invalid, or when there are more than the terminal lists (200 problems, "
        "20 warnings), it defaults to <file>.rejects.csv in the current folder.",
    ),
]
Full = Annotated[
    bool,
    typer.Option("--full", help="Re-read every row, even rows unchanged since the last import."),
]
MAX_PRINTED = 200  # problems listed on the terminal; every one is in the report
MAX_WARNINGS_PRINTED = 20


def _run(
    dataset: str,
    path: Path,
    *,
    skip_invalid: bool,
    dry_run: bool,
    report_path: Path | None,
    full: bool,
    infer_strands: bool = False,
) -> None:
    import sqlite3

    import psycopg
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from app.db import make_engine
    from app.imports.progress import progress_callbacks
    from app.imports.reading import FileRefused
    from app.imports.run import run_import
    from app.imports.write import ImportRefused
    from app.settings import get_settings

    # No statement timeout: one import is a few long statements, not a web request.
    engine = make_engine(get_settings().database_url)
    try:
        with (
            Session(engine, expire_on_commit=False) as session,
            progress_callbacks(path, enabled=sys.stderr.isatty()) as (on_line, on_stage),
        ):
            report = run_import(
                session,
                dataset,
                path,
                skip_invalid=skip_invalid,
                dry_run=dry_run,
                infer_strands=infer_strands,
                full=full,
                on_line=on_line,
                on_stage=on_stage,
            )
    except (FileRefused, ImportRefused) as refused:
        typer.echo(f"import refused: {refused}; nothing was written", err=True)
        raise typer.Exit(2) from refused
    except (SQLAlchemyError, sqlite3.Error, psycopg.Error) as error:
        # A key taken by a row made meanwhile, a full disk...: the transaction rolled back.
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        typer.echo(f"import failed: {reason}; nothing was written", err=True)
        raise typer.Exit(3) from error
    finally:
        engine.dispose()
    _finish(report, report_path, skip_invalid)


def _finish(report: "ImportReport", report_path: Path | None, skip_invalid: bool) -> None:
    from app.imports.report import write_report

    for problem in report.problems[:MAX_PRINTED]:
        typer.echo(f"rejected: {problem}", err=True)
    if len(report.problems) > MAX_PRINTED:
        more = len(report.problems) - MAX_PRINTED
        typer.echo(f"... and {more} more problems (all of them in the report)", err=True)
    for warning in report.warnings[:MAX_WARNINGS_PRINTED]:
        typer.echo(f"warning: {warning}", err=True)
    if len(report.warnings) > MAX_WARNINGS_PRINTED:
        more = len(report.warnings) - MAX_WARNINGS_PRINTED
        typer.echo(f"... and {more} more warnings (all of them in the report)", err=True)
    # Every bad row is reported somewhere: in a file whenever the terminal got only some.
    cut = len(report.problems) > MAX_PRINTED or len(report.warnings) > MAX_WARNINGS_PRINTED
    if report_path is None and (skip_invalid or cut) and (report.problems or report.warnings):
        report_path = Path.cwd() / f"{report.path.stem}.rejects.csv"
    if report_path is not None:
        write_report(report_path, report.problems, report.warnings)
        typer.echo(f"report: {report_path}", err=True)
    for line in report.summary():
        typer.echo(line)
    if report.refused:
        raise typer.Exit(1)


@import_cli.command("aiddata")
def import_aiddata(
    path: PathArgument,
    skip_invalid: SkipInvalid = False,
    dry_run: DryRun = False,
    report: Report = None,
    full: Full = False,
    infer_strands: Annotated[
        bool,
        typer.Option(
            "--infer-strands",
            help="Tag strands by rule (OECD sector 220 from 2015: digital; 120 from 2017: "
            "health), stored with basis=inferred. GCDF rows state no strand.",
        ),
    ] = False,
) -> None:
    """Import AidData's Global Chinese Development Finance Dataset 3.0 (project-level CSV)."""
    _run(
        "aiddata",
        path,
        skip_invalid=skip_invalid,
        dry_run=dry_run,
        report_path=report,
        full=full,
        infer_strands=infer_strands,
    )


@import_cli.command("cgit")
def import_cgit(
    path: PathArgument,
    skip_invalid: SkipInvalid = False,
    dry_run: DryRun = False,
    report: Report = None,
    full: Full = False,
) -> None:
    """Import AEI's China Global Investment Tracker (the spreadsheet saved as CSV)."""
    _run("cgit", path, skip_invalid=skip_invalid, dry_run=dry_run, report_path=report, full=full)

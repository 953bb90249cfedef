"""The `bri` command: database migrations, the seed, the server."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from app.auth.cli import keys_cli
from app.imports.cli import import_cli
from app.settings import get_settings

cli = typer.Typer(
    help="BRI Tracker: manage the database and serve the API.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_cli = typer.Typer(help="Schema migrations.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(import_cli, name="import")

ROOT = Path(__file__).resolve().parents[1]


def _alembic_config() -> "object":
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    # The ini parser reads % as interpolation; a URL-encoded password (p%40ss) needs %%.
    config.set_main_option("sqlalchemy.url", get_settings().database_url.replace("%", "%%"))
    return config


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the schema up (to the newest revision by default)."""
    from alembic import command

    command.upgrade(_alembic_config(), revision)  # type: ignore[arg-type]
    typer.echo(f"database at {revision}")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()] = "base") -> None:
    """Migrate the schema down (to empty by default)."""
    from alembic import command

    command.downgrade(_alembic_config(), revision)  # type: ignore[arg-type]
    typer.echo(f"database at {revision}")


@cli.command("seed")
def seed_command(
    directory: Annotated[Path, typer.Option(help="Folder of seed files.")] = ROOT / "seed_data",
) -> None:
    """Validate and load the seed data (idempotent; nothing written if any row is bad)."""
    from app.db import get_sessionmaker
    from app.seed.load import SeedInvalid
    from app.seed.write import seed

    try:
        with get_sessionmaker().begin() as session:
            counts = seed(session, directory)
    except SeedInvalid as invalid:
        for problem in invalid.problems:
            typer.echo(str(problem), err=True)
        typer.echo(
            f"seed refused: {len(invalid.problems)} problem(s); nothing was written", err=True
        )
        raise typer.Exit(1) from invalid
    for name, c in counts.items():
        typer.echo(
            f"{name:14} inserted {c.inserted:4}  updated {c.updated:4}  unchanged {c.unchanged:4}"
        )


@cli.command("synth")
def synth_command(
    projects: Annotated[int, typer.Option(min=1, help="How many projects to make.")],
    seed: Annotated[int, typer.Option(help="Same seed, same data.")] = 1,
) -> None:
    """Fill a migrated, seeded database with AidData-shaped synthetic data (for load tests)."""
    import time

    from app.db import make_engine
    from app.settings import get_settings
    from app.synth.load import SynthRefused
    from app.synth.run import run_synth

    start = time.perf_counter()
    # No per-statement time limit: that guards requests, and a load's one rebuild of
    # funding_rollup over a million projects takes longer than a request may.
    engine = make_engine(get_settings().database_url)
    try:
        result = run_synth(engine, projects, seed)
    except SynthRefused as refused:
        typer.echo(f"synth refused: {refused}; nothing was written", err=True)
        raise typer.Exit(1) from refused
    seconds = time.perf_counter() - start
    for table, count in result.rows.items():
        typer.echo(f"{table:22} {count:10}")
    total = sum(result.rows.values())
    typer.echo(f"{total} rows in {seconds:.1f} s ({total / seconds:,.0f} rows/s), seed {seed}")


@cli.command("serve")
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option()] = 1,
) -> None:
    """Serve the API with uvicorn (after checking that the database answers)."""
    import uvicorn

    from app.ops.server import database_problem, uvicorn_options

    problem = database_problem(get_settings())
    if problem is not None:
        typer.echo(f"bri: {problem}", err=True)
        raise typer.Exit(2)
    options = uvicorn_options(get_settings())
    uvicorn.run("app.main:app", host=host, port=port, workers=workers, **options)


def main() -> None:
    import os

    from pydantic import ValidationError
    from sqlalchemy.exc import OperationalError

    from app.ops.server import database_failed, settings_problem, unknown_variables

    try:
        get_settings()
    except ValidationError as error:
        typer.echo(f"bri: {settings_problem(error)}", err=True)
        sys.exit(2)
    for name in unknown_variables(os.environ):
        typer.echo(f"bri: warning: {name} is not a setting and is ignored", err=True)
    try:
        cli()
    except OperationalError as error:  # the database, not the code: one line, no traceback
        typer.echo(f"bri: {database_failed(get_settings().database_url, error)}", err=True)
        sys.exit(2)

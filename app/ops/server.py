"""Start-up for `bri serve`: settings and database checked first, then uvicorn, configured once.

A bad configuration stops start-up with one line on stderr naming what is wrong, never a
traceback: an invalid `BRI_*` value, a database that cannot be reached, or one without
the schema.
"""

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from app.ops.logs import logging_config
from app.settings import Settings

# Variables with the prefix that are read by the test suite, not by the application.
NOT_SETTINGS = {"BRI_TEST_POSTGRES_URL", "BRI_REQUIRE_POSTGRES"}


def settings_problem(error: ValidationError) -> str:
    """A pydantic-settings error as one line: `BRI_LOG_LEVEL: <why> (got 'LOUD')`."""
    parts = []
    for item in error.errors():
        message = item["msg"].removeprefix("Value error, ")
        if not item["loc"]:  # a rule across settings names them in its message
            parts.append(message)
            continue
        name = "BRI_" + "_".join(str(part) for part in item["loc"]).upper()
        parts.append(f"{name}: {message} (got {item['input']!r})")
    return "bad configuration: " + "; ".join(parts)


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    known = {"BRI_" + name.upper() for name in Settings.model_fields} | NOT_SETTINGS
    return sorted(name for name in environ if name.startswith("BRI_") and name not in known)


def safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


def first_line(error: BaseException) -> str:
    return str(getattr(error, "orig", error)).strip().splitlines()[0]


def database_failed(url: str, error: BaseException) -> str:
    return f"the database at {safe_url(url)} failed: {first_line(error)}"


def database_problem(settings: Settings) -> str | None:
    """Why the configured database cannot serve the API, or None when it can."""
    from app.db import make_engine

    where = safe_url(settings.database_url)
    try:
        engine = make_engine(
            settings.database_url,
            connect_timeout_s=settings.connect_timeout_s,
            pool_timeout_s=settings.pool_timeout_s,
        )
    except (ArgumentError, ImportError, ValueError) as error:
        return f"bad configuration: BRI_DATABASE_URL {where} is not a usable URL ({error})"
    try:
        with engine.connect() as connection:
            migrated = inspect(connection).has_table("alembic_version")
    except SQLAlchemyError as error:
        return f"cannot reach the database at {where}: {first_line(error)}"
    finally:
        engine.dispose()
    if not migrated:
        return f"the database at {where} has no schema yet; run `bri db upgrade` first"
    return None


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """How `bri serve` runs uvicorn: JSON logs configured once, our access log, graceful stop."""
    return {
        "log_config": logging_config(settings.log_level),
        "access_log": False,
        "proxy_headers": False,
        "server_header": False,
        # On SIGTERM uvicorn stops accepting, lets in-flight requests finish for up to
        # this long, then closes what is left.
        "timeout_graceful_shutdown": settings.graceful_timeout_s,
        # An idle keep-alive connection is closed after this long.
        "timeout_keep_alive": settings.keep_alive_s,
    }

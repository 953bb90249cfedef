"""The last resort: a constraint the checks before a write did not catch becomes a problem.

Checks in app/writes and each feature's writes.py catch these cases first, with better
messages; a race between two writers can still reach the database, and must never be a 500.
"""

import re

from sqlalchemy.exc import DataError, IntegrityError

from app.errors import ProblemError, ProblemException

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (?P<name>\w+)")


def database_problem(error: IntegrityError | DataError) -> ProblemException:
    if isinstance(error, DataError):
        return ProblemException(
            422,
            "A value does not fit its column (too long, too large or malformed).",
            errors=[ProblemError(location="body", field="body", message=_first_line(error))],
        )
    message = str(error.orig)
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None) or ""
    unique = _SQLITE_UNIQUE.search(message)
    if unique or constraint.startswith(("uq_", "pk_")) or "unique" in message.lower():
        field = _unique_field(unique.group("columns") if unique else constraint)
        return ProblemException(
            409,
            f"Another row already has this {field}; it was written while this request ran.",
            slug="conflict",
            errors=[ProblemError(location="body", field=field, message="already taken")],
        )
    check = _SQLITE_CHECK.search(message)
    if check or constraint.startswith("ck_"):
        name = check.group("name") if check else constraint
        return ProblemException(
            422,
            f"The values break the rule '{name}'.",
            errors=[ProblemError(location="body", field=name, message="rule broken")],
        )
    return ProblemException(
        409,
        "A row this one refers to, or one that refers to it, changed while this request ran; "
        "fetch it again and retry.",
        slug="conflict",
    )


def _unique_field(found: str) -> str:
    """`projects.key` (SQLite) or `uq_projects_key` (PostgreSQL) -> `key`."""
    first = found.split(",")[0].strip()
    if "." in first:
        return first.split(".", 1)[1]
    for prefix in ("uq_", "pk_"):
        first = first.removeprefix(prefix)
    return first.split("_", 1)[1] if "_" in first else first


def _first_line(error: Exception) -> str:
    return str(getattr(error, "orig", error)).splitlines()[0][:300]

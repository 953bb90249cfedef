"""Each project's line of the full CSV export, stored in project_lines.

Writing a line costs the database about 20 µs (32 cells, quoting tests, two sorted code
lists); reading a stored one costs about 2. So the line is written when the project or
one of its strand or country links changes, by triggers that the migration making the
table installs, in the writing transaction, and a full export (every field, any filters
and sort) reads the stored lines. An export of chosen fields writes its lines as before.

The triggers hold the SQL `line_select` writes today, frozen into the migration; a test
compares what the migrated database runs with it, so a change to the projects' fields
or their CSV cells needs a new migration that replaces the triggers and rebuilds the
lines. A bulk load (synth) turns the triggers off and rebuilds every line once, inside
its transaction; an import writes its new projects' lines itself (app.imports.lines).
"""

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import Connection, select

from app.db import drop_sqlite_triggers
from app.listing.sql_csv import csv_line
from app.models import Project

# SQLite: the triggers, as the migration names them; the first three fire on inserts.
SQLITE_TRIGGERS = (
    "project_lines_project_insert",
    "project_lines_strand_insert",
    "project_lines_country_insert",
    "project_lines_project_update",
    "project_lines_project_delete",
    "project_lines_strand_delete",
    "project_lines_strand_update",
    "project_lines_country_delete",
    "project_lines_country_update",
)
SQLITE_INSERT_TRIGGERS = SQLITE_TRIGGERS[:3]
# PostgreSQL: the trigger functions return at once while this is 'on' in the transaction
# (SET LOCAL): a bulk load pauses them without a table lock or the tables' ownership.
PAUSE = "SET LOCAL bri.project_lines_off = 'on'"
RESUME = "SET LOCAL bri.project_lines_off = 'off'"


def line_select(dialect: sa.engine.Dialect) -> str:
    """SELECT projects.id, <the project's CSV line> FROM projects, as the triggers run it."""
    written = _WRITTEN.get(dialect.name)
    if written is None:
        written = _WRITTEN[dialect.name] = _line_select(dialect)
    return written


_WRITTEN: dict[str, str] = {}


def _line_select(dialect: sa.engine.Dialect) -> str:
    from app.projects.queries import PROJECT_FIELDS  # the fields import the models

    line = csv_line(PROJECT_FIELDS, dialect.name)
    assert line is not None, "every project field has a CSV cell written by the database"
    stored = sa.cast(line, sa.LargeBinary) if dialect.name == "sqlite" else line
    stmt = select(Project.id, stored.label("line"))
    return str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def rebuild(conn: Connection) -> None:
    """Every project's line written afresh."""
    conn.exec_driver_sql("DELETE FROM project_lines")
    conn.exec_driver_sql(
        f"INSERT INTO project_lines (project_id, line) {line_select(conn.dialect)}"
    )


def stale(conn: Connection) -> int:
    """How many projects have no line or a line that differs from a fresh one, plus lines
    of no project: 0 when the triggers did their work."""
    fresh = line_select(conn.dialect)
    wrong = conn.exec_driver_sql(
        f"SELECT count(*) FROM ({fresh}) f LEFT JOIN project_lines l ON l.project_id = f.id "
        "WHERE l.line IS NULL OR l.line <> f.line"
    ).scalar_one()
    orphans = conn.exec_driver_sql(
        "SELECT count(*) FROM project_lines l "
        "WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = l.project_id)"
    ).scalar_one()
    return int(wrong) + int(orphans)


def suspend_triggers(conn: Connection) -> Callable[[], None]:
    """Turns the line triggers off in this transaction; the returned call turns them back
    on and rebuilds every line. On SQLite the caller must have begun the transaction
    (db.begin_write): a DROP TRIGGER outside one would be committed at once."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(PAUSE)

        def resume() -> None:
            conn.exec_driver_sql(RESUME)
            rebuild(conn)

        return resume
    restore = drop_sqlite_triggers(conn, SQLITE_TRIGGERS)

    def recreate() -> None:
        restore()
        rebuild(conn)

    return recreate

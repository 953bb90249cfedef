"""Stored export lines when an import inserts projects: one statement for the new
projects instead of the line triggers' work per project and per link row.

Each new project would have its line written by the projects' insert trigger and again
by each strand and country link inserted after it. With those insert triggers suspended
for the first import's inserts, one INSERT ... SELECT writes every new project's line
once, after its links; the triggers are back before anything else is written, inside
the import's transaction, so a failed import restores them too. Updated records keep
the triggers (app.imports.rewrite).
"""

from typing import TYPE_CHECKING

from app.projects.lines import line_select

if TYPE_CHECKING:
    from app.imports.bulk import Bulk

# SQLite: the insert triggers; PostgreSQL: each table's one trigger (all its events).
SQLITE_TRIGGERS = (
    "project_lines_project_insert",
    "project_lines_strand_insert",
    "project_lines_country_insert",
)
POSTGRES_TRIGGERS = (
    ("project_lines_project", "projects"),
    ("project_lines_strand", "project_strands"),
    ("project_lines_country", "project_countries"),
)


def suspendable(bulk: "Bulk") -> list[str] | None:
    """The triggers' SQL (SQLite) when all are there, or their names (PostgreSQL) when
    all are on and this role may switch them off; None leaves them to do their work."""
    cursor = bulk.raw.cursor()
    try:
        if bulk.postgres:
            cursor.execute(
                "SELECT count(*) FILTER (WHERE pg_has_role(c.relowner, 'MEMBER')) "
                "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = ANY(%s) AND t.tgenabled = 'O'",
                ([name for name, _ in POSTGRES_TRIGGERS],),
            )
            found = cursor.fetchone()
            usable = found is not None and found[0] == len(POSTGRES_TRIGGERS)
            return [name for name, _ in POSTGRES_TRIGGERS] if usable else None
        marks = ", ".join("?" for _ in SQLITE_TRIGGERS)
        cursor.execute(
            f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) "
            "ORDER BY name",
            SQLITE_TRIGGERS,
        )
        statements = [str(sql) for (sql,) in cursor.fetchall()]
        return statements if len(statements) == len(SQLITE_TRIGGERS) else None
    finally:
        cursor.close()


def suspend(bulk: "Bulk", triggers: list[str] | None) -> None:
    """Switches the insert triggers off (queued with the import's writes)."""
    if triggers is None:
        return
    if bulk.postgres:
        for name, table in POSTGRES_TRIGGERS:
            _queue(bulk, f"ALTER TABLE {table} DISABLE TRIGGER {name}")
    else:
        for name in SQLITE_TRIGGERS:
            _queue(bulk, f"DROP TRIGGER {name}")


def write_and_restore(bulk: "Bulk", triggers: list[str] | None, ids: list[int]) -> None:
    """Writes the lines of the projects `ids` (inserted with their links), then switches
    the triggers back on."""
    if triggers is None:
        return
    select = line_select(bulk.dialect)
    if bulk.postgres:
        # psycopg reads % as a placeholder's start; the line's SQL is literal text.
        select, where = select.replace("%", "%%"), "= ANY(%s)"
    else:
        where = "IN (SELECT value FROM json_each(?))"
    sql = f"INSERT INTO project_lines (project_id, line) {select} WHERE projects.id {where}"
    ids_param = bulk.id_list(ids)
    bulk.call(lambda: bulk.execute(sql, ids_param))
    if bulk.postgres:
        for name, table in POSTGRES_TRIGGERS:
            _queue(bulk, f"ALTER TABLE {table} ENABLE TRIGGER {name}")
    else:
        for statement in triggers:
            _queue(bulk, statement)


def _queue(bulk: "Bulk", sql: str) -> None:
    bulk.call(lambda: bulk.execute(sql))

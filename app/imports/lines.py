"""Stored export lines when an import inserts projects: one statement for the new
projects instead of the line triggers' work per project and per link row.

Each new project would have its line written by the projects' insert trigger and again
by each strand and country link inserted after it. With those insert triggers suspended
for the first import's inserts (dropped on SQLite, paused for the transaction on
PostgreSQL), one INSERT ... SELECT writes every new project's line once, after its
links; the triggers are back before anything else is written, inside the import's
transaction, so a failed import restores them too. Updated records keep the triggers
(app.imports.rewrite).
"""

from typing import TYPE_CHECKING

from app.projects.lines import (
    PAUSE,
    RESUME,
    SQLITE_INSERT_TRIGGERS,
    line_select,
)

if TYPE_CHECKING:
    from app.imports.bulk import Bulk


def suspendable(bulk: "Bulk") -> list[str] | None:
    """What `suspend` needs, asked before the writes start: on SQLite the insert triggers'
    SQL when all three are there (None leaves them to do their work), on PostgreSQL
    nothing (the triggers' own switch is always there)."""
    if bulk.postgres:
        return []
    marks = ", ".join("?" for _ in SQLITE_INSERT_TRIGGERS)
    cursor = bulk.raw.cursor()
    try:
        cursor.execute(
            f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
            SQLITE_INSERT_TRIGGERS,
        )
        statements = [str(sql) for (sql,) in cursor.fetchall()]
    finally:
        cursor.close()
    return statements if len(statements) == len(SQLITE_INSERT_TRIGGERS) else None


def suspend(bulk: "Bulk", triggers: list[str] | None) -> None:
    """Switches the insert triggers off (queued with the import's writes)."""
    if triggers is None:
        return
    if bulk.postgres:
        _queue(bulk, PAUSE)
        return
    for name in SQLITE_INSERT_TRIGGERS:
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
    for statement in [RESUME] if bulk.postgres else triggers:
        _queue(bulk, statement)


def _queue(bulk: "Bulk", sql: str) -> None:
    bulk.call(lambda: bulk.execute(sql))

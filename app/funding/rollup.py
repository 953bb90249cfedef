"""Bulk loads and funding_rollup: triggers off during the load, one rebuild after it.

Row triggers cost a few statements per funding row; a bulk load of millions of rows does
better to suspend them and recompute the whole table once, inside the same transaction
(a failed load restores the triggers and the old table with everything else).
"""

from collections.abc import Callable

from sqlalchemy import Connection

from app.db import drop_sqlite_triggers

TRIGGERS = (
    ("funding_rollup_funding_insert", "funding"),
    ("funding_rollup_funding_delete", "funding"),
    ("funding_rollup_funding_update", "funding"),
    ("funding_rollup_strand_insert", "project_strands"),
    ("funding_rollup_strand_delete", "project_strands"),
    ("funding_rollup_strand_update", "project_strands"),
    ("funding_rollup_project_flags", "projects"),
    ("funding_rollup_project_delete", "projects"),
)
MONEY = ("amount_usd_nominal", "amount_usd_constant", "amount")
GROUPS = (
    "s.code, coalesce(f.commitment_year, -1), coalesce(f.constant_base_year, -1), "
    "coalesce(f.currency, ''), f.flow_type, p.umbrella, p.recommended_for_aggregates"
)
# Every funding row once under '' and once under each strand of its project.
REBUILD = (
    "INSERT INTO funding_rollup (strand_code, commitment_year, constant_base_year, currency, "
    "flow_type, umbrella, recommended_for_aggregates, row_count, amount_usd_count, amount_usd, "
    "amount_usd_constant_count, amount_usd_constant, amount_count, amount) "
    f"SELECT {GROUPS}, count(*), "
    + ", ".join(f"count(f.{c}), coalesce(sum(f.{c}), 0)" for c in MONEY)
    + " FROM funding f JOIN projects p ON p.id = f.project_id JOIN ("
    "SELECT id AS project_id, '' AS code FROM projects UNION ALL "
    "SELECT project_id, strand_code AS code FROM project_strands"
    f") s ON s.project_id = f.project_id GROUP BY {GROUPS}"
)


def rebuild(conn: Connection) -> None:
    conn.exec_driver_sql("DELETE FROM funding_rollup")
    conn.exec_driver_sql(REBUILD)


def suspend_triggers(conn: Connection) -> Callable[[], None]:
    """Turns the rollup's triggers off; the returned call turns them on and rebuilds."""
    if conn.dialect.name == "postgresql":
        for name, table in TRIGGERS:
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER {name}")

        def enable() -> None:
            for name, table in TRIGGERS:
                conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
            rebuild(conn)

        return enable
    names = tuple(name for name, _ in TRIGGERS)
    restore = drop_sqlite_triggers(conn, names)

    def recreate() -> None:
        restore()
        rebuild(conn)

    return recreate

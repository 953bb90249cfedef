"""funding_rollup when an import inserts funding rows: one set-based addition instead of the
row trigger.

The insert trigger adds each new funding row to its groups with an INSERT and an UPDATE of
the group's row. On PostgreSQL every UPDATE of a row inside one transaction leaves a row
version the next UPDATE of that row steps over, and an import's rows fall in a few dozen
groups, so the cost grew with the square of the rows (20,000 funding rows: 6.3 s, against
0.6 s for 5,000). With the trigger suspended for the insert, one INSERT ... ON CONFLICT
DO UPDATE adds the new rows' counts and sums per group: the same table. The trigger is
back before anything else is written (strand links, which have their own trigger, come
after), inside the import's transaction, so a failed import restores it too.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.imports.bulk import Bulk

TRIGGER = "funding_rollup_funding_insert"
KEY = (
    "strand_code, commitment_year, constant_base_year, currency, flow_type, umbrella, "
    "recommended_for_aggregates"
)
# (count column, sum column) per money column of funding, as the trigger fills them.
MONEY = {
    "amount_usd_nominal": ("amount_usd_count", "amount_usd"),
    "amount_usd_constant": ("amount_usd_constant_count", "amount_usd_constant"),
    "amount": ("amount_count", "amount"),
}
GROUP = (
    "f.code, coalesce(f.commitment_year, -1), coalesce(f.constant_base_year, -1), "
    "coalesce(f.currency, ''), f.flow_type, p.umbrella, p.recommended_for_aggregates"
)
FIELDS = "f.project_id, f.commitment_year, f.constant_base_year, f.currency, f.flow_type, "
FIELDS += ", ".join(f"f.{column}" for column in MONEY)


def add_sql(postgres: bool) -> str:
    """Adds the funding rows whose ids are the one parameter to their groups: under ''
    and under each strand of their project, as the trigger does."""
    ids = "= ANY(%s)" if postgres else "IN (SELECT value FROM json_each(?))"
    counts = ["row_count", *(name for pair in MONEY.values() for name in pair)]
    sums = ", ".join(f"count(f.{column}), coalesce(sum(f.{column}), 0)" for column in MONEY)
    added = ", ".join(f"{name} = funding_rollup.{name} + excluded.{name}" for name in counts)
    return (
        f"INSERT INTO funding_rollup ({KEY}, {', '.join(counts)}) "
        f"SELECT {GROUP}, count(*), {sums} FROM ("
        f"SELECT '' AS code, {FIELDS} FROM funding f WHERE f.id {ids} UNION ALL "
        f"SELECT s.strand_code AS code, {FIELDS} FROM funding f "
        f"JOIN project_strands s ON s.project_id = f.project_id WHERE f.id {ids}"
        f") f JOIN projects p ON p.id = f.project_id GROUP BY {GROUP} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET {added}"
    )


def suspendable(bulk: "Bulk") -> str | None:
    """The trigger's SQL (SQLite) or name (PostgreSQL) when it is there, on, and this role
    may switch it off; None leaves the trigger to do its work."""
    cursor = bulk.raw.cursor()
    try:
        if bulk.postgres:
            cursor.execute(
                "SELECT pg_has_role(c.relowner, 'MEMBER') FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgrelid = to_regclass('funding') AND t.tgname = %s "
                "AND t.tgenabled = 'O'",
                (TRIGGER,),
            )
            found = cursor.fetchone()
            return TRIGGER if found is not None and found[0] else None
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ? "
            "AND tbl_name = 'funding'",
            (TRIGGER,),
        )
        found = cursor.fetchone()
        return str(found[0]) if found is not None else None
    finally:
        cursor.close()


def insert_funding(
    bulk: "Bulk", trigger: str | None, rows: list[dict[str, Any]], ids: list[int]
) -> None:
    """Inserts new funding rows (tracked, with their ids) and adds them to funding_rollup
    once; `trigger` is what `suspendable` said (asked before: this may run inside
    `Bulk.deferred()`, where no query may be made)."""
    from app.imports.write import FUNDING

    if not rows or trigger is None:
        bulk.insert_with_ids(FUNDING, rows, ids)
        return
    if bulk.postgres:
        bulk.call(lambda: bulk.execute(f"ALTER TABLE funding DISABLE TRIGGER {TRIGGER}"))
    else:
        bulk.call(lambda: bulk.execute(f"DROP TRIGGER {TRIGGER}"))
    bulk.insert_with_ids(FUNDING, rows, ids)
    sql = add_sql(bulk.postgres)
    bulk.call(lambda: bulk.execute(sql, bulk.id_list(ids), bulk.id_list(ids)))
    if bulk.postgres:
        bulk.call(lambda: bulk.execute(f"ALTER TABLE funding ENABLE TRIGGER {TRIGGER}"))
    else:
        bulk.call(lambda: bulk.execute(trigger))

"""funding rollup: funding pre-aggregated for summaries, kept exact by triggers

A table of counts and exact sums per (strand, year, base year, currency, flow type,
umbrella, recommended), filled from the existing rows, and triggers on funding,
project_strands and projects that add and subtract every change in the writing
transaction (see app.models.rollups). The same SQL runs on both databases: on SQLite as
trigger bodies, on PostgreSQL inside PL/pgSQL trigger functions.

A project's deletion is subtracted once, before it happens; the funding and strand rows
its cascade then deletes find no project and change nothing.

Revision ID: ba1cacc14735
Revises: 8534b92d75a5
Create Date: 2026-11-28 21:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ba1cacc14735"
down_revision: str | Sequence[str] | None = "8534b92d75a5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FLOW_TYPES = (
    "loan",
    "grant",
    "export_buyers_credit",
    "suppliers_credit",
    "debt_relief",
    "investment",
    "technical_assistance",
    "in_kind",
    "other",
    "vague",
)
KEYS = (
    "strand_code, commitment_year, constant_base_year, currency, flow_type, umbrella, "
    "recommended_for_aggregates"
)
MEASURES = (
    "row_count",
    "amount_usd_count",
    "amount_usd",
    "amount_usd_constant_count",
    "amount_usd_constant",
    "amount_count",
    "amount",
)
# (measure, funding column): a count of values and a sum in cents per money column.
MONEY = (
    ("amount_usd", "amount_usd_nominal"),
    ("amount_usd_constant", "amount_usd_constant"),
    ("amount", "amount"),
)
EVERY_STRAND_AND_OWN = (
    "SELECT '' AS code UNION ALL "
    "SELECT strand_code AS code FROM project_strands WHERE project_id = {project}"
)


def _row_delta(row: str, sign: str) -> str:
    """One funding row (NEW or OLD) under '' and each of its project's strands."""
    money = ", ".join(
        f"{sign} * (CASE WHEN {row}.{column} IS NULL THEN 0 ELSE 1 END) AS {name}_count, "
        f"{sign} * coalesce({row}.{column}, 0) AS {name}"
        for name, column in MONEY
    )
    strands = EVERY_STRAND_AND_OWN.format(project=f"{row}.project_id")
    return (
        f"SELECT s.code AS strand_code, coalesce({row}.commitment_year, -1) AS commitment_year, "
        f"coalesce({row}.constant_base_year, -1) AS constant_base_year, "
        f"coalesce({row}.currency, '') AS currency, {row}.flow_type AS flow_type, "
        "p.umbrella AS umbrella, p.recommended_for_aggregates AS recommended_for_aggregates, "
        f"{sign} AS row_count, {money} "
        f"FROM projects p CROSS JOIN ({strands}) s WHERE p.id = {row}.project_id"
    )


def _project_delta(project: str, strands: str, sign: str, flags: str = "p") -> str:
    """Every funding row of one project, grouped, under the given strand codes.

    `flags` names where umbrella and recommended come from: the project row as it is
    now (p) or as it was (OLD, in an update of those flags).
    """
    groups = (
        "coalesce(f.commitment_year, -1), coalesce(f.constant_base_year, -1), "
        "coalesce(f.currency, ''), f.flow_type"
    )
    money = ", ".join(
        f"{sign} * count(f.{column}) AS {name}_count, "
        f"{sign} * coalesce(sum(f.{column}), 0) AS {name}"
        for name, column in MONEY
    )
    return (
        f"SELECT s.code AS strand_code, coalesce(f.commitment_year, -1) AS commitment_year, "
        "coalesce(f.constant_base_year, -1) AS constant_base_year, "
        "coalesce(f.currency, '') AS currency, f.flow_type AS flow_type, "
        f"{flags}.umbrella AS umbrella, "
        f"{flags}.recommended_for_aggregates AS recommended_for_aggregates, "
        f"{sign} * count(*) AS row_count, {money} "
        f"FROM funding f JOIN projects p ON p.id = f.project_id CROSS JOIN ({strands}) s "
        f"WHERE f.project_id = {project} "
        f"GROUP BY s.code, {groups}, {flags}.umbrella, {flags}.recommended_for_aggregates"
    )


def _apply(delta: str) -> list[str]:
    """Makes sure each key of the delta has a row, then adds the delta to it."""
    zeros = ", ".join("0" for _ in MEASURES)
    added = ", ".join(f"{m} = funding_rollup.{m} + d.{m}" for m in MEASURES)
    matched = " AND ".join(f"funding_rollup.{k} = d.{k}" for k in KEYS.split(", "))
    return [
        f"INSERT INTO funding_rollup ({KEYS}, {', '.join(MEASURES)}) "
        f"SELECT {KEYS}, {zeros} FROM ({delta}) d WHERE true ON CONFLICT DO NOTHING",
        f"UPDATE funding_rollup SET {added} FROM ({delta}) d WHERE {matched}",
    ]


FUNDING_COLUMNS = (
    "project_id, commitment_year, constant_base_year, currency, flow_type, "
    "amount_usd_nominal, amount_usd_constant, amount"
)
ADD_NEW = _apply(_row_delta("NEW", "1"))
SUBTRACT_OLD = _apply(_row_delta("OLD", "-1"))
LINK_ADDED = _apply(_project_delta("NEW.project_id", "SELECT NEW.strand_code AS code", "1"))
LINK_REMOVED = _apply(_project_delta("OLD.project_id", "SELECT OLD.strand_code AS code", "-1"))
ALL_OF_PROJECT = EVERY_STRAND_AND_OWN.format(project="OLD.id")
FLAGS_OLD_OUT = _apply(_project_delta("OLD.id", ALL_OF_PROJECT, "-1", flags="OLD"))
FLAGS_NEW_IN = _apply(_project_delta("OLD.id", ALL_OF_PROJECT, "1"))
FLAGS_CHANGED = (
    "OLD.umbrella <> NEW.umbrella "
    "OR OLD.recommended_for_aggregates <> NEW.recommended_for_aggregates"
)
PROJECT_GONE = _apply(_project_delta("OLD.id", ALL_OF_PROJECT, "-1"))

# (name, table, timing and event, body statements)
TRIGGERS = (
    ("funding_rollup_funding_insert", "funding", "AFTER INSERT", ADD_NEW),
    ("funding_rollup_funding_delete", "funding", "AFTER DELETE", SUBTRACT_OLD),
    (
        "funding_rollup_funding_update",
        "funding",
        f"AFTER UPDATE OF {FUNDING_COLUMNS}",
        SUBTRACT_OLD + ADD_NEW,
    ),
    ("funding_rollup_strand_insert", "project_strands", "AFTER INSERT", LINK_ADDED),
    ("funding_rollup_strand_delete", "project_strands", "AFTER DELETE", LINK_REMOVED),
    (
        "funding_rollup_strand_update",
        "project_strands",
        "AFTER UPDATE OF project_id, strand_code",
        LINK_REMOVED + LINK_ADDED,
    ),
    (
        "funding_rollup_project_flags",
        "projects",
        "AFTER UPDATE OF umbrella, recommended_for_aggregates",
        FLAGS_OLD_OUT + FLAGS_NEW_IN,
    ),
    ("funding_rollup_project_delete", "projects", "BEFORE DELETE", PROJECT_GONE),
)
WHEN = {"funding_rollup_project_flags": FLAGS_CHANGED}

# Every funding row once under '' and once under each strand of its project.
REBUILD = (
    f"INSERT INTO funding_rollup ({KEYS}, {', '.join(MEASURES)}) "
    "SELECT s.code, coalesce(f.commitment_year, -1), coalesce(f.constant_base_year, -1), "
    "coalesce(f.currency, ''), f.flow_type, p.umbrella, p.recommended_for_aggregates, "
    "count(*), "
    + ", ".join(f"count(f.{column}), coalesce(sum(f.{column}), 0)" for _, column in MONEY)
    + " FROM funding f JOIN projects p ON p.id = f.project_id JOIN ("
    "SELECT id AS project_id, '' AS code FROM projects UNION ALL "
    "SELECT project_id, strand_code AS code FROM project_strands"
    ") s ON s.project_id = f.project_id "
    "GROUP BY s.code, coalesce(f.commitment_year, -1), coalesce(f.constant_base_year, -1), "
    "coalesce(f.currency, ''), f.flow_type, p.umbrella, p.recommended_for_aggregates"
)


def _sqlite_triggers() -> None:
    for name, table, event, body in TRIGGERS:
        when = f" WHEN {WHEN[name]}" if name in WHEN else ""
        statements = "; ".join(body)
        op.execute(
            f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW{when} BEGIN {statements}; END"
        )


def _postgres_triggers() -> None:
    for name, table, event, body in TRIGGERS:
        statements = "; ".join(body)
        guarded = f"IF {WHEN[name]} THEN {statements}; END IF" if name in WHEN else statements
        returned = "OLD" if event.startswith("BEFORE") else "NULL"
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {guarded}; RETURN {returned}; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
        )


def upgrade() -> None:
    op.create_table(
        "funding_rollup",
        sa.Column("strand_code", sa.String(length=40), nullable=False),
        sa.Column("commitment_year", sa.Integer(), nullable=False),
        sa.Column("constant_base_year", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column(
            "flow_type",
            sa.Enum(
                *FLOW_TYPES,
                name="funding_rollup_flow_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("umbrella", sa.Boolean(), nullable=False),
        sa.Column("recommended_for_aggregates", sa.Boolean(), nullable=False),
        *(sa.Column(m, sa.BigInteger(), nullable=False) for m in MEASURES),
        sa.PrimaryKeyConstraint(*KEYS.split(", "), name=op.f("pk_funding_rollup")),
    )
    op.execute(REBUILD)
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgres_triggers()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, table, _, _ in reversed(TRIGGERS):
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + ("" if sqlite else f" ON {table}"))
        if not sqlite:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("funding_rollup")

"""project lines: each project's full CSV export line, stored and kept by triggers

A full CSV export of projects read each line's 32 cells, quoting tests and two sorted
code lists from the database at about 20 µs a row; a stored line reads in about 2. The
table holds, per project, the line the export writes (app.listing.sql_csv.csv_line over
app.projects.queries.PROJECT_FIELDS), as bytes on SQLite and text on PostgreSQL.
Triggers on projects, project_strands and project_countries write it again in the same
transaction as any change; a deleted project's line goes with it.

LINE_SELECT is that SQL as the code wrote it when this migration was made, frozen: a
test compares it with what app.projects.lines.line_select writes now, so a change to the
fields or their cells comes with a migration that installs the new SQL and rebuilds.

Revision ID: 5c0e7a1d2b9f
Revises: ba1cacc14735
Create Date: 2026-11-29 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c0e7a1d2b9f"
down_revision: str | Sequence[str] | None = "ba1cacc14735"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# fmt: off
LINE_SELECT = {
    "sqlite": (
        'SELECT projects.id, '
        "CAST(printf('%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n"
        '\', projects.id, CASE WHEN (instr(projects."key", \',\') > 0 OR instr(projects."key", '
        '\'"\') > 0 OR instr(projects."key", \'\r\') > 0 OR instr(projects."key", \'\n'
        '\') > 0) THEN printf(\'"%w"\', projects."key") ELSE projects."key" END, '
        "CASE WHEN (instr(projects.title, ',') > 0 OR instr(projects.title, "
        '\'"\') > 0 OR instr(projects.title, \'\r\') > 0 OR instr(projects.title, \'\n'
        '\') > 0) THEN printf(\'"%w"\', projects.title) ELSE projects.title END, projects.kind, '
        "CASE WHEN (instr(projects.description, ',') > 0 OR instr(projects.description, "
        '\'"\') > 0 OR instr(projects.description, \'\r\') > 0 OR instr(projects.description, '
        "'\n"
        '\') > 0) THEN printf(\'"%w"\', projects.description) ELSE projects.description END, '
        "projects.status, CASE WHEN (instr(projects.intent, ',') > 0 OR instr(projects.intent, "
        '\'"\') > 0 OR instr(projects.intent, \'\r\') > 0 OR instr(projects.intent, \'\n'
        '\') > 0) THEN printf(\'"%w"\', projects.intent) ELSE projects.intent END, '
        "CASE WHEN (instr(projects.sector_code, ',') > 0 OR instr(projects.sector_code, "
        '\'"\') > 0 OR instr(projects.sector_code, \'\r\') > 0 OR instr(projects.sector_code, '
        "'\n"
        '\') > 0) THEN printf(\'"%w"\', projects.sector_code) ELSE projects.sector_code END, '
        "CASE WHEN (instr(projects.sector_name, ',') > 0 OR instr(projects.sector_name, "
        '\'"\') > 0 OR instr(projects.sector_name, \'\r\') > 0 OR instr(projects.sector_name, '
        "'\n"
        '\') > 0) THEN printf(\'"%w"\', projects.sector_name) ELSE projects.sector_name END, '
        'projects.flow_type, CASE WHEN (instr(projects.flow_class, '
        '\',\') > 0 OR instr(projects.flow_class, \'"\') > 0 OR instr(projects.flow_class, '
        "'\r') > 0 OR instr(projects.flow_class, '\n"
        '\') > 0) THEN printf(\'"%w"\', projects.flow_class) ELSE projects.flow_class END, '
        'projects.commitment_year, projects.start_year, projects.completion_year, '
        "CASE WHEN (projects.amount_usd_nominal IS NULL) THEN NULL ELSE printf('%s%d.%02d', "
        "CASE WHEN (projects.amount_usd_nominal < 0) THEN '-' ELSE '' END, "
        'FLOOR(abs(projects.amount_usd_nominal) / 100), '
        'abs(projects.amount_usd_nominal) % 100) END, '
        "CASE WHEN (projects.amount_usd_constant IS NULL) THEN NULL ELSE printf('%s%d.%02d', "
        "CASE WHEN (projects.amount_usd_constant < 0) THEN '-' ELSE '' END, "
        'FLOOR(abs(projects.amount_usd_constant) / 100), '
        'abs(projects.amount_usd_constant) % 100) END, '
        "CASE WHEN (projects.umbrella IS 1) THEN 'true' WHEN (projects.umbrella IS 0) THEN 'false' END, "
        "CASE WHEN (projects.recommended_for_aggregates IS 1) THEN 'true' WHEN (projects.recommended_for_aggregates IS 0) THEN 'false' END, "
        "CASE WHEN (instr(projects.parent_key, ',') > 0 OR instr(projects.parent_key, "
        '\'"\') > 0 OR instr(projects.parent_key, \'\r\') > 0 OR instr(projects.parent_key, '
        "'\n"
        '\') > 0) THEN printf(\'"%w"\', projects.parent_key) ELSE projects.parent_key END, '
        "CASE WHEN (instr(projects.dataset, ',') > 0 OR instr(projects.dataset, "
        '\'"\') > 0 OR instr(projects.dataset, \'\r\') > 0 OR instr(projects.dataset, \'\n'
        '\') > 0) THEN printf(\'"%w"\', projects.dataset) ELSE projects.dataset END, '
        "CASE WHEN (instr(projects.external_id, ',') > 0 OR instr(projects.external_id, "
        '\'"\') > 0 OR instr(projects.external_id, \'\r\') > 0 OR instr(projects.external_id, '
        "'\n"
        '\') > 0) THEN printf(\'"%w"\', projects.external_id) ELSE projects.external_id END, '
        "CASE WHEN (instr(projects.recipient, ',') > 0 OR instr(projects.recipient, "
        '\'"\') > 0 OR instr(projects.recipient, \'\r\') > 0 OR instr(projects.recipient, \'\n'
        '\') > 0) THEN printf(\'"%w"\', projects.recipient) ELSE projects.recipient END, '
        'CASE WHEN (instr(projects.recipient_region, '
        "',') > 0 OR instr(projects.recipient_region, "
        '\'"\') > 0 OR instr(projects.recipient_region, '
        "'\r') > 0 OR instr(projects.recipient_region, '\n"
        '\') > 0) THEN printf(\'"%w"\', '
        'projects.recipient_region) ELSE projects.recipient_region END, '
        'CASE WHEN (instr(projects.flow_type_simplified, '
        "',') > 0 OR instr(projects.flow_type_simplified, "
        '\'"\') > 0 OR instr(projects.flow_type_simplified, '
        "'\r') > 0 OR instr(projects.flow_type_simplified, '\n"
        '\') > 0) THEN printf(\'"%w"\', '
        'projects.flow_type_simplified) ELSE projects.flow_type_simplified END, '
        "CASE WHEN (instr(projects.income_group, ',') > 0 OR instr(projects.income_group, "
        '\'"\') > 0 OR instr(projects.income_group, \'\r\') > 0 OR instr(projects.income_group, '
        "'\n"
        '\') > 0) THEN printf(\'"%w"\', projects.income_group) ELSE projects.income_group END, '
        "CASE WHEN (projects.infrastructure IS 1) THEN 'true' WHEN (projects.infrastructure IS 0) THEN 'false' END, "
        "CASE WHEN (projects.covid IS 1) THEN 'true' WHEN (projects.covid IS 0) THEN 'false' END, "
        "(SELECT group_concat(anon_1.code, ';') AS group_concat_1 \n"
        'FROM (SELECT DISTINCT project_strands.strand_code AS code \n'
        'FROM project_strands \n'
        'WHERE project_strands.project_id = projects.id ORDER BY project_strands.strand_code) AS anon_1), '
        "(SELECT group_concat(anon_2.code, ';') AS group_concat_2 \n"
        'FROM (SELECT DISTINCT project_countries.country_iso3 AS code \n'
        'FROM project_countries \n'
        'WHERE project_countries.project_id = projects.id ORDER BY project_countries.country_iso3) AS anon_2), '
        'replace(CASE WHEN (trim(substr(projects.created_at, 20), '
        "'.0') = '') THEN substr(projects.created_at, 1, "
        "19) ELSE substr(projects.created_at || '000000', 1, 26) END, ' ', 'T') || 'Z', "
        'replace(CASE WHEN (trim(substr(projects.updated_at, 20), '
        "'.0') = '') THEN substr(projects.updated_at, 1, "
        "19) ELSE substr(projects.updated_at || '000000', 1, 26) END, ' ', 'T') || 'Z', "
        'projects.version) AS BLOB) AS line \n'
        'FROM projects'
    ),
    "postgresql": (
        "SELECT projects.id, concat(CAST(projects.id AS TEXT), ',', "
        'CASE WHEN (projects.key ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.key, \'"\', \'""\'), '
        '\'"\') ELSE projects.key END, \',\', CASE WHEN (projects.title ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.title, \'"\', \'""\'), '
        '\'"\') ELSE projects.title END, \',\', CAST(projects.kind AS TEXT), \',\', '
        'CASE WHEN (projects.description ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.description, \'"\', \'""\'), '
        '\'"\') ELSE projects.description END, \',\', CAST(projects.status AS TEXT), \',\', '
        'CASE WHEN (projects.intent ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.intent, \'"\', \'""\'), '
        '\'"\') ELSE projects.intent END, \',\', CASE WHEN (projects.sector_code ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.sector_code, \'"\', \'""\'), '
        '\'"\') ELSE projects.sector_code END, \',\', '
        'CASE WHEN (projects.sector_name ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.sector_name, \'"\', \'""\'), '
        '\'"\') ELSE projects.sector_name END, \',\', CAST(projects.flow_type AS TEXT), \',\', '
        'CASE WHEN (projects.flow_class ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.flow_class, \'"\', \'""\'), '
        '\'"\') ELSE projects.flow_class END, \',\', CAST(projects.commitment_year AS TEXT), '
        "',', CAST(projects.start_year AS TEXT), ',', CAST(projects.completion_year AS TEXT), "
        "',', CAST(CAST(projects.amount_usd_nominal AS NUMERIC) * 0.01 AS TEXT), ',', "
        "CAST(CAST(projects.amount_usd_constant AS NUMERIC) * 0.01 AS TEXT), ',', "
        "CASE WHEN (projects.umbrella IS true) THEN 'true' WHEN (projects.umbrella IS false) THEN 'false' END, "
        "',', "
        "CASE WHEN (projects.recommended_for_aggregates IS true) THEN 'true' WHEN (projects.recommended_for_aggregates IS false) THEN 'false' END, "
        '\',\', CASE WHEN (projects.parent_key ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.parent_key, \'"\', \'""\'), '
        '\'"\') ELSE projects.parent_key END, \',\', CASE WHEN (projects.dataset ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.dataset, \'"\', \'""\'), '
        '\'"\') ELSE projects.dataset END, \',\', CASE WHEN (projects.external_id ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.external_id, \'"\', \'""\'), '
        '\'"\') ELSE projects.external_id END, \',\', CASE WHEN (projects.recipient ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.recipient, \'"\', \'""\'), '
        '\'"\') ELSE projects.recipient END, \',\', '
        'CASE WHEN (projects.recipient_region ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.recipient_region, \'"\', \'""\'), '
        '\'"\') ELSE projects.recipient_region END, \',\', '
        'CASE WHEN (projects.flow_type_simplified ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.flow_type_simplified, \'"\', \'""\'), '
        '\'"\') ELSE projects.flow_type_simplified END, \',\', '
        'CASE WHEN (projects.income_group ~ \'[,"\r\n'
        ']\') THEN concat(\'"\', replace(projects.income_group, \'"\', \'""\'), '
        '\'"\') ELSE projects.income_group END, \',\', '
        "CASE WHEN (projects.infrastructure IS true) THEN 'true' WHEN (projects.infrastructure IS false) THEN 'false' END, "
        "',', "
        "CASE WHEN (projects.covid IS true) THEN 'true' WHEN (projects.covid IS false) THEN 'false' END, "
        "',', "
        '(SELECT string_agg(DISTINCT (CAST(project_strands.strand_code AS TEXT) COLLATE "C"), '
        '\';\' ORDER BY CAST(project_strands.strand_code AS TEXT) COLLATE "C") AS string_agg_1 \n'
        'FROM project_strands \n'
        "WHERE project_strands.project_id = projects.id), ',', "
        '(SELECT string_agg(DISTINCT (CAST(project_countries.country_iso3 AS TEXT) COLLATE "C"), '
        '\';\' ORDER BY CAST(project_countries.country_iso3 AS TEXT) COLLATE "C") AS string_agg_2 \n'
        'FROM project_countries \n'
        "WHERE project_countries.project_id = projects.id), ',', "
        'concat(to_char(projects.created_at AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS\'), '
        "CASE WHEN (to_char(projects.created_at AT TIME ZONE 'UTC', "
        "'US') = '000000') THEN '' ELSE concat('.', "
        "to_char(projects.created_at AT TIME ZONE 'UTC', 'US')) END, 'Z'), ',', "
        'concat(to_char(projects.updated_at AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS\'), '
        "CASE WHEN (to_char(projects.updated_at AT TIME ZONE 'UTC', "
        "'US') = '000000') THEN '' ELSE concat('.', "
        "to_char(projects.updated_at AT TIME ZONE 'UTC', 'US')) END, 'Z'), ',', "
        "CAST(projects.version AS TEXT), E'\\n') AS line \n"
        'FROM projects'
    ),
}
# fmt: on

# (trigger, table, event, the project ids it rewrites): SQLite, one trigger per event.
SQLITE_TRIGGERS = (
    ("project_lines_project_insert", "projects", "AFTER INSERT", ("NEW.id",)),
    ("project_lines_project_update", "projects", "AFTER UPDATE", ("NEW.id",)),
    ("project_lines_strand_insert", "project_strands", "AFTER INSERT", ("NEW.project_id",)),
    ("project_lines_strand_delete", "project_strands", "AFTER DELETE", ("OLD.project_id",)),
    (
        "project_lines_strand_update",
        "project_strands",
        "AFTER UPDATE",
        ("OLD.project_id", "NEW.project_id"),
    ),
    ("project_lines_country_insert", "project_countries", "AFTER INSERT", ("NEW.project_id",)),
    ("project_lines_country_delete", "project_countries", "AFTER DELETE", ("OLD.project_id",)),
    (
        "project_lines_country_update",
        "project_countries",
        "AFTER UPDATE",
        ("OLD.project_id", "NEW.project_id"),
    ),
)
# PostgreSQL: (trigger, table, its function's body); a deleted project's line goes by its
# foreign key's cascade, and links deleted by the same cascade find no project to write.
# A bulk load turns them off for its own transaction with SET LOCAL OFF = 'on' (no lock,
# no ownership needed) and writes the lines itself (app.projects.lines).
OFF = "bri.project_lines_off"
POSTGRES_TRIGGERS = (
    ("project_lines_project", "projects", "PERFORM project_lines_write(NEW.id)"),
    *(
        (
            name,
            table,
            "IF TG_OP <> 'INSERT' THEN PERFORM project_lines_write(OLD.project_id); END IF; "
            "IF TG_OP <> 'DELETE' THEN PERFORM project_lines_write(NEW.project_id); END IF",
        )
        for name, table in (
            ("project_lines_strand", "project_strands"),
            ("project_lines_country", "project_countries"),
        )
    ),
)


def _sqlite_write(project: str) -> str:
    # DELETE then a plain INSERT: an outer INSERT OR IGNORE / OR REPLACE would impose its
    # conflict rule on an upsert here, and no rule is needed once the old line is gone.
    return (
        f"DELETE FROM project_lines WHERE project_id = {project}; "
        f"INSERT INTO project_lines (project_id, line) "
        f"{LINE_SELECT['sqlite']} WHERE projects.id = {project}"
    )


def _sqlite_triggers() -> None:
    for name, table, event, projects in SQLITE_TRIGGERS:
        body = "; ".join(_sqlite_write(project) for project in projects)
        op.execute(f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW BEGIN {body}; END")
    # SQLite's foreign keys may be off on a connection: the line goes with its project.
    op.execute(
        "CREATE TRIGGER project_lines_project_delete AFTER DELETE ON projects FOR EACH ROW "
        "BEGIN DELETE FROM project_lines WHERE project_id = OLD.id; END"
    )


def _postgres_triggers() -> None:
    # The project's row is locked first, so two transactions changing one project's links
    # write its line one after the other, the second seeing the first's commit.
    op.execute(
        "CREATE FUNCTION project_lines_write(integer) RETURNS void LANGUAGE sql AS $$ "
        "SELECT 1 FROM projects WHERE id = $1 FOR NO KEY UPDATE; "
        f"INSERT INTO project_lines (project_id, line) {LINE_SELECT['postgresql']} "
        "WHERE projects.id = $1 ON CONFLICT (project_id) DO UPDATE SET line = EXCLUDED.line $$"
    )
    for name, table, body in POSTGRES_TRIGGERS:
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF current_setting('{OFF}', true) = 'on' THEN RETURN NULL; END IF; "
            f"{body}; RETURN NULL; END $$"
        )
        events = "INSERT OR UPDATE" if table == "projects" else "INSERT OR UPDATE OR DELETE"
        op.execute(
            f"CREATE TRIGGER {name} AFTER {events} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()"
        )


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite:  # no write may fall between the filling and the triggers
        op.execute("LOCK TABLE projects, project_strands, project_countries IN SHARE MODE")
    op.create_table(
        "project_lines",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.LargeBinary().with_variant(sa.Text(), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_lines_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_lines")),
    )
    op.execute(
        f"INSERT INTO project_lines (project_id, line) {LINE_SELECT[op.get_bind().dialect.name]}"
    )
    if sqlite:
        _sqlite_triggers()
    else:
        _postgres_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, *_ in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TRIGGER IF EXISTS project_lines_project_delete")
    else:
        for name, table, _ in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        op.execute("DROP FUNCTION IF EXISTS project_lines_write(integer)")
    op.drop_table("project_lines")

"""Writes synthetic projects in bulk: COPY on PostgreSQL, executemany on SQLite.

The caller owns the transaction: everything lands or nothing does. Reference rows
(organisations, sources) go through `sync_rows`, so each is in the change log like any
other write. Projects and what hangs off them are far too many for one change entry per
row: each batch of CHUNK projects records one `synth` entry naming the id range, which
moves the dataset version (so every ETag changes) and tells a change-feed reader that a
bulk load happened and where.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select, text
from sqlalchemy.orm import Session

from app import audit
from app.db import begin_write, drop_sqlite_triggers
from app.funding import rollup
from app.models import Country, Funding, Organisation, Project, Source
from app.models.base import utcnow
from app.models.enums import ChangeOp
from app.projects import lines
from app.sync import sync_rows
from app.synth import vocab
from app.synth.generate import Plan, Row, chunk_rows, chunks, recipients

RESOURCE = "synth"
FTS_TRIGGER = "projects_fts_insert"
FTS_FILL = (
    "INSERT INTO projects_fts(rowid, title, description) "
    "SELECT id, title, description FROM projects WHERE id BETWEEN ? AND ?"
)


class SynthRefused(Exception):
    """The database cannot take synthetic data as asked; nothing was written."""


@dataclass
class SynthResult:
    seed: int
    rows: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    first_project_id: int = 0
    last_project_id: int = 0


Progress = Callable[[int, int], None]  # (projects written so far, total)
Writer = Callable[[str, Sequence[str], list[Row]], None]


def synthesize(
    session: Session,
    projects: int,
    seed: int = 1,
    *,
    actor: str = "synth",
    progress: Progress | None = None,
) -> SynthResult:
    """Adds `projects` synthetic projects with their links and funding, deterministically."""
    if projects < 1:
        raise SynthRefused("--projects must be at least 1")
    already = session.scalar(
        select(func.count()).select_from(Project).where(Project.dataset == vocab.DATASET)
    )
    if already:
        raise SynthRefused(
            f"the database already holds {already} synthetic projects; "
            "synthesise into a fresh database (bri db upgrade && bri seed)"
        )
    countries = session.execute(select(Country.iso3, Country.name, Country.subregion)).all()
    if not countries:
        raise SynthRefused("the countries table is empty; run `bri seed` first")
    chosen = recipients([(c[0], c[1], c[2]) for c in countries], seed)
    sources = _sources(session, actor)
    financiers, implementers, receivers = _organisations(session, chosen, sources[0], actor)
    conn = session.connection()
    plan = Plan(
        seed=seed,
        recipients=chosen,
        financiers=financiers,
        implementers=implementers,
        receivers=receivers,
        sources=sources,
        first_project_id=_next_id(session, Project.id),
        first_funding_id=_next_id(session, Funding.id),
        timestamp=_timestamp(conn),
    )
    write = _writer(conn)
    begin_write(session)  # triggers are dropped below: DDL that must roll back
    # FTS5 fed one row per trigger call costs six times what one INSERT ... SELECT per batch
    # does: the load fills the search index per batch itself and puts the trigger back.
    fts_trigger = (
        drop_sqlite_triggers(conn, [FTS_TRIGGER]) if conn.dialect.name == "sqlite" else None
    )
    # Per-row rollup triggers would cost more than the load itself: one rebuild at the end.
    restore_rollup = rollup.suspend_triggers(conn)
    # The same for the stored export lines: written once each after the load.
    restore_lines = lines.suspend_triggers(conn)
    result = SynthResult(seed=seed, first_project_id=plan.first_project_id)
    funding_id = plan.first_funding_id
    for number, first, count in chunks(projects):
        rows = chunk_rows(plan, number, first, count, funding_id)
        funding_id += len(rows.funding)
        for table, columns, values in rows.tables():
            write(table, columns, values)
            result.rows[table] = result.rows.get(table, 0) + len(values)
        low, high = plan.first_project_id + first, plan.first_project_id + first + count - 1
        if fts_trigger:
            conn.exec_driver_sql(FTS_FILL, (low, high))
        audit.record(
            session,
            RESOURCE,
            f"projects {low}-{high}",
            ChangeOp.create,
            actor,
            after={"seed": seed, "projects": [low, high], "funding": len(rows.funding)},
        )
        result.batches += 1
        if progress is not None:
            progress(first + count, projects)
    result.last_project_id = plan.first_project_id + projects - 1
    if fts_trigger:
        fts_trigger()
    restore_rollup()
    restore_lines()
    if conn.dialect.name == "postgresql":
        for table in ("projects", "funding"):
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            )
    return result


def _next_id(session: Session, column: Any) -> int:
    return int(session.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1


def _timestamp(conn: Connection) -> str:
    now = utcnow()
    if conn.dialect.name == "sqlite":  # SQLAlchemy's own text form for DATETIME on SQLite
        return now.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return now.isoformat()


def _writer(conn: Connection) -> Writer:
    raw: Any = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":

        def copy(table: str, columns: Sequence[str], rows: list[Row]) -> None:
            names = ", ".join(f'"{c}"' for c in columns)
            with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)

        return copy

    def insert_many(table: str, columns: Sequence[str], rows: list[Row]) -> None:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        cursor = raw.cursor()
        try:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        finally:
            cursor.close()

    return insert_many


def _sources(session: Session, actor: str) -> list[int]:
    rows = [
        {
            "key": f"synthetic-{number}",
            "kind": kind,
            "title": title,
            "authors": None,
            "publisher": "bri synth",
            "published_on": None,
            "year": None,
            "url": None,
            "licence": "CC0-1.0",
            "note": "Made up by `bri synth` for load tests; describes nothing real.",
        }
        for number, (kind, title) in enumerate(vocab.SOURCES, start=1)
    ]
    sources: Table = Source.__table__  # type: ignore[assignment]
    result = sync_rows(session, sources, "key", rows, resource="sources", actor=actor)
    return [result.ids[row["key"]] for row in rows]


def _organisations(
    session: Session, chosen: list[Any], source_id: int, actor: str
) -> tuple[list[tuple[int, str]], list[int], dict[str, int]]:
    lenders: list[dict[str, Any]] = []
    builders: list[str] = []
    for slug, label, kind, count in vocab.FINANCIER_KINDS:
        for number in range(1, count + 1):
            key = f"synthetic-{slug}-{number:02d}"
            lenders.append(
                _organisation(key, f"Synthetic {label} {number}", kind, "CHN", source_id)
            )
            if kind in ("state_owned_enterprise", "company"):
                builders.append(key)
    receivers = [
        _organisation(
            f"synthetic-mof-{c.iso3.lower()}",
            f"Synthetic Ministry of Finance of {c.name}",
            "ministry",
            c.iso3,
            source_id,
        )
        for c in chosen
    ]
    table: Table = Organisation.__table__  # type: ignore[assignment]
    ids = sync_rows(
        session, table, "key", lenders + receivers, resource="organisations", actor=actor
    ).ids
    financiers = [(ids[o["key"]], o["name"]) for o in lenders if o["key"] not in builders]
    by_country = {o["country_iso3"]: ids[o["key"]] for o in receivers}
    return financiers, [ids[key] for key in builders], by_country


def _organisation(key: str, name: str, kind: str, iso3: str, source_id: int) -> dict[str, Any]:
    return {
        "key": key,
        "name": name,
        "kind": kind,
        "country_iso3": iso3,
        "description": None,
        "source_id": source_id,
        "locator": "synthetic",
    }

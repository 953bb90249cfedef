"""How fast could any importer be? The floors under a first AidData import, measured.

Builds the same N-row GCDF 3.0 file as import_bench.py, imports it once per database
with `bri import`'s code, then times what no importer can avoid:

- reading the file with Python's csv module (C) and nothing else;
- parsing and validating it (`parse_aiddata`, no database);
- each database taking the rows the import produced, by its own fastest bulk path, with
  no Python in the loop: on SQLite `INSERT ... SELECT` from the imported file (ATTACHed)
  into a freshly migrated and seeded one, in one transaction; on PostgreSQL a binary
  `COPY ... FROM STDIN` of every table into a fresh database, the data read out
  beforehand (not timed). Indexes, foreign keys and the search index stay; every per-row
  trigger is off (the stored lines are copied, and on SQLite the search index is filled
  in one statement, as the import does), and funding_rollup's few dozen group rows are
  left out, so this is cheaper than anything an importer could do.

    .venv/bin/python benchmarks/import_floor.py --rows 20000 \\
        --postgres-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_imports

Prints one line per step and writes benchmarks/results/import_floor.json.
"""

import argparse
import csv
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from import_bench import fresh_database, synthesise, timed_import  # noqa: E402

# What a first import writes, parents first. funding_rollup is left out: an import adds a
# few dozen group rows to it in one statement.
TABLES = [
    "sources",
    "organisations",
    "projects",
    "funding",
    "project_countries",
    "project_organisations",
    "project_strands",
    "project_citations",
    "project_lines",
    "changes",
]
PER_ROW_TRIGGERS = ("project_lines_", "funding_rollup_", "projects_fts_")
FTS_FILL = (
    "INSERT INTO projects_fts(rowid, title, description) "
    "SELECT id, title, description FROM projects WHERE {where}"
)


def new_rows(max_of: Callable[[str], int], table: str) -> str:
    """The WHERE clause that picks the rows the import added (the seed's are already in
    the target)."""
    if table in ("sources", "organisations", "projects", "funding"):
        return f"id > {max_of(f'SELECT coalesce(max(id), 0) FROM {table}')}"
    if table == "changes":
        return f"version > {max_of('SELECT coalesce(max(version), 0) FROM changes')}"
    return f"project_id > {max_of('SELECT coalesce(max(id), 0) FROM projects')}"


def first(conn: Any, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0])


def csv_only(path: Path) -> float:
    csv.field_size_limit(2**31 - 1)
    start = time.perf_counter()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for _ in csv.reader(handle):
            pass
    return time.perf_counter() - start


def parse_only(path: Path) -> float:
    from app.imports.aiddata import parse_aiddata
    from app.imports.run import collector_paused

    start = time.perf_counter()
    with collector_paused():
        parsed = parse_aiddata(path, known={})
    seconds = time.perf_counter() - start
    assert not parsed.problems, parsed.problems[:3]
    return seconds


def sqlite_floor(imported: Path, target: Path) -> tuple[float, dict[str, int]]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    fresh_database(f"sqlite:///{target}")
    conn = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("PRAGMA cache_size = -262144")  # the import's own setting
    conn.execute("ATTACH ? AS imported", (str(imported),))
    triggers = [
        name
        for (name,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'trigger'")
        if name.startswith(PER_ROW_TRIGGERS)
    ]
    counts: dict[str, int] = {}
    wheres = {table: new_rows(lambda sql: first(conn, sql), table) for table in TABLES}
    start = time.perf_counter()
    conn.execute("BEGIN")
    for name in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    for table in TABLES:
        columns = ", ".join(
            f'"{row[1]}"' for row in conn.execute(f"PRAGMA main.table_info({table})")
        )
        cursor = conn.execute(
            f"INSERT INTO main.{table} ({columns}) "
            f"SELECT {columns} FROM imported.{table} WHERE {wheres[table]}"
        )
        counts[table] = cursor.rowcount
    conn.execute(FTS_FILL.format(where=wheres["projects"]))  # the import's own way
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds, counts


def postgres_floor(imported_url: str) -> tuple[float, dict[str, int]]:
    import psycopg
    from sqlalchemy.engine import make_url

    source = make_url(imported_url)
    target_url = source.set(database=f"{source.database}_floor").render_as_string(False)
    fresh_database(target_url)
    plain = {"drivername": "postgresql"}
    with (
        psycopg.connect(source.set(**plain).render_as_string(False)) as src,
        psycopg.connect(make_url(target_url).set(**plain).render_as_string(False)) as dst,
    ):
        data: dict[str, bytes] = {}
        counts: dict[str, int] = {}
        for table in TABLES:
            where = new_rows(lambda sql: first(dst, sql), table)
            select = f"SELECT * FROM {table} WHERE {where}"
            counts[table] = first(src, f"SELECT count(*) FROM ({select}) s")
            with src.cursor().copy(f"COPY ({select}) TO STDOUT (FORMAT binary)") as copy:
                data[table] = b"".join(bytes(block) for block in copy)
        dst.commit()
        triggers = dst.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
            "WHERE NOT tgisinternal AND tgname LIKE 'funding_rollup_%insert'"
        ).fetchall()
        start = time.perf_counter()
        with dst.transaction():
            dst.execute("SET LOCAL bri.project_lines_off = 'on'")
            for table, name in triggers:
                dst.execute(f"ALTER TABLE {table} DISABLE TRIGGER {name}")
            for table in TABLES:
                with dst.cursor().copy(f"COPY {table} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data[table])
            for table, name in triggers:
                dst.execute(f"ALTER TABLE {table} ENABLE TRIGGER {name}")
        return time.perf_counter() - start, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--postgres-url", default=None, help="skip PostgreSQL when not given")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "benchmarks/results/import_floor.json"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bri-import-floor-"))
    path = work / "gcdf.csv"
    synthesise(args.rows, path, shared_sources=False, seed=1)
    steps: list[dict[str, object]] = []

    def report(step: str, seconds: float, **extra: object) -> None:
        rate = args.rows / seconds
        steps.append({"step": step, "seconds": round(seconds, 3), "rows_per_second": round(rate)})
        steps[-1].update(extra)
        print(f"{step:52} {seconds:7.2f} s {rate:9,.0f} rows/s", flush=True)

    report("csv.reader alone (no checks, no database)", csv_only(path))
    report("parse and validate (parse_aiddata, no database)", parse_only(path))
    imported = work / "imported.db"
    fresh_database(f"sqlite:///{imported}")
    seconds, _cpu, _counts = timed_import(f"sqlite:///{imported}", path)
    report("SQLite: bri import (first import)", seconds)
    seconds, counts = sqlite_floor(imported, work / "floor.db")
    report("SQLite: INSERT ... SELECT of its rows (floor)", seconds, rows=counts)
    if args.postgres_url:
        fresh_database(args.postgres_url)
        seconds, _cpu, _counts = timed_import(args.postgres_url, path)
        report("PostgreSQL: bri import (first import)", seconds)
        seconds, counts = postgres_floor(args.postgres_url)
        report("PostgreSQL: binary COPY of its rows (floor)", seconds, rows=counts)
    meta = {"rows": args.rows, "load_average": os.getloadavg(), "steps": steps}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(meta, indent=2) + "\n")


if __name__ == "__main__":
    main()

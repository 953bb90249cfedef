"""The databases a run measures: ours (SQLite, PostgreSQL) and Datasette's flat table.

Each is made once per size and reused while nothing that shapes it changed: the
fingerprint covers the size, the seed, the migrations, the synth code and the seed data.
"""

import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
BRI = str(ROOT / ".venv" / "bin" / "bri")
SEED = 1
SHAPING = ["migrations/versions", "app/synth", "seed_data", "app/models"]


@dataclass
class Prepared:
    url: str
    size: int
    synth_seconds: float | None  # None when an earlier run's database was reused
    synth_rows: int | None


def fingerprint(size: int) -> str:
    digest = hashlib.sha256(f"{size}/{SEED}".encode())
    for folder in SHAPING:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _bri(url: str, *args: str) -> str:
    env = {**os.environ, "BRI_DATABASE_URL": url}
    done = subprocess.run(
        [BRI, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"bench: `bri {' '.join(args)}` failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _fill(url: str, size: int) -> tuple[float, int]:
    _bri(url, "db", "upgrade")
    _bri(url, "seed")
    start = time.perf_counter()
    out = _bri(url, "synth", "--projects", str(size), "--seed", str(SEED))
    seconds = time.perf_counter() - start
    found = re.search(r"^(\d+) rows in", out, re.MULTILINE)
    return seconds, int(found.group(1)) if found else 0


def sqlite_database(size: int) -> Prepared:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"bri-{size}-{fingerprint(size)}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        return Prepared(url, size, None, None)
    for old in DATA.glob(f"bri-{size}-*.db*"):
        old.unlink()
    print(f"bench: synthesising {size:,} projects into {path.name}", flush=True)
    partial = path.with_suffix(".partial")
    for stale in DATA.glob(partial.name + "*"):
        stale.unlink()
    seconds, rows = _fill(f"sqlite:///{partial}", size)
    _checkpoint(partial)
    partial.rename(path)
    return Prepared(url, size, seconds, rows)


def _checkpoint(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def bench_database_url(base_url: str, suffix: str) -> str:
    """The URL of a benchmark database of its own (`bench_imports`) beside the others."""
    from sqlalchemy.engine import make_url

    base = make_url(base_url)
    return base.set(database=f"{base.database}_{suffix}").render_as_string(hide_password=False)


def postgres_database(base_url: str, size: int) -> Prepared:
    """A database of its own per size (`bench_100000`), marked with its fingerprint."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(base_url)
    name = f"{base.database}_{size}"
    url = base.set(database=name).render_as_string(hide_password=False)
    admin_url = base.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False
    )
    mark = f"bri-bench {fingerprint(size)}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        found = admin.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            (name,),
        ).fetchone()
        if found is not None and found[0] == mark:
            return Prepared(url, size, None, None)
        print(f"bench: synthesising {size:,} projects into PostgreSQL {name}", flush=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    seconds, rows = _fill(url, size)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"COMMENT ON DATABASE \"{name}\" IS '{mark}'")
    return Prepared(url, size, seconds, rows)


# One row per project, as an analyst would publish it: plain columns, money as dollars,
# the strand and countries as text, indexes on the columns people filter and sort on.
FLAT_TABLE = """
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    key TEXT, title TEXT, kind TEXT, description TEXT, status TEXT, intent TEXT,
    sector_code TEXT, sector_name TEXT, flow_type TEXT, flow_class TEXT,
    year INTEGER, start_year INTEGER, completion_year INTEGER,
    amount_usd REAL, amount_usd_constant REAL,
    umbrella INTEGER, recommended_for_aggregates INTEGER,
    parent TEXT, dataset TEXT, external_id TEXT,
    strand TEXT, countries TEXT,
    created_at TEXT, updated_at TEXT, version INTEGER
)
"""
FLAT_FILL = """
INSERT INTO projects
SELECT p.id, p.key, p.title, p.kind, p.description, p.status, p.intent,
       p.sector_code, p.sector_name, p.flow_type, p.flow_class,
       p.commitment_year, p.start_year, p.completion_year,
       p.amount_usd_nominal / 100.0, p.amount_usd_constant / 100.0,
       p.umbrella, p.recommended_for_aggregates,
       p.parent_key, p.dataset, p.external_id,
       (SELECT group_concat(strand_code, ',') FROM src.project_strands s
         WHERE s.project_id = p.id),
       (SELECT group_concat(country_iso3, ',') FROM src.project_countries c
         WHERE c.project_id = p.id),
       p.created_at, p.updated_at, p.version
FROM src.projects p
"""
FLAT_INDEXES = ["strand", "year", "amount_usd", "status", "sector_code"]


def flat_database(ours: Prepared) -> Path:
    """Datasette's copy: the same rows as one flat table (built from our SQLite file)."""
    source = Path(ours.url.removeprefix("sqlite:///"))
    path = source.with_name(source.name.replace("bri-", "flat-", 1))
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    if partial.exists():
        partial.unlink()
    conn = sqlite3.connect(partial)
    try:
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        conn.execute(FLAT_TABLE)
        conn.execute(FLAT_FILL)
        for column in FLAT_INDEXES:
            conn.execute(f"CREATE INDEX ix_projects_{column} ON projects ({column})")
        conn.commit()
        conn.execute("DETACH DATABASE src")
        conn.execute("ANALYZE")
        conn.commit()
    finally:
        conn.close()
    partial.rename(path)
    return path

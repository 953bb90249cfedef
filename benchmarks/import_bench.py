"""Import speed: synthesise an N-row AidData GCDF 3.0 CSV and time `bri import aiddata`.

The synthetic file repeats the 20 real sample rows (tests/imports/fixtures/) with new
record ids, parent ids and amounts (every amount column scaled by the same factor, so a
row stays consistent), and by default gives every record its own source URLs (the real
dataset cites mostly distinct pages; `--shared-sources` keeps the sample's URLs, so sources
are few). Each database is migrated and seeded fresh, then the file is imported three
times: into the empty dataset (all inserts), again unchanged (a no-op), and once more with
every tenth record changed (updates).

    .venv/bin/python benchmarks/import_bench.py --rows 20000
    .venv/bin/python benchmarks/import_bench.py --rows 20000 --postgres-url \
        postgresql+psycopg://postgres@127.0.0.1:5432/bench_imports

Prints one line per database and run, and writes benchmarks/results/import_bench.json.
"""

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "tests" / "imports" / "fixtures" / "gcdf3_ports_projects.csv"
MONEY = [
    "Amount (Original Currency)",
    "Amount (Constant USD 2021)",
    "Amount (Nominal USD)",
    "Adjusted Amount (Original Currency)",
    "Adjusted Amount (Constant USD 2021)",
    "Adjusted Amount (Nominal USD)",
]


def synthesise(rows: int, path: Path, *, shared_sources: bool, seed: int, edit: int = 0) -> None:
    """Writes `rows` records; `edit` > 0 changes the title of every edit-th record."""
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        sample = list(reader)
    position = {name: index for index, name in enumerate(header)}
    generator = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for number in range(rows):
            row = list(sample[number % len(sample)])
            record_id = 1_000_000 + number
            row[position["AidData Record ID"]] = str(record_id)
            row[position["AidData Parent ID"]] = str(500_000 + number // 7)
            factor = Decimal(generator.randint(50, 5000)) / 100
            for column in MONEY:
                value = row[position[column]].strip()
                if value:
                    row[position[column]] = str(Decimal(value) * factor)
            if not shared_sources:
                urls = row[position["Source URLs"]].split("|")
                row[position["Source URLs"]] = "|".join(
                    f"{url.strip()}#record-{record_id}" if url.strip() else url for url in urls
                )
            if edit and number % edit == 0:
                row[position["Title"]] += " (revised)"
            writer.writerow(row)


def fresh_database(url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.orm import Session

    from app.db import make_engine
    from app.seed.write import seed

    if url.startswith("postgresql"):
        target = make_url(url)
        admin = make_engine(target.set(database="postgres").render_as_string(False))
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            name = target.database
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    engine = make_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "migrations"))
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with Session(engine) as session, session.begin():
        seed(session)
    engine.dispose()


def timed_import(url: str, path: Path) -> tuple[float, float, dict[str, dict[str, int]]]:
    """Wall-clock seconds, this process's CPU seconds (SQLite's work included, not the
    PostgreSQL server's) and the import's counts."""
    from sqlalchemy.orm import Session

    from app.db import make_engine
    from app.imports.run import run_import

    engine = make_engine(url)
    start, cpu = time.perf_counter(), time.process_time()
    with Session(engine) as session:
        report = run_import(session, "aiddata", path)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    engine.dispose()
    counts = {name: vars(c) for name, c in report.counts.items()}
    return seconds, cpu, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shared-sources", action="store_true")
    parser.add_argument("--sqlite-path", type=Path, default=None)
    parser.add_argument("--postgres-url", default=None, help="skip PostgreSQL when not given")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "benchmarks/results/import_bench.json"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bri-import-bench-"))
    first, edited = work / "gcdf.csv", work / "gcdf-edited.csv"
    synthesise(args.rows, first, shared_sources=args.shared_sources, seed=args.seed)
    synthesise(args.rows, edited, shared_sources=args.shared_sources, seed=args.seed, edit=10)
    databases = {"sqlite": f"sqlite:///{args.sqlite_path or work / 'bench.db'}"}
    if args.postgres_url:
        databases["postgresql"] = args.postgres_url
    results = []
    for name, url in databases.items():
        fresh_database(url)
        for run, path in (("insert", first), ("unchanged", first), ("update 10%", edited)):
            seconds, cpu, counts = timed_import(url, path)
            rate = args.rows / seconds
            results.append(
                {
                    "database": name,
                    "run": run,
                    "rows": args.rows,
                    "seconds": round(seconds, 3),
                    "cpu_seconds": round(cpu, 3),
                    "rows_per_second": round(rate),
                    "counts": counts,
                }
            )
            projects = counts["projects"]
            print(
                f"{name:10} {run:11} {args.rows:7} rows {seconds:7.2f} s {rate:9,.0f} rows/s "
                f"(cpu {cpu:6.2f} s)  "
                f"projects +{projects['inserted']} ~{projects['updated']} ={projects['unchanged']}"
                f"  sources +{counts['sources']['inserted']}"
            )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "rows": args.rows,
        "shared_sources": args.shared_sources,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "results": results,
    }
    args.output.write_text(json.dumps(meta, indent=2) + "\n")


if __name__ == "__main__":
    main()

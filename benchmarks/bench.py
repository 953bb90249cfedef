"""`make bench`: the same logical queries against BRI Tracker and Datasette, same data.

Per size: synthesise (or reuse) the databases, serve ours under uvicorn (one worker per
core) on SQLite, measure; serve Datasette over the flat copy, measure; then ours on
PostgreSQL. Servers run one at a time, so each has the machine to itself (with wrk).
"""

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import datasets, machine, report, servers, warm
from benchmarks.export import export_csv
from benchmarks.loadgen import run_wrk

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
OUR_PORT, DATASETTE_PORT = 8731, 8732


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    ours: str
    datasette: str  # with {db} for the database name
    target: float  # the ratio to Datasette we aim for
    by_id: bool = False


LIST = "strand=digital&year_min=2010&year_max=2020&sort=-amount_usd&limit=50&count=none"
DS_LIST = (
    "strand=digital&year__gte=2010&year__lte=2020&_sort_desc=amount_usd&_size=50"
    "&_nocount=1&_nofacet=1&_nosuggest=1&_shape=objects"
)
QUERIES = [
    Query("list", "List page", f"/v1/projects?{LIST}", f"/{{db}}/projects.json?{DS_LIST}", 5),
    Query(
        "row",
        "Row by id",
        "/v1/projects/__ID__",
        "/{db}/projects/__ID__.json?_shape=objects",
        2,
        by_id=True,
    ),
    Query(
        "summary",
        "Summary",
        "/v1/funding/summary?group_by=year&strand=digital",
        "/{db}/summary_by_year.json?strand=digital&_shape=objects",
        20,
    ),
]
OUR_CSV = "/v1/projects?format=csv"
UNCACHED = ("list", "summary")  # the answers the answer cache keeps
DATASETTE_CSV = "/{db}/projects.csv?_stream=on&_size=max"


@dataclass(frozen=True)
class Config:
    sizes: list[int]
    duration: float
    connections: int
    threads: int
    postgres_url: str | None
    label: str
    workers: int
    import_rows: int

    @classmethod
    def from_env(cls) -> "Config":
        pg = os.environ.get(
            "BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
        )
        return cls(
            sizes=[int(s) for s in os.environ.get("BENCH_SIZES", "10000 100000 1000000").split()],
            duration=float(os.environ.get("BENCH_DURATION", "10")),
            connections=int(os.environ.get("BENCH_CONNECTIONS", "16")),
            threads=int(os.environ.get("BENCH_THREADS", "2")),
            postgres_url=pg or None,
            label=os.environ.get("BENCH_LABEL", "latest"),
            workers=int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1))),
            import_rows=int(os.environ.get("BENCH_IMPORT_ROWS", "20000")),
        )


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _path(query: Query, side: str, db: str) -> str:
    return query.ours if side == "ours" else query.datasette.format(db=db)


def measure(
    server: servers.Server,
    side: str,
    db: str,
    ids: tuple[int, int],
    config: Config,
    *,
    only: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    """Every query (or `only` these) under wrk after a short warm-up, then the CSV export."""
    out: dict[str, Any] = {"queries": {}, "samples": {}}
    for query in QUERIES:
        if only is not None and query.name not in only:
            continue
        path = _path(query, side, db)
        probe = path.replace("__ID__", str(ids[0]))
        status, body = _get(server.base + probe)
        out["samples"][query.name] = {"status": status, "body": body.decode()[:200_000]}
        if status != 200:
            print(f"bench:   {server.name} {query.name}: HTTP {status}; not measured", flush=True)
            out["queries"][query.name] = None
            continue
        url = server.base + path
        kwargs: dict[str, Any] = {
            "connections": config.connections,
            "threads": config.threads,
            "ids": ids if query.by_id else None,
        }
        run_wrk(url, duration=min(2.0, config.duration), **kwargs)  # warm-up, not kept
        load = run_wrk(url, duration=config.duration, **kwargs)
        out["queries"][query.name] = load.as_dict()
        print(
            f"bench:   {server.name:9} {query.name:8} {load.rps:9.1f} req/s  "
            f"p50 {load.p50_ms:7.2f} ms  p99 {load.p99_ms:7.2f} ms  non-2xx {load.non_2xx}",
            flush=True,
        )
    if only is not None:
        return out
    csv_path = OUR_CSV if side == "ours" else DATASETTE_CSV.format(db=db)
    _warm_exports(server, csv_path)
    runs = [export_csv(server, csv_path) for _ in range(2)]
    best = max(runs, key=lambda r: r.rows_per_s)
    best.rss_peak_mib = max(r.rss_peak_mib for r in runs)
    out["export"] = best.as_dict()
    print(
        f"bench:   {server.name:9} csv      {best.rows_per_s:9.0f} rows/s  {best.rows} rows  "
        f"peak RSS {best.rss_peak_mib:.0f} MiB (HTTP {best.status})",
        flush=True,
    )
    return out


def _warm_exports(server: servers.Server, path: str) -> None:
    """The export's warm-up, as every query has one: two at once, so each of our two
    workers (or Datasette's one process) has served it before the timed runs."""
    warm = [threading.Thread(target=export_csv, args=(server, path)) for _ in range(2)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()


def _ids(url: str) -> tuple[int, int]:
    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        low, high = conn.execute("SELECT min(id), max(id) FROM projects").fetchone()
        return int(low), int(high)
    finally:
        conn.close()


def run_size(size: int, config: Config) -> dict[str, Any]:
    print(f"bench: == {size:,} projects ==", flush=True)
    entry: dict[str, Any] = {"size": size}
    ours = datasets.sqlite_database(size)
    entry["synth_sqlite"] = {"seconds": ours.synth_seconds, "rows": ours.synth_rows}
    flat = datasets.flat_database(ours)
    ids = _ids(ours.url)
    our_file = Path(ours.url.removeprefix("sqlite:///"))
    warm.sqlite_file(our_file)
    with servers.bri(ours.url, OUR_PORT, config.workers) as server:
        entry["sqlite"] = measure(server, "ours", "", ids, config)
    # The same list page and summary with the answer cache off: every request runs its
    # queries, as the first request after a write does.
    no_cache = {"BRI_ANSWER_CACHE_BYTES": "0"}
    warm.sqlite_file(our_file)
    with servers.bri(ours.url, OUR_PORT, config.workers, no_cache) as server:
        entry["sqlite_uncached"] = measure(server, "ours", "", ids, config, only=UNCACHED)
    warm.sqlite_file(flat)
    with servers.datasette(flat, DATASETTE_PORT) as server:
        entry["datasette"] = measure(server, "datasette", flat.stem, ids, config)
    if config.postgres_url:
        pg = datasets.postgres_database(config.postgres_url, size)
        entry["synth_postgresql"] = {"seconds": pg.synth_seconds, "rows": pg.synth_rows}
        warm.postgres_database(pg.url)
        with servers.bri(pg.url, OUR_PORT, config.workers) as server:
            entry["postgresql"] = measure(server, "ours", "", ids, config)
        warm.postgres_database(pg.url)
        with servers.bri(pg.url, OUR_PORT, config.workers, no_cache) as server:
            entry["postgresql_uncached"] = measure(server, "ours", "", ids, config, only=UNCACHED)
    entry["checks"] = report.cross_check(entry)
    return entry


def run_import_bench(config: Config) -> dict[str, Any] | None:
    """AidData import speed: the importers' own benchmark, on both databases."""
    print(f"bench: == import ({config.import_rows:,} AidData rows) ==", flush=True)
    output = RESULTS / f"{config.label}-import.json"
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "import_bench.py"),
        "--rows",
        str(config.import_rows),
        "--output",
        str(output),
    ]
    if config.postgres_url:
        command += ["--postgres-url", datasets.bench_database_url(config.postgres_url, "imports")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    print(done.stdout, end="", flush=True)
    if done.returncode != 0:
        print(f"bench: import_bench failed:\n{done.stderr[-2000:]}", flush=True)
        return {"error": done.stderr[-2000:]}
    result: dict[str, Any] = json.loads(output.read_text())
    return result


def _reachable(postgres_url: str | None) -> str | None:
    """The PostgreSQL base URL if its server answers, else None (with a notice): a
    machine without PostgreSQL still gets the SQLite and Datasette tables."""
    if not postgres_url:
        return None
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(postgres_url).set(drivername="postgresql", database="postgres")
    try:
        psycopg.connect(admin.render_as_string(hide_password=False), connect_timeout=5).close()
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"bench: PostgreSQL not reachable ({reason}); skipping it", flush=True)
        return None
    return postgres_url


def main() -> None:
    config = Config.from_env()
    config = dataclasses.replace(config, postgres_url=_reachable(config.postgres_url))
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    results: dict[str, Any] = {
        "started": started,
        "machine": machine.describe(config.postgres_url),
        "config": {
            "sizes": config.sizes,
            "duration_s": config.duration,
            "connections": config.connections,
            "threads": config.threads,
            "workers": config.workers,
            "queries": {
                q.name: {"ours": q.ours, "datasette": q.datasette, "target": q.target}
                for q in QUERIES
            },
        },
        "sizes": [],
    }
    for size in config.sizes:
        entry = run_size(size, config)
        results["sizes"].append(entry)
        print(report.size_tables(entry, results["config"], results["sizes"][:-1]), flush=True)
    results["import"] = run_import_bench(config) if config.import_rows else None
    text = report.full(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for entry in results["sizes"]:
        for side in ("sqlite", "sqlite_uncached", "datasette", "postgresql", "postgresql_uncached"):
            entry.get(side, {}).pop("samples", None)
    (RESULTS / f"{config.label}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{config.label}.md").write_text(text)
    print(text)
    print(f"bench: results in benchmarks/results/{config.label}.json and .md")


if __name__ == "__main__":
    main()

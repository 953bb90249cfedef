"""Where a live server's time goes under load: py-spy on one uvicorn worker while wrk runs.

    .venv/bin/python -m benchmarks.profile_server --size 100000 --query list [--seconds 10]

Uses the database `make bench` made for that size (SQLite, or --postgres), serves it with
one worker, drives the query with wrk and samples the worker with py-spy (from
benchmarks/.venv). Prints the top frames by inclusive and self time (see stacks.py); the
raw collapsed stacks stay in benchmarks/data/profile-<query>.txt for a flame graph.
"""

import argparse
import subprocess
import threading
from pathlib import Path

from benchmarks import datasets, servers, stacks
from benchmarks.bench import OUR_CSV, OUR_PORT, QUERIES, _ids
from benchmarks.loadgen import run_wrk

ROOT = Path(__file__).resolve().parents[1]
PY_SPY = ROOT / "benchmarks" / ".venv" / "bin" / "py-spy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--query", default="list", help="list, row, summary or csv")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--postgres", default=None, help="base URL, as BENCH_POSTGRES_URL")
    parser.add_argument("--match", default=None, help="only frames containing this (app/)")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    sqlite = datasets.sqlite_database(args.size)
    ids = _ids(sqlite.url)
    url = datasets.postgres_database(args.postgres, args.size).url if args.postgres else sqlite.url
    path = OUR_CSV if args.query == "csv" else next(q for q in QUERIES if q.name == args.query).ours
    out = datasets.DATA / f"profile-{args.query}.txt"
    with servers.bri(url, OUR_PORT, workers=1) as server:
        worker = server.pids()[-1]
        spy = subprocess.Popen(
            [
                str(PY_SPY), "record", "--pid", str(worker), "--rate", "250",
                "--duration", str(int(args.seconds)), "--format", "raw",
                "--output", str(out), "--nonblocking", "--gil",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if args.query == "csv":
            from benchmarks.export import export_csv

            stop = threading.Event()
            while spy.poll() is None and not stop.is_set():
                print(export_csv(server, path))
        else:
            load = run_wrk(
                server.base + path,
                duration=args.seconds + 1,
                connections=args.connections,
                threads=2,
                ids=ids if "__ID__" in path else None,
            )
            print(load)
        spy.wait()
    total, inclusive, own = stacks.summarise(out.read_text(), args.match)
    for title, counter in (("inclusive", inclusive), ("self", own)):
        print(f"== {title} (of {total} samples) ==")
        for name, count in counter.most_common(args.top):
            print(f"{100 * count / total:6.1f}%  {name}")


if __name__ == "__main__":
    main()

"""CPU cost per request, in process, and where it goes: the profiling half of `make bench`.

Throughput through wrk depends on everything else the machine is doing; CPU time per
request, measured by calling the ASGI app directly, mostly does not. Usage:

    BRI_DATABASE_URL=sqlite:///benchmarks/data/bri-100000-....db \
        .venv/bin/python -m benchmarks.profile_requests [--query list] [-n 300] [--profile]

`--profile` prints the functions that took the most time (cProfile, cumulative and self).
"""

import argparse
import asyncio
import cProfile
import io
import pstats
import random
import time
from typing import Any
from urllib.parse import urlsplit

from benchmarks.bench import OUR_CSV, QUERIES


def _scope(path: str) -> dict[str, Any]:
    parts = urlsplit(path)
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": parts.path,
        "raw_path": parts.path.encode(),
        "query_string": parts.query.encode(),
        "headers": [(b"host", b"127.0.0.1:8000"), (b"accept", b"*/*")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "root_path": "",
    }


async def call(app: Any, path: str) -> tuple[int, int]:
    """One request through the whole app; returns (status, body bytes)."""
    status = 0
    size = 0
    sent = False
    never = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:  # the client stays connected: a streaming response waits here
            await never.wait()
        sent = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, size
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            size += len(message.get("body", b""))

    await app(_scope(path), receive, send)
    return status, size


def _paths(name: str, n: int, ids: tuple[int, int]) -> list[str]:
    if name == "csv":
        return [OUR_CSV] * n
    query = next(q for q in QUERIES if q.name == name)
    rng = random.Random(7)
    return [query.ours.replace("__ID__", str(rng.randint(*ids))) for _ in range(n)]


def _id_range() -> tuple[int, int]:
    from sqlalchemy import func, select

    from app.db import get_sessionmaker
    from app.models import Project

    with get_sessionmaker()() as session:
        low, high = session.execute(select(func.min(Project.id), func.max(Project.id))).one()
    return int(low), int(high)


async def run(name: str, n: int, profile: bool) -> None:
    from app.main import create_app

    app = create_app()
    paths = _paths(name, n, _id_range())
    for path in paths[: min(20, n)]:  # warm caches and the connection pool
        status, _ = await call(app, path)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
    profiler = cProfile.Profile() if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    total = 0
    for path in paths:
        _, size = await call(app, path)
        total += size
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{name}: {n} requests, {cpu / n * 1e3:.3f} ms CPU and {wall / n * 1e3:.3f} ms wall each, "
        f"{total / n:,.0f} bytes each"
    )
    if profiler:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(25)
            print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--query", default="all", help="list, row, summary, csv or all")
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    names = ["list", "row", "summary"] if args.query == "all" else [args.query]
    for name in names:
        asyncio.run(run(name, args.n if name != "csv" else max(1, args.n // 100), args.profile))


if __name__ == "__main__":
    main()

"""A bounded load run over the main read endpoints; passes only with zero non-2xx answers.

    .venv/bin/python benchmarks/load_run.py                       # fresh SQLite file
    .venv/bin/python benchmarks/load_run.py --database-url postgresql+psycopg://...

It migrates and seeds the database (both idempotent), starts `bri serve` on a free port of
127.0.0.1, sends a fixed number of requests (stopping early at --max-seconds) from
--concurrency clients in a fixed round robin over the endpoints below, then stops the
server with SIGTERM. The result goes to benchmarks/results/load_run-<database>.json.
"""

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results"
ENDPOINTS = [
    "/v1/meta",
    "/v1/strands",
    "/v1/countries?region=Asia&fields=iso3,name",
    "/v1/countries/PAK",
    "/v1/organisations?kind=company",
    "/v1/projects",
    "/v1/projects/beidou",
    "/v1/projects?country=PAK&country=LAO",
    "/v1/funding",
    "/v1/funding/summary?group_by=year",
    "/v1/figures?indicator=bri-activity-index",
    "/v1/stances?action=restricted&sort=country",
    "/v1/events?sort=-date",
    "/v1/sources?kind=article",
    "/v1/projects?format=csv",
    "/readyz",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bri(*args: str, env: dict[str, str], **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(BIN / "bri"), *args], env=env, cwd=ROOT, **kwargs)


def prepare(env: dict[str, str]) -> None:
    for command in (("db", "upgrade"), ("seed",)):
        done = bri(*command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, errors = done.communicate(timeout=600)
        if done.returncode != 0:
            sys.exit(f"load_run: bri {' '.join(command)} failed: {errors.decode()}")


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def load(base: str, requests: int, concurrency: int, max_seconds: float) -> dict[str, Any]:
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter[str] = Counter()
    failures: list[str] = []
    next_index = 0
    deadline = time.perf_counter() + max_seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal next_index
        while next_index < requests and time.perf_counter() < deadline:
            path = ENDPOINTS[next_index % len(ENDPOINTS)]
            next_index += 1
            began = time.perf_counter()
            try:
                response = await client.get(path)
                await response.aread()
                status = str(response.status_code)
            except httpx.HTTPError as error:
                status = type(error).__name__
            latencies[path].append(time.perf_counter() - began)
            statuses[status] += 1
            if not status.startswith("2") and len(failures) < 20:
                failures.append(f"{status} {path}")

    limits = httpx.Limits(max_connections=concurrency)
    began = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    seconds = time.perf_counter() - began
    every = sorted(value for values in latencies.values() for value in values)
    sent = len(every)

    def ms(value: float) -> float:
        return round(value * 1000, 2)

    return {
        "requests": sent,
        "seconds": round(seconds, 2),
        "requests_per_second": round(sent / seconds, 1) if seconds else 0.0,
        "latency_ms": {
            "p50": ms(percentile(every, 0.50)),
            "p90": ms(percentile(every, 0.90)),
            "p99": ms(percentile(every, 0.99)),
            "max": ms(every[-1]) if every else 0.0,
        },
        "statuses": dict(sorted(statuses.items())),
        "non_2xx": sum(n for status, n in statuses.items() if not status.startswith("2")),
        "first_failures": failures,
        "endpoints": {
            path: {"requests": len(values), "p50_ms": ms(percentile(sorted(values), 0.5))}
            for path, values in latencies.items()
        },
    }


def commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True)
    return found.stdout.decode().strip() or "unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bri-load-"))
    url = arguments.database_url or f"sqlite:///{folder / 'load.db'}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRI_")}
    env.update({"BRI_DATABASE_URL": url, "BRI_LOG_LEVEL": "WARNING"})
    prepare(env)
    port = free_port()
    log = (folder / "server.log").open("wb")
    server = bri("serve", "--port", str(port), env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            sys.exit(f"load_run: the server did not start; see {log.name}")
        result = asyncio.run(
            load(base, arguments.requests, arguments.concurrency, arguments.max_seconds)
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    kind = "postgresql" if url.startswith("postgresql") else "sqlite"
    report = {
        "run": "load_run",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "database": kind,
        "concurrency": arguments.concurrency,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        **result,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"load_run-{kind}.json"
    target.write_text(json.dumps(report, indent=2) + "\n")
    latency = result["latency_ms"]
    print(
        f"{kind}: {result['requests']} requests in {result['seconds']} s "
        f"({result['requests_per_second']}/s, {arguments.concurrency} clients); "
        f"p50 {latency['p50']} ms, p99 {latency['p99']} ms; non-2xx {result['non_2xx']} "
        f"-> {target.relative_to(ROOT)}"
    )
    for failure in result["first_failures"]:
        print(f"  {failure}")
    return 0 if result["non_2xx"] == 0 and result["requests"] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())

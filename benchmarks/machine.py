"""What the numbers were measured on."""

import os
import platform
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _first(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _output(*command: str) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else None


def describe(postgres_url: str | None) -> dict[str, Any]:
    mem_kib = _first("/proc/meminfo", "MemTotal")
    info: dict[str, Any] = {
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gib": round(int(mem_kib.split()[0]) / 2**20, 1) if mem_kib else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "wrk": _output("wrk", "--version"),
        "datasette": _output(str(ROOT / "benchmarks" / ".venv" / "bin" / "datasette"), "--version"),
        "git_commit": _output("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
    }
    if postgres_url:
        info["postgresql"] = _postgres_version(postgres_url)
    return info


def _postgres_version(url: str) -> str | None:
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        plain = make_url(url).set(drivername="postgresql", database="postgres")
        with psycopg.connect(plain.render_as_string(hide_password=False)) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except Exception:  # a version we cannot read is not worth failing the run
        return None

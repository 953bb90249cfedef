"""Tables from a run's results, and the checks that both sides answered the same."""

import json
import math
from typing import Any

P99_TARGET_MS = 50.0
CSV_TARGET_ROWS_S = 200_000
IMPORT_TARGET_ROWS_S = 20_000
TITLES = {"list": "List page", "row": "Row by id", "summary": "Summary (sum by year)"}


def _n(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}"


def _load(side: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    if not side:
        return None
    found: dict[str, Any] | None = side["queries"].get(name)
    return found


def _ratio(ours: dict[str, Any] | None, theirs: dict[str, Any] | None) -> float | None:
    if not ours or not theirs or not theirs["rps"]:
        return None
    return float(ours["rps"]) / float(theirs["rps"])


Ceiling = tuple[float, int] | None  # Datasette's rate for a query at a smaller size, and that size


def _ceiling(smaller: list[dict[str, Any]], name: str, size: int) -> Ceiling:
    """Datasette's lowest measured rate for the query at a smaller size: on more rows the
    same query can only be slower, so this bounds its rate where it answered nothing."""
    rates = [
        (float(found["rps"]), int(entry["size"]))
        for entry in smaller
        if (found := _load(entry.get("datasette"), name))
        and found["requests"]
        and entry["size"] < size
    ]
    return min(rates) if rates else None


def _bound(
    ours: dict[str, Any] | None, theirs: dict[str, Any] | None, ceiling: Ceiling
) -> float | None:
    """When Datasette answered nothing in the whole run, its rate is not measured (its
    queue may still hold the warm-up's requests); its rate at a smaller size bounds it."""
    if not ours or not theirs or theirs["requests"] or ceiling is None:
        return None
    return float(ours["rps"]) / ceiling[0]


def _shown(
    ours: dict[str, Any] | None, theirs: dict[str, Any] | None, ceiling: Ceiling = None
) -> tuple[str, float | None]:
    """The ratio as written in a table, and the figure its verdict is judged by."""
    ratio = _ratio(ours, theirs)
    if ratio is not None:
        return f"{ratio:.1f}x", ratio
    if not theirs or theirs["requests"]:
        return "n/a", None
    none = f"Datasette: none in {theirs['seconds']:.0f} s"
    floor = _bound(ours, theirs, ceiling)
    if floor is None or ceiling is None:
        return f"n/a ({none})", None
    rate, size = ceiling
    shown = math.floor(floor * 10) / 10  # a lower bound: never rounded up
    return f"> {shown:,.1f}x ({none}; its {_n(rate)} req/s at {size:,} bound it)", floor


def size_tables(
    entry: dict[str, Any], config: dict[str, Any], smaller: list[dict[str, Any]] | None = None
) -> str:
    """The size's tables; `smaller` are the runs at smaller sizes (see `_ceiling`)."""
    smaller = smaller or []
    size = entry["size"]
    lines = [
        f"### {size:,} projects, SQLite: BRI Tracker vs Datasette (same run)",
        "",
        "| query | BRI req/s | p50 ms | p99 ms | non-2xx | Datasette req/s | p50 ms | p99 ms "
        "| non-2xx | ratio | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    theirs = entry.get("datasette")
    for name, title in TITLES.items():
        ceiling = _ceiling(smaller, name, entry["size"])
        ours, theirs_load = _load(entry.get("sqlite"), name), _load(theirs, name)
        lines.append(_versus(title, ours, theirs_load, config, name, ceiling))
    for name in ("list", "summary"):
        ours = _load(entry.get("sqlite_uncached"), name)
        if ours is not None:
            title = f"{TITLES[name]}, answer cache off"
            ceiling = _ceiling(smaller, name, entry["size"])
            lines.append(_versus(title, ours, _load(theirs, name), config, name, ceiling))
    lines += ["", _export_table(entry), ""]
    if entry.get("postgresql"):
        lines += [_postgres_table(entry, smaller), ""]
    checks = entry.get("checks", {})
    if checks:
        lines.append(
            "Same answers: "
            + "; ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in checks.items())
        )
        lines.append("")
    return "\n".join(lines)


def _versus(
    title: str,
    ours: dict[str, Any] | None,
    theirs: dict[str, Any] | None,
    config: dict[str, Any],
    name: str,
    ceiling: Ceiling = None,
) -> str:
    """One query's line: both servers, the ratio and whether it meets its target."""
    shown, ratio = _shown(ours, theirs, ceiling)
    target = config["queries"][name]["target"]
    verdict = "n/a" if ratio is None else ("met" if ratio >= target else "MISSED")
    return f"| {title} | {_row(ours)} | {_row(theirs)} | {shown} | >= {target:g}x {verdict} |"


def _row(load: dict[str, Any] | None) -> str:
    if not load:
        return "n/a | n/a | n/a | n/a"
    return (
        f"{_n(load['rps'])} | {load['p50_ms']:.2f} | {load['p99_ms']:.2f} | "
        f"{load['non_2xx'] + load.get('socket_errors', 0)}"
    )


def _export_table(entry: dict[str, Any]) -> str:
    lines = [
        f"Full CSV export of {entry['size']:,} projects (one client, best of two):",
        "",
        "| server | rows | seconds | rows/s | peak RSS MiB (largest process) | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    theirs = (entry.get("datasette") or {}).get("export")
    for side, label in (
        ("sqlite", "BRI Tracker, SQLite"),
        ("postgresql", "BRI Tracker, PostgreSQL"),
        ("datasette", "Datasette"),
    ):
        found = (entry.get(side) or {}).get("export")
        if not found:
            continue
        ratio = (
            f"{found['rows_per_s'] / theirs['rows_per_s']:.1f}x"
            if theirs and theirs["rows_per_s"] and side != "datasette"
            else ""
        )
        lines.append(
            f"| {label} | {found['rows']:,} | {found['seconds']:.2f} | "
            f"{_n(found['rows_per_s'])} | {found['rss_peak_mib']:.0f} | {ratio} |"
        )
    return "\n".join(lines)


def _postgres_table(entry: dict[str, Any], smaller: list[dict[str, Any]]) -> str:
    lines = [
        f"### {entry['size']:,} projects, PostgreSQL: BRI Tracker",
        "",
        "| query | req/s | p50 ms | p99 ms | non-2xx | vs Datasette on SQLite |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    runs = [(name, title, "postgresql") for name, title in TITLES.items()]
    runs += [(name, f"{TITLES[name]}, answer cache off", "postgresql_uncached") for name in TITLES]
    for name, title, side in runs:
        ours = _load(entry.get(side), name)
        if ours is None and side == "postgresql_uncached":
            continue  # not measured (a run before it was, or not a list or summary)
        shown, _ = _shown(
            ours, _load(entry.get("datasette"), name), _ceiling(smaller, name, entry["size"])
        )
        lines.append(f"| {title} | {_row(ours)} | {shown} |")
    return "\n".join(lines)


def growth_table(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    header = " | ".join(f"{e['size']:,}" for e in sizes)
    lines = [
        "### How cost grows (req/s, and p99 ms in brackets)",
        "",
        f"| query | server | {header} |",
        "|---|---|" + "---:|" * len(sizes),
    ]
    for name, title in TITLES.items():
        for side, label in (
            ("sqlite", "BRI SQLite"),
            ("postgresql", "BRI PostgreSQL"),
            ("datasette", "Datasette"),
        ):
            cells = []
            for entry in sizes:
                load = _load(entry.get(side), name)
                cells.append("n/a" if not load else f"{_n(load['rps'])} ({load['p99_ms']:.1f})")
            if any(c != "n/a" for c in cells):
                lines.append(f"| {title} | {label} | " + " | ".join(cells) + " |")
    for side, label in (
        ("sqlite", "BRI SQLite"),
        ("postgresql", "BRI PostgreSQL"),
        ("datasette", "Datasette"),
    ):
        cells = []
        for entry in sizes:
            found = (entry.get(side) or {}).get("export")
            cells.append(
                "n/a"
                if not found
                else f"{_n(found['rows_per_s'])} rows/s, {found['rss_peak_mib']:.0f} MiB"
            )
        if any(c != "n/a" for c in cells):
            lines.append(f"| CSV export | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _import_lines(result: dict[str, Any] | None) -> list[str]:
    if result is None:
        return ["AidData import: not measured (BENCH_IMPORT_ROWS=0).", ""]
    if "error" in result:
        return ["AidData import: the import benchmark failed (see the JSON results).", ""]
    lines = [
        f"AidData import of {result['rows']:,} GCDF 3.0 rows (benchmarks/import_bench.py; "
        f"load average {', '.join(f'{x:.1f}' for x in result['load_average'])} at the end):",
        "",
        "| database | run | seconds | rows/s | CPU seconds | rows/s of CPU | target |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for run in result["results"]:
        per_cpu = run["rows"] / run["cpu_seconds"] if run["cpu_seconds"] else 0
        met = run["rows_per_second"] >= IMPORT_TARGET_ROWS_S
        lines.append(
            f"| {run['database']} | {run['run']} | {run['seconds']:.2f} | "
            f"{run['rows_per_second']:,} | {run['cpu_seconds']:.2f} | {per_cpu:,.0f} | "
            f">= {IMPORT_TARGET_ROWS_S:,} {'met' if met else 'MISSED'} |"
        )
    return [*lines, ""]


def full(results: dict[str, Any]) -> str:
    m = results["machine"]
    c = results["config"]
    lines = [
        f"# BRI Tracker benchmark, {results['started']}",
        "",
        f"Machine: {m.get('cpu')}, {m.get('cores')} cores, {m.get('ram_gib')} GiB RAM; "
        f"Python {m.get('python')}, SQLite {m.get('sqlite')}, PostgreSQL "
        f"{m.get('postgresql', 'not run')}, {m.get('datasette')}, {m.get('wrk')}; "
        f"commit {m.get('git_commit')}.",
        f"Load: wrk, {c['connections']} connections, {c['threads']} threads, "
        f"{c['duration_s']:g} s per query after a warm-up, on 127.0.0.1; BRI Tracker under "
        f"uvicorn with {c['workers']} workers; Datasette as one process (its design).",
        "",
    ]
    for index, entry in enumerate(results["sizes"]):
        lines.append(size_tables(entry, c, results["sizes"][:index]))
    if len(results["sizes"]) > 1:
        lines += [growth_table(results), ""]
    lines += _import_lines(results.get("import"))
    return "\n".join(lines)


def _ours_list_ids(body: str) -> list[int]:
    return [row["id"] for row in json.loads(body)["data"]]


def _datasette_rows(body: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(body)["rows"]
    return rows


def cross_check(entry: dict[str, Any]) -> dict[str, bool]:
    """Did both servers (and both databases) answer the same rows?"""
    checks: dict[str, bool] = {}
    ours = entry.get("sqlite", {}).get("samples", {})
    theirs = entry.get("datasette", {}).get("samples", {})
    pg = entry.get("postgresql", {}).get("samples", {})
    try:
        ids = _ours_list_ids(ours["list"]["body"])
        checks["list"] = ids == [r["id"] for r in _datasette_rows(theirs["list"]["body"])]
        if pg:
            checks["list"] = checks["list"] and ids == _ours_list_ids(pg["list"]["body"])
        row = json.loads(ours["row"]["body"])
        their_row = _datasette_rows(theirs["row"]["body"])[0]
        checks["row"] = row["key"] == their_row["key"] and row["title"] == their_row["title"]
    except (KeyError, IndexError, ValueError, TypeError):
        checks["list/row"] = False
    summary = _summary_check(ours.get("summary"), theirs.get("summary"))
    if summary is not None:
        checks["summary"] = summary
    exports = [
        (entry.get(side) or {}).get("export", {}).get("rows")
        for side in ("sqlite", "datasette", "postgresql")
    ]
    counted = [n for n in exports if n is not None]
    checks["export rows"] = len(set(counted)) == 1
    return checks


def _summary_check(ours: dict[str, Any] | None, theirs: dict[str, Any] | None) -> bool | None:
    """Per-year USD sums agree to the cent (Datasette's are floats, so within a dollar)."""
    if not ours or not theirs or ours["status"] != 200 or theirs["status"] != 200:
        return None
    expected = {
        r["year"]: r["amount_usd"]
        for r in _datasette_rows(theirs["body"])
        if r["amount_usd"] is not None
    }
    got = summary_by_year(json.loads(ours["body"]))
    if got is None:
        return None
    return set(got) == set(expected) and all(
        abs(float(got[year]) - expected[year]) < 1.0 for year in expected
    )


def summary_by_year(body: Any) -> dict[int, float] | None:
    """{year: USD nominal sum} from our summary answer (None if its shape is unexpected)."""
    try:
        return {
            int(row["group"]["year"]): float(row["amount_usd"]["sum"])
            for row in body["data"]
            if row["group"]["year"] is not None and row["amount_usd"]["sum"] is not None
        }
    except (KeyError, TypeError, ValueError):
        return None

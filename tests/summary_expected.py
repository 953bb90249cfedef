"""Summaries computed in plain Python from the query fixture, to hold the API against."""

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import cmp_to_key
from itertools import product
from typing import Any

from tests.query_fixture import REGION, Fixture

Row = dict[str, Any]


def project_roles(project: Row) -> list[tuple[str, str]]:
    """(country, role) links of a fixture project, as the fixture inserts them."""
    links = []
    if project["recipient"]:
        links.append((project["recipient"], "recipient"))
        if project["recipient"] == "PAK":
            links.append(("PAK", "host"))
    if "CHN" in project["countries"]:
        links.append(("CHN", "financier"))
    return links


def _dimension_values(name: str, row: Row, project: Row, links: dict[str, set[Any]]) -> list[Any]:
    """The values `row` counts under; `links` narrows linked rows as the same filters do."""
    countries = sorted(
        {
            country
            for country, role in project_roles(project)
            if role in links.get("country_role", {role})
            and country in links.get("country", {country})
            and REGION[country] in links.get("region", {REGION[country]})
        }
    )
    strands = [s for s in project["strands"] if s in links.get("strand", {s})]
    many: dict[str, list[Any]] = {
        "strand": strands,
        "country": countries,
        "region": sorted({REGION[c] for c in countries}),
    }
    if name in many:
        return many[name] or [None]
    single = {
        "sector": "sector_code",
        "status": "status",
        "kind": "kind",
        "flow_class": "flow_class",
        "intent": "intent",
    }
    if name in single:
        return [project[single[name]]]
    return [row[name]]


def _order(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if x is None or y is None:
            return 1 if x is None else -1
        return -1 if x < y else 1
    return 0


def _sum(rows: Iterable[Row], name: str) -> dict[str, Any]:
    values = [row[name] for row in rows if row[name] is not None]
    return {"sum": str(sum(values, Decimal("0.00"))) if values else None, "count": len(values)}


def _by_basis(rows: list[Row], name: str, basis: str) -> list[dict[str, Any]]:
    bases = sorted({row[basis] for row in rows if row[name] is not None})
    return [
        {basis: value, **_sum([row for row in rows if row[basis] == value], name)}
        for value in bases
    ]


def included(project: Row, umbrella: bool = False, not_recommended: bool = False) -> bool:
    return (umbrella or not project["umbrella"]) and (
        not_recommended or project["recommended_for_aggregates"]
    )


def summary(
    fx: Fixture,
    group_by: list[str],
    *,
    funding: bool = True,
    keep: Callable[[Row, Row], bool] = lambda row, project: included(project),
    links: dict[str, set[Any]] | None = None,
) -> list[Row]:
    """The groups of a funding (or project) summary: `keep(row, project)` picks the rows.

    `links` gives the values of the link filters (strand, country, country_role, region),
    which narrow the linked values a row is grouped under.
    """
    projects = {p["key"]: p for p in fx.projects}
    rows = fx.funding if funding else fx.projects
    groups: dict[tuple[Any, ...], list[Row]] = {}
    for row in rows:
        project = projects[row["project"]] if funding else row
        if not keep(row, project):
            continue
        values = [_dimension_values(name, row, project, links or {}) for name in group_by]
        for key in product(*values):
            groups.setdefault(key, []).append(row)
    result = []
    for key in sorted(groups, key=cmp_to_key(_order)):
        members = groups[key]
        item: Row = {"group": dict(zip(group_by, key, strict=True)), "count": len(members)}
        if funding:
            item["amount_usd"] = _sum(members, "amount_usd")
            item["amount_usd_constant"] = _by_basis(
                members, "amount_usd_constant", "constant_base_year"
            )
            item["amount"] = _by_basis(members, "amount", "currency")
        result.append(item)
    return result

"""Checks across rows: references resolve, keys are unique, values agree with each other."""

from collections.abc import Iterable
from typing import Any

import pycountry

from app.models.enums import Qualifier, Scope
from app.seed.load import Located, SeedData, SeedProblem


def _problem(where: Located, field: str, message: str) -> SeedProblem:
    return SeedProblem(where.file, where.row, where.line, field, message)


def _unique(rows: Iterable[tuple[Located, Any]], attribute: str) -> list[SeedProblem]:
    seen: set[str] = set()
    problems = []
    for where, row in rows:
        value = getattr(row, attribute)
        if value in seen:
            problems.append(_problem(where, attribute, f"'{value}' appears twice"))
        seen.add(value)
    return problems


def check_references(data: SeedData) -> list[SeedProblem]:
    # A row refused by its schema is already reported; references to it are not errors too.
    refused = data.refused_keys
    keys = {
        "source": {row.key for _, row in data.sources} | refused.get("sources", set()),
        "strand": {row.code for _, row in data.strands} | refused.get("strands", set()),
        "organisation": {row.key for _, row in data.organisations}
        | refused.get("organisations", set()),
        "project": {row.key for _, row in data.projects} | refused.get("projects", set()),
    }
    problems: list[SeedProblem] = []
    for name, attribute in [
        ("sources", "key"),
        ("strands", "code"),
        ("organisations", "key"),
        ("projects", "key"),
        ("funding", "key"),
        ("figures", "key"),
        ("stances", "key"),
        ("events", "key"),
        ("countries", "iso3"),
    ]:
        problems += _unique(getattr(data, name), attribute)

    def ref(where: Located, field: str, kind: str, value: str | None) -> None:
        if value is None:
            return
        if kind == "country":
            if pycountry.countries.get(alpha_3=value) is None:
                problems.append(
                    _problem(where, field, f"'{value}' is not an ISO 3166-1 alpha-3 code")
                )
        elif value not in keys[kind]:
            problems.append(_problem(where, field, f"no {kind} with key '{value}'"))

    for name in (
        "strands",
        "organisations",
        "funding",
        "figures",
        "stances",
        "events",
        "countries",
    ):
        for where, row in getattr(data, name):
            ref(where, "cite.source", "source", row.cite.source)
    for where, strand in data.strands:
        ref(where, "parent", "strand", strand.parent)
    for where, org in data.organisations:
        ref(where, "country", "country", org.country)
        for i, member in enumerate(org.members):
            ref(where, f"members.{i}", "country", member)
    for where, project in data.projects:
        for i, cite in enumerate(project.citations):
            ref(where, f"citations.{i}.source", "source", cite.source)
        for i, strand_link in enumerate(project.strands):
            ref(where, f"strands.{i}.code", "strand", strand_link.code)
        for i, country_link in enumerate(project.countries):
            ref(where, f"countries.{i}.iso3", "country", country_link.iso3)
        for i, org_link in enumerate(project.organisations):
            ref(where, f"organisations.{i}.key", "organisation", org_link.key)
    for where, funding in data.funding:
        ref(where, "project", "project", funding.project)
        ref(where, "financier", "organisation", funding.financier)
        problems += _funding_rules(where, funding)
    for where, figure in data.figures:
        for field, kind in [
            ("strand", "strand"),
            ("country", "country"),
            ("organisation", "organisation"),
            ("project", "project"),
            ("publisher", "organisation"),
        ]:
            ref(where, field, kind, getattr(figure, field))
        problems += _figure_rules(where, figure)
    for where, stance in data.stances:
        ref(where, "country", "country", stance.country)
        for field, kind in [
            ("strand", "strand"),
            ("project", "project"),
            ("organisation", "organisation"),
            ("via", "organisation"),
        ]:
            ref(where, field, kind, getattr(stance, field))
        if not (stance.strand or stance.project or stance.organisation):
            problems.append(
                _problem(
                    where,
                    "strand",
                    "a stance needs a strand, project or organisation as its target",
                )
            )
    for where, event in data.events:
        for field, kind in [
            ("strand", "strand"),
            ("country", "country"),
            ("organisation", "organisation"),
            ("project", "project"),
        ]:
            ref(where, field, kind, getattr(event, field))
    for where, note in data.countries:
        ref(where, "iso3", "country", note.iso3)
    return problems


def _funding_rules(where: Located, row: Any) -> list[SeedProblem]:
    return [_problem(where, field, message) for field, message in funding_problems(row)]


def _figure_rules(where: Located, row: Any) -> list[SeedProblem]:
    return [_problem(where, field, message) for field, message in figure_problems(row)]


# The rules below are shared with the write API (app/writes), which names the same fields.


def funding_problems(row: Any) -> list[tuple[str, str]]:
    """(field, message) for each way a funding row's values disagree with each other."""
    problems = []
    if row.currency and pycountry.currencies.get(alpha_3=row.currency) is None:
        problems.append(("currency", f"'{row.currency}' is not an ISO 4217 code"))
    if row.amount is not None and row.currency is None:
        problems.append(("currency", "an amount needs its currency"))
    if row.amount_usd_constant is not None and row.constant_base_year is None:
        problems.append(("constant_base_year", "constant USD needs its base year"))
    return problems


def figure_problems(row: Any) -> list[tuple[str, str]]:
    """(field, message) for each way a figure's values disagree with each other."""
    problems = []
    if row.qualifier == Qualifier.range:
        if row.value_low is None or row.value_high is None:
            problems.append(("value_low", "a range needs value_low and value_high"))
        elif row.value_low > row.value_high:
            problems.append(("value_low", "value_low is above value_high"))
    elif row.value is None:
        problems.append(("value", f"a figure qualified '{row.qualifier}' needs a value"))
    for start, end in [("period_start", "period_end"), ("base_period_start", "base_period_end")]:
        first, last = getattr(row, start), getattr(row, end)
        if first and last and first > last:
            problems.append((start, f"{start} is after {end}"))
    subject = {
        Scope.strand: "strand",
        Scope.country: "country",
        Scope.organisation: "organisation",
        Scope.project: "project",
    }.get(row.scope)
    if subject and getattr(row, subject) is None:
        problems.append((subject, f"scope '{row.scope}' needs a {subject}"))
    return problems

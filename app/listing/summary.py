"""Aggregates for any ListSpec: per group, the row count and exact sums, one per basis.

A SummarySpec names the dimensions a resource can be grouped by and the money columns it
sums. The list's own filters select the rows, so a summary answers for exactly the rows
the list would return. Sums are never added across bases: a measure with a basis column
(the constant-USD base year, the original currency) gives one sum per basis value.

This module is the one place that turns a summary request into SQL and the SQL rows into
groups (`summary_rows`, then `fold`), so a faster source (pre-aggregated tables) can
replace `summary_rows` without touching the routes.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import ColumnElement, FromClause, Select, case, func, literal, select
from sqlalchemy.orm import Session

from app.db import read
from app.listing.params import ListParams, SortKey
from app.listing.rollup import Rollup, answers, rollup_rows, rollup_totals
from app.listing.run import check_known
from app.listing.spec import Column, FilterType, Link, ListSpec
from app.listing.where import filtered, link_conditions


@dataclass(frozen=True)
class Dimension:
    """What rows can be grouped by. With `link`, a row counts once under each linked value."""

    name: str
    column: Column
    python_type: FilterType = str
    link: Link | None = None
    description: str = ""
    # The link holds each (owner, value) once (its primary key says so): no DISTINCT needed.
    unique: bool = False


@dataclass(frozen=True)
class Measure:
    """An exact sum of a Money column. With `basis`, one sum per value of the basis column."""

    name: str
    column: Column
    schema_name: str
    description: str = ""
    basis: Column | None = None
    basis_name: str = ""
    basis_type: FilterType = str
    # Basis parts every sum of this measure shares ({"currency": "USD"}), said in CSV rows.
    fixed: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Exclusion:
    """Rows left out by default; `include_<name>=true` (or a filter on the flag) keeps them."""

    parameter: str
    excluded: ColumnElement[bool]
    # A filter on the same flag decides on its own (umbrella=true means only umbrellas).
    overridden_by: str
    description: str = ""


@dataclass(frozen=True)
class SummarySpec:
    name: str
    list_spec: ListSpec
    dimensions: Sequence[Dimension]
    measures: Sequence[Measure] = ()
    exclusions: Sequence[Exclusion] = ()
    description: str = ""
    # A pre-aggregated table that answers the summaries it can (the same answers, faster).
    rollup: Rollup | None = None
    dimension_index: dict[str, Dimension] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimension_index", {d.name: d for d in self.dimensions})

    @property
    def sort_keys(self) -> list[str]:
        """Group values, the count and the sums that have a single basis."""
        single = [m.name for m in self.measures if m.basis is None]
        return [*self.dimension_index, "count", *single]


@dataclass(frozen=True)
class SummaryParams:
    filters: ListParams
    group_by: tuple[str, ...]
    included: frozenset[str]
    sort: tuple[SortKey, ...]


@dataclass
class Sum:
    total: Decimal | None = None
    count: int = 0

    def add(self, total: Decimal, count: int) -> None:
        self.total = total if self.total is None else self.total + total
        self.count += count


@dataclass
class Group:
    key: tuple[Any, ...]
    count: int = 0
    # measure name -> basis value (None for a measure without basis) -> Sum
    sums: dict[str, dict[Any, Sum]] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    groups: list[Group]
    rows: int
    excluded_rows: int


def applied_exclusions(spec: SummarySpec, params: SummaryParams) -> list[Exclusion]:
    return [
        e
        for e in spec.exclusions
        if e.parameter not in params.included and e.overridden_by not in params.filters.filters
    ]


def _grouped_from(
    spec: SummarySpec, params: SummaryParams
) -> tuple[FromClause, list[ColumnElement[Any]]]:
    """The list's FROM with one join per linked dimension, and the group columns."""
    source = spec.list_spec.source
    columns: list[ColumnElement[Any]] = []
    for name in params.group_by:
        dim = spec.dimension_index[name]
        if dim.link is None:
            columns.append(dim.column.label(name))
            continue
        # One row per (owner, value): a project with two roles in one country counts once.
        conditions = link_conditions(spec.list_spec, params.filters, dim.link)
        values_stmt = (
            select(dim.link.owner_key.label("owner"), dim.column.label("value"))
            .select_from(dim.link.table)
            .where(*conditions)
        )
        values = (values_stmt if dim.unique else values_stmt.distinct()).subquery(f"by_{name}")
        source = source.outerjoin(values, values.c.owner == dim.link.owner)
        columns.append(values.c.value.label(name))
    return source, columns


def _bases(spec: SummarySpec) -> dict[str, Column]:
    bases: dict[str, Column] = {}
    for measure in spec.measures:
        if measure.basis is not None:
            bases.setdefault(measure.basis_name, measure.basis)
    return bases


def summary_statement(spec: SummarySpec, params: SummaryParams, dialect: str) -> Select[Any]:
    """Counts and sums grouped by the dimensions and by every basis column."""
    source, group_columns = _grouped_from(spec, params)
    basis_columns = [column.label(f"_basis_{name}") for name, column in _bases(spec).items()]
    measures: list[ColumnElement[Any]] = []
    for m in spec.measures:
        measures += [func.count(m.column).label(f"_n_{m.name}"), func.sum(m.column).label(m.name)]
    stmt: Select[Any] = select(
        *group_columns, *basis_columns, func.count().label("_rows"), *measures
    )
    stmt = filtered(spec.list_spec, params.filters, stmt.select_from(source), dialect)
    for exclusion in applied_exclusions(spec, params):
        stmt = stmt.where(~exclusion.excluded)
    return stmt.group_by(*group_columns, *basis_columns)


def summary_rows(spec: SummarySpec, params: SummaryParams, session: Session) -> list[Any]:
    dialect = session.get_bind().dialect.name
    return list(read(session, summary_statement(spec, params, dialect)).mappings())


def fold(spec: SummarySpec, params: SummaryParams, rows: list[Any]) -> list[Group]:
    """Adds SQL rows that share a group; only sums of one basis are ever added together."""
    groups: dict[tuple[Any, ...], Group] = {}
    for row in rows:
        key = tuple(row[name] for name in params.group_by)
        group = groups.setdefault(key, Group(key, sums={m.name: {} for m in spec.measures}))
        group.count += row["_rows"]
        for m in spec.measures:
            counted = row[f"_n_{m.name}"]
            if not counted:
                continue  # no value in this basis: no entry, rather than an empty one
            basis = row[f"_basis_{m.basis_name}"] if m.basis is not None else None
            group.sums[m.name].setdefault(basis, Sum()).add(row[m.name], counted)
    return sort_groups(spec, params, list(groups.values()))


def _totals(spec: SummarySpec, params: SummaryParams, session: Session) -> tuple[int, int]:
    """(rows summarised, rows the default exclusions left out), each row counted once."""
    lp = params.filters
    dialect = session.get_bind().dialect.name
    exclusions = applied_exclusions(spec, params)
    left_out = (
        func.count(case(*((e.excluded, 1) for e in exclusions))) if exclusions else literal(0)
    )
    stmt = cast("Select[Any]", select(func.count(), left_out)).select_from(spec.list_spec.source)
    row = read(session, filtered(spec.list_spec, lp, stmt, dialect)).one()
    total, excluded = int(row[0]), int(row[1])
    return total - excluded, excluded


def summarise(spec: SummarySpec, params: SummaryParams, session: Session) -> Summary:
    check_known(spec.list_spec, params.filters, session)
    if spec.rollup is not None and answers(spec.rollup, spec, params):
        groups = fold(spec, params, rollup_rows(spec.rollup, spec, params, session))
        rows, excluded = rollup_totals(spec.rollup, spec, params, session)
    else:
        groups = fold(spec, params, summary_rows(spec, params, session))
        rows, excluded = _totals(spec, params, session)
    return Summary(groups, rows, excluded)


def _sort_value(spec: SummarySpec, params: SummaryParams, group: Group, name: str) -> Any:
    if name in spec.dimension_index:
        return group.key[params.group_by.index(name)]
    if name == "count":
        return group.count
    return group.sums[name].get(None, Sum()).total


def sort_groups(spec: SummarySpec, params: SummaryParams, groups: list[Group]) -> list[Group]:
    """By the sort keys (group values by default), NULLs last either way, then group values."""
    keys = [*params.sort, *(SortKey(name, False) for name in params.group_by)]
    for key in reversed(keys):
        present = [g for g in groups if _sort_value(spec, params, g, key.name) is not None]
        absent = [g for g in groups if _sort_value(spec, params, g, key.name) is None]
        present.sort(key=lambda g: _sort_value(spec, params, g, key.name), reverse=key.descending)
        groups = present + absent
    return groups

"""Summaries read from a pre-aggregated table when the request can be answered there.

A Rollup describes a table that the database keeps exact on every write (triggers; see
app.models.rollups): counts and sums per combination of a few dimensions. A summary
whose filters, groups and bases are all columns of that table is answered by adding up
its rows (a few thousand at a million projects) instead of the funding rows themselves.
Anything else (search, a filter or group the table does not hold, several values of the
link filter, which would count a row once per value) goes to the ordinary query: the
same answer either way, only the cost differs.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from app.db import read
from app.listing.spec import Column

if TYPE_CHECKING:
    from app.listing.summary import SummaryParams, SummarySpec


@dataclass(frozen=True)
class RollupColumn:
    column: Column
    # What the table stores where the source row has NULL (key columns cannot be NULL).
    missing: Any = None

    def out(self) -> Column:
        if self.missing is None:
            return self.column
        return func.nullif(self.column, self.missing)


@dataclass(frozen=True)
class Rollup:
    row_count: Column
    # Filter, dimension and basis names -> the rollup column holding that value.
    columns: Mapping[str, RollupColumn]
    # Measure name -> (count of values, sum of values).
    measures: Mapping[str, tuple[Column, Column]]
    # Exclusion parameter -> the rollup rows that exclusion leaves out.
    excluded: Mapping[str, ColumnElement[bool]]
    # The one link filter held per value (a row is under each of its values), and the
    # value of `link_column` that holds every row once.
    link_filter: str
    link_column: Column
    every: Any


def _basis_names(spec: "SummarySpec") -> list[str]:
    names: list[str] = []
    for measure in spec.measures:
        if measure.basis is not None and measure.basis_name not in names:
            names.append(measure.basis_name)
    return names


def answers(rollup: Rollup, spec: "SummarySpec", params: "SummaryParams") -> bool:
    """Whether every filter, group, basis, measure and exclusion has its rollup column."""
    lp = params.filters
    if lp.q is not None:
        return False
    for name, values in lp.filters.items():
        if name == rollup.link_filter:
            if len(values) != 1:
                return False
        elif name not in rollup.columns or spec.list_spec.filter_index[name].build is not None:
            return False
    needed = [*params.group_by, *_basis_names(spec)]
    return (
        all(name in rollup.columns for name in needed)
        and all(m.name in rollup.measures for m in spec.measures)
        and all(e.parameter in rollup.excluded for e in spec.exclusions)
    )


def _where(rollup: Rollup, spec: "SummarySpec", params: "SummaryParams") -> list[Any]:
    """The filters on rollup columns; the link column picks the rows to add up."""
    lp = params.filters
    link = lp.filters.get(rollup.link_filter)
    clauses: list[Any] = [rollup.link_column == (link[0] if link else rollup.every)]
    for name, values in lp.filters.items():
        if name == rollup.link_filter:
            continue
        held = rollup.columns[name]
        op = spec.list_spec.filter_index[name].op
        column = held.column
        if op in ("min", "since"):
            clause = column >= values[0]
        elif op == "max":
            clause = column <= values[0]
        else:
            clause = column.in_(values)
        # A stored stand-in for NULL never matches a filter, as NULL would not.
        clauses.append(clause if held.missing is None else and_(clause, column != held.missing))
    return clauses


def rollup_rows(
    rollup: Rollup, spec: "SummarySpec", params: "SummaryParams", session: Session
) -> list[Any]:
    """The same rows as summary_statement gives, added up from the rollup."""
    from app.listing.summary import applied_exclusions

    keys = [(name, rollup.columns[name]) for name in params.group_by]
    keys += [(f"_basis_{name}", rollup.columns[name]) for name in _basis_names(spec)]
    measures: list[ColumnElement[Any]] = []
    for m in spec.measures:
        count, total = rollup.measures[m.name]
        measures += [
            cast(func.sum(count), BigInteger).label(f"_n_{m.name}"),
            func.sum(total).label(m.name),
        ]
    stmt: Select[Any] = select(
        *(held.out().label(name) for name, held in keys),
        cast(func.sum(rollup.row_count), BigInteger).label("_rows"),
        *measures,
    ).where(*_where(rollup, spec, params), rollup.row_count > 0)
    for exclusion in applied_exclusions(spec, params):
        stmt = stmt.where(~rollup.excluded[exclusion.parameter])
    stmt = stmt.group_by(*(held.column for _, held in keys))
    return list(read(session, stmt).mappings())


def rollup_totals(
    rollup: Rollup, spec: "SummarySpec", params: "SummaryParams", session: Session
) -> tuple[int, int]:
    """(rows summarised, rows the default exclusions left out), as summary._totals."""
    from app.listing.summary import applied_exclusions

    exclusions = [rollup.excluded[e.parameter] for e in applied_exclusions(spec, params)]
    left_out: ColumnElement[Any] = literal(0)
    if exclusions:
        left_out = func.sum(case((or_(*exclusions), rollup.row_count), else_=0))
    stmt = select(
        cast(func.coalesce(func.sum(rollup.row_count), 0), BigInteger),
        cast(func.coalesce(left_out, 0), BigInteger),
    ).where(*_where(rollup, spec, params))
    total, excluded = read(session, stmt).one()
    return int(total) - int(excluded), int(excluded)

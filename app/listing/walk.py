"""A filtered, sorted page found by walking the sort's index first, on SQLite.

`strand=digital&year_min=2010&sort=-amount_usd` at a million projects: SQLite's planner
starts from the filter (the strand's 60,000 projects), reads each row and sorts them all
to keep 51, about 150 ms. When the matches are not rare, the first few thousand rows in
sort order, which the index on the sort column gives without reading the table, already
hold the page: tested one by one (a row by id, a probe of the link's primary key), they
cost a few milliseconds. The answer is exact either way: if the rows walked hold a full
page of matches, every match that sorts before the page's last one is among them; if not,
the page is found as before.

PostgreSQL is left to its own planner, so this is for SQLite only. Its planner walks an
index by itself once one gives the sort's order: `amount DESC NULLS LAST, id` has one
there (migration 7d2e4f1a9c3b); without it, a million projects cost a 320 ms scan.
"""

from typing import Any

from sqlalchemy import Column, ColumnElement, Select, Table, func, literal, select
from sqlalchemy.orm import Session

from app.db import read
from app.listing import keyset
from app.listing.params import ListParams
from app.listing.spec import Link, ListSpec, OutField
from app.listing.where import filter_links, filtered, link_conditions

# How many rows in sort order are walked per row of the page: enough for a filter that
# keeps one row in fifty, with a walk of a few milliseconds.
ROWS_WALKED_PER_ROW = 50


def walk_ids(
    spec: ListSpec,
    params: ListParams,
    sort: list[tuple[OutField, bool]],
    window_start: ColumnElement[bool] | None,
    limit: int,
    dialect: str,
) -> Select[Any] | None:
    """The page's ids, in order, among the first rows by `sort`; None where no index helps.

    `window_start` is where the rows walked begin after a cursor (keyset.after_non_null).
    The caller keeps the result only when it holds `limit` ids (a full page).
    """
    # Filters only on the row's own columns leave SQLite free to walk the index itself;
    # a link filter makes it start from the link rows.
    if dialect != "sqlite" or params.q is not None or not filter_links(spec, params):
        return None
    table = spec.source
    keys = [f for f, _ in sort if f.name != spec.id_field]
    # One key and the id: the index gives that order itself, where a second key would
    # sort whole runs of equal first keys (a year's 40,000 projects) to cut the window.
    if len(keys) != 1 or not isinstance(table, Table) or not _leads_an_index(table, keys[0].column):
        return None
    id_column = spec.field_index[spec.id_field].column
    order = keyset.order_by(sort)
    window = select(id_column).select_from(table)
    if window_start is not None:
        window = window.where(window_start)
    window = window.order_by(*order).limit(limit * ROWS_WALKED_PER_ROW)
    stmt = filtered(spec, params, select(id_column).select_from(table), dialect, probe_links=True)
    return stmt.where(id_column.in_(window)).order_by(*order).limit(limit)


def walk_pays(session: Session, spec: ListSpec, params: ListParams, limit: int) -> bool:
    """Whether the walk should find the page and cost less than the usual query.

    The usual query reads every row its link filters match; the walk reads a window of
    `limit * ROWS_WALKED_PER_ROW` rows and finds about window × matches / rows of them.
    So walk only when every link matches more rows than the window, and enough of them
    (with a margin of two, as the other filters keep fewer) to fill the page: counted
    up to that many link rows through their index, so the count stays cheap.
    """
    id_column = spec.field_index[spec.id_field].column
    rows = read(session, select(func.max(id_column))).scalar() or 0  # ids are dense; one seek
    needed = link_rows_needed(rows, limit)
    links = filter_links(spec, params)
    return all(_at_least(session, spec, params, link, needed) for link in links)


def link_rows_needed(rows: int, limit: int) -> int:
    """How many rows each link must match for the walk to pay, in a table of `rows`."""
    window = limit * ROWS_WALKED_PER_ROW
    return max(window + 1, -(-2 * rows * limit // window))


def _at_least(session: Session, spec: ListSpec, params: ListParams, link: Link, n: int) -> bool:
    matching = select(literal(1)).select_from(link.table)
    matching = matching.where(*link_conditions(spec, params, link)).limit(n)
    counted = read(session, select(func.count()).select_from(matching.subquery())).scalar()
    return (counted or 0) >= n


def _leads_an_index(table: Table, column: Any) -> bool:
    expression = getattr(column, "expression", column)  # a mapped attribute's column
    if not isinstance(expression, Column) or expression.table is not table:
        return False
    leading = [next(iter(index.columns), None) for index in table.indexes]
    return any(column is not None and column.key == expression.key for column in leading)

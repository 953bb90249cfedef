"""The WHERE clauses of a list's filters, shared by pages, counts, exports and summaries."""

from typing import Any

from sqlalchemy import ColumnElement, Select, literal, select

from app.listing.params import ListParams
from app.listing.spec import Filter, Link, ListSpec


def condition(flt: Filter, values: list[Any]) -> ColumnElement[bool]:
    """The WHERE clause of one filter: repeated values ORed, ranges inclusive."""
    if flt.build is not None:
        return flt.build(values)
    assert flt.column is not None
    clause: ColumnElement[bool]
    if flt.op == "min" or flt.op == "since":
        clause = flt.column >= values[0]
    elif flt.op == "max":
        clause = flt.column <= values[0]
    else:
        clause = flt.column.in_(values)
    return clause


def link_conditions(spec: ListSpec, params: ListParams, link: Link) -> list[ColumnElement[bool]]:
    """The conditions the given filters put on one row of `link`."""
    return [
        condition(spec.filter_index[name], values)
        for name, values in params.filters.items()
        if spec.filter_index[name].link is link
    ]


def filter_links(spec: ListSpec, params: ListParams) -> list[Link]:
    """The links the given filters look through, each once, in the filters' order."""
    links: list[Link] = []
    for name in params.filters:
        link = spec.filter_index[name].link
        if link is not None and link not in links:
            links.append(link)
    return links


def filtered(
    spec: ListSpec,
    params: ListParams,
    stmt: Select[Any],
    dialect: str,
    *,
    probe_links: bool = False,
) -> Select[Any]:
    """Applies the resource's base clause, the filters and the search to `stmt`.

    With `probe_links`, a link's filters are a correlated EXISTS, a probe of the link's
    primary key per row, for a statement that tests rows it already has (walk.py).
    """
    if spec.base_where is not None:
        stmt = spec.base_where(stmt)
    for name, values in params.filters.items():
        flt = spec.filter_index[name]
        if flt.link is None:
            stmt = stmt.where(condition(flt, values))
    for link in filter_links(spec, params):
        conditions = link_conditions(spec, params, link)
        if probe_links:
            probe = select(literal(1)).select_from(link.table)
            stmt = stmt.where(probe.where(link.owner_key == link.owner, *conditions).exists())
            continue
        # IN (uncorrelated) rather than a correlated EXISTS: the planner can start from the
        # link rows that match (a strand's few projects) instead of testing every row.
        owners = select(link.owner_key).select_from(link.table)
        stmt = stmt.where(link.owner.in_(owners.where(*conditions)))
    if params.q is not None and spec.search is not None:
        stmt = stmt.where(spec.search.where(params.q, dialect))
    return stmt

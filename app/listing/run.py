"""Runs a list query for any ListSpec and renders it as a JSON page, CSV or NDJSON."""

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from fastapi import Request
from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from app.answers import answers
from app.caching import Conditional, negotiated_format
from app.db import read
from app.listing import keyset
from app.listing.copy_csv import copied_lines, copied_values
from app.listing.params import ListParams, bad_parameter
from app.listing.render import csv_lines, dumps, ndjson_lines, row_dict
from app.listing.spec import ListSpec, OutField, StoredLines
from app.listing.sql_csv import copy_cells, csv_line
from app.listing.walk import walk_ids, walk_pays
from app.listing.where import filtered
from app.prepared import Prepared

STREAM_BATCH = 2000
# Vocabularies at most this long are listed in full when a value is unknown.
LISTED_VOCABULARY = 30


def check_known(spec: ListSpec, params: ListParams, session: Session) -> None:
    """A value missing from a filter's vocabulary is a 400, never an empty answer."""
    for name, values in params.filters.items():
        known = spec.filter_index[name].known
        if known is None:
            continue
        found = set(read(session, select(known).where(known.in_(values))).scalars())
        missing = [value for value in values if value not in found]
        if not missing:
            continue
        vocabulary = session.scalars(
            select(known).distinct().order_by(known).limit(LISTED_VOCABULARY + 1)
        ).all()
        listed = len(vocabulary) <= LISTED_VOCABULARY
        hint = f" Valid: {', '.join(map(str, vocabulary))}" if listed else ""
        raise bad_parameter(name, f"unknown value '{missing[0]}'.{hint}")


def _output_fields(spec: ListSpec, params: ListParams) -> list[OutField]:
    names = params.fields or tuple(spec.field_index)
    return [spec.field_index[name] for name in names]


def _select(
    spec: ListSpec, params: ListParams, dialect: str
) -> tuple[Select[Any], list[OutField], list[Any]]:
    out = _output_fields(spec, params)
    sort = keyset.full_sort(spec, params, _rank(spec, params, dialect))
    hidden = [f for f, _ in sort if f not in out]
    columns = [f.column.label(f.name) for f in out]
    columns += [f.column.label(f"_sort_{f.name}") for f in hidden]
    stmt = filtered(spec, params, select(*columns).select_from(spec.source), dialect)
    return stmt.order_by(*keyset.order_by(sort)), out, sort


async def run_list(
    spec: ListSpec,
    params: ListParams,
    session: Session,
    request: Request,
    conditional: Conditional,
) -> Response:
    """A JSON page (kept answers served on the event loop) or an export (thread pool)."""
    kind = negotiated_format(request)
    headers = conditional.headers()
    if kind in ("csv", "ndjson"):
        return await run_in_threadpool(_export, spec, kind, params, session, headers)
    body = await answers(request).answer(
        request, conditional.etag, lambda: _page(spec, params, session, request)
    )
    return Response(body, media_type="application/json", headers=headers)


def _export(
    spec: ListSpec, kind: str, params: ListParams, session: Session, headers: dict[str, str]
) -> Response:
    stmt, out, _, _ = _resumed(spec, params, session)
    return _stream(spec, kind, stmt, out, session, headers)


def _resumed(
    spec: ListSpec, params: ListParams, session: Session
) -> tuple[Any, list[OutField], Any, ColumnElement[bool] | None]:
    """The list's SELECT after its filters are checked, resumed after the cursor if given.

    Also returns where an index walk's window starts (None without a cursor): after the
    cursor, among non-NULL first keys, so the index can seek there (walk.py).
    """
    dialect = session.get_bind().dialect.name
    check_known(spec, params, session)
    stmt, out, sort = _select(spec, params, dialect)
    window_start = None
    if params.cursor is not None:
        # Exports honour a cursor too: a broken download resumes after its last page.
        values = keyset.decode(params.cursor, sort, params.fingerprint)
        stmt = stmt.where(keyset.after(sort, values))
        window_start = keyset.after_non_null(sort, values)
    return stmt, out, sort, window_start


def _page(spec: ListSpec, params: ListParams, session: Session, request: Request) -> bytes:
    stmt, out, sort, window_start = _resumed(spec, params, session)
    dialect = session.get_bind().dialect.name
    rows = None
    if _rank(spec, params, dialect) is None:
        rows = _walked_rows(spec, params, stmt, sort, window_start, session)
        if rows is None:
            stmt = _ids_first(spec, stmt, sort, params.limit + 1, None)
    if rows is None:
        rows = read(session, stmt.limit(params.limit + 1)).mappings().all()
    more = len(rows) > params.limit
    page = rows[: params.limit]
    next_cursor = None
    if more:
        last = page[-1]
        next_cursor = keyset.encode(
            [last[f.name] if f in out else last[f"_sort_{f.name}"] for f, _ in sort],
            params.fingerprint,
        )
    body = {
        "data": [row_dict(row, out) for row in page],
        "meta": {
            "limit": params.limit,
            "next_cursor": next_cursor,
            "count": _count(spec, params, session, dialect) if params.count else None,
        },
        "links": {"self": str(request.url), "next": _next_link(request, next_cursor)},
    }
    return dumps(body)


def _walked_rows(
    spec: ListSpec,
    params: ListParams,
    stmt: Select[Any],
    sort: list[Any],
    window_start: ColumnElement[bool] | None,
    session: Session,
) -> Sequence[Any] | None:
    """The page's rows (one more than the page) found by a walk of the sort's index
    (walk.py), or None if the walk does not apply or the rows walked hold fewer.

    The walk is a subquery of the one statement that reads the rows, so both see the
    same data (SQLite starts no transaction for reads: two statements could differ).
    """
    dialect = session.get_bind().dialect.name
    limit = params.limit + 1
    walk = walk_ids(spec, params, sort, window_start, limit, dialect)
    if walk is None or not walk_pays(session, spec, params, limit):
        return None
    rows = read(session, _ids_first(spec, stmt, sort, limit, walk)).mappings().all()
    return rows if len(rows) == limit else None


def _ids_first(
    spec: ListSpec, stmt: Select[Any], sort: list[Any], limit: int, walked: Select[Any] | None
) -> Select[Any]:
    """The page's ids are found first, then only their rows are read.

    Filtering and sorting on the id alone keeps the sorter's rows narrow: otherwise every
    match carries its description and its per-row subqueries (strand and country codes)
    into the sort, though only one page of them is sent. A search ranks inside its match
    and keeps the one query. `walked` selects the ids by a walk of the sort's index.
    """
    id_column = spec.field_index[spec.id_field].column
    ids: Any = walked
    if ids is None:
        ids = stmt.with_only_columns(id_column, maintain_column_froms=True).limit(limit)
    page = select(*stmt.selected_columns).select_from(spec.source)
    return page.where(id_column.in_(ids)).order_by(*keyset.order_by(sort))


def _rank(spec: ListSpec, params: ListParams, dialect: str) -> ColumnElement[Any] | None:
    """Search results without an explicit `sort` come best first: the rank expression."""
    if params.q is None or spec.search is None or spec.search.rank is None:
        return None
    return None if params.sort_given else spec.search.rank(params.q, dialect)


def _count(spec: ListSpec, params: ListParams, session: Session, dialect: str) -> int:
    stmt = filtered(spec, params, select(func.count()).select_from(spec.source), dialect)
    return session.scalar(stmt) or 0


def _next_link(request: Request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return str(request.url.include_query_params(cursor=cursor))


def _stream(
    spec: ListSpec,
    kind: str,
    stmt: Select[Any],
    out: list[OutField],
    session: Session,
    headers: dict[str, str],
) -> Response:
    # Executed before the response starts, so a refused value, a timeout or a lost
    # database is still a problem document, not a stream cut short.
    body = _csv_body(spec, stmt, out, session) if kind == "csv" else None
    if body is None:
        result = session.execute(stmt.execution_options(yield_per=STREAM_BATCH))

        def rows() -> Iterator[Any]:
            for partition in result.mappings().partitions():
                yield from partition

        body = csv_lines(rows(), out) if kind == "csv" else ndjson_lines(rows(), out)
    extension = "csv" if kind == "csv" else "ndjson"
    media = "text/csv; charset=utf-8" if kind == "csv" else "application/x-ndjson"
    headers = {
        **headers,
        "Content-Disposition": f'attachment; filename="bri-{spec.name}.{extension}"',
    }
    return StreamingResponse(body, media_type=media, headers=headers)


def _csv_body(
    spec: ListSpec, stmt: Select[Any], out: list[OutField], session: Session
) -> Iterator[bytes] | None:
    """CSV written by the database, fastest way first: stored lines, COPY (PostgreSQL),
    one line per row; None if a field has no rendering there (Python writes those)."""
    dialect = session.get_bind().dialect.name
    stored = _stored_lines(spec, out)
    if stored is not None:
        return _stored_body(stmt, out, stored, session, dialect)
    cells = copy_cells(out, dialect)
    if cells is not None:
        return copied_lines(session, stmt.with_only_columns(*cells), _header(out))
    line = csv_line(out, dialect)
    return None if line is None else _database_lines(session, stmt.with_only_columns(line), out)


def _stored_body(
    stmt: Select[Any], out: list[OutField], stored: StoredLines, session: Session, dialect: str
) -> Iterator[bytes]:
    """The rows' stored lines; a row without one (its triggers switched off by hand, say)
    gets its line written by the query, so no row is ever left out."""
    line = _stored_line(stored, out, dialect)
    joined = stmt.with_only_columns(line).outerjoin(stored.line.table, stored.key == stored.owner)
    if dialect == "postgresql":
        return copied_values(session, joined, _header(out))
    return _database_lines(session, joined, out)


_STORED_LINE: dict[tuple[int, str], ColumnElement[Any]] = {}


def _stored_line(stored: StoredLines, out: list[OutField], dialect: str) -> ColumnElement[Any]:
    """The stored line, or the one the query writes: built once per dialect, since `out`
    is always every field in order here (building the written line cost 2-4 ms)."""
    key = (id(stored), dialect)
    line = _STORED_LINE.get(key)
    if line is None:
        written: Any = csv_line(out, dialect)
        if dialect == "sqlite":
            written = sa.cast(written, sa.LargeBinary)  # stored lines are bytes there
        line = _STORED_LINE[key] = func.coalesce(stored.line, written)
    return line


def _header(out: list[OutField]) -> str:
    return ",".join(f.name for f in out) + "\n"


def _stored_lines(spec: ListSpec, out: list[OutField]) -> StoredLines | None:
    """The spec's stored lines, if this is an export of every field in order."""
    if spec.stored_lines is None:
        return None
    return spec.stored_lines if [f.name for f in out] == list(spec.field_index) else None


def _database_lines(session: Session, stmt: Select[Any], out: list[OutField]) -> Iterator[bytes]:
    """The header, then the lines the database wrote, a batch at a time."""
    if session.get_bind().dialect.name == "sqlite":
        # Straight from the driver's cursor: SQLAlchemy's rows cost more than SQLite's
        # read of a stored line. Without stream_results SQLAlchemy buffers no row ahead.
        result = read(session, stmt)
        fetch = result.cursor.fetchmany
        batches: Iterator[Sequence[Any]] = iter(
            lambda: [line for (line,) in fetch(STREAM_BATCH)], []
        )
    else:  # a server-side cursor, so memory stays flat
        result = read(session, stmt.execution_options(yield_per=STREAM_BATCH))
        batches = result.scalars().partitions()

    def body() -> Iterator[bytes]:
        try:
            yield _header(out).encode()
            for batch in batches:
                # Stored lines come as bytes on SQLite; lines a query writes come as text.
                yield b"".join(batch) if isinstance(batch[0], bytes) else "".join(batch).encode()
        finally:
            result.close()

    return body()


_ROWS_BY: dict[tuple[int, str], Prepared] = {}


def rows_by_statement(spec: ListSpec, column: Any) -> Prepared:
    """All rows whose `column` is `ref`, in the default order; the statement built once."""
    key = (id(spec), str(column))
    prepared = _ROWS_BY.get(key)
    if prepared is None:
        prepared = Prepared(_all_rows(spec).where(column == bindparam("ref")), "ref")
        _ROWS_BY[key] = prepared
    return prepared


def rows_as_listed(spec: ListSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = list(spec.fields)
    return [row_dict(row, fields) for row in rows]


def _all_rows(spec: ListSpec) -> Select[Any]:
    columns = [f.column.label(f.name) for f in spec.fields]
    order = [spec.field_index[name].column for name in (*spec.default_sort, spec.id_field)]
    return select(*columns).select_from(spec.source).order_by(*order)

"""Keyset paging: ORDER BY, the opaque cursor and the WHERE clause that resumes after it.

Every sort ends with the id, so the order is total; NULLs sort last in both directions.
A cursor holds the last row's sort values and the fingerprint of the other parameters,
so it stays correct when rows are inserted between pages and is refused if the query
changed. A ranked search sorts on (rank, id): the rank is part of the keyset, and both
databases compute it from the row and the query alone (see app/search.py), so a write
to another row never moves a row across a cursor.
"""

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import ColumnElement, and_, false, or_

from app.listing.params import ListParams, SortKey, bad_parameter
from app.listing.spec import Column, ListSpec, OutField

RANK = "_rank"
MAX_CURSOR_INTEGER = 2**63 - 1


def full_sort(
    spec: ListSpec, params: ListParams, rank: ColumnElement[Any] | None = None
) -> list[tuple[OutField, bool]]:
    """The sort keys with the id last; with `rank` (a ranked search), rank then id."""
    id_field = spec.field_index[spec.id_field]
    if rank is not None:
        return [(OutField(RANK, rank, float), False), (id_field, False)]
    keys = [k for k in params.sort if k.name != spec.id_field]
    id_desc = next((k.descending for k in params.sort if k.name == spec.id_field), False)
    keys.append(SortKey(spec.id_field, id_desc))
    return [(spec.field_index[k.name], k.descending) for k in keys]


def order_by(sort: list[tuple[OutField, bool]]) -> list[Any]:
    return [(f.column.desc() if desc else f.column.asc()).nulls_last() for f, desc in sort]


def encode(values: list[Any], fingerprint: str) -> str:
    payload = orjson.dumps({"v": [_plain(v) for v in values], "f": fingerprint})
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode(token: str, sort: list[tuple[OutField, bool]], fingerprint: str) -> list[Any]:
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        values, cursor_fingerprint = payload["v"], payload["f"]
    except (ValueError, binascii.Error, KeyError, TypeError, orjson.JSONDecodeError) as error:
        raise bad_parameter("cursor", "is not a cursor this API issued") from error
    if cursor_fingerprint != fingerprint:
        raise bad_parameter(
            "cursor", "belongs to a query with other parameters; start again without it"
        )
    if not isinstance(values, list) or len(values) != len(sort):
        raise bad_parameter("cursor", "does not match the sort order")
    try:
        return [_typed(value, f) for value, (f, _) in zip(values, sort, strict=True)]
    except (ValueError, TypeError, ArithmeticError) as error:
        raise bad_parameter("cursor", "is not a cursor this API issued") from error


def after(sort: list[tuple[OutField, bool]], values: list[Any]) -> ColumnElement[bool]:
    """Rows strictly after `values` in the (NULLS LAST) order `sort`."""
    branches = []
    for i, (f, desc) in enumerate(sort):
        ties = [_equal(g.column, values[j]) for j, (g, _) in enumerate(sort[:i])]
        branches.append(and_(*ties, _beyond(f.column, values[i], desc)))
    return or_(*branches)


def after_non_null(sort: list[tuple[OutField, bool]], values: list[Any]) -> ColumnElement[bool]:
    """The rows after `values` whose first sort key is not NULL, in a form an index on
    that key can seek to (`key <= x` for a descending key): `after` alone is an OR that
    SQLite can only test row by row from the index's start.

    The rows left out (NULL first keys) all sort after the ones kept, so this suits a
    reader of the first rows after a cursor that can do without the tail (walk.py).
    """
    rest = after(sort, values)
    first, desc = sort[0]
    if values[0] is None:
        return rest
    bound = first.column <= values[0] if desc else first.column >= values[0]
    return and_(bound, rest)


def _equal(column: Column, value: Any) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _beyond(column: Column, value: Any, desc: bool) -> ColumnElement[bool]:
    if value is None:
        return false()  # nothing sorts after NULL (NULLs are last)
    past = column < value if desc else column > value
    return or_(past, column.is_(None))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def _typed(value: Any, f: OutField) -> Any:
    if value is None:
        return None
    kind = f.python_type
    if kind is Decimal:
        number = Decimal(str(value))
        if not number.is_finite() or number.copy_abs() >= Decimal(10) ** 16:
            raise ValueError("not an amount")
        return number
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is int or kind is float:
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise TypeError("not a number")
        if kind is int and (not isinstance(value, int) or abs(value) > MAX_CURSOR_INTEGER):
            raise TypeError("not an integer the database stores")
        return value
    if kind is bool:
        if not isinstance(value, bool):
            raise TypeError("not a boolean")
        return value
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value

"""Filter builders used by several resources."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pycountry
from sqlalchemy import ColumnElement, select

from app.listing.spec import Column, Filter


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-3 or alpha-2 code, any case, as alpha-3."""
    code = value.strip().upper()
    found = None
    if len(code) == 3:
        found = pycountry.countries.get(alpha_3=code)
    elif len(code) == 2:
        found = pycountry.countries.get(alpha_2=code)
    if found is None:
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-3 or alpha-2 country code")
    return str(found.alpha_3)


def as_utc(value: datetime) -> datetime:
    """A time without an offset is UTC; one with an offset is converted to UTC.

    Rows store UTC (SQLite as naive text), so the comparison is right on both databases.
    """
    try:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError as error:  # 0001-01-01T00:00+01:00 is before the first UTC day
        raise ValueError(f"'{value.isoformat()}' is outside the range of dates") from error


def updated_since(column: Column) -> Filter:
    return Filter(
        "updated_since",
        datetime,
        op="since",
        column=column,
        normalise=as_utc,
        description="Only rows changed at or after this ISO 8601 time (UTC unless an "
        "offset is given).",
    )


def linked(
    link_table: Any,
    link_column: Column,
    owner_key: Column,
    owner_column: Column,
    *,
    via: Callable[[Any], Any] | None = None,
) -> Callable[[list[Any]], ColumnElement[bool]]:
    """The owner has a link row whose `link_column` is one of the values (values ORed)."""

    def build(values: list[Any]) -> ColumnElement[bool]:
        stmt = select(owner_key).select_from(link_table)
        if via is not None:
            stmt = via(stmt)
        return owner_column.in_(stmt.where(link_column.in_(values)))

    return build


def text_contains(*columns: Column) -> Callable[[str, str], ColumnElement[bool]]:
    """Case-insensitive substring match over several columns (for the small resources)."""
    from sqlalchemy import or_

    def where(text: str, _dialect: str) -> ColumnElement[bool]:
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return or_(*(column.ilike(f"%{escaped}%", escape="\\") for column in columns))

    return where


def id_or_key_ref(id_column: Column, key_column: Column) -> Callable[[str], tuple[Column, Any]]:
    """Path lookup: all digits (and short enough to be an id) means the id, else the key."""

    def ref(value: str) -> tuple[Column, Any]:
        if value.isascii() and value.isdigit() and len(value) <= 10 and int(value) < 2**31:
            return id_column, int(value)
        return key_column, value

    return ref


def id_or_key(id_column: Column, key_column: Column) -> Callable[[str], ColumnElement[bool]]:
    """The same lookup as a WHERE clause."""
    ref = id_or_key_ref(id_column, key_column)

    def lookup(value: str) -> ColumnElement[bool]:
        column, found = ref(value)
        clause: ColumnElement[bool] = column == found
        return clause

    return lookup


def split_sorted(value: str | None) -> list[str]:
    """A string aggregate ("PAK,LAO,PAK") as a sorted list without repeats."""
    return sorted(set(value.split(","))) if value else []

"""Turns database rows into JSON, CSV and NDJSON bytes without per-row validation."""

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import RowMapping

from app.listing.spec import OutField

CSV_FLUSH_ROWS = 500


def _default(value: Any) -> Any:
    # Decimals travel as strings so no client parses money through a float.
    # Positional notation always: str() would give "1E-10" for tiny values.
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(body: Any) -> bytes:
    return orjson.dumps(body, default=_default, option=orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z)


def row_dict(row: Mapping[str, Any] | RowMapping, fields: list[OutField]) -> dict[str, Any]:
    out = {}
    for f in fields:
        value = row[f.name]
        out[f.name] = f.decode(value) if f.decode is not None else value
    return out


def ndjson_lines(rows: Iterable[Mapping[str, Any]], fields: list[OutField]) -> Iterator[bytes]:
    for row in rows:
        yield dumps(row_dict(row, fields)) + b"\n"


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):
        return dumps(value).decode()  # nested data (the change feed's before/after) as JSON
    if isinstance(value, datetime):
        return dumps(value).decode().strip('"')  # UTC with a Z, exactly as in JSON
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def csv_lines(rows: Iterable[Mapping[str, Any]], fields: list[OutField]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([f.name for f in fields])
    pending = 0
    for row in rows:
        data = row_dict(row, fields)
        writer.writerow([cell(data[f.name]) for f in fields])
        pending += 1
        if pending >= CSV_FLUSH_ROWS:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue().encode()

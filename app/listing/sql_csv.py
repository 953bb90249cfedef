"""CSV lines written by the database: one text value per row, no Python work per cell.

An export takes this path when every chosen field has a rendering here (text, enums,
integers, money, booleans, dates, timestamps and code lists); otherwise it goes through
`render.csv_lines`. The cells are the ones `render.cell` writes: NULL as nothing,
`true`/`false`, money with two decimals, timestamps in UTC with a `Z` (a fraction only
when it is not zero), code lists sorted without repeats and joined by `;`, and a cell
quoted (quotes doubled) when it holds a comma, a quote, a CR or an LF.

On SQLite the line comes from one `printf` (a chain of `||` copies the growing line at
every step and costs twice as much); on PostgreSQL the server builds it in its own
process, so the worker only forwards text.
"""

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, case, func, literal, literal_column, select, type_coerce
from sqlalchemy.dialects.postgresql import aggregate_order_by

from app.listing.filters import split_sorted
from app.listing.spec import OutField
from app.models.base import Money

# A field's cell as SQL, for a dialect name ("sqlite" or "postgresql").
CellSql = Callable[[str], ColumnElement[Any]]


def csv_line(fields: list[OutField], dialect: str) -> ColumnElement[str] | None:
    """The whole CSV line (with its LF) as one SQL expression, or None if a field has none."""
    cells: list[ColumnElement[Any]] = []
    for out in fields:
        built = _cell(out, dialect)
        if built is None:
            return None
        cells.append(built)
    if len(cells) == 1:
        # A line holding one empty cell is written "" (as Python's csv does): a blank line
        # would read as no row at all.
        cells = [func.coalesce(func.nullif(cells[0], ""), '""')]
    if dialect == "sqlite":
        return func.printf(",".join(["%s"] * len(cells)) + "\n", *cells)
    parts: list[Any] = []
    for number, built in enumerate(cells):
        parts += [literal_column("','")] if number else []
        parts.append(built)
    return func.concat(*parts, literal_column("E'\\n'"), type_=sa.Text)


def copy_cells(fields: list[OutField], dialect: str) -> list[ColumnElement[Any]] | None:
    """PostgreSQL: the cells for COPY ... (FORMAT csv), which joins and quotes them itself
    (copy_csv.py); None elsewhere, or if a field has no rendering here.

    A line of one cell keeps the concat path: COPY writes a lone NULL as a blank line.
    """
    if dialect != "postgresql" or len(fields) < 2:
        return None
    cells = [_cell(out, dialect, copy=True) for out in fields]
    return None if any(cell is None for cell in cells) else cells  # type: ignore[return-value]


def _cell(out: OutField, dialect: str, *, copy: bool = False) -> ColumnElement[Any] | None:
    if out.csv_sql is not None:
        return out.csv_sql(dialect)
    if out.decode is not None:
        return None
    column: Any = out.column
    kind = getattr(column, "type", None)
    if isinstance(kind, Money):
        return money_text(type_coerce(column, sa.BigInteger), dialect)
    if isinstance(kind, sa.Boolean):
        return case((column.is_(sa.true()), "true"), (column.is_(sa.false()), "false"))
    if isinstance(kind, sa.Enum | sa.Integer):
        return type_coerce(column, sa.Text) if dialect == "sqlite" else sa.cast(column, sa.Text)
    if isinstance(kind, sa.DateTime):
        return _timestamp(column, dialect)
    if isinstance(kind, sa.Date):
        return column if dialect == "sqlite" else func.to_char(column, "YYYY-MM-DD")
    if isinstance(kind, sa.String):
        text = type_coerce(column, sa.Text)
        # COPY writes '' as "" (to tell it from NULL); Python's csv writes nothing.
        return func.nullif(text, "") if copy else quoted(text, dialect)
    return None


def quoted(text: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """The text as a CSV cell: in quotes, quotes doubled, when it holds , " CR or LF."""
    if dialect == "sqlite":
        special = sa.or_(*(func.instr(text, literal(char)) > 0 for char in ',"\r\n'))
        return case((special, func.printf('"%w"', text)), else_=text)
    special = text.op("~")(literal('[,"\r\n]'))
    return case((special, func.concat('"', func.replace(text, '"', '""'), '"')), else_=text)


def money_text(cents: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """Whole cents as the API writes money: a decimal string with two places."""
    if dialect != "sqlite":
        return sa.cast(sa.cast(cents, sa.Numeric) * literal_column("0.01"), sa.Text)
    size = func.abs(cents)
    sign = case((cents < 0, "-"), else_="")
    return case(
        (cents.is_(None), None), else_=func.printf("%s%d.%02d", sign, size // 100, size % 100)
    )


def _timestamp(column: Any, dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        # Stored as "YYYY-MM-DD HH:MM:SS" with or without a fraction: a zero fraction is
        # dropped, any other is written with six digits, as JSON writes it.
        text = type_coerce(column, sa.Text)
        fraction = func.substr(text, 20)
        whole = func.trim(fraction, ".0") == ""
        shown = case((whole, func.substr(text, 1, 19)), else_=func.substr(text + "000000", 1, 26))
        return func.replace(shown, " ", "T") + "Z"
    utc = column.op("AT TIME ZONE")(literal("UTC"))
    micro = func.to_char(utc, "US")
    shown_fraction = case((micro == "000000", ""), else_=func.concat(".", micro))
    return func.concat(func.to_char(utc, 'YYYY-MM-DD"T"HH24:MI:SS'), shown_fraction, "Z")


def codes_field(name: str, column: Any, owner_key: Any, owner: Any) -> OutField:
    """A row's codes from a link table: a sorted list in JSON, "a;b" in CSV.

    The JSON side aggregates ("a,b,a") and `split_sorted` decodes; the CSV cell is sorted
    and de-duplicated by the database, in byte order (COLLATE "C" on PostgreSQL) as
    Python's sorted() orders codes.
    """
    listed = select(func.aggregate_strings(column, ",")).where(owner_key == owner)

    def cell(dialect: str) -> ColumnElement[Any]:
        if dialect == "sqlite":
            codes = select(column.label("code")).distinct().where(owner_key == owner)
            # Two levels down, the owner's row is still the outer query's: correlate.
            ordered = codes.correlate_except(owner_key.table).order_by(column).subquery()
            # group_concat keeps the order of the ORDER BY subquery it reads from.
            return select(func.group_concat(ordered.c.code, ";")).scalar_subquery()
        # DISTINCT and ORDER BY must name the very same expression: text, byte order.
        code = sa.cast(column, sa.Text).collate("C")
        joined = func.string_agg(sa.distinct(code), aggregate_order_by(literal(";"), code))
        return select(joined).where(owner_key == owner).scalar_subquery()

    return OutField(name, listed.scalar_subquery(), decode=split_sorted, csv_sql=cell)

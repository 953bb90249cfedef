"""CGIT values: the amount, share, month and flag formats of the tracker's export."""

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app.imports.common import Invalid, cents
from app.imports.reading import FileRefused

MILLION = Decimal(1_000_000)
MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
COLUMNS = {  # our name -> the header's own words (case and spacing ignored)
    "year": ("year",),
    "month": ("month",),
    "investor": ("investor", "chinese entity", "investor (or chinese entity)"),
    "quantity": ("quantity in millions",),
    "share": ("share size",),
    "party": ("transaction party",),
    "sector": ("sector",),
    "subsector": ("subsector",),
    "country": ("country",),
    "region": ("region",),
    "bri": ("bri",),
    "greenfield": ("greenfield",),
}
OPTIONAL = {"share", "subsector", "greenfield", "party", "region"}
_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
_SHARE = re.compile(r"(\d+(?:\.\d+)?)\s*%?")


def month(raw: str) -> int:
    value = raw.strip().lower().rstrip(".")
    if value.isdigit() and 1 <= int(value) <= 12:
        return int(value)
    if value not in MONTHS:
        raise Invalid(f"not a month: {raw.strip()!r}")
    return MONTHS[value]


def millions(raw: str) -> Decimal:
    """`$\\t1,740` or `$ 500 ` (millions of USD) as exact dollars, to the cent."""
    value = "".join(raw.split()).removeprefix("$")
    if _AMOUNT.fullmatch(value) is None:
        raise Invalid(f"not an amount in millions: {raw.strip()!r}")
    return cents(Decimal(value.replace(",", "")) * MILLION)


def shares(raw: str) -> list[Decimal]:
    found = []
    for part in raw.split(","):
        match = _SHARE.fullmatch(part.strip())
        if match is None:
            raise Invalid(f"not a percentage: {part.strip()!r}")
        share = Decimal(match.group(1))
        if not 0 < share <= 100:
            raise Invalid(f"share outside 0-100%: {part.strip()!r}")
        found.append(share)
    return found


def flag(expected: str) -> Callable[[str], bool]:
    def parse(raw: str) -> bool:
        value = raw.strip()
        if not value:
            return False
        if value.upper() == expected or (expected == "1" and value in ("1.0", "1.00")):
            return True
        raise Invalid(f"expected {expected} or blank, got {value!r}")

    return parse


def find_header(reader: Any) -> tuple[int, list[str]]:
    """Skips the preamble: the header is the first row naming Year, Month and Country."""
    for line, row in reader:
        names = {" ".join(cell.split()).lower() for cell in row}
        if {"year", "month", "country"} <= names:
            return line, row
    raise FileRefused("no header row (a row naming Year, Month and Country) was found")

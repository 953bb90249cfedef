"""Field parsers shared by the importers: each returns the value or raises `Invalid`.

Every parser takes the raw CSV text. Numbers become exact `Decimal`s (never floats), money
is rounded half-even to the cent, dates are ISO `YYYY-MM-DD` (or `MM/DD/YYYY`, which the
AidData headers announce), years may carry a `.0` as spreadsheet exports write them.
"""

import hashlib
import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pycountry

CENT = Decimal("0.01")
# Money is stored as cents in a BIGINT; this keeps every amount (and a sum of many) inside.
MAX_MONEY = Decimal("10") ** 15


class Invalid(ValueError):
    """A field value the importer refuses; the message says why."""


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_AROUND_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_YEAR = re.compile(r"(\d{4})(?:\.0*)?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00)?")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _unescape(match: re.Match[str]) -> str:
    char = chr(int(match.group(1), 16))
    if char == "\r":
        return "\n"
    # Other control characters (NUL above all, which PostgreSQL text refuses) are dropped.
    return char if char >= " " or char in "\t\n" else ""


def text(raw: str) -> str | None:
    """Trimmed text with Excel's `_xHHHH_` escapes decoded (`_x000D_` is a line break)."""
    value = raw.strip()
    if "_x" in value:
        value = _EXCEL_ESCAPE.sub(_unescape, value)
        value = _AROUND_NEWLINE.sub("\n", value).strip()
    return value or None


def bounded(raw: str, limit: int) -> str | None:
    value = text(raw)
    if value is not None and len(value) > limit:
        raise Invalid(f"longer than {limit} characters ({len(value)})")
    return value


def number(raw: str) -> Decimal | None:
    value = raw.strip()
    if not value:
        return None
    if _NUMBER.fullmatch(value) is None:
        raise Invalid(f"not a number: {value!r}")
    return Decimal(value)


def money(raw: str) -> Decimal | None:
    """A non-negative amount rounded half-even to the cent."""
    value = number(raw)
    if value is None:
        return None
    return cents(value)


def cents(value: Decimal) -> Decimal:
    if value < 0:
        raise Invalid(f"negative amount: {value}")
    if value >= MAX_MONEY:
        raise Invalid(f"amount too large: {value}")
    return value.quantize(CENT, rounding=ROUND_HALF_EVEN)


def year(raw: str) -> int | None:
    value = raw.strip()
    if not value:
        return None
    match = _YEAR.fullmatch(value)
    if match is None:
        raise Invalid(f"not a year: {value!r}")
    found = int(match.group(1))
    if not 1900 <= found <= 2999:
        raise Invalid(f"year out of range: {found}")
    return found


def whole(raw: str, low: int, high: int) -> int | None:
    """A whole number within [low, high]; `4.0` is 4."""
    value = number(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise Invalid(f"not a whole number: {raw.strip()!r}")
    if not low <= value <= high:
        raise Invalid(f"{value.normalize()} is outside {low}..{high}")
    return int(value)


def day(raw: str) -> date | None:
    value = raw.strip()
    if not value:
        return None
    iso = _ISO_DATE.fullmatch(value)
    us = None if iso else _US_DATE.fullmatch(value)
    if iso:
        parts = (iso.group(1), iso.group(2), iso.group(3))
    elif us:
        parts = (us.group(3), us.group(1), us.group(2))
    else:
        raise Invalid(f"not a date (YYYY-MM-DD): {value!r}")
    try:
        found = date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as error:
        raise Invalid(f"not a valid date: {value!r}") from error
    if not 1900 <= found.year <= 2999:
        raise Invalid(f"date out of range: {value!r}")
    return found


_FLAGS = {"yes": True, "no": False, "": None}


def yes_no(raw: str) -> bool | None:
    try:
        return _FLAGS[raw.strip().lower()]
    except KeyError:
        raise Invalid(f"expected Yes or No, got {raw.strip()!r}") from None


# ISO 4217 codes withdrawn since 1999 that records of 2000-2021 commitments may still use
# (ISO 4217 list three); pycountry only knows the codes in use today.
WITHDRAWN_CURRENCIES = frozenset(
    [
        "AZM",
        "BYR",
        "CSD",
        "CYP",
        "EEK",
        "GHC",
        "LTL",
        "LVL",
        "MGF",
        "MRO",
        "MTL",
        "MZM",
        "ROL",
        "SDD",
        "SIT",
        "SKK",
        "SRG",
        "STD",
        "TMM",
        "TRL",
        "VEB",
        "VEF",
        "YUM",
        "ZMK",
        "ZWD",
        "ZWN",
        "ZWR",
    ]
)
CURRENCIES = frozenset(c.alpha_3 for c in pycountry.currencies) | WITHDRAWN_CURRENCIES


def currency(raw: str) -> str | None:
    value = raw.strip().upper()
    if not value:
        return None
    if value not in CURRENCIES:
        raise Invalid(f"not an ISO 4217 currency code: {raw.strip()!r}")
    return value


def split_list(raw: str) -> list[str]:
    """A `|`-separated list, each item trimmed (empty items kept, so positions line up)."""
    if not raw.strip():
        return []
    return [item.strip() for item in raw.split("|")]


def digest(text_value: str, length: int) -> str:
    return hashlib.sha256(text_value.encode("utf-8")).hexdigest()[:length]


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str, limit: int = 200) -> str:
    """A deterministic key from a name: ASCII-folded, lower-case, hyphenated.

    A name whose letters do not all fold to ASCII (Chinese, say) or whose slug would be too
    long gets a short hash of the name appended, so two such names never share a key.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    lossy = any(ord(char) > 127 and char.isalnum() for char in decomposed)
    base = _NOT_SLUG.sub("-", decomposed.encode("ascii", "ignore").decode().lower()).strip("-")
    if lossy or not base or len(base) > limit:
        suffix = digest(" ".join(name.casefold().split()), 10)
        base = f"{base[: limit - 11]}-{suffix}" if base else suffix
    return base

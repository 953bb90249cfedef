"""Typed query values accepted only in their canonical text form.

pydantic's lax parsing would read `year_min=1_000` as 1000, `year_min=1.0` as 1 and
`updated_since=0.5` as a Unix time; a query string that a reader would not take for the
number or time it becomes is refused (400) instead, as the OpenAPI types promise.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

DATE = r"\d{4}-\d{2}-\d{2}"
# A decimal as people write it: digits, an optional point, an optional exponent.
DECIMAL_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
FORMS: dict[Any, tuple[re.Pattern[str], str]] = {
    int: (re.compile(r"[+-]?\d+"), "an integer"),
    Decimal: (DECIMAL_TEXT, "a decimal number"),
    date: (re.compile(DATE), "a date (YYYY-MM-DD)"),
    datetime: (
        re.compile(DATE + r"([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?"),
        "an ISO 8601 date-time",
    ),
}


def canonical(kind: Any) -> Any:
    """`kind`, refusing query text that is not its canonical spelling."""
    if kind not in FORMS:
        return kind
    pattern, name = FORMS[kind]

    def check(value: Any) -> Any:
        if isinstance(value, str) and not pattern.fullmatch(value):
            raise ValueError(f"must be {name}")
        return value

    if kind is Decimal:  # a decimal travels as text, exactly; OpenAPI says so
        text = {"type": "string", "format": "decimal", "pattern": f"^{pattern.pattern}$"}
        return Annotated[kind, BeforeValidator(check), WithJsonSchema(text)]
    return Annotated[kind, BeforeValidator(check)]

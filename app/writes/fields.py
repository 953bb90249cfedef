"""Field types for the Create schemas, and each Update schema derived from its Create.

Field names are those of the Read schemas, so a client can GET a row, change it and send
the fields back; references are natural keys (source key, organisation key, strand code,
ISO country code, project key), never database ids.
"""

from decimal import Decimal
from typing import Annotated, Any, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    create_model,
)

from app.listing.canonical import DECIMAL_TEXT
from app.listing.filters import country_code
from app.seed.rows import Key, Year

__all__ = ["Key", "Year"]

# No NUL characters: PostgreSQL text cannot hold them.
_NO_NUL = r"^[^\x00]*$"


def _text(max_length: int) -> StringConstraints:
    return StringConstraints(
        strip_whitespace=True, min_length=1, max_length=max_length, pattern=_NO_NUL
    )


# Non-empty trimmed text of at most so many characters (each column's size).
Text10 = Annotated[str, _text(10)]
Text60 = Annotated[str, _text(60)]
Text120 = Annotated[str, _text(120)]
Text200 = Annotated[str, _text(200)]
Text300 = Annotated[str, _text(300)]
Text500 = Annotated[str, _text(500)]
Text2000 = Annotated[str, _text(2000)]
Title = Annotated[str, _text(1000)]
LongText = Annotated[str, _text(20_000)]
Locator = Annotated[str, _text(200)]
Indicator = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]
Url = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=2000, pattern=r"^https?://[^\s\x00]+$"),
]

CountryCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{2,3}$"),
    AfterValidator(country_code),
    Field(description="ISO 3166-1 alpha-3 (alpha-2 accepted), stored as alpha-3."),
]
CurrencyCode = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True),
    Field(description="ISO 4217 code."),
]


def _plain_text(value: Any) -> Any:
    """Decimal text in its plain written form only: pydantic would also read " 5" or "1_0"."""
    if isinstance(value, str) and not DECIMAL_TEXT.fullmatch(value):
        try:
            readable = Decimal(value).is_finite()
        except ArithmeticError:
            readable = False
        if readable:  # what Decimal cannot read gets pydantic's own message
            raise ValueError("must be written as a plain decimal number, like 1234.50 or 4.5E9")
    return value


def _published(**bounds: int) -> WithJsonSchema:
    """OpenAPI says both forms a decimal may take: a JSON number, or text (exact)."""
    number = {"type": "number", **bounds}
    text = {"type": "string", "format": "decimal", "pattern": f"^{DECIMAL_TEXT.pattern}$"}
    return WithJsonSchema({"anyOf": [number, text]})


PLAIN = BeforeValidator(_plain_text)
# Whole cents in a BIGINT: up to 15 digits before the point (a thousand trillion), so even
# thousands of rows at the maximum still sum inside the BIGINT.
Money = Annotated[
    Decimal,
    PLAIN,
    _published(minimum=0, exclusiveMaximum=10**15),
    Field(ge=0, max_digits=17, decimal_places=2),
]
# NUMERIC(38, 10): up to 28 digits before the point and 10 after.
Exact = Annotated[
    Decimal,
    PLAIN,
    _published(exclusiveMinimum=-(10**28), exclusiveMaximum=10**28),
    Field(gt=-(10**28), lt=10**28, decimal_places=10),
]
Percent = Annotated[
    Decimal, PLAIN, _published(minimum=0, maximum=100), Field(ge=0, le=100, decimal_places=10)
]
Years = Annotated[
    Decimal, PLAIN, _published(minimum=0, maximum=200), Field(ge=0, le=200, decimal_places=10)
]
# A hard loan's grant element is negative; it never exceeds 100 percent.
GrantElement = Annotated[
    Decimal,
    PLAIN,
    _published(minimum=-1000, maximum=100),
    Field(ge=-1000, le=100, decimal_places=10),
]


class WriteModel(BaseModel):
    """A request body: unknown fields (ids, versions, timestamps, typos) are refused."""

    model_config = ConfigDict(extra="forbid")


def unique_items(values: list[Any]) -> list[Any]:
    """A list without repeats, first occurrence kept (links are sets)."""
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def update_schema(
    create: type[BaseModel], name: str, doc: str, *, fixed: tuple[str, ...] = ("key",)
) -> type[BaseModel]:
    """The JSON merge patch body for a resource: every Create field optional and nullable.

    `fixed` fields (the natural key) cannot be patched: other rows and mirrors refer to them.
    """
    fields: dict[str, Any] = {}
    for field_name, info in create.model_fields.items():
        if field_name in fixed:
            continue
        annotation: Any = info.annotation
        if info.metadata:
            annotation = Annotated[(annotation, *info.metadata)]
        description = (info.description or "").rstrip(".")
        suffix = "null resets it to its default" if not info.is_required() else "cannot be null"
        fields[field_name] = (
            Optional[annotation],  # noqa: UP045
            Field(None, description=f"{description}; {suffix}." if description else suffix),
        )
    model: type[BaseModel] = create_model(name, __base__=WriteModel, __doc__=doc, **fields)
    return model

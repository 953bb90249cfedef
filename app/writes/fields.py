"""Field types for the Create schemas, and each Update schema derived from its Create.

Field names are those of the Read schemas, so a client can GET a row, change it and send
the fields back; references are natural keys (source key, organisation key, strand code,
ISO country code, project key), never database ids.
"""

from decimal import Decimal
from typing import Annotated, Any, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model

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
# Whole cents in a BIGINT: up to 15 digits before the point (a thousand trillion), so even
# thousands of rows at the maximum still sum inside the BIGINT.
Money = Annotated[Decimal, Field(ge=0, max_digits=17, decimal_places=2)]
# NUMERIC(38, 10): up to 28 digits before the point and 10 after.
Exact = Annotated[Decimal, Field(gt=-(10**28), lt=10**28, decimal_places=10)]
Percent = Annotated[Decimal, Field(ge=0, le=100, decimal_places=10)]
Years = Annotated[Decimal, Field(ge=0, le=200, decimal_places=10)]


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

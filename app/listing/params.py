"""Builds, from a ListSpec, the FastAPI dependency that parses and checks list parameters.

Every filter appears in OpenAPI as a typed query parameter (app/listing/query_model.py);
the dependency also sees the raw query string to refuse unknown names.
"""

import hashlib
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

import orjson
from fastapi import Query, Request

from app.errors import ProblemError, ProblemException
from app.listing.canonical import canonical
from app.listing.query_model import QueryModel, documented_by
from app.listing.spec import Filter, ListSpec
from app.settings import get_settings

Format = Literal["json", "csv", "ndjson"]
CountMode = Literal["exact", "none"]
COMMON = ("limit", "cursor", "sort", "fields", "count", "format", "q")
# Parameters that may change between pages without invalidating a cursor.
PAGE_ONLY = {"cursor", "limit", "format", "count"}
# Bounds that keep every typed value inside what both databases store (BIGINT cents).
MAX_INTEGER = 2**31 - 1  # integer filters compare with INTEGER columns (years)
MAX_DECIMAL = Decimal(10) ** 15


@dataclass(frozen=True)
class SortKey:
    name: str
    descending: bool


@dataclass(frozen=True)
class ListParams:
    """A list request's parameters, checked; the defaults make a filters-only request
    (what summaries and rollups filter by)."""

    filters: dict[str, list[Any]]
    limit: int = 1
    cursor: str | None = None
    sort: tuple[SortKey, ...] = ()
    # False when `sort` is the resource's default (a search is then ranked best first).
    sort_given: bool = False
    fields: tuple[str, ...] | None = None
    count: bool = False
    format: Format | None = None
    q: str | None = None
    fingerprint: str = ""


def bad_parameter(name: str, message: str) -> ProblemException:
    return ProblemException(
        400,
        f"Query parameter '{name}': {message}",
        slug="invalid-parameter",
        errors=[ProblemError(location="query", field=name, message=message)],
    )


def annotation(flt: Filter) -> Any:
    kind = canonical(flt.python_type)
    if flt.repeatable:
        return Annotated[list[kind] | None, Query(description=flt.description)]  # type: ignore[valid-type]
    return Annotated[kind | None, Query(description=flt.description)]


def _common_parameters(spec: ListSpec) -> list[inspect.Parameter]:
    settings = get_settings()
    sort_help = "Comma-separated sort keys, '-' for descending. Valid: " + ", ".join(spec.sort_keys)
    field_help = "Comma-separated fields to return. Valid: " + ", ".join(spec.field_index)
    annotations: dict[str, Any] = {
        "limit": Annotated[
            int | None,
            Query(
                ge=1,
                description=f"Rows per page (default {settings.default_limit}, "
                f"maximum {settings.max_limit}).",
            ),
        ],
        "cursor": Annotated[
            str | None, Query(description="Opaque cursor from `meta.next_cursor`.")
        ],
        "sort": Annotated[str | None, Query(description=sort_help)],
        "fields": Annotated[str | None, Query(description=field_help)],
        "count": Annotated[
            CountMode, Query(description="`exact` counts all matches; `none` skips the count.")
        ],
        "format": Annotated[
            Format | None,
            Query(
                description="Response format; overrides the Accept header. csv and ndjson "
                "stream every matching row."
            ),
        ],
    }
    if spec.search is not None:
        annotations["q"] = Annotated[
            str | None, Query(min_length=1, max_length=200, description="Full-text search.")
        ]
    defaults: dict[str, Any] = {"count": "exact"}
    return [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, default=defaults.get(name), annotation=kind
        )
        for name, kind in annotations.items()
    ]


def list_parameters(spec: ListSpec) -> Callable[..., Awaitable[ListParams]]:
    """A dependency that returns the checked ListParams for `spec`.

    Async although it does no I/O: parsing costs less than a hand-off to the thread pool.
    """
    allowed = set(spec.filter_index) | {n for n in COMMON if n != "q" or spec.search}
    parameters = _common_parameters(spec) + [
        inspect.Parameter(
            flt.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation(flt)
        )
        for flt in spec.filters
    ]
    query = QueryModel(f"{spec.name}_list_query", parameters)

    async def dependency(request: Request) -> ListParams:
        return parse(spec, request, query(request), allowed)

    documented_by(dependency, parameters)
    dependency.__name__ = f"{spec.name}_list_parameters"
    return dependency


def check_names(request: Request, allowed: set[str], repeatable: set[str]) -> None:
    """Refuses unknown names, repeats of single-valued ones and NUL characters."""
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise bad_parameter(
            unknown[0], f"unknown parameter. Valid parameters: {', '.join(sorted(allowed))}"
        )
    for name in request.query_params:
        values = request.query_params.getlist(name)
        if name not in repeatable and len(values) > 1:
            raise bad_parameter(name, "may be given only once")
        if any("\x00" in value for value in values):
            raise bad_parameter(name, "must not contain NUL characters")


def repeatable_filters(spec: ListSpec) -> set[str]:
    return {flt.name for flt in spec.filters if flt.repeatable}


def parse(spec: ListSpec, request: Request, raw: dict[str, Any], allowed: set[str]) -> ListParams:
    settings = get_settings()
    check_names(request, allowed, repeatable_filters(spec))
    filters = parse_filters(spec, raw, settings.max_filter_values)
    limit = raw.get("limit") or settings.default_limit
    if limit > settings.max_limit:
        raise bad_parameter("limit", f"must be at most {settings.max_limit}")
    fingerprint = _fingerprint(request)
    return ListParams(
        filters=filters,
        limit=limit,
        cursor=raw.get("cursor"),
        sort=_sort(spec, raw.get("sort")),
        sort_given=raw.get("sort") is not None,
        fields=_fields(spec, raw.get("fields")),
        count=raw.get("count", "exact") == "exact",
        format=raw.get("format"),
        q=raw.get("q"),
        fingerprint=fingerprint,
    )


def parse_filters(spec: ListSpec, raw: dict[str, Any], max_values: int) -> dict[str, list[Any]]:
    """The given filters' values, typed, checked and normalised, by filter name."""
    chosen: dict[str, list[Any]] = {}
    for flt in spec.filters:
        value = raw.get(flt.name)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        if len(values) > max_values:
            raise bad_parameter(flt.name, f"at most {max_values} values are allowed")
        for item in values:
            _check_range(flt.name, item)
        if flt.normalise is not None:
            values = [_normalised(flt, item) for item in values]
        chosen[flt.name] = list(
            dict.fromkeys(v.value if isinstance(v, StrEnum) else v for v in values)
        )
    return chosen


def _check_range(name: str, value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
        raise bad_parameter(name, f"must be between -{MAX_INTEGER} and {MAX_INTEGER}")
    # copy_abs, not abs(): abs() rounds in the context and overflows on `8e+7391204002`.
    if isinstance(value, Decimal) and value.copy_abs() >= MAX_DECIMAL:
        raise bad_parameter(name, f"must be less than {MAX_DECIMAL:,} in absolute value")


def _normalised(flt: Filter, value: Any) -> Any:
    assert flt.normalise is not None
    try:
        return flt.normalise(value)
    except (LookupError, ValueError, ArithmeticError) as error:
        raise bad_parameter(flt.name, str(error) or f"unknown value {value!r}") from error


def _sort(spec: ListSpec, raw: str | None) -> tuple[SortKey, ...]:
    if raw is not None and not raw.strip():
        raise bad_parameter("sort", "name at least one sort key")
    names = [part.strip() for part in raw.split(",")] if raw else list(spec.default_sort)
    keys: list[SortKey] = []
    for name in names:
        key = SortKey(name.removeprefix("-"), name.startswith("-"))
        if key.name not in spec.sort_keys:
            raise bad_parameter(
                "sort", f"unknown sort key '{key.name}'. Valid: {', '.join(spec.sort_keys)}"
            )
        if any(existing.name == key.name for existing in keys):
            raise bad_parameter("sort", f"sort key '{key.name}' is given twice")
        keys.append(key)
    return tuple(keys)


def _fields(spec: ListSpec, raw: str | None) -> tuple[str, ...] | None:
    if raw is None:
        return None
    names = tuple(dict.fromkeys(part.strip() for part in raw.split(",") if part.strip()))
    if not names:
        raise bad_parameter("fields", "name at least one field")
    for name in names:
        if name not in spec.field_index:
            raise bad_parameter(
                "fields", f"unknown field '{name}'. Valid: {', '.join(spec.field_index)}"
            )
    return names


def _fingerprint(request: Request) -> str:
    items = sorted((k, v) for k, v in request.query_params.multi_items() if k not in PAGE_ONLY)
    return hashlib.sha256(orjson.dumps([request.url.path, items])).hexdigest()[:16]

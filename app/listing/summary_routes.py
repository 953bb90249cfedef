"""The summary endpoint for any SummarySpec: typed parameters, OpenAPI schemas, formats."""

import csv
import inspect
import io
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, create_model
from starlette.responses import Response

from app.answers import answers
from app.caching import ConditionalDep, negotiated_format
from app.db import SessionDep
from app.errors import problem_responses
from app.listing.params import (
    Format,
    ListParams,
    SortKey,
    annotation,
    bad_parameter,
    check_names,
    parse_filters,
    repeatable_filters,
)
from app.listing.query_model import QueryModel, documented_by
from app.listing.render import cell, dumps
from app.listing.routes import STREAM_CONTENT
from app.listing.summary import (
    Group,
    Sum,
    Summary,
    SummaryParams,
    SummarySpec,
    applied_exclusions,
    summarise,
)
from app.settings import get_settings


class SummaryMeta(BaseModel):
    group_by: list[str] = Field(description="The dimensions, in the order asked.")
    groups: int = Field(description="How many groups `data` holds.")
    rows: int = Field(
        description="Rows summarised, each counted once (group counts may add up to more "
        "when a row sits under several strands, countries or regions)."
    )
    excluded: list[str] = Field(description="What was left out by default (umbrella, ...).")
    excluded_rows: int = Field(description="Rows matching the filters that were left out.")
    multi_valued: list[str] = Field(
        description="Dimensions under which one row can count in several groups."
    )


class MoneySum(BaseModel):
    """An exact sum in one basis, and how many rows had a value (null sum: none had)."""

    sum: Decimal | None
    count: int


def _group_by_enum(spec: SummarySpec, title: str) -> type[StrEnum]:
    return StrEnum(f"{title}GroupBy", [(name, name) for name in spec.dimension_index])  # type: ignore[return-value]


def summary_model(spec: SummarySpec, title: str) -> type[BaseModel]:
    """Named schemas: <Title>GroupKey, <Title>SummaryGroup, <Title>SummaryResponse, sums."""
    key_fields: dict[str, Any] = {
        d.name: (Optional[d.python_type], Field(None, description=d.description))  # noqa: UP045
        for d in spec.dimensions
    }
    key = create_model(f"{title}GroupKey", **key_fields)
    measures: dict[str, Any] = {}
    for m in spec.measures:
        if m.basis is None:
            measures[m.name] = (MoneySum, Field(description=m.description))
            continue
        entry_fields: dict[str, Any] = {
            m.basis_name: (Optional[m.basis_type], ...),  # noqa: UP045
            "sum": (Decimal, ...),
            "count": (int, ...),
        }
        entry = create_model(
            m.schema_name,
            __doc__=f"The exact sum for one {m.basis_name}; sums of different ones never add.",
            **entry_fields,
        )
        measures[m.name] = (list[entry], Field(description=m.description))
    group = create_model(
        f"{title}SummaryGroup",
        group=(key, Field(description="The values of the `group_by` dimensions.")),
        count=(int, Field(description="Rows in the group.")),
        **measures,
    )
    page: dict[str, Any] = {"data": (list[group], ...), "meta": (SummaryMeta, ...)}
    return create_model(f"{title}SummaryResponse", **page)


def summary_parameters(spec: SummarySpec, title: str) -> Callable[..., Awaitable[SummaryParams]]:
    lspec = spec.list_spec
    group_by = _group_by_enum(spec, title)
    common: dict[str, tuple[Any, Any]] = {
        "group_by": (
            Annotated[
                list[group_by] | None,  # type: ignore[valid-type]
                Query(description="Repeat to group by several dimensions."),
            ],
            None,
        ),
        "sort": (
            Annotated[
                str | None,
                Query(
                    description="Comma-separated; '-' for descending. Valid: "
                    + ", ".join(spec.sort_keys)
                ),
            ],
            None,
        ),
        "format": (Annotated[Format | None, Query(description="json, csv or ndjson.")], None),
    }
    for e in spec.exclusions:
        common[e.parameter] = (Annotated[bool, Query(description=e.description)], False)
    if lspec.search is not None:
        common["q"] = (Annotated[str | None, Query(min_length=1, max_length=200)], None)
    allowed = set(common) | set(lspec.filter_index)
    repeatable = repeatable_filters(lspec) | {"group_by"}

    parameters = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, (kind, default) in common.items()
    ]
    parameters += [
        inspect.Parameter(
            f.name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation(f)
        )
        for f in lspec.filters
    ]
    query = QueryModel(f"{spec.name}_summary_query", parameters)

    async def dependency(request: Request) -> SummaryParams:  # no I/O: no thread
        raw = query(request)
        check_names(request, allowed, repeatable)
        return _parse(spec, raw)

    documented_by(dependency, parameters)
    dependency.__name__ = f"{spec.name}_summary_parameters"
    return dependency


def _parse(spec: SummarySpec, raw: dict[str, Any]) -> SummaryParams:
    group_by = tuple(g.value for g in raw.get("group_by") or [])
    for i, name in enumerate(group_by):
        if name in group_by[:i]:
            raise bad_parameter("group_by", f"'{name}' is given twice")
    filters = ListParams(
        filters=parse_filters(spec.list_spec, raw, get_settings().max_filter_values),
        format=raw.get("format"),
        q=raw.get("q"),
    )
    included = frozenset(e.parameter for e in spec.exclusions if raw.get(e.parameter))
    return SummaryParams(filters, group_by, included, _sort(spec, raw.get("sort"), group_by))


def _sort(spec: SummarySpec, raw: str | None, group_by: tuple[str, ...]) -> tuple[SortKey, ...]:
    if raw is not None and not raw.strip():
        raise bad_parameter("sort", "name at least one sort key")
    keys: list[SortKey] = []
    for part in raw.split(",") if raw is not None else []:
        key = SortKey(part.strip().removeprefix("-"), part.strip().startswith("-"))
        if key.name not in spec.sort_keys:
            raise bad_parameter(
                "sort", f"unknown sort key '{key.name}'. Valid: {', '.join(spec.sort_keys)}"
            )
        if key.name in spec.dimension_index and key.name not in group_by:
            raise bad_parameter("sort", f"'{key.name}' is not a group_by dimension")
        if any(existing.name == key.name for existing in keys):
            raise bad_parameter("sort", f"sort key '{key.name}' is given twice")
        keys.append(key)
    return tuple(keys)


def _basis_order(item: tuple[Any, Sum]) -> tuple[bool, Any]:
    return (item[0] is None, item[0])


def group_json(spec: SummarySpec, params: SummaryParams, group: Group) -> dict[str, Any]:
    item: dict[str, Any] = {"group": dict(zip(params.group_by, group.key, strict=True))}
    item["count"] = group.count
    for m in spec.measures:
        sums = group.sums[m.name]
        if m.basis is None:
            one = sums.get(None, Sum())
            item[m.name] = {"sum": one.total, "count": one.count}
        else:
            item[m.name] = [
                {m.basis_name: basis, "sum": s.total, "count": s.count}
                for basis, s in sorted(sums.items(), key=_basis_order)
            ]
    return item


def _basis_names(spec: SummarySpec) -> list[str]:
    names: dict[str, None] = {}
    for m in spec.measures:
        names.update(dict.fromkeys(m.fixed))
        if m.basis is not None:
            names[m.basis_name] = None
    return list(names)


def csv_rows(spec: SummarySpec, params: SummaryParams, groups: list[Group]) -> Iterator[list[Any]]:
    """Long ("tidy") rows: one per group and sum, each naming its own basis in full."""
    bases = _basis_names(spec)
    measured = ["measure", *bases, "sum", "rows"] if spec.measures else []
    yield [*params.group_by, "count", *measured]
    for group in groups:
        head = [*group.key, group.count]
        if not spec.measures:
            yield head
        for m in spec.measures:
            sums = group.sums[m.name]
            entries = sorted(sums.items(), key=_basis_order) if m.basis is not None else []
            if m.basis is None:
                entries = [(None, sums.get(None, Sum()))]
            for basis, s in entries:
                parts = {**m.fixed, **({m.basis_name: basis} if m.basis is not None else {})}
                yield [*head, m.name, *(parts.get(b) for b in bases), s.total, s.count]


def _body(spec: SummarySpec, params: SummaryParams, summary: Summary, kind: str) -> bytes:
    if kind == "ndjson":
        return b"".join(dumps(group_json(spec, params, g)) + b"\n" for g in summary.groups)
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in csv_rows(spec, params, summary.groups):
            writer.writerow([cell(value) for value in row])
        return buffer.getvalue().encode()
    meta = {
        "group_by": list(params.group_by),
        "groups": len(summary.groups),
        "rows": summary.rows,
        "excluded": [
            e.parameter.removeprefix("include_") for e in applied_exclusions(spec, params)
        ],
        "excluded_rows": summary.excluded_rows,
        "multi_valued": [n for n in params.group_by if spec.dimension_index[n].link is not None],
    }
    data = [group_json(spec, params, g) for g in summary.groups]
    return dumps({"data": data, "meta": meta})


MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
}


def add_summary_route(router: APIRouter, spec: SummarySpec, *, title: str, summary: str) -> None:
    """GET /summary; register it before any `/{id}` route, which would shadow it."""
    params_dep = Annotated[SummaryParams, Depends(summary_parameters(spec, title))]

    async def summary_endpoint(
        params: params_dep, session: SessionDep, request: Request, conditional: ConditionalDep
    ) -> Response:
        kind = negotiated_format(request)
        headers = conditional.headers()
        if kind != "json":
            name = f"bri-{spec.name}-summary.{kind}"
            headers["Content-Disposition"] = f'attachment; filename="{name}"'
        body = await answers(request).answer(
            request,
            conditional.etag,
            lambda: _body(spec, params, summarise(spec, params, session), kind),
        )
        return Response(body, media_type=MEDIA[kind], headers=headers)

    router.add_api_route(
        "/summary",
        summary_endpoint,
        methods=["GET"],
        response_model=summary_model(spec, title),
        summary=summary,
        description=spec.description or summary,
        operation_id=f"summarise_{spec.name}",
        responses={
            200: {"content": STREAM_CONTENT},
            304: {"description": "Not Modified"},
            **problem_responses(400, 500, 503),
        },
    )

"""Registers a resource's list and detail endpoints, written once for every resource."""

import inspect
from collections.abc import Callable
from typing import Annotated, Any, Optional

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field, create_model
from sqlalchemy import ColumnElement, Select, bindparam, select
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.caching import ConditionalDep, row_headers
from app.db import InlineSessions, SessionDep, read
from app.errors import ProblemException, problem_responses
from app.listing.params import ListParams, list_parameters
from app.listing.render import dumps, row_dict
from app.listing.run import run_list
from app.listing.spec import ListSpec
from app.prepared import Prepared


class PageMeta(BaseModel):
    limit: int
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    count: int | None = Field(description="All matching rows; null with `count=none`.")


class PageLinks(BaseModel):
    self: str
    next: str | None


# Resource names whose singular is not the name without its final "s".
IRREGULAR_SINGULAR = {"countries": "country", "funding": "funding row"}


def singular(name: str) -> str:
    """The word for one row of a resource, for messages ("No country 'XX'.")."""
    return IRREGULAR_SINGULAR.get(name, name.removesuffix("s"))


STREAM_CONTENT: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string"}},
    "application/x-ndjson": {"schema": {"type": "string"}},
}


def page_model(item: type[BaseModel], name: str) -> type[BaseModel]:
    """`{data, meta, links}` around list items whose fields are all optional (for `fields=`)."""
    optional = {
        field_name: (Optional[info.annotation], Field(None, description=info.description))  # noqa: UP045
        for field_name, info in item.model_fields.items()
    }
    row = create_model(f"{name}Row", __doc__=item.__doc__, **optional)  # type: ignore[call-overload]
    return create_model(
        f"{name}Page", data=(list[row], ...), meta=(PageMeta, ...), links=(PageLinks, ...)
    )


def add_list_route(
    router: APIRouter, spec: ListSpec, item: type[BaseModel], *, name: str, summary: str
) -> None:
    params_dep = Annotated[ListParams, Depends(list_parameters(spec))]

    async def list_endpoint(
        params: params_dep,
        session: SessionDep,
        request: Request,
        conditional: ConditionalDep,
    ) -> Response:
        return await run_list(spec, params, session, request, conditional)

    router.add_api_route(
        "",
        list_endpoint,
        methods=["GET"],
        response_model=page_model(item, name),
        summary=summary,
        description=spec.description or summary,
        operation_id=f"list_{spec.name}",
        responses={
            200: {"content": STREAM_CONTENT},
            304: {"description": "Not Modified"},
            **problem_responses(400, 500, 503),
        },
    )


def add_detail_route(
    router: APIRouter,
    spec: ListSpec,
    item: type[BaseModel],
    *,
    param: str,
    param_help: str,
    lookup: Callable[[str], ColumnElement[bool]],
    summary: str,
) -> None:
    """GET /{param}: the row's list fields, with the row's ETag; 404 when absent."""

    async def detail_endpoint(ref: str, sessions: InlineSessions, request: Request) -> Response:
        with sessions() as session:  # on the event loop, start to end (see inline_sessions)
            row = fetch_row(spec, session, lookup(ref))
            if row is None:
                missing = f"No {singular(spec.name)} '{ref}'."
                raise ProblemException(404, missing, slug="not-found")
            headers = row_headers(request, session, row["version"])
        return Response(dumps(row), media_type="application/json", headers=headers)

    detail_endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                "ref",
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=Annotated[str, Path(alias=param, description=param_help)],
            ),
            inspect.Parameter(
                "sessions", inspect.Parameter.KEYWORD_ONLY, annotation=InlineSessions
            ),
            inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        ]
    )
    router.add_api_route(
        f"/{{{param}}}",
        detail_endpoint,
        methods=["GET"],
        response_model=item,
        summary=summary,
        operation_id=f"get_{spec.name}_item",
        responses={304: {"description": "Not Modified"}, **problem_responses(400, 404, 500, 503)},
    )


_ROW_BY: dict[tuple[int, str], Prepared] = {}


def fetch_row_by(
    spec: ListSpec, session: Session, column: Any, value: Any
) -> dict[str, Any] | None:
    """The row whose `column` is `value`, with a statement built once per spec and column."""
    key = (id(spec), str(column))
    prepared = _ROW_BY.get(key)
    if prepared is None:
        stmt = _row_select(spec).where(column == bindparam("ref"))
        prepared = _ROW_BY[key] = Prepared(stmt, "ref")
    rows = prepared.dicts(session, {"ref": value})
    return row_dict(rows[0], list(spec.fields)) if rows else None


def fetch_row(
    spec: ListSpec, session: Session, where: ColumnElement[bool]
) -> dict[str, Any] | None:
    row = read(session, _row_select(spec).where(where)).mappings().first()
    return None if row is None else row_dict(row, list(spec.fields))


_ROW_SELECT: dict[int, Select[Any]] = {}


def _row_select(spec: ListSpec) -> Select[Any]:
    """A row's SELECT without its WHERE, built once per resource (not per request)."""
    found = _ROW_SELECT.get(id(spec))
    if found is None:
        columns = [f.column.label(f.name) for f in spec.fields]
        built: Select[Any] = select(*columns).select_from(spec.source)
        found = _ROW_SELECT[id(spec)] = built
    return found

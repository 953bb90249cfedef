"""Query parameters checked by one pydantic model per endpoint, documented by FastAPI.

A list or summary endpoint takes twenty to thirty optional query parameters. Declared one
by one, FastAPI looks at every declared parameter on every request (given or not) and
checks each on its own: about 30% of the CPU time of an answer kept in the answer cache.
Here the dependency FastAPI runs takes only the request: the parameters that were given
are checked together by one model built from the same annotations, and a bad value is
the same RequestValidationError FastAPI would raise. The annotated signature is kept for
the OpenAPI document only (`document_parameters`), so the published contract does not
change.
"""

import inspect
from collections.abc import Callable, Iterator
from typing import Any, get_args, get_origin

import fastapi.routing
from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError, create_model
from starlette.requests import Request

DOCUMENTED = "__documented_parameters__"


class QueryModel:
    """Checks a request's query string against annotated keyword-only parameters."""

    def __init__(self, name: str, parameters: list[inspect.Parameter]) -> None:
        fields: dict[str, Any] = {
            p.name: (p.annotation, None if p.default is inspect.Parameter.empty else p.default)
            for p in parameters
            if p.kind is inspect.Parameter.KEYWORD_ONLY
        }
        self.model: type[BaseModel] = create_model(name, **fields)
        self.repeatable = {name for name, (kind, _) in fields.items() if _is_list(kind)}

    def __call__(self, request: Request) -> dict[str, Any]:
        """Every declared parameter by name, the ones not given at their defaults."""
        query = request.query_params
        given: dict[str, Any] = {}
        for name in query:
            if name in self.repeatable:
                given[name] = query.getlist(name)
            elif name in self.model.model_fields:
                # The last value when repeated, as FastAPI takes it; repeats of a
                # single-valued parameter are refused after the values are checked.
                given[name] = query[name]
        try:
            return dict(self.model.model_validate(given))
        except ValidationError as error:
            raise RequestValidationError(
                [{**e, "loc": ("query", *e["loc"])} for e in error.errors(include_url=False)]
            ) from None


def _is_list(annotation: Any) -> bool:
    """True for `Annotated[list[X] | None, ...]`: the query may repeat the parameter."""
    while get_origin(annotation) is not None and get_origin(annotation) is not list:
        arguments = get_args(annotation)
        if not arguments:
            return False
        annotation = next((a for a in arguments if a is not type(None)), arguments[0])
    return get_origin(annotation) is list


def documented_by(dependency: Callable[..., Any], parameters: list[inspect.Parameter]) -> None:
    """Marks `dependency` as reading the query parameters in `parameters` itself."""

    def documented(**_: Any) -> None:  # pragma: no cover - never called, only inspected
        raise AssertionError("documentation only")

    documented.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    setattr(dependency, DOCUMENTED, documented)


def _documented(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        found = getattr(sub.call, DOCUMENTED, None)
        if found is not None:
            yield found
        yield from _documented(sub)


def document_parameters(app: FastAPI, schema: dict[str, Any]) -> dict[str, Any]:
    """Adds to `schema` the query parameters the marked dependencies read themselves.

    FastAPI itself writes them, from the annotated signatures, on routes of a throwaway
    application; they go after each operation's path parameters, where FastAPI puts a
    dependency's query parameters, with the component schemas they refer to.
    """
    docs = FastAPI()
    for route in _api_routes(app):
        if not getattr(route, "include_in_schema", True):
            continue
        for documented in _documented(route.dependant):
            docs.add_api_route(
                route.path,
                _nothing,
                methods=sorted(route.methods),
                dependencies=[Depends(documented)],
            )
    written = docs.openapi()
    for path, operations in written["paths"].items():
        for method, operation in operations.items():
            _insert(schema["paths"][path][method], operation.get("parameters", []))
    _copy_components(written, schema)
    return schema


def _api_routes(app: FastAPI) -> list[Any]:
    """The application's API routes, through the routers it includes.

    FastAPI 0.16x keeps included routers as such and reaches their routes through
    `iter_route_contexts`; older releases copy the routes into `app.routes`.
    """
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    if iterate is None:
        return [route for route in app.routes if isinstance(route, APIRoute)]
    return [c for c in iterate(app.routes) if isinstance(c.original_route, APIRoute)]


def _nothing() -> None:  # pragma: no cover - never called, only documented
    raise AssertionError("documentation only")


def _insert(operation: dict[str, Any], parameters: list[dict[str, Any]]) -> None:
    """Puts the parameters where FastAPI would: after the path's, before the body."""
    existing = operation.pop("parameters", [])
    in_path = [p for p in existing if p["in"] == "path"]
    others = [p for p in existing if p["in"] != "path"]
    after = {k: operation.pop(k) for k in list(operation) if k in ("requestBody", "responses")}
    operation["parameters"] = in_path + parameters + others
    operation.update(after)


def _copy_components(source: dict[str, Any], target: dict[str, Any]) -> None:
    """Copies the component schemas the inserted parameters refer to, and theirs."""
    available = source.get("components", {}).get("schemas", {})
    wanted = [
        ref
        for operations in source["paths"].values()
        for operation in operations.values()
        for ref in _refs(operation.get("parameters", []))
    ]
    schemas = target.setdefault("components", {}).setdefault("schemas", {})
    while wanted:
        name = wanted.pop().rsplit("/", 1)[-1]
        if name in schemas or name not in available:
            continue
        schemas[name] = available[name]
        wanted.extend(_refs(available[name]))
    # FastAPI lists component schemas by name.
    target["components"]["schemas"] = dict(sorted(schemas.items()))


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)

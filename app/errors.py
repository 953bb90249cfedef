"""One error shape everywhere: RFC 9457 problem details (`application/problem+json`)."""

import logging
import re
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

PROBLEM_TYPE = "application/problem+json"
PARAMETER_LOCATIONS = {"query", "path", "header", "cookie"}
logger = logging.getLogger("app.errors")


class ProblemError(BaseModel):
    """One thing wrong with the request: where, which field, why."""

    location: str
    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document; `type` links to the README's list of problem types."""

    model_config = ConfigDict(json_schema_extra={"title": "Problem"})

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemError] | None = None


class ProblemException(Exception):
    """Raise anywhere to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        slug: str | None = None,
        errors: list[ProblemError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.slug = slug or _slug(status)
        self.errors = errors
        self.headers = headers or {}


def _slug(status: int) -> str:
    return HTTPStatus(status).phrase.lower().replace(" ", "-").replace("'", "")


def problem_response(
    request: Request | None,
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    errors: list[ProblemError] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": f"/problems/{slug or _slug(status)}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path if request is not None else None,
    }
    if errors:
        body["errors"] = [error.model_dump() for error in errors]
    return Response(orjson.dumps(body), status, headers=headers, media_type=PROBLEM_TYPE)


def _validation_errors(exc: RequestValidationError) -> list[ProblemError]:
    found = []
    for error in exc.errors():
        location = [str(part) for part in error.get("loc", ())]
        where = location[0] if location else "request"
        field = ".".join(location[1:]) or where
        found.append(ProblemError(location=where, field=field, message=str(error.get("msg"))))
    return found


async def _on_problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemException)
    return problem_response(
        request, exc.status, exc.detail, slug=exc.slug, errors=exc.errors, headers=exc.headers
    )


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    # A malformed body is unprocessable content; a bad query or path parameter is a bad request.
    status = 422 if any(error.location == "body" for error in errors) else 400
    if any(error.get("type") == "json_invalid" for error in exc.errors()):
        status = 400  # a body that is not JSON at all is malformed, not unprocessable
    if errors and all(error.location in PARAMETER_LOCATIONS for error in errors):
        # The same type and wording as the list mechanism's own parameter checks.
        detail = "; ".join(
            f"{error.location.capitalize()} parameter '{error.field}': {error.message}"
            for error in errors
        )
        return problem_response(request, status, detail, slug="invalid-parameter", errors=errors)
    names = ", ".join(f"{error.location} {error.field}: {error.message}" for error in errors)
    return problem_response(request, status, f"Invalid request: {names}", errors=errors)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}; see /docs for the API's paths."
    headers = exc.headers
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
        allowed = _allowed_methods(request, (exc.headers or {}).get("Allow"))
        headers = {**(exc.headers or {}), **({"Allow": allowed} if allowed else {})}
    return problem_response(request, exc.status_code, detail, headers=headers)


def _allowed_methods(request: Request, given: str | None) -> str | None:
    """The methods of the documented path this URL belongs to.

    Starlette names the methods of the first route whose path matches, which for
    `/v1/sources` (GET and POST are two routes) leaves one out. A literal path beats a
    template (`/v1/funding/summary` is not `/v1/funding/{funding}`), as in routing.
    """
    paths = request.app.openapi().get("paths", {})
    matching = [
        template
        for template in paths
        if re.fullmatch(re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(template)), request.url.path)
    ]
    if not matching:
        return given
    best = min(matching, key=lambda template: template.count("{"))
    methods = [m.upper() for m in paths[best] if m in ("get", "post", "put", "patch", "delete")]
    methods += ["HEAD"] if "GET" in methods else []  # answered for every GET (app/ops/head.py)
    return ", ".join(sorted(methods))


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(request, 500, "An unexpected error occurred; it has been logged.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ProblemException, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)


def clean_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """Makes the OpenAPI document say what the API does with errors.

    FastAPI declares a 422 `HTTPValidationError` on every operation with parameters, but a
    bad parameter here is a 400 problem and only a bad body is a 422. Every error response
    is declared once, as `application/problem+json` with the `Problem` schema.
    """
    problem = {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if "422" in responses:
                if "requestBody" not in operation:
                    del responses["422"]
                responses.setdefault("400", {"description": HTTPStatus(400).phrase})
            for status, response in responses.items():
                if status[0] in "45":
                    response["content"] = dict(problem)
    _parameters_without_null(schema)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for fastapi_default in ("HTTPValidationError", "ValidationError"):
        components.pop(fastapi_default, None)
    if "Problem" not in components:
        generated = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(generated.pop("$defs", {}))
        components["Problem"] = generated
    return schema


def _parameters_without_null(schema: dict[str, Any]) -> None:
    """An optional parameter is one a request leaves out: never JSON null.

    FastAPI writes `X | None = None` as `anyOf: [X, {type: null}]`, which tells generated
    clients to send None and fuzzers that a string parameter might be a number. The
    parameter's own schema stays, with its title, description and default.
    """
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                declared = parameter.get("schema", {})
                kinds = declared.get("anyOf", [])
                if len(kinds) == 2 and {"type": "null"} in kinds:
                    [kind] = [k for k in kinds if k != {"type": "null"}]
                    parameter["schema"] = {
                        **{k: v for k, v in declared.items() if k != "anyOf"},
                        **kind,
                    }


def install_openapi(
    app: FastAPI, *extensions: Callable[[FastAPI, dict[str, Any]], dict[str, Any]]
) -> None:
    """Serves the cleaned OpenAPI document, built once on first use.

    Each extension adds to FastAPI's document what FastAPI cannot see in the routes.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            for extend in extensions:
                schema = extend(app, schema)
            app.openapi_schema = clean_openapi(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries declaring problem documents for these statuses."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }

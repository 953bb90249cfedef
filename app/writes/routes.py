"""Registers POST, PATCH and DELETE for a WriteResource, each in one transaction."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Depends, Header, Path, Request
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth.deps import WriterDep
from app.caching import dataset_version, row_etag
from app.db import SessionDep, begin_write
from app.errors import ProblemException, problem_responses
from app.listing.render import dumps
from app.writes import idempotency
from app.writes.conditions import MERGE_PATCH, json_body, merge_patch_body
from app.writes.integrity import database_problem
from app.writes.resource import WriteResource
from app.writes.service import Outcome, create, delete_row, update_row

IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description='The row\'s ETag from GET (`"v<version>"`). Required: without it the '
        "answer is 428; when the row has changed since, 412.",
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Any unique string (a UUID). A repeat with the same body within 24 hours "
        "returns the first result; with another body it is a 422.",
    ),
]
CREATED_HEADERS = {
    "Location": {"description": "The new row's URL.", "schema": {"type": "string"}},
    "ETag": {"description": "The new row's ETag.", "schema": {"type": "string"}},
}


@contextmanager
def transaction(session: Session) -> Iterator[None]:
    """Commits what the block wrote, or rolls it all back; database errors become problems."""
    try:
        begin_write(session)
        yield
        session.commit()
    except (IntegrityError, DataError) as error:
        session.rollback()
        raise database_problem(error) from error
    except BaseException:
        session.rollback()
        raise


def respond(session: Session, outcome: Outcome) -> Response:
    headers = {"Cache-Control": "no-store", "X-Dataset-Version": str(dataset_version(session))}
    if outcome.etag:
        headers["ETag"] = outcome.etag
    if outcome.location:
        headers["Location"] = outcome.location
    if outcome.body is None:
        return Response(status_code=outcome.status, headers=headers)
    return Response(
        dumps(outcome.body), outcome.status, headers=headers, media_type="application/json"
    )


def _replayed(session: Session, replay: idempotency.Replay) -> Response:
    headers = {
        "Cache-Control": "no-store",
        "Idempotent-Replayed": "true",
        "X-Dataset-Version": str(dataset_version(session)),
    }
    if replay.location:
        headers["Location"] = replay.location
    version = orjson.loads(replay.body).get("version") if replay.body else None
    if isinstance(version, int):
        headers["ETag"] = row_etag(version)
    return Response(replay.body, replay.status, headers=headers, media_type="application/json")


class _KeyTaken(Exception):
    """A twin request with the same Idempotency-Key committed while this one waited."""


def run_create(
    resource: WriteResource,
    session: Session,
    actor: str,
    request: Request,
    body: Any,
    key: str | None,
) -> Response:
    if key is None:
        with transaction(session):
            return respond(session, create(resource, session, actor, body))
    request_hash = idempotency.fingerprint("POST", request.url.path, body.model_dump(mode="json"))
    try:
        with transaction(session):
            idempotency.purge_expired(session)
            replay = idempotency.previous(session, key, actor, request_hash)
            if replay is None:
                try:
                    idempotency.claim(session, key, actor, request_hash)
                except IntegrityError as error:
                    raise _KeyTaken from error
                outcome = create(resource, session, actor, body)
                response = respond(session, outcome)
                idempotency.settle(
                    session, key, actor, outcome.status, bytes(response.body), outcome.location
                )
    except _KeyTaken:
        replay = idempotency.previous(session, key, actor, request_hash)
        if replay is None:
            raise ProblemException(
                409,
                f"A request with {idempotency.HEADER} '{key}' is still running; retry shortly.",
                slug="conflict",
            ) from None
    if replay is not None:
        return _replayed(session, replay)
    return response


def add_write_routes(
    router: APIRouter, resource: WriteResource, *, param: str, param_help: str
) -> None:
    """POST "", PATCH /{param}, DELETE /{param} on `router` for `resource`."""
    create_body = resource.create
    update_body = resource.update
    ref_type = Annotated[str, Path(alias=param, description=param_help)]
    post_type = Annotated[None, Depends(json_body)]
    patch_type = Annotated[None, Depends(merge_patch_body)]

    def create_endpoint(
        request: Request,
        session: SessionDep,
        actor: WriterDep,
        _json: post_type,
        body: create_body,  # type: ignore[valid-type]
        idempotency_key: IdempotencyKey = None,
    ) -> Response:
        return run_create(resource, session, actor, request, body, idempotency_key)

    def update_endpoint(
        ref: ref_type,
        session: SessionDep,
        actor: WriterDep,
        _json: patch_type,
        body: Annotated[update_body, Body(media_type=MERGE_PATCH)],  # type: ignore[valid-type]
        if_match: IfMatch = None,
    ) -> Response:
        with transaction(session):
            outcome = update_row(resource, session, actor, ref, if_match, body)
            return respond(session, outcome)

    def delete_endpoint(
        ref: ref_type, session: SessionDep, actor: WriterDep, if_match: IfMatch = None
    ) -> Response:
        with transaction(session):
            outcome = delete_row(resource, session, actor, ref, if_match)
            return respond(session, outcome)

    label = resource.label
    _add(
        router,
        "",
        create_endpoint,
        "POST",
        operation_id=f"create_{resource.name}_item",
        summary=f"Create a {label}",
        status_code=201,
        response_model=resource.read,
        responses={
            201: {"description": f"The new {label}.", "headers": CREATED_HEADERS},
            **problem_responses(400, 401, 403, 409, 415, 422, 500, 503),
        },
    )
    _add(
        router,
        f"/{{{param}}}",
        update_endpoint,
        "PATCH",
        operation_id=f"update_{resource.name}_item",
        summary=f"Change a {label} (JSON merge patch)",
        response_model=resource.read,
        responses=problem_responses(400, 401, 403, 404, 409, 412, 415, 422, 428, 500, 503),
        openapi_extra={
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{update_body.__name__}"}
                    }
                }
            }
        },
    )
    _add(
        router,
        f"/{{{param}}}",
        delete_endpoint,
        "DELETE",
        operation_id=f"delete_{resource.name}_item",
        summary=f"Delete a {label}",
        status_code=204,
        response_class=Response,
        responses={
            204: {"description": "Deleted."},
            **problem_responses(401, 403, 404, 409, 412, 428, 500, 503),
        },
    )


def _add(
    router: APIRouter, path: str, endpoint: Callable[..., Response], method: str, **options: Any
) -> None:
    router.add_api_route(path, endpoint, methods=[method], **options)

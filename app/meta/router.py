from fastapi import APIRouter, Request
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from app import __version__
from app.caching import ConditionalDep
from app.db import SessionDep
from app.errors import ProblemException, problem_responses
from app.listing.render import dumps
from app.meta.queries import dataset_licences, ping, row_counts
from app.meta.schemas import Health, MetaRead

CITATION = (
    "BRI Tracker (dataset version {version}), retrieved {{date}} from {{url}}. Cite each fact's "
    "own source as well: every row names its source and locator."
)

router = APIRouter(tags=["meta"])


@router.get(
    "/v1/meta",
    response_model=MetaRead,
    operation_id="get_meta",
    summary="Dataset version, row counts, licences and how to cite",
    responses={304: {"description": "Not Modified"}, **problem_responses(500, 503)},
)
def get_meta(session: SessionDep, conditional: ConditionalDep) -> Response:
    body = {
        "name": "BRI Tracker",
        "api_version": __version__,
        "dataset_version": conditional.version,
        "row_counts": row_counts(session),
        "licences": dataset_licences(session),
        "how_to_cite": CITATION.format(version=conditional.version),
        "documentation": "/docs",
    }
    return Response(dumps(body), media_type="application/json", headers=conditional.headers())


@router.get(
    "/healthz",
    response_model=Health,
    operation_id="get_health",
    summary="The process is up",
    responses=problem_responses(500),
)
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    operation_id="get_readiness",
    summary="The database is reachable",
    responses=problem_responses(500, 503),
)
def readyz(session: SessionDep, request: Request) -> Health:
    try:
        ping(session)
    except SQLAlchemyError as error:
        raise ProblemException(
            503, "The database is unreachable.", slug="unavailable", headers={"Retry-After": "5"}
        ) from error
    return Health(status="ready")

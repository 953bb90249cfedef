"""The FastAPI application: routers, problem handlers, caching, CORS."""

from fastapi import Depends, FastAPI, Request
from starlette.responses import Response

from app import __version__
from app.answers import AnswerCache
from app.auth.deps import require_read
from app.caching import NotModified
from app.changes.router import router as changes_router
from app.countries.router import router as countries_router
from app.errors import install_openapi, install_problem_handlers
from app.events.router import router as events_router
from app.figures.router import router as figures_router
from app.funding.router import router as funding_router
from app.listing.query_model import document_parameters
from app.meta.router import router as meta_router
from app.ops import install as install_operations
from app.ops.cors import ProblemCORSMiddleware
from app.organisations.router import router as organisations_router
from app.projects.router import router as projects_router
from app.settings import get_settings
from app.sources.router import router as sources_router
from app.stances.router import router as stances_router
from app.strands.router import router as strands_router

ROUTERS = [
    meta_router,
    strands_router,
    countries_router,
    organisations_router,
    projects_router,
    funding_router,
    figures_router,
    stances_router,
    events_router,
    sources_router,
    changes_router,
]

DESCRIPTION = """A REST API for China's Belt and Road Initiative: projects, countries,
silk-road strands, money committed and reported figures, each fact citing its source.
Errors are `application/problem+json`; lists page with opaque keyset cursors."""


async def _not_modified(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NotModified)
    return Response(status_code=304, headers=exc.headers)


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="BRI Tracker",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[{"name": router.tags[0]} for router in ROUTERS if router.tags],
    )
    app.state.answers = AnswerCache(settings.answer_cache_bytes)
    install_problem_handlers(app)
    install_openapi(app, document_parameters)
    app.add_exception_handler(NotModified, _not_modified)
    # A private API (BRI_PRIVATE=true) wants a read or write key on every /v1 request.
    read_guard = [Depends(require_read)] if settings.private else []
    for router in ROUTERS:
        app.include_router(router, dependencies=read_guard)
    if settings.cors_origins:
        app.add_middleware(
            ProblemCORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
                "X-Request-ID",
            ],
            expose_headers=["ETag", "Location", "X-Dataset-Version", "X-Request-ID"],
        )
    # Last: limits, security headers, request ids, logs, metrics and database faults wrap
    # every route and middleware above.
    install_operations(app, settings)
    return app


app = create_app()

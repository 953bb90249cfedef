"""Wires limits, security headers, request ids, logs, metrics and fault handling into an app."""

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from sqlalchemy import Engine
from starlette.middleware import Middleware

from app.db import get_engine
from app.errors import problem_responses
from app.ops.database import install_database_handlers
from app.ops.guard import RequestGuardMiddleware
from app.ops.head import HeadAsGetMiddleware
from app.ops.metrics import Metrics
from app.ops.observe import ObserveMiddleware
from app.settings import Settings


def install(app: FastAPI, settings: Settings, *, engine: Callable[[], Engine] = get_engine) -> None:
    """Call once, after every other middleware, so these wrap them all."""
    install_database_handlers(app)
    metrics = Metrics(engine)
    app.state.metrics = metrics
    if settings.metrics_enabled:
        app.add_api_route(
            "/metrics",
            metrics.endpoint(),
            methods=["GET"],
            response_class=PlainTextResponse,
            operation_id="get_metrics",
            summary="Prometheus metrics: requests, latency, database pool, process",
            tags=["meta"],
            responses={
                200: {"content": {"text/plain": {"schema": {"type": "string"}}}},
                **problem_responses(500),
            },
        )
    docs = {app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
    # Innermost: limits are checked after CORS, so a refusal still carries CORS headers.
    app.user_middleware.append(
        Middleware(
            RequestGuardMiddleware,
            max_body_bytes=settings.max_body_bytes,
            max_url_bytes=settings.max_url_bytes,
        )
    )
    # Innermost of all: routes see HEAD as GET; everything outside still sees HEAD.
    app.user_middleware.append(Middleware(HeadAsGetMiddleware))
    # Outermost: sees every answer, including refusals and CORS preflights.
    app.add_middleware(
        ObserveMiddleware,
        metrics=metrics,
        docs_paths=frozenset(path for path in docs if path),
    )

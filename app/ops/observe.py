"""The outermost middleware: request id, security headers, one log line and metrics per request.

It also turns an exception that escaped every handler into the 500 problem document
itself, so even that answer carries the request id and the security headers.
"""

import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import problem_response
from app.ops.headers import security_headers
from app.ops.logs import REQUEST_ID
from app.ops.metrics import UNMATCHED, Metrics

access_log = logging.getLogger("app.access")
error_log = logging.getLogger("app.errors")
# Accepted from clients as is: enough for UUIDs and trace ids, nothing that could forge
# a log line or a header.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def request_id(headers: Headers) -> str:
    given = headers.get("x-request-id", "")
    return given if REQUEST_ID_PATTERN.fullmatch(given) else uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class ObserveMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, docs_paths: frozenset[str]) -> None:
        self.app = app
        self.metrics = metrics
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(Headers(scope=scope))
        token = REQUEST_ID.set(rid)
        added = [(b"x-request-id", rid.encode()), *security_headers(scope["path"], self.docs_paths)]
        status = 500
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = MutableHeaders(scope=message)
                for name, value in added:
                    if name.decode() not in headers:
                        headers.append(name.decode(), value.decode())
            await send(message)

        begun = time.perf_counter()
        self.metrics.in_progress.inc()
        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            error_log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if started:
                raise
            answer = problem_response(
                Request({**scope, "query_string": b""}),
                500,
                "An unexpected error occurred; it has been logged.",
            )
            await answer(scope, receive, send_with_headers)
        finally:
            self.metrics.in_progress.dec()
            seconds = time.perf_counter() - begun
            route = route_template(scope)
            self.metrics.observe(scope["method"], route, status, seconds)
            access_log.info(
                "%s %s %s",
                scope["method"],
                route,
                status,
                extra={
                    "request_id": rid,
                    "method": scope["method"],
                    "route": route,
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                },
            )
            REQUEST_ID.reset(token)

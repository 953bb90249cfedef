"""HEAD answers exactly as GET would, headers only (RFC 9110, section 9.3.2).

curl scripts and caches ask `HEAD` for an ETag or a dataset version without the body.
FastAPI routes declare GET only, so the request reaches them as GET and the body is
dropped on its way out; the server still sees HEAD and sends no body bytes.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        as_get = {**scope, "method": "GET"}
        try:
            await self.app(as_get, receive, headers_only)
        finally:
            # The router records the matched route in the scope it saw; logs and metrics
            # outside read it from this one.
            if "route" in as_get:
                scope["route"] = as_get["route"]

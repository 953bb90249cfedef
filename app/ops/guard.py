"""Request limits checked before any route runs (OWASP API4).

- The URL (path and query) is at most `max_url_bytes` (414), percent-decodes to UTF-8 and
  holds no NUL character (400): a route never sees text the database cannot compare.
- A request body is at most `max_body_bytes` (413). A declared Content-Length over the
  limit is refused before reading; a chunked body is counted while it is read and refused
  as soon as it passes the limit. A body within the limit is handed on in one piece.
"""

from urllib.parse import unquote_to_bytes

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ProblemError, problem_response


class Refused(Exception):
    def __init__(self, status: int, detail: str, slug: str, field: str) -> None:
        super().__init__(detail)
        self.status, self.detail, self.slug, self.field = status, detail, slug, field


def check_url(scope: Scope, max_url_bytes: int) -> None:
    raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
    query: bytes = scope.get("query_string", b"")
    if len(raw_path) + len(query) > max_url_bytes:
        raise Refused(414, f"The URL is longer than {max_url_bytes} bytes.", "uri-too-long", "url")
    for part, raw in (("path", raw_path), ("query", query.replace(b"+", b" "))):
        decoded = unquote_to_bytes(raw)
        try:
            decoded.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(
                400, f"The {part} is not valid UTF-8 once percent-decoded.", "invalid-" + part, part
            ) from None
        if b"\x00" in decoded:
            raise Refused(400, f"The {part} contains a NUL character.", "invalid-" + part, part)


async def read_body(receive: Receive, headers: Headers, limit: int) -> bytes | None:
    """The whole body, or None when the client went away before sending it."""
    declared = headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()):
            raise Refused(400, "Content-Length is not a number.", "bad-request", "content-length")
        if int(declared) > limit:
            raise Refused(413, too_large(limit), "content-too-large", "body")
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if len(body) > limit:
            raise Refused(413, too_large(limit), "content-too-large", "body")
        if not message.get("more_body", False):
            return bytes(body)


def too_large(limit: int) -> str:
    return f"The request body is larger than the limit of {limit} bytes."


class RequestGuardMiddleware:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, max_url_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_url_bytes = max_url_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        has_body = "content-length" in headers or "transfer-encoding" in headers
        try:
            check_url(scope, self.max_url_bytes)
            body = await read_body(receive, headers, self.max_body_bytes) if has_body else b""
        except Refused as refused:
            await refusal(scope, refused)(scope, receive, send)
            return
        if body is None:
            return
        if not has_body:
            await self.app(scope, receive, send)
            return
        await self.app(scope, replay(body, receive), send)


def refusal(scope: Scope, refused: Refused) -> ASGIApp:
    # A path that failed its check is not echoed back as the problem's instance; the
    # query is left out since it may not decode at all.
    request = Request({**scope, "query_string": b""}) if refused.field != "path" else None
    error = ProblemError(location=refused.field, field=refused.field, message=refused.detail)
    headers = {"Connection": "close"} if refused.status == 413 else None
    return problem_response(
        request, refused.status, refused.detail, slug=refused.slug, errors=[error], headers=headers
    )


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that hands over the buffered body once, then waits on the real one."""
    sent = False

    async def receive_again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_again

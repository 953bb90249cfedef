"""CORS whose refused preflight is a problem document, like every other error."""

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from app.errors import problem_response


class ProblemCORSMiddleware(CORSMiddleware):
    def preflight_response(self, request_headers: Headers) -> Response:
        answer = super().preflight_response(request_headers)
        if answer.status_code != 400:
            return answer
        # Starlette's text names what was refused: "Disallowed CORS origin, method".
        refused = bytes(answer.body).decode().removeprefix("Disallowed CORS ")
        headers = {
            name: value
            for name, value in answer.headers.items()
            if name not in ("content-length", "content-type")
        }
        return problem_response(
            None,
            400,
            f"CORS preflight refused; not allowed: {refused}.",
            slug="cors-refused",
            headers=headers,
        )

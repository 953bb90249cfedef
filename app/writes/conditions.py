"""Request preconditions of writes: If-Match against the row's ETag, and the body's type."""

from fastapi import Request

from app.caching import row_etag
from app.errors import ProblemError, ProblemException

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"


def check_if_match(header: str | None, version: int, label: str) -> None:
    """428 without If-Match, 412 unless it names the row's current ETag (or is `*`).

    A `W/` prefix is ignored: the version is the ETag's whole meaning, and proxies that
    compress responses weaken ETags on the way to the client.
    """
    current = row_etag(version)
    if header is None or not header.strip():
        raise ProblemException(
            428,
            f"Changing {_article(label)} {label} needs an If-Match header with its ETag (from "
            "GET), so no one overwrites a change they have not seen.",
            slug="precondition-required",
            errors=[ProblemError(location="header", field="If-Match", message="missing")],
        )
    tags = {part.strip().removeprefix("W/") for part in header.split(",")}
    if "*" not in tags and current not in tags:
        raise ProblemException(
            412,
            f"The {label} has changed: its ETag is now {current}, not {header.strip()}. Fetch "
            "it again, reapply your change and send the new ETag in If-Match.",
            slug="precondition-failed",
            errors=[ProblemError(location="header", field="If-Match", message="stale")],
            headers={"ETag": current},
        )


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def json_body(request: Request) -> None:
    """POST bodies are JSON."""
    if _media_type(request) != JSON:
        raise _unsupported(request, [JSON])


def merge_patch_body(request: Request) -> None:
    """PATCH bodies are JSON merge patches (RFC 7396); plain JSON is read the same way."""
    if _media_type(request) not in (MERGE_PATCH, JSON):
        raise _unsupported(request, [MERGE_PATCH, JSON], {"Accept-Patch": MERGE_PATCH})


def _unsupported(
    request: Request, accepted: list[str], headers: dict[str, str] | None = None
) -> ProblemException:
    given = _media_type(request) or "none"
    return ProblemException(
        415,
        f"Content-Type {given} is not accepted here; send {' or '.join(accepted)}.",
        slug="unsupported-media-type",
        errors=[ProblemError(location="header", field="Content-Type", message=given)],
        headers=headers,
    )


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"

"""HTTP caching for every GET: strong ETags from the dataset version and the request.

The dataset version is the number of the latest change, so any write anywhere moves
every ETag on; no state lives in the API process.
"""

import hashlib
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.db import InlineSessions
from app.models import Change
from app.prepared import Prepared
from app.settings import get_settings


class NotModified(Exception):
    """Raised when If-None-Match already names the current representation."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__("not modified")
        self.headers = headers


LATEST_VERSION = Prepared(select(func.coalesce(func.max(Change.version), 0)))


def dataset_version(session: Session) -> int:
    return int(LATEST_VERSION.scalar(session) or 0)


def negotiated_format(request: Request) -> str:
    explicit = request.query_params.get("format")
    if explicit:
        return explicit
    accept = request.headers.get("accept", "")
    if "text/csv" in accept:
        return "csv"
    if "application/x-ndjson" in accept:
        return "ndjson"
    return "json"


@dataclass(frozen=True)
class Conditional:
    version: int
    etag: str

    def headers(self) -> dict[str, str]:
        return {
            "ETag": self.etag,
            "Cache-Control": f"public, max-age={get_settings().cache_max_age}",
            "X-Dataset-Version": str(self.version),
            "Vary": "Accept",
        }


def _etag(request: Request, version: int) -> str:
    query = sorted(request.query_params.multi_items())
    material = f"{version}|{request.url.path}|{query}|{negotiated_format(request)}"
    return '"' + hashlib.sha256(material.encode()).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


async def conditional_get(request: Request, sessions: InlineSessions) -> Conditional:
    with sessions() as session:  # one indexed max(): on the event loop (see inline_sessions)
        version = dataset_version(session)
    conditional = Conditional(version, _etag(request, version))
    if _matches(request.headers.get("if-none-match"), conditional.etag):
        raise NotModified(conditional.headers())
    return conditional


ConditionalDep = Annotated[Conditional, Depends(conditional_get)]


def row_etag(version: int) -> str:
    """A row's ETag: its version. GET answers it; PATCH and DELETE check it in If-Match."""
    return f'"v{version}"'


def row_headers(
    request: Request, session: Session, version: int, dataset: int | None = None
) -> dict[str, str]:
    """Caching headers for one row; raises NotModified when If-None-Match names it.

    `dataset` is the dataset version when the caller read it with the row already.
    """
    headers = {
        "ETag": row_etag(version),
        "Cache-Control": f"public, max-age={get_settings().cache_max_age}",
        "X-Dataset-Version": str(dataset_version(session) if dataset is None else dataset),
        "Vary": "Accept",
    }
    if _matches(request.headers.get("if-none-match"), headers["ETag"]):
        raise NotModified(headers)
    return headers

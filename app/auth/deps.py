"""The bearer-key dependencies: `WriterDep` for writes, `require_read` for a private API."""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth.keys import Caller, authenticate
from app.db import SessionDep
from app.errors import ProblemException
from app.models.enums import KeyScope

REALM = 'Bearer realm="bri-tracker"'

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    bearerFormat="bri_<prefix>_<secret>",
    description="An API key made with `bri keys create`; scopes `read` and `write`.",
)
CredentialsDep = Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]


def _caller(credentials: HTTPAuthorizationCredentials | None, session: SessionDep) -> Caller:
    if credentials is None:
        raise ProblemException(
            401,
            "This request needs an API key: send 'Authorization: Bearer <key>'.",
            slug="unauthorized",
            headers={"WWW-Authenticate": REALM},
        )
    caller = authenticate(session, credentials.credentials)
    if caller is None:
        raise ProblemException(
            401,
            "The API key is not valid: it is malformed, unknown or revoked.",
            slug="unauthorized",
            headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
        )
    return caller


def _require(scope: KeyScope, caller: Caller) -> Caller:
    # A write key may also read; a read key may only read.
    if scope == KeyScope.write and caller.scope != KeyScope.write:
        raise ProblemException(
            403,
            f"The key '{caller.name}' has scope '{caller.scope}'; this request needs 'write'.",
            slug="forbidden",
            headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope", scope="write"'},
        )
    return caller


def require_write(credentials: CredentialsDep, session: SessionDep) -> str:
    """The name of the calling write key: the actor the audit log records."""
    return _require(KeyScope.write, _caller(credentials, session)).name


def require_read(request: Request, credentials: CredentialsDep, session: SessionDep) -> None:
    """Used only when BRI_PRIVATE=true: every /v1 request then needs a read or write key."""
    if request.url.path.startswith("/v1/"):
        _require(KeyScope.read, _caller(credentials, session))


WriterDep = Annotated[str, Depends(require_write)]

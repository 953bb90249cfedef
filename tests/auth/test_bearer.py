"""Bearer keys on the API: 401 without a valid key, 403 with the wrong scope."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.keys import revoke_key
from app.main import create_app
from app.models.enums import KeyScope
from app.settings import get_settings
from tests.api_helpers import assert_problem
from tests.sessions import shared, use_sessions
from tests.writes.helpers import bearer

SOURCE = {"key": "new-source", "kind": "report", "title": "A report"}
REALM = 'Bearer realm="bri-tracker"'


def test_a_write_without_a_key_is_401(client: TestClient) -> None:
    response = client.post("/v1/sources", json=SOURCE)
    assert_problem(
        response,
        401,
        "unauthorized",
        "This request needs an API key: send 'Authorization: Bearer <key>'.",
    )
    assert response.headers["www-authenticate"] == REALM
    assert client.get("/v1/sources/new-source").status_code == 404


def test_changes_and_deletes_without_a_key_are_401(client: TestClient) -> None:
    path = "/v1/sources/magnus-bretherton-2020"
    headers = {"If-Match": '"v1"', "Content-Type": "application/merge-patch+json"}
    before = client.get(path).json()
    assert_problem(client.patch(path, json={"note": "x"}, headers=headers), 401, "unauthorized")
    assert_problem(client.delete(path, headers=headers), 401, "unauthorized")
    assert client.get(path).json() == before


@pytest.mark.parametrize(
    "authorization",
    ["Bearer nonsense", "Bearer bri_0123abcd_" + "x" * 43, "Bearer "],
)
def test_a_bad_key_is_401(client: TestClient, authorization: str) -> None:
    response = client.post("/v1/sources", json=SOURCE, headers={"Authorization": authorization})
    if authorization == "Bearer ":
        assert response.headers["www-authenticate"] == REALM
        assert_problem(response, 401, "unauthorized")
        return
    assert_problem(
        response,
        401,
        "unauthorized",
        "The API key is not valid: it is malformed, unknown or revoked.",
    )
    assert response.headers["www-authenticate"] == f'{REALM}, error="invalid_token"'


def test_basic_auth_is_not_a_bearer_key(client: TestClient) -> None:
    response = client.post("/v1/sources", json=SOURCE, headers={"Authorization": "Basic YTpi"})
    assert_problem(response, 401, "unauthorized")


def test_a_revoked_key_is_401(client: TestClient, session: Session) -> None:
    headers = bearer(session, "leaver")
    revoke_key(session, "leaver")
    session.commit()
    assert_problem(client.post("/v1/sources", json=SOURCE, headers=headers), 401, "unauthorized")


def test_a_read_key_cannot_write(client: TestClient, session: Session) -> None:
    reader = bearer(session, "analyst", KeyScope.read)
    response = client.post("/v1/sources", json=SOURCE, headers=reader)
    assert_problem(
        response,
        403,
        "forbidden",
        "The key 'analyst' has scope 'read'; this request needs 'write'.",
    )
    assert response.headers["www-authenticate"] == (
        f'{REALM}, error="insufficient_scope", scope="write"'
    )
    path = "/v1/sources/magnus-bretherton-2020"
    with_etag = {**reader, "If-Match": '"v1"'}
    assert_problem(client.patch(path, json={"note": "x"}, headers=with_etag), 403, "forbidden")
    assert_problem(client.delete(path, headers=with_etag), 403, "forbidden")


def test_the_audit_log_names_the_key(client: TestClient, session: Session) -> None:
    writer = bearer(session, "maria")
    assert client.post("/v1/sources", json=SOURCE, headers=writer).status_code == 201
    feed = client.get("/v1/changes", params={"resource": "sources", "op": "create"}).json()
    assert feed["data"][-1]["actor"] == "maria"


def test_reads_need_no_key_by_default(client: TestClient) -> None:
    assert client.get("/v1/sources").status_code == 200


@pytest.fixture
def private_client(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """An app started with BRI_PRIVATE=true."""
    monkeypatch.setenv("BRI_PRIVATE", "true")
    get_settings.cache_clear()
    try:
        app = create_app()
    finally:
        monkeypatch.delenv("BRI_PRIVATE")
        get_settings.cache_clear()
    use_sessions(app, shared(session))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_a_private_api_needs_a_key_to_read(private_client: TestClient, session: Session) -> None:
    response = private_client.get("/v1/projects")
    assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == REALM
    reader = bearer(session, "analyst", KeyScope.read)
    writer = bearer(session, "curator", KeyScope.write)
    assert private_client.get("/v1/projects", headers=reader).status_code == 200
    assert private_client.get("/v1/changes", headers=writer).status_code == 200
    assert private_client.get("/v1/meta").status_code == 401
    assert private_client.get("/healthz").status_code == 200
    created = private_client.post("/v1/sources", json=SOURCE, headers=writer)
    assert created.status_code == 201, created.text
    assert_problem(
        private_client.post("/v1/sources", json=SOURCE, headers=reader), 403, "forbidden"
    )

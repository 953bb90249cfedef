"""Helpers for tests that write: keys, headers, and the ETag dance."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth.keys import create_key
from app.models.enums import KeyScope

MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def bearer(session: Session, name: str, scope: KeyScope = KeyScope.write) -> dict[str, str]:
    """Authorization headers for a new key called `name`, committed (to the test's savepoint)
    so that a request rolling its own write back keeps the key."""
    key = create_key(session, name, scope)
    session.commit()
    return {"Authorization": f"Bearer {key}"}


def etag(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return response.headers["ETag"]


def patch(client: TestClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """PATCH with the row's current ETag."""
    return client.patch(
        path, json=body, headers={**headers, **MERGE_PATCH, "If-Match": etag(client, path)}
    )


def delete(client: TestClient, path: str, headers: dict[str, str]) -> Any:
    return client.delete(path, headers={**headers, "If-Match": etag(client, path)})


def bad_request(response: Any) -> Any:
    """A 400 problem document (its `type` depends on which check refused the request)."""
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()

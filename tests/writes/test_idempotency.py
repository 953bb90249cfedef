"""Idempotency-Key on POST: a repeat gets the first answer; another body with the key, a 422."""

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Change, IdempotencyRecord
from app.models.base import utcnow
from tests.api_helpers import ARTICLE, assert_problem
from tests.writes.helpers import bad_request, bearer

EVENT: dict[str, Any] = {
    "key": "forum-2017",
    "title": "First Belt and Road Forum",
    "kind": "milestone",
    "date": "2017-05-14",
    "date_precision": "day",
    "source": ARTICLE,
    "locator": "para 8",
}


def post(client: TestClient, headers: dict[str, str], key: str, body: Any = EVENT) -> Any:
    return client.post("/v1/events", json=body, headers={**headers, "Idempotency-Key": key})


def changes(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Change)) or 0


def test_a_repeat_returns_the_first_result(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    first = post(client, writer, "a1")
    assert first.status_code == 201, first.text
    logged = changes(session)
    again = post(client, writer, "a1")
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == '"v1"'
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert changes(session) == logged
    assert client.get("/v1/events", params={"q": "First Belt"}).json()["meta"]["count"] == 1


def test_the_same_key_with_another_body_is_422(client: TestClient, writer: dict[str, str]) -> None:
    assert post(client, writer, "a1").status_code == 201
    response = post(client, writer, "a1", {**EVENT, "title": "Another"})
    body = assert_problem(
        response,
        422,
        "idempotency-key-reused",
        "The Idempotency-Key 'a1' was already used with a different request; use a new key "
        "for a new request.",
    )
    assert body["errors"] == [
        {"location": "header", "field": "Idempotency-Key", "message": "used for another request"}
    ]
    assert client.get("/v1/events/forum-2017").json()["title"] == "First Belt and Road Forum"


def test_the_same_key_on_another_path_is_422(client: TestClient, writer: dict[str, str]) -> None:
    assert post(client, writer, "a1").status_code == 201
    source = {"key": "forum-report", "kind": "report", "title": "Forum report"}
    response = client.post("/v1/sources", json=source, headers={**writer, "Idempotency-Key": "a1"})
    assert_problem(response, 422, "idempotency-key-reused")


def test_keys_belong_to_one_api_key(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    assert post(client, writer, "a1").status_code == 201
    other = bearer(session, "second-curator")
    response = post(client, other, "a1", {**EVENT, "key": "forum-2019"})
    assert response.status_code == 201, response.text
    assert "idempotent-replayed" not in response.headers


def test_a_failed_request_does_not_use_up_its_key(
    client: TestClient, writer: dict[str, str]
) -> None:
    assert_problem(
        post(client, writer, "a1", {**EVENT, "strand": "space"}), 422, "unprocessable-entity"
    )
    assert post(client, writer, "a1").status_code == 201


def test_records_are_kept_a_day_then_purged(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    assert post(client, writer, "old").status_code == 201
    kept = session.scalar(
        select(IdempotencyRecord.created_at).where(IdempotencyRecord.key == "old")
    )
    assert kept is not None
    assert post(client, writer, "old").headers["idempotent-replayed"] == "true"
    record = session.get(IdempotencyRecord, {"key": "old", "actor": "curator"})
    assert record is not None
    record.created_at = utcnow() - timedelta(hours=24, seconds=1)
    session.commit()
    response = post(client, writer, "new", {**EVENT, "key": "forum-2019"})
    assert response.status_code == 201
    session.expire_all()
    assert session.get(IdempotencyRecord, {"key": "old", "actor": "curator"}) is None
    again = post(client, writer, "old", {**EVENT, "key": "forum-2021"})
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers


def test_the_stored_result_is_the_response(
    client: TestClient, writer: dict[str, str], session: Session
) -> None:
    first = post(client, writer, "a1")
    record = session.get(IdempotencyRecord, {"key": "a1", "actor": "curator"})
    assert record is not None
    assert (record.status_code, record.location) == (201, first.headers["location"])
    assert record.response_body.encode() == first.content


def test_an_overlong_key_is_400(client: TestClient, writer: dict[str, str]) -> None:
    body = bad_request(post(client, writer, "k" * 201))
    assert body["errors"] == [
        {
            "location": "header",
            "field": "Idempotency-Key",
            "message": "String should have at most 200 characters",
        }
    ]

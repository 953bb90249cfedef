"""Recent answers by ETag: computed once per state of the data, never served for another."""

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.orm import Session
from starlette.requests import Request

from app import prepared
from app.answers import AnswerCache
from tests.writes.helpers import bearer, patch


def request(base: str = "http://testserver") -> Request:
    scheme, host = base.split("://")
    return Request(
        {"type": "http", "scheme": scheme, "server": (host, 80), "path": "/", "headers": []}
    )


class Counter:
    def __init__(self, body: bytes) -> None:
        self.body, self.calls = body, 0

    def __call__(self) -> bytes:
        self.calls += 1
        return self.body


def test_the_same_etag_and_base_url_is_computed_once() -> None:
    cache, compute = AnswerCache(1000), Counter(b"answer")
    for _ in range(3):
        assert cache.get_or_compute(request(), '"a"', compute) == b"answer"
    assert compute.calls == 1
    cache.get_or_compute(request(), '"b"', compute)  # another state or request
    cache.get_or_compute(request("http://other:8000"), '"a"', compute)  # its links differ
    assert compute.calls == 3


def test_async_answers_serve_a_kept_answer_on_the_loop_and_compute_a_miss_once() -> None:
    cache, compute = AnswerCache(1000), Counter(b"answer")
    main = threading.get_ident()
    ran_in: list[int] = []

    def computed() -> bytes:
        ran_in.append(threading.get_ident())
        return compute()

    async def twice() -> list[bytes]:
        return [await cache.answer(request(), '"a"', computed) for _ in range(2)]

    assert asyncio.run(twice()) == [b"answer", b"answer"]
    assert compute.calls == 1
    assert ran_in != [main]  # the miss was computed off the event loop's thread
    assert cache.peek(request(), '"a"') == b"answer"
    assert cache.peek(request(), '"b"') is None
    assert AnswerCache(0).peek(request(), '"a"') is None  # off: nothing is kept


def test_the_oldest_answers_go_first_when_full() -> None:
    cache = AnswerCache(100)
    for tag in "abcd":
        cache.get_or_compute(request(), tag, Counter(b"x" * 12))
    cache.get_or_compute(request(), "a", Counter(b""))  # used again: now the newest
    for tag in "efghijk":
        cache.get_or_compute(request(), tag, Counter(b"x" * 12))
    again = {tag: Counter(b"x" * 12) for tag in "abcdk"}
    for tag, compute in again.items():
        cache.get_or_compute(request(), tag, compute)
    assert {tag: c.calls for tag, c in again.items()} == {"a": 0, "b": 1, "c": 1, "d": 1, "k": 0}


@pytest.mark.parametrize(("max_bytes", "size"), [(0, 1), (800, 101)])
def test_off_or_too_large_is_never_kept(max_bytes: int, size: int) -> None:
    cache, compute = AnswerCache(max_bytes), Counter(b"x" * size)
    cache.get_or_compute(request(), '"a"', compute)
    cache.get_or_compute(request(), '"a"', compute)
    assert compute.calls == 2


@pytest.fixture
def statements(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement run: through SQLAlchemy's execution or as a Prepared one."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    def run_recorded(connection: Any, batch: Any) -> Any:
        seen.extend(compiled.sql for compiled, _ in batch)
        return run(connection, batch)

    run = prepared._run
    monkeypatch.setattr(prepared, "_run", run_recorded)
    bind = session.get_bind()
    event.listen(bind, "before_cursor_execute", record)
    yield seen
    event.remove(bind, "before_cursor_execute", record)


@pytest.mark.parametrize(
    "path",
    ["/v1/funding/summary?group_by=year", "/v1/projects?strand=digital&count=exact"],
)
def test_a_repeat_only_asks_the_dataset_version(
    client: TestClient, statements: list[str], path: str
) -> None:
    first = client.get(path)
    asked = len(statements)
    again = client.get(path)
    assert (again.content, again.headers["etag"]) == (first.content, first.headers["etag"])
    assert asked > 1
    assert len(statements) == asked + 1
    assert "changes" in statements[-1]


def test_a_write_is_seen_at_once(client: TestClient, session: Session) -> None:
    writer = bearer(session, "curator")
    path = "/v1/projects?fields=key,status&strand=health"
    before = client.get(path).json()["data"]
    changed = patch(client, "/v1/projects/mask-diplomacy", {"status": "completed"}, writer)
    assert changed.status_code == 200, changed.text
    after = client.get(path).json()["data"]
    assert {r["key"]: r["status"] for r in after}["mask-diplomacy"] == "completed"
    assert {r["key"]: r["status"] for r in before}["mask-diplomacy"] == "unknown"


def test_concurrent_requests_for_one_answer_compute_it_once() -> None:
    cache, started = AnswerCache(1000), threading.Event()
    calls: list[int] = []

    def slow() -> bytes:
        calls.append(1)
        started.set()
        time.sleep(0.2)  # long enough for the others to arrive while it runs
        return b"answer"

    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(cache.get_or_compute, request(), '"a"', slow)
        started.wait()
        others = [pool.submit(cache.get_or_compute, request(), '"a"', slow) for _ in range(7)]
        bodies = [first.result()] + [f.result() for f in others]
    assert (bodies, len(calls)) == ([b"answer"] * 8, 1)


def test_a_failed_computation_is_not_kept_and_the_next_request_tries_again() -> None:
    cache, attempts = AnswerCache(1000), []

    def flaky() -> bytes:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database went away")
        return b"answer"

    with pytest.raises(RuntimeError, match="went away"):
        cache.get_or_compute(request(), '"a"', flaky)
    assert cache.get_or_compute(request(), '"a"', flaky) == b"answer"
    assert len(attempts) == 2

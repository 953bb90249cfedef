"""Recent answers kept in this process, by strong ETag: a repeat is not computed again.

A list page's or summary's ETag hashes the dataset version, the path, the query and the
format, so the same ETag always names the same bytes (for the same base URL, which the
page's links carry). Any write moves the dataset version and so every ETag: an old
answer is never served for a new state; it just ages out. The cache is bounded in bytes,
lives on the app (one per process, nothing another process needs) and is off at 0.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request


class AnswerCache:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # sync endpoints run in a thread pool
        self._running: dict[tuple[str, str], threading.Event] = {}

    async def answer(self, request: Request, etag: str, compute: Callable[[], bytes]) -> bytes:
        """For async endpoints: a kept answer straight from the event loop; otherwise
        `compute` (which runs queries) in the thread pool, through `get_or_compute`."""
        body = self.peek(request, etag)
        if body is not None:
            return body
        return await run_in_threadpool(self.get_or_compute, request, etag, compute)

    def peek(self, request: Request, etag: str) -> bytes | None:
        """The kept answer, or None; never waits."""
        if self.max_bytes <= 0:
            return None
        key = (etag, str(request.base_url))
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def get_or_compute(self, request: Request, etag: str, compute: Callable[[], bytes]) -> bytes:
        if self.max_bytes <= 0:
            return compute()
        key = (etag, str(request.base_url))
        while True:
            with self._lock:
                body = self._bodies.get(key)
                if body is not None:
                    self._bodies.move_to_end(key)
                    return body
                running = self._running.get(key)
                if running is None:
                    running = self._running[key] = threading.Event()
                    break
            # The same answer is being computed for another request: wait for it rather
            # than run the same heavy query again (a dashboard's many tabs after a write).
            running.wait()
        try:
            body = compute()
            self._keep(key, body)
            return body
        finally:
            with self._lock:
                del self._running[key]
            running.set()

    def _keep(self, key: tuple[str, str], body: bytes) -> None:
        if len(body) > self.max_bytes // 8:  # one huge page must not flush everything else
            return
        with self._lock:
            if key in self._bodies:
                return
            self._bodies[key] = body
            self._bytes += len(body)
            while self._bytes > self.max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._bytes -= len(dropped)


def answers(request: Request) -> AnswerCache:
    cache: AnswerCache = request.app.state.answers
    return cache

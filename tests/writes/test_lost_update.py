"""Concurrent curators against a real server: no update is lost, no key is used twice.

Each database gets its own server (`bri serve`, two worker processes) and its own key (made
with `bri keys create`). Threads read, modify and write the same rows at once, retrying on
412 as a client should.
"""

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.ops.support import prepared_database, serving, write_key

pytestmark = pytest.mark.e2e
FIGURE = "/v1/figures/caixin-bri-activity-2020-04-vs-2019-04"
THREADS, EDITS = 6, 5


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, str]]]:
    """The server's base URL (two worker processes) and the header of a write key."""
    folder = tmp_path_factory.mktemp("lost-update")
    url = prepared_database(request.param, "e2e_writes", folder)
    headers = {"Authorization": f"Bearer {write_key(url, 'e2e-curator')}"}
    with serving(url, folder, workers=2) as running:
        yield running.url, headers


def together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Runs work(0) … work(count - 1) in threads released at the same moment."""
    start = threading.Barrier(count)

    def run(n: int) -> Any:
        start.wait()
        return work(n)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_read_modify_write_loses_nothing(api: tuple[str, dict[str, str]]) -> None:
    base, headers = api

    def curator(n: int) -> int:
        retries = 0
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            for edit in range(EDITS):
                while True:
                    current = client.get(FIGURE)
                    note = current.json()["note"]
                    response = client.patch(
                        FIGURE,
                        json={"note": f"{note} [{n}.{edit}]"},
                        headers={
                            "Content-Type": "application/merge-patch+json",
                            "If-Match": current.headers["etag"],
                        },
                    )
                    if response.status_code != 412:
                        break
                    retries += 1
                assert response.status_code == 200, response.text
        return retries

    before = httpx.get(f"{base}{FIGURE}").json()
    retries = together(THREADS, curator)
    after = httpx.get(f"{base}{FIGURE}").json()
    appended = after["note"][len(before["note"]) :]
    tokens = sorted(appended.replace("] [", "]|[").strip().split("|"))
    assert tokens == sorted(f"[{n}.{e}]" for n in range(THREADS) for e in range(EDITS))
    assert after["version"] == before["version"] + THREADS * EDITS
    feed = httpx.get(
        f"{base}/v1/changes",
        params={"resource": "figures", "op": "update", "actor": "e2e-curator", "limit": 1000},
    ).json()
    assert feed["meta"]["count"] == THREADS * EDITS
    # Each logged update starts from the previous one's result: a chain with no gap.
    notes = [(c["before"]["note"], c["after"]["note"]) for c in feed["data"]]
    assert all(notes[i][1] == notes[i + 1][0] for i in range(len(notes) - 1))
    print(f"412 retries per curator: {retries}")  # how much contention there was (-s shows)


def test_a_repeated_post_racing_itself_creates_one_row(api: tuple[str, dict[str, str]]) -> None:
    base, headers = api
    event = {
        "key": "race-event",
        "title": "Raced",
        "kind": "report",
        "date": "2020-01-01",
        "date_precision": "day",
        "source": "magnus-bretherton-2020",
        "locator": "para 6",
    }

    def post(_: int) -> httpx.Response:
        with httpx.Client(base_url=base, timeout=60) as client:
            return client.post(
                "/v1/events", json=event, headers={**headers, "Idempotency-Key": "race-1"}
            )

    answers = together(8, post)
    assert {answer.status_code for answer in answers} == {201}, [a.text for a in answers]
    assert len({answer.content for answer in answers}) == 1
    assert len({answer.headers["location"] for answer in answers}) == 1
    assert sum("idempotent-replayed" not in answer.headers for answer in answers) == 1
    created = httpx.get(
        f"{base}/v1/changes", params={"resource": "events", "op": "create", "actor": "e2e-curator"}
    ).json()
    assert created["meta"]["count"] == 1


def test_concurrent_funding_keeps_the_project_total_exact(
    api: tuple[str, dict[str, str]],
) -> None:
    base, headers = api
    amounts = [Decimal(f"{n}.{n:02d}") for n in range(1, 9)]

    def post(n: int) -> int:
        loan = {
            "key": f"race-loan-{n}",
            "project": "go-cloud",
            "flow_type": "loan",
            "amount_usd": str(amounts[n]),
            "source": "magnus-bretherton-2020",
            "locator": "para 29",
        }
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            return client.post("/v1/funding", json=loan).status_code

    assert together(len(amounts), post) == [201] * len(amounts)
    project = httpx.get(f"{base}/v1/projects/go-cloud").json()
    assert Decimal(project["amount_usd"]) == sum(amounts)
    assert len(project["funding"]) == len(amounts)

"""Full-text search on projects: ranked, paged by keyset on (rank, id), and kept in sync."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from app.answers import AnswerCache
from app.models import Project
from tests.query_fixture import add_project, project_values


def add(session: Session, key: str, title: str, description: str) -> int:
    values = {**project_values(1), "key": key, "title": title, "description": description}
    return int(add_project(session, values)["id"])


@pytest.fixture
def lithium(session: Session) -> dict[str, int]:
    """Projects naming lithium 3, 2, 1 and 1 times (never in the title)."""
    return {
        "three": add(session, "li-3", "Salar works", "Lithium brine; lithium carbonate; lithium."),
        "one-a": add(session, "li-1a", "Andes road", "A road to a lithium mine."),
        "two": add(session, "li-2", "Battery plant", "Lithium cells from lithium salts."),
        "one-b": add(session, "li-1b", "Port upgrade", "Ships ore, some of it lithium."),
        "none": add(session, "li-0", "Unrelated dam", "Hydropower only."),
    }


def keys(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [row["key"] for row in response.json()["data"]]


def test_results_come_best_first_then_by_id(client: TestClient, lithium: dict[str, int]) -> None:
    response = client.get("/v1/projects", params={"q": "lithium", "fields": "key"})
    assert keys(response) == ["li-3", "li-2", "li-1a", "li-1b"]
    assert response.json()["meta"]["count"] == 4
    # Stemming: "lithiums" finds the same rows.
    assert keys(client.get("/v1/projects", params={"q": "Lithiums", "fields": "key"})) == [
        "li-3",
        "li-2",
        "li-1a",
        "li-1b",
    ]


def test_an_explicit_sort_replaces_the_ranking(client: TestClient, lithium: dict[str, int]) -> None:
    response = client.get("/v1/projects", params={"q": "lithium", "sort": "-id", "fields": "key"})
    assert keys(response) == ["li-1b", "li-2", "li-1a", "li-3"]


def test_ranked_results_page_with_cursors(client: TestClient, lithium: dict[str, int]) -> None:
    params = {"q": "lithium", "fields": "key", "limit": 1}
    seen: list[str] = []
    response = client.get("/v1/projects", params=params)
    while True:
        seen += keys(response)
        link = response.json()["links"]["next"]
        if link is None:
            break
        response = client.get(link)
    assert seen == ["li-3", "li-2", "li-1a", "li-1b"]


def test_rows_inserted_between_ranked_pages_are_neither_lost_nor_repeated(
    client: TestClient, session: Session, lithium: dict[str, int]
) -> None:
    first = client.get("/v1/projects", params={"q": "lithium", "fields": "key", "limit": 2})
    assert keys(first) == ["li-3", "li-2"]
    # Better than the cursor (not shown), level with the rest (after them by id), and new
    # words that change every other row's corpus statistics.
    add(session, "li-4", "Lithium hub", "lithium lithium lithium lithium")
    add(session, "li-1c", "Rail spur", "Carries lithium.")
    for n in range(20):
        add(session, f"filler-{n}", "Filler", "salt free filler text " * (n + 1))
    rest = client.get(first.json()["links"]["next"])
    seen = keys(rest)
    while rest.json()["links"]["next"]:
        rest = client.get(rest.json()["links"]["next"])
        seen += keys(rest)
    assert seen == ["li-1a", "li-1b", "li-1c"]


def test_a_ranked_cursor_is_refused_once_the_query_changes(
    client: TestClient, lithium: dict[str, int]
) -> None:
    first = client.get("/v1/projects", params={"q": "lithium", "limit": 2}).json()
    cursor = first["meta"]["next_cursor"]
    for changed in [{"q": "lithium mine"}, {"q": "lithium", "sort": "id"}]:
        response = client.get("/v1/projects", params={**changed, "limit": 2, "cursor": cursor})
        assert response.status_code == 400
        assert response.json()["detail"] == (
            "Query parameter 'cursor': belongs to a query with other parameters; start again "
            "without it"
        )


def test_search_follows_inserts_updates_and_deletes(client: TestClient, session: Session) -> None:
    # These writes go straight to the tables, past the change log that moves the dataset
    # version, so the answer cache (keyed by it) would rightly keep the old pages.
    client.app.state.answers = AnswerCache(0)  # type: ignore[attr-defined]

    def found(q: str) -> list[str]:
        return keys(client.get("/v1/projects", params={"q": q, "fields": "key"}))

    pid = add(session, "zep", "Zeppelin mooring mast", "An airship port.")
    assert found("zeppelin") == ["zep"]
    assert found("airship") == ["zep"]
    # An ORM update of the title.
    row = session.get(Project, pid)
    assert row is not None
    row.title = "Dirigible mooring mast"
    session.flush()
    assert found("zeppelin") == []
    assert found("dirigible") == ["zep"]
    # A bulk (Core) update of the description.
    session.execute(update(Project).where(Project.id == pid).values(description="A blimp port."))
    assert found("airship") == []
    assert found("blimp") == ["zep"]
    session.execute(delete(Project).where(Project.id == pid))
    assert found("dirigible") == []
    assert found("blimp") == []


@pytest.mark.parametrize("q", ['"unbalanced', "lith*", "a OR b", "NEAR(x y)", "-lithium", "'; --"])
def test_search_syntax_is_never_an_error(
    client: TestClient, lithium: dict[str, int], q: str
) -> None:
    response = client.get("/v1/projects", params={"q": q, "fields": "key"})
    assert response.status_code == 200, response.text


def test_search_combines_with_filters_and_counts(
    client: TestClient, lithium: dict[str, int]
) -> None:
    response = client.get(
        "/v1/projects", params={"q": "lithium", "strand": "bri", "fields": "key", "limit": 2}
    )
    # project_values(1) carries the bri strand, so every lithium project matches.
    assert keys(response) == ["li-3", "li-2"]
    assert response.json()["meta"]["count"] == 4
    assert keys(client.get("/v1/projects", params={"q": "lithium", "strand": "health"})) == []

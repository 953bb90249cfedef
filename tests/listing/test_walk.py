"""Pages found by walking the sort's index are the pages the usual query finds."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.listing import keyset, run, walk
from app.listing.params import ListParams, SortKey
from app.models import ProjectStrand
from app.projects.queries import PROJECTS
from tests.query_fixture import Fixture, build, sorted_rows

LIMIT = 5
# Single indexed sort keys (the walk applies) and others (it must not change a thing).
SORTS = ["-amount_usd", "amount_usd", "year", "-year", "status", "-sector_code", "title"]
FILTERS = [
    {"strand": "digital"},  # every second project: the walk finds the page
    {"strand": "bri", "status": "implementation"},  # one in five
    {"country": "PAK", "year_min": "2012"},
    {"strand": ["health", "bri"], "country_role": "recipient", "country": "KEN"},
]


@pytest.fixture
def fx(session: Session) -> Fixture:
    return build(session)


def _expected(fx: Fixture, filters: dict[str, Any], sort: str) -> list[int]:
    def keep(row: dict[str, Any]) -> bool:
        strands = filters.get("strand")
        wanted = [strands] if isinstance(strands, str) else strands
        if wanted and not set(wanted) & set(row["strands"]):
            return False
        if "status" in filters and row["status"] != filters["status"]:
            return False
        if "country" in filters and filters["country"] not in row["countries"]:
            return False
        if "country_role" in filters and row["recipient"] != filters["country"]:
            return False
        year_min = filters.get("year_min")
        return year_min is None or (row["year"] is not None and row["year"] >= int(year_min))

    return [row["id"] for row in sorted_rows(fx.projects, sort) if keep(row)]


def _all_pages(client: TestClient, params: dict[str, Any]) -> list[int]:
    ids: list[int] = []
    response = client.get("/v1/projects", params={**params, "limit": LIMIT, "fields": "id"})
    for _ in range(100):  # a wrong cursor could lead round in circles
        assert response.status_code == 200, response.text
        body = response.json()
        ids += [row["id"] for row in body["data"]]
        if body["links"]["next"] is None:
            return ids
        response = client.get(body["links"]["next"])
    raise AssertionError("more than 100 pages")


@pytest.mark.parametrize("rows_walked", [1, 3, 50, None])
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f))
def test_pages_are_the_sorted_matches(
    client: TestClient,
    fx: Fixture,
    monkeypatch: pytest.MonkeyPatch,
    rows_walked: int | None,
    sort: str,
    filters: dict[str, Any],
) -> None:
    """The walk forced, from a window of one row per page row (it mostly falls short) to
    fifty; and (None) left to its own rule, which at this size keeps the usual query."""
    if rows_walked is not None:
        monkeypatch.setattr(walk, "ROWS_WALKED_PER_ROW", rows_walked)
        monkeypatch.setattr(run, "walk_pays", lambda *_: True)
    found = _all_pages(client, {**filters, "dataset": "qf", "sort": sort})
    assert found == _expected(fx, filters, sort)
    assert found  # every case matches something


def _params(sort: str, **filters: list[Any]) -> ListParams:
    keys = tuple(SortKey(part.removeprefix("-"), part.startswith("-")) for part in sort.split(","))
    return ListParams(filters=dict(filters), limit=LIMIT, sort=keys, sort_given=True)


def _walks(params: ListParams, dialect: str = "sqlite") -> bool:
    sort = keyset.full_sort(PROJECTS, params)
    return walk.walk_ids(PROJECTS, params, sort, None, LIMIT + 1, dialect) is not None


def test_the_walk_applies_to_one_indexed_key_and_a_linked_filter() -> None:
    assert _walks(_params("-amount_usd", strand=["digital"]))
    assert _walks(_params("year", country=["PAK"], status=["pledged"]))


def test_the_walk_stays_out_where_it_cannot_help() -> None:
    assert not _walks(_params("-amount_usd", strand=["digital"]), dialect="postgresql")
    assert not _walks(_params("-amount_usd", status=["pledged"]))  # no link: SQLite walks
    assert not _walks(_params("-amount_usd"))
    assert not _walks(_params("year,-amount_usd", strand=["digital"]))  # runs of equal years
    assert not _walks(_params("title", strand=["digital"]))  # no index on title
    assert not _walks(_params("id", strand=["digital"]))  # the primary key: already cheap


def test_the_link_rows_needed_grow_with_the_table() -> None:
    # the window (50 rows per page row) plus one, until the table is large enough that
    # filling the page takes twice the share of the window
    assert walk.link_rows_needed(10_000, 51) == 2_551
    assert walk.link_rows_needed(100_000, 51) == 4_000
    assert walk.link_rows_needed(1_000_000, 51) == 40_000


def test_the_walk_pays_only_where_the_links_match_enough(
    session: Session, fx: Fixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    digital = session.scalar(
        select(func.count())
        .select_from(ProjectStrand)
        .where(ProjectStrand.strand_code == "digital")
    )
    assert digital is not None
    assert digital >= 24
    params = _params("-amount_usd", strand=["digital"])
    monkeypatch.setattr(walk, "link_rows_needed", lambda *_: digital)
    assert walk.walk_pays(session, PROJECTS, params, LIMIT + 1)
    monkeypatch.setattr(walk, "link_rows_needed", lambda *_: digital + 1)
    assert not walk.walk_pays(session, PROJECTS, params, LIMIT + 1)
    # both links must match enough: digital alone does, the country does not
    both = _params("-amount_usd", strand=["digital"], country=["PAK"])
    monkeypatch.setattr(walk, "link_rows_needed", lambda *_: digital)
    assert not walk.walk_pays(session, PROJECTS, both, LIMIT + 1)


def test_at_this_size_the_usual_query_runs(session: Session, fx: Fixture) -> None:
    assert not walk.walk_pays(session, PROJECTS, _params("-amount_usd", strand=["digital"]), 6)


def test_postgresql_walks_its_amount_index_for_biggest_first(
    session: Session, fx: Fixture, dialect: str
) -> None:
    """PostgreSQL reads `amount DESC NULLS LAST, id` order from ix_projects_amount_usd_desc.

    At a million projects its planner chose that index by itself (11 ms against a 320 ms
    scan); this fixture is too small for it to prefer, so scans and sorts are priced out
    here, as a large table prices them.
    """
    if dialect != "postgresql":
        pytest.skip("the index is PostgreSQL's; SQLite walks its ascending index")
    session.execute(text("SET LOCAL enable_seqscan = off"))
    session.execute(text("SET LOCAL enable_sort = off"))
    plan = "\n".join(
        session.execute(
            text(
                "EXPLAIN SELECT id FROM projects WHERE commitment_year BETWEEN 2010 AND 2020 "
                "ORDER BY amount_usd_nominal DESC NULLS LAST, id LIMIT 51"
            )
        ).scalars()
    )
    assert "ix_projects_amount_usd_desc" in plan

"""A record's link rows (countries, organisations, strands, citations) and their rewrite."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session

from app.imports.records import Record
from app.imports.upsert import chunks
from app.models import ProjectCitation, ProjectCountry, ProjectOrganisation, ProjectStrand

if TYPE_CHECKING:
    from app.imports.bulk import Bulk


@dataclass(frozen=True)
class Link:
    name: str
    table: Table
    columns: tuple[str, str]
    pairs: Callable[[Record], set[tuple[str, str]]]
    resolve: str | None  # which id map turns the first value into a foreign key

    def desired(self, record: Record, ids: dict[str, dict[str, int]]) -> set[tuple[Any, str]]:
        pairs = self.pairs(record)
        if self.resolve is None:
            return pairs
        mapping = ids[self.resolve]
        return {(mapping[first], second) for first, second in pairs}

    def rows(
        self, record: Record, project_id: int, ids: dict[str, dict[str, int]]
    ) -> list[dict[str, Any]]:
        first, second = self.columns
        return [
            {"project_id": project_id, first: a, second: b} for a, b in self.desired(record, ids)
        ]


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


LINKS = [
    Link(
        "countries", _table(ProjectCountry), ("country_iso3", "role"), lambda r: r.countries, None
    ),
    Link(
        "organisations",
        _table(ProjectOrganisation),
        ("organisation_id", "role"),
        lambda r: r.organisations,
        "organisations",
    ),
    Link("strands", _table(ProjectStrand), ("strand_code", "basis"), lambda r: r.strands, None),
    Link(
        "citations",
        _table(ProjectCitation),
        ("source_id", "locator"),
        lambda r: r.citations,
        "sources",
    ),
]


def current_links(
    session: Session, link: Link, project_ids: list[int]
) -> dict[int, set[tuple[Any, str]]]:
    table = link.table
    first, second = link.columns
    found: dict[int, set[tuple[Any, str]]] = {pid: set() for pid in project_ids}
    for chunk in chunks(project_ids):
        stmt = select(table.c.project_id, table.c[first], table.c[second]).where(
            table.c.project_id.in_(chunk)
        )
        for pid, a, b in session.execute(stmt):
            found[pid].add((a, str(b)))
    return found


def replace_links(
    bulk: "Bulk", link: Link, desired: dict[int, set[tuple[Any, str]]]
) -> dict[int, tuple[list[Any], list[Any]]]:
    """Makes each project's links equal `desired`; returns (before, after) where they moved."""
    session = bulk.session
    current = current_links(session, link, list(desired))
    moved = {pid: links for pid, links in desired.items() if links != current[pid]}
    first, second = link.columns
    for chunk in chunks(list(moved)):
        session.execute(delete(link.table).where(link.table.c.project_id.in_(chunk)))
    rows = [
        {"project_id": pid, first: a, second: b} for pid, links in moved.items() for a, b in links
    ]
    bulk.insert(link.table, rows)
    return {pid: (sorted(current[pid]), sorted(links)) for pid, links in moved.items()}

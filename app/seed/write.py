"""Writes validated seed data in one transaction; a second run changes nothing."""

from pathlib import Path
from typing import Any

import pycountry
from sqlalchemy import Table
from sqlalchemy.orm import Session

from app.models import (
    Country,
    Event,
    Figure,
    Funding,
    Organisation,
    OrganisationMember,
    Project,
    ProjectCitation,
    ProjectCountry,
    ProjectOrganisation,
    ProjectStrand,
    Source,
    Stance,
    Strand,
)
from app.seed.facts import event_row, figure_row, funding_row, stance_row
from app.seed.load import SeedData, load
from app.seed.totals import sync_project_totals
from app.sync import SyncCounts, sync_links, sync_rows, touch

ACTOR = "seed"
SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def seed(session: Session, directory: Path = SEED_DIR) -> dict[str, SyncCounts]:
    """Validates everything first, then writes; the caller owns the transaction."""
    data = load(directory)
    return Writer(session, data).run()


class Writer:
    def __init__(self, session: Session, data: SeedData) -> None:
        self.session = session
        self.data = data
        self.counts: dict[str, SyncCounts] = {}
        self.ids: dict[str, dict[Any, Any]] = {}
        self.created: dict[str, set[Any]] = {}
        self.relinked: set[Any] = set()

    def sync(
        self, name: str, model: Any, key: str, rows: list[dict[str, Any]], id_column: str = "id"
    ) -> None:
        result = sync_rows(
            self.session, _table(model), key, rows, resource=name, actor=ACTOR, id_column=id_column
        )
        self.counts[name] = result.counts
        self.ids[name] = result.ids
        self.created[name] = result.created

    def cite(self, row: Any) -> dict[str, Any]:
        return {"source_id": self.ids["sources"][row.cite.source], "locator": row.cite.locator}

    def org(self, key: str | None) -> Any:
        return None if key is None else self.ids["organisations"][key]

    def project(self, key: str | None) -> Any:
        return None if key is None else self.ids["projects"][key]

    def run(self) -> dict[str, SyncCounts]:
        self.sources()
        self.countries()
        self.strands()
        self.organisations()
        self.projects()
        self.facts()
        self.project_totals()
        return self.counts

    def sources(self) -> None:
        self.sync(
            "sources",
            Source,
            "key",
            [
                {
                    "key": r.key,
                    "kind": r.kind.value,
                    "title": r.title,
                    "authors": "; ".join(r.authors) or None,
                    "publisher": r.publisher,
                    "published_on": r.published_on,
                    "year": r.year,
                    "url": r.url,
                    "licence": r.licence,
                    "note": r.note,
                }
                for _, r in self.data.sources
            ],
        )

    def countries(self) -> None:
        notes = {r.iso3: r for _, r in self.data.countries}
        rows = []
        for country in pycountry.countries:
            region, subregion = self.data.regions.get(country.alpha_3, (None, None))
            note = notes.get(country.alpha_3)
            rows.append(
                {
                    "iso3": country.alpha_3,
                    "iso2": country.alpha_2,
                    "numeric": country.numeric,
                    "name": getattr(country, "common_name", None) or country.name,
                    "official_name": getattr(country, "official_name", None),
                    "region": region or None,
                    "subregion": subregion,
                    "note": note.note if note else None,
                    "source_id": self.ids["sources"][note.cite.source] if note else None,
                    "locator": note.cite.locator if note else None,
                }
            )
        self.sync("countries", Country, "iso3", rows, id_column="iso3")

    def strands(self) -> None:
        rows = [
            {
                "code": r.code,
                "name": r.name,
                "kind": r.kind.value,
                "year_launched": r.year_launched,
                "parent_code": r.parent,
                "description": r.description,
                **self.cite(r),
            }
            for _, r in self.data.strands
        ]
        # Parents first, so the foreign key to the parent always resolves.
        rows.sort(key=lambda row: row["parent_code"] is not None)
        self.sync("strands", Strand, "code", rows, id_column="code")

    def organisations(self) -> None:
        self.sync(
            "organisations",
            Organisation,
            "key",
            [
                {
                    "key": r.key,
                    "name": r.name,
                    "kind": r.kind.value,
                    "country_iso3": r.country,
                    "description": r.description,
                    **self.cite(r),
                }
                for _, r in self.data.organisations
            ],
        )
        desired = {self.org(r.key): {(m,) for m in r.members} for _, r in self.data.organisations}
        changed = sync_links(
            self.session, _table(OrganisationMember), "organisation_id", desired, ["country_iso3"]
        )
        # New members are a change of the group: its version and the dataset version move.
        regrouped = changed - self.created["organisations"]
        self.counts["organisations"].updated += len(regrouped)
        self.counts["organisations"].unchanged -= len(regrouped)
        touch(
            self.session,
            _table(Organisation),
            regrouped,
            resource="organisations",
            actor=ACTOR,
            what={oid: {"members": sorted(m for (m,) in desired[oid])} for oid in regrouped},
        )

    def projects(self) -> None:
        self.sync(
            "projects",
            Project,
            "key",
            [
                {
                    "key": r.key,
                    "title": r.title,
                    "kind": r.kind.value,
                    "description": r.description,
                    "status": r.status.value,
                    "sector_name": r.sector_name,
                    "start_year": r.start_year,
                }
                for _, r in self.data.projects
            ],
        )
        rows = [r for _, r in self.data.projects]
        sources = self.ids["sources"]
        links: list[tuple[Any, list[str], dict[Any, set[tuple[Any, ...]]]]] = [
            (
                ProjectCountry,
                ["country_iso3", "role"],
                {self.project(r.key): {(c.iso3, c.role.value) for c in r.countries} for r in rows},
            ),
            (
                ProjectOrganisation,
                ["organisation_id", "role"],
                {
                    self.project(r.key): {(self.org(o.key), o.role.value) for o in r.organisations}
                    for r in rows
                },
            ),
            (
                ProjectStrand,
                ["strand_code", "basis"],
                {self.project(r.key): {(s.code, s.basis.value) for s in r.strands} for r in rows},
            ),
            (
                ProjectCitation,
                ["source_id", "locator"],
                {
                    self.project(r.key): {(sources[c.source], c.locator) for c in r.citations}
                    for r in rows
                },
            ),
        ]
        changed: set[Any] = set()
        for model, columns, desired in links:
            changed |= sync_links(self.session, _table(model), "project_id", desired, columns)
        # A project whose links alone changed is still an updated project.
        relinked = self.relinked = changed - self.created["projects"]
        if relinked:
            self.counts["projects"].updated += len(relinked)
            self.counts["projects"].unchanged -= len(relinked)
        touch(
            self.session,
            _table(Project),
            relinked,
            resource="projects",
            actor=ACTOR,
            what={pid: {"links": "replaced"} for pid in relinked},
        )

    def project_totals(self) -> None:
        ids = [self.project(r.key) for _, r in self.data.projects]
        moved = sync_project_totals(self.session, ids, actor=ACTOR)
        # A project counts once as updated, however many of its parts changed.
        newly = len(moved - self.relinked - self.created["projects"])
        self.counts["projects"].updated += newly
        self.counts["projects"].unchanged -= newly

    def facts(self) -> None:
        data = self.data
        self.sync("funding", Funding, "key", [funding_row(r, self) for _, r in data.funding])
        self.sync("figures", Figure, "key", [figure_row(r, self) for _, r in data.figures])
        self.sync("stances", Stance, "key", [stance_row(r, self) for _, r in data.stances])
        self.sync("events", Event, "key", [event_row(r, self) for _, r in data.events])

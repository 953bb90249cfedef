"""Writes a parsed dataset file: sources, organisations, projects, funding and links.

The caller owns the transaction. A record whose fingerprint (a hash of everything it
writes) equals the stored `import_hash` is skipped, so an unchanged re-import writes
nothing and leaves every version and the dataset version as they were. New records are
inserted in batches; changed ones are rewritten by `app.imports.rewrite`.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.imports import lines, rollup
from app.imports.bulk import Bulk
from app.imports.datasets import dataset_source_id
from app.imports.links import LINKS
from app.imports.records import Parsed, Record
from app.imports.upsert import Change, Counts, upsert_by_key
from app.models import Country, Funding, Organisation, Project, Source, Strand
from app.models.enums import ChangeOp


def table_of(model: Any) -> Table:
    table: Table = model.__table__
    return table


PROJECTS, FUNDING = table_of(Project), table_of(Funding)

Stage = Callable[[str], None]


class ImportRefused(Exception):
    """The database is not ready for this import (countries or strands not loaded)."""


def check_references(bulk: Bulk, parsed: Parsed) -> None:
    countries = {code for record in parsed.records for code, _ in record.countries}
    countries |= {seen.row()["country_iso3"] for seen in parsed.organisations.values()}
    countries.discard(None)
    known = bulk.lookup(table_of(Country), "iso3", sorted(countries), [])
    missing = sorted(countries - set(known))
    if missing:
        raise ImportRefused(
            f"{len(missing)} country code(s) missing from the database "
            f"({', '.join(missing[:5])}): run `bri seed` first"
        )
    strands = {code for record in parsed.records for code, _ in record.strands}
    if strands - set(bulk.lookup(table_of(Strand), "code", sorted(strands), [])):
        raise ImportRefused("strands missing from the database: run `bri seed` first")


class Writer:
    def __init__(self, session: Session, parsed: Parsed, actor: str, stage: Stage) -> None:
        self.session = session
        self.bulk = Bulk(session)
        self.parsed = parsed
        self.actor = actor
        self.stage = stage
        self.counts: dict[str, Counts] = {}
        self.changes: list[Change] = []
        self.ids: dict[str, dict[str, int]] = {}
        self.dataset_source = 0
        self.prepared: list[tuple[Any, ...]] = []  # change log rows of changes[1:], made early

    def run(self) -> dict[str, Counts]:
        with self.bulk.tuned():
            return self.write()

    def write(self) -> dict[str, Counts]:
        self.stage("checking references")
        check_references(self.bulk, self.parsed)
        self.dataset_source = dataset_source_id(self.bulk, self.parsed.source_key, self.changes)
        self.stage("writing sources")
        self.sources()
        self.stage("writing organisations")
        self.organisations()
        self.stage("writing projects")
        self.projects()
        self.stage("writing the change log")
        self.bulk.changes(self.changes, self.actor, self.prepared)
        return self.counts

    def sources(self) -> None:
        rows = list(self.parsed.sources.values())
        # Web sources are keyed by a hash of their URL; only importers make such rows.
        done = upsert_by_key(
            self.bulk,
            table_of(Source),
            rows,
            resource="sources",
            may_update=lambda _found: self.parsed.complete,
        )
        self.ids["sources"] = done.ids | {self.parsed.source_key: self.dataset_source}
        self.counts["sources"] = done.counts
        self.changes += done.changes

    def organisations(self) -> None:
        locator = f"{self.parsed.dataset} organisation columns"
        rows = [
            {"key": key, **seen.row(), "source_id": self.dataset_source, "locator": locator}
            for key, seen in self.parsed.organisations.items()
        ]
        # An organisation someone else made (the seed, a curator, another dataset) is
        # linked to as it is; only this dataset's own organisations follow the file, and
        # only when every row was read (a few changed rows are not the whole file).
        done = upsert_by_key(
            self.bulk,
            table_of(Organisation),
            rows,
            resource="organisations",
            may_update=lambda found: (
                self.parsed.complete and found["source_id"] == self.dataset_source
            ),
        )
        self.ids["organisations"] = done.ids
        self.counts["organisations"] = done.counts
        self.changes += done.changes

    def project_row(self, record: Record) -> dict[str, Any]:
        return record.project | {
            "amount_usd_nominal": record.funding.get("amount_usd_nominal"),
            "amount_usd_constant": record.funding.get("amount_usd_constant"),
            "import_hash": record.row_hash,
        }

    def funding_row(self, record: Record, project_id: int) -> dict[str, Any]:
        financier = record.financier
        return record.funding | {
            "project_id": project_id,
            "financier_id": self.ids["organisations"][financier] if financier else None,
            "source_id": self.dataset_source,
        }

    def projects(self) -> None:
        stmt = select(PROJECTS.c.external_id, PROJECTS.c.id, PROJECTS.c.import_hash).where(
            PROJECTS.c.dataset == self.parsed.dataset
        )
        current = {external_id: (pid, h) for external_id, pid, h in self.session.execute(stmt)}
        counts = self.counts["projects"] = Counts(unchanged=self.parsed.unchanged)
        self.counts["funding"] = Counts(unchanged=self.parsed.unchanged)
        new: list[Record] = []
        changed: list[tuple[Record, int]] = []
        for record in self.parsed.records:
            found = current.get(record.external_id)
            if found is None:
                new.append(record)
            elif found[1] == record.row_hash and not self.parsed.full:
                counts.unchanged += 1
                self.counts["funding"].unchanged += 1
            else:
                changed.append((record, found[0]))
        self.insert(new)
        if changed:
            from app.imports.rewrite import rewrite

            rewrite(self, changed)

    def insert(self, new: list[Record]) -> None:
        if not new:
            return
        bulk = self.bulk
        ids = bulk.new_ids(PROJECTS, len(new))
        funding_ids = bulk.new_ids(FUNDING, len(new))
        trigger = rollup.suspendable(bulk)
        line_triggers = lines.suspendable(bulk)
        # No query from here on: each batch is written while the next one is built, and the
        # change log's rows are made while the last batches are written.
        with bulk.deferred():
            lines.suspend(bulk, line_triggers)
            rows = [self.project_row(record) for record in new]
            bulk.insert_with_ids(PROJECTS, rows, ids)
            self.counts["projects"].inserted += len(rows)
            self.changes += [
                ("projects", pid, ChangeOp.create, None, row)
                for pid, row in zip(ids, rows, strict=True)
            ]
            funding = [self.funding_row(record, pid) for record, pid in zip(new, ids, strict=True)]
            rollup.insert_funding(bulk, trigger, funding, funding_ids)
            self.counts["funding"].inserted += len(funding)
            self.changes += [
                ("funding", fid, ChangeOp.create, None, row)
                for fid, row in zip(funding_ids, funding, strict=True)
            ]
            for link in LINKS:
                link_rows = [
                    row
                    for record, pid in zip(new, ids, strict=True)
                    for row in link.rows(record, pid, self.ids)
                ]
                bulk.insert(link.table, link_rows)
            lines.write_and_restore(bulk, line_triggers, ids)
            self.prepared = bulk.change_rows(self.changes[1:], self.actor)

"""What a parsed dataset file is: records ready to write, the organisations and sources they
name, and every problem found, each with its line number."""

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """A reason a row cannot be imported (or, as a warning, was imported with a caveat)."""

    line: int
    record: str  # the record's id as the file writes it ("" when there is none)
    field: str
    value: str
    reason: str

    def __str__(self) -> str:
        record = f" (record {self.record})" if self.record else ""
        return f"line {self.line}{record}, field '{self.field}': {self.reason}"


def row_hash(prefix: str, row: list[str]) -> str:
    """The hash of a raw row (with the importer's version and options in `prefix`).

    It is stored on the project as `import_hash`: a row whose hash is unchanged since the
    last import is neither parsed nor written again.
    """
    return hashlib.sha256((prefix + "\x1f".join(row)).encode("utf-8")).hexdigest()


@dataclass
class Record:
    """One dataset row as the rows it becomes (organisations and sources by key)."""

    line: int
    external_id: str
    row_hash: str
    project: dict[str, Any]
    funding: dict[str, Any]
    financier: str | None = None  # organisation key of the funding row's financier
    organisations: set[tuple[str, str]] = field(default_factory=set)  # (key, role)
    countries: set[tuple[str, str]] = field(default_factory=set)  # (iso3, role)
    strands: set[tuple[str, str]] = field(default_factory=set)  # (code, basis)
    citations: set[tuple[str, str]] = field(default_factory=set)  # (source key, locator)


@dataclass
class OrganisationSeen:
    """Every way the file names one organisation key; the most frequent reading wins."""

    names: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    countries: Counter[str] = field(default_factory=Counter)

    def add(self, name: str, kind: str, country: str | None) -> None:
        self.names[name] += 1
        self.kinds[kind] += 1
        if country:
            self.countries[country] += 1

    def row(self) -> dict[str, Any]:
        kinds = Counter({k: n for k, n in self.kinds.items() if k != "other"}) or self.kinds
        return {
            "name": _most_common(self.names),
            "kind": _most_common(kinds),
            "country_iso3": _most_common(self.countries) if self.countries else None,
        }


def _most_common(counter: Counter[str]) -> str:
    """The most frequent value, the first seen among equals (so a file always gives one)."""
    return max(counter.items(), key=lambda item: item[1])[0]


@dataclass
class Parsed:
    """A whole file, validated. Rows unchanged since the last import are only counted."""

    dataset: str
    source_key: str  # the dataset's own source row (e.g. aiddata-gcdf-3)
    known: Mapping[str, str] = field(default_factory=dict)  # external id -> import_hash
    full: bool = False  # compare every record with the database, even unchanged rows
    rows: int = 0
    unchanged: int = 0
    records: list[Record] = field(default_factory=list)
    organisations: dict[str, OrganisationSeen] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> source row
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rejected_lines: set[int] = field(default_factory=set)
    skipped_ids: set[str] = field(default_factory=set)  # the unchanged rows' record ids

    def ids(self) -> set[str]:
        """The record ids the file names: its valid rows' (unchanged ones included) and
        those its rejected rows give."""
        rejected = {problem.record for problem in self.problems if problem.record}
        return self.skipped_ids | {record.external_id for record in self.records} | rejected

    @property
    def complete(self) -> bool:
        """Every row was read in full, so organisations and sources reflect the whole file."""
        return self.unchanged == 0

    def organisation(self, key: str) -> OrganisationSeen:
        seen = self.organisations.get(key)
        if seen is None:
            seen = self.organisations[key] = OrganisationSeen()
        return seen

    def skip(self, external_id: str, digest: str) -> bool:
        """True (and counted) when the row is the one last imported under this id."""
        if self.known.get(external_id) == digest:
            self.unchanged += 1
            self.skipped_ids.add(external_id)
            return True
        return False

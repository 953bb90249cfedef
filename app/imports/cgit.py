"""AEI's China Global Investment Tracker exported to CSV: one row per transaction.

The export starts with title and copyright lines; the header is the first line naming
Year, Month and Country. Amounts are in millions of US dollars, written `$\t1,740` or
`$ 500 `; share sizes are percentages, several when several Chinese investors share a deal
(`45%, 35%, 20%`); BRI is 1 or blank; Greenfield is G or blank; countries are names.

CGIT has no record id. A transaction's id is a hash of its year, month, investor, country,
amount and transaction party, so correcting any of those makes it a new record (the old one
stays until deleted); a change to any other column updates the record in place.
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from app.imports.cgit_values import COLUMNS, OPTIONAL, find_header, flag, millions, month, shares
from app.imports.common import Invalid, digest, slug, text, year
from app.imports.countries import UnknownCountry, fold, lookup
from app.imports.reading import FileRefused, RowReader, rows
from app.imports.records import Parsed, Problem, Record, row_hash
from app.models.enums import (
    Basis,
    CountryRole,
    FlowType,
    OrganisationKind,
    OrganisationRole,
    ProjectKind,
    ProjectStatus,
)

DATASET = "cgit"
SOURCE_KEY = "aei-cgit"
IMPORTER_VERSION = "aei-cgit/1"


class CgitRow:
    def __init__(self, header: list[str]) -> None:
        words = {" ".join(cell.split()).lower(): position for position, cell in enumerate(header)}
        self.index: dict[str, int] = {}
        for name, spellings in COLUMNS.items():
            position = next((words[s] for s in spellings if s in words), None)
            if position is not None:
                self.index[name] = position
        missing = [COLUMNS[n][0] for n in COLUMNS if n not in self.index and n not in OPTIONAL]
        if missing:
            raise FileRefused("not a CGIT file: missing column(s) " + ", ".join(missing))
        self.header = header
        self.reader = RowReader({header[i].strip(): i for i in self.index.values()})
        self.column = {name: header[position].strip() for name, position in self.index.items()}
        self.organisations: list[tuple[str, str, str, str | None]] = []

    def raw(self, name: str) -> str:
        position = self.index.get(name)
        row = self.reader.row
        return row[position] if position is not None and position < len(row) else ""

    def value(self, name: str, parse: Callable[[str], Any], required: bool = False) -> Any:
        r = self.reader
        raw = self.raw(name)
        if not raw.strip():
            if required:
                r.problem(self.column[name], "required")
            return None
        try:
            return parse(raw)
        except Invalid as error:
            r.problem(self.column[name], str(error), raw)
            return None

    def is_note(self) -> bool:
        """A line below or between the data that is not a transaction (a footnote, say)."""
        if any(self.raw(n).strip() for n in ("investor", "quantity", "country")):
            return False
        return not self.raw("year").strip()[:4].isdigit()

    def parse(self, line: int, row: list[str], occurrence: Callable[[str], int]) -> Record | None:
        r = self.reader
        r.start(line, row)
        self.organisations = []
        found: dict[str, Any] = {
            "year": self.value("year", year, required=True),
            "month": self.value("month", month, required=True),
            "investors": [n for n in (text(p) for p in self.raw("investor").split(",")) if n],
            "amount": self.value("quantity", millions, required=True),
            "shares": self.value("share", shares) or [],
            "country": text(self.raw("country")),
            "party": text(self.raw("party")),
            "bri": self.value("bri", flag("1")),
            "greenfield": self.value("greenfield", flag("G")),
        }
        if not found["investors"]:
            r.problem(self.column["investor"], "required")
        if len(found["shares"]) > 1 and len(found["shares"]) != len(found["investors"]):
            reason = f"{len(found['shares'])} share sizes for {len(found['investors'])} investors"
            r.problem(self.column["share"], reason, self.raw("share"))
        found["iso3"] = self.country(found["country"])
        if r.problems:
            return None
        identity = "|".join(
            [str(found["year"]), str(found["month"]), fold(", ".join(found["investors"])),
             found["iso3"] or fold(found["country"]), str(found["amount"]),
             fold(found["party"] or "")]
        )  # fmt: skip
        n = occurrence(identity)
        external_id = digest(identity if n == 1 else f"{identity}#{n}", 16)
        r.record = external_id
        return self.record(line, external_id, row, found)

    def country(self, name: str | None) -> str | None:
        if name is None:
            self.reader.problem(self.column["country"], "required")
            return None
        try:
            return lookup(name)
        except UnknownCountry:
            self.reader.problem(
                self.column["country"],
                f"no ISO 3166 country named {name!r} (see the alias list in docs/imports.md)",
                name,
            )
            return None

    def record(self, line: int, external_id: str, row: list[str], f: dict[str, Any]) -> Record:
        sector, subsector = text(self.raw("sector")), text(self.raw("subsector"))
        investor = ", ".join(f["investors"])
        what = "/".join(part for part in (sector, subsector) if part) or "investment"
        title = f"{investor}: {what} in {f['country']}"
        if f["party"]:
            title += f" ({f['party']})"
        attributes = {
            "Month": f["month"],
            "Investor": investor,
            "Share Size": text(self.raw("share")),
            "Transaction Party": f["party"],
            "Subsector": subsector,
            "BRI": bool(f["bri"]),
            "Greenfield": bool(f["greenfield"]),
        }
        project = {
            "key": f"{DATASET}-{external_id}",
            "dataset": DATASET,
            "external_id": external_id,
            "title": title,
            "kind": ProjectKind.project.value,
            "status": ProjectStatus.unknown.value,
            "sector_name": sector[:200] if sector else None,
            "flow_type": FlowType.investment.value,
            "commitment_year": f["year"],
            "recipient": f["country"][:300],
            "recipient_region": (text(self.raw("region")) or "")[:60] or None,
            "umbrella": False,
            "recommended_for_aggregates": True,
            "attributes": {k: v for k, v in attributes.items() if v is not None},
        }
        locator = f"{f['year']}-{f['month']:02d}, {investor}, {f['country']}"[:200]
        funding = {
            "key": f"{DATASET}-{external_id}",
            "flow_type": FlowType.investment.value,
            "flow_type_detail": "greenfield" if f["greenfield"] else None,
            "amount": f["amount"],
            "currency": "USD",
            "amount_usd_nominal": f["amount"],
            "commitment_year": f["year"],
            "locator": locator,
        }
        digest_ = row_hash(IMPORTER_VERSION + "|", row)
        record = Record(line, external_id, digest_, project, funding)
        for name in f["investors"]:
            key = slug(name)
            record.financier = record.financier or key
            record.organisations.add((key, OrganisationRole.financier.value))
            self.organisations.append((key, name, OrganisationKind.company.value, "CHN"))
        if f["party"]:
            key = slug(f["party"])
            record.organisations.add((key, OrganisationRole.direct_receiver.value))
            self.organisations.append((key, f["party"], OrganisationKind.other.value, None))
        if f["iso3"]:
            record.countries.add((f["iso3"], CountryRole.host.value))
        if f["bri"]:
            record.strands.add(("bri", Basis.stated.value))
        record.citations.add((SOURCE_KEY, locator))
        return record


def parse_cgit(
    path: Path,
    *,
    known: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Parsed:
    """Every transaction row validated; nothing is written here."""
    parsed = Parsed(dataset=DATASET, source_key=SOURCE_KEY, known=known or {})
    reader = rows(path)
    _, header = find_header(reader)
    parser = CgitRow(header)
    occurrences: dict[str, int] = {}

    def occurrence(identity: str) -> int:
        occurrences[identity] = occurrences.get(identity, 0) + 1
        return occurrences[identity]

    for line, row in reader:
        if progress is not None:
            progress(line)
        parser.reader.start(line, row)
        if parser.is_note():
            if any(cell.strip() for cell in row):
                parsed.warnings.append(
                    Problem(line, "", "-", row[0].strip()[:200], "not a transaction: skipped")
                )
            continue
        parsed.rows += 1
        record = parser.parse(line, row, occurrence)
        if record is None:
            parsed.problems += parser.reader.problems
            parsed.rejected_lines.add(line)
            continue
        if parsed.skip(record.external_id, record.row_hash):
            continue
        parsed.records.append(record)
        for key, name, kind, country in parser.organisations:
            parsed.organisation(key).add(name, kind, country)
    return parsed

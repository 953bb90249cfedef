"""AidData GCDF 3.0 project-level CSV: each row becomes a project, its funding row, the
organisations named in its agency columns, its countries and the sources it cites."""

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from app.imports import aiddata_fields as f
from app.imports.aiddata_values import (
    SEPARATORS,
    agency_kind,
    attribute_parser,
    country_of,
    flow_type,
    inferred_strands,
    loan_term,
    parent_ids,
    sector_code,
)
from app.imports.common import (
    bounded,
    currency,
    day,
    money,
    slug,
    split_list,
    text,
    whole,
    year,
    yes_no,
)
from app.imports.countries import ISO3, UnknownCountry, is_regional, lookup
from app.imports.reading import FileRefused, RowReader, Spec, rows
from app.imports.records import Parsed, Problem, Record, row_hash
from app.imports.sources import SourceList
from app.models.enums import CountryRole, OrganisationRole, ProjectKind

# Part of every row's hash: a new version makes the next import re-read every row.
IMPORTER_VERSION = "aiddata-gcdf-3/2"  # 2: agency types kept in `attributes` too
# Recipient ISO-3 codes in use that ISO 3166-1 lacks: the recipient is kept as text.
NON_ISO_RECIPIENTS = {"XKX": "Kosovo"}


class AidDataRow:
    """Parses one row; `problems` says why it cannot be imported, if it cannot."""

    def __init__(self, header: list[str], *, infer_strands: bool) -> None:
        self.index = {name.strip(): position for position, name in enumerate(header)}
        missing = [column for column in f.REQUIRED if column not in self.index]
        if missing:
            raise FileRefused(
                "not an AidData GCDF 3.0 file: missing column(s) " + ", ".join(missing)
            )
        self.width = len(header)
        self.infer_strands = infer_strands
        self.attributes = self.specs(
            {column: column for column in self.index if column not in f.TYPED},
            {column: attribute_parser(column) for column in self.index},
        )
        self.project_specs = self.specs(
            {column: name for column, (name, _) in f.PROJECT_TEXT_COLUMNS.items()}
            | f.PROJECT_YEAR_COLUMNS
            | f.PROJECT_DATE_COLUMNS
            | f.PROJECT_FLAG_COLUMNS
            | f.SCORE_COLUMNS,
            {
                column: partial(bounded, limit=limit)
                for column, (_, limit) in f.PROJECT_TEXT_COLUMNS.items()
            }
            | dict.fromkeys(f.PROJECT_YEAR_COLUMNS, year)
            | dict.fromkeys(f.PROJECT_DATE_COLUMNS, day)
            | dict.fromkeys(f.PROJECT_FLAG_COLUMNS, yes_no)
            | dict.fromkeys(f.SCORE_COLUMNS, partial(whole, low=0, high=5)),
        )
        self.funding_specs = self.specs(
            f.MONEY_COLUMNS | f.LOAN_TERM_COLUMNS | f.FUNDING_DATE_COLUMNS,
            dict.fromkeys(f.MONEY_COLUMNS, money)
            | dict.fromkeys(f.LOAN_TERM_COLUMNS, loan_term)
            | dict.fromkeys(f.FUNDING_DATE_COLUMNS, day),
        )
        self.reader = RowReader(self.index)
        self.warnings: list[Problem] = []
        self.organisations: list[tuple[str, str, str, str | None]] = []
        self.sources = SourceList(self.reader, "AidData")
        self.slugs: dict[str, str] = {}  # organisation names repeat: slug each once

    def specs(self, names: dict[str, str], parsers: dict[str, Callable[[str], Any]]) -> list[Spec]:
        return [
            (name, self.index[column], parsers[column], column) for column, name in names.items()
        ]

    def parse(self, line: int, row: list[str], digest: str) -> Record | None:
        r = self.reader
        r.start(line, row)
        self.warnings = []
        self.organisations = []
        if len(row) != self.width:
            r.problem("-", f"the row has {len(row)} fields, the header has {self.width}")
            return None
        r.record = row[self.index[f.RECORD_ID]].strip()
        record_id = r.value(f.RECORD_ID, whole, 1, 10**12)
        if record_id is None:
            if not r.problems:
                r.problem(f.RECORD_ID, "required")
            return None
        external_id = str(record_id)
        project = self.project(external_id)
        funding = self.funding(external_id, project)
        record = Record(line, external_id, digest, project, funding)
        self.recipients(record)
        self.agencies(record)
        self.sources.parse(record, f"as listed in AidData record {external_id}")
        self.warnings += self.sources.warnings
        record.citations.add((f.SOURCE_KEY, f"record {external_id}"))
        if self.infer_strands:
            inferred_strands(record)
        return None if r.problems else record

    def required(self, column: str, value: Any) -> None:
        if value is None and not any(p.field == column for p in self.reader.problems):
            self.reader.problem(column, "required")

    def project(self, external_id: str) -> dict[str, Any]:
        r = self.reader
        title = r.value("Title", text)
        self.required("Title", title)
        status = f.STATUSES.get(r.raw("Status").strip().lower())
        if status is None:
            r.problem("Status", f"not a GCDF status (expected {f.STATUS_NAMES})", r.raw("Status"))
        flow_text = r.value("Flow Type", bounded, 120)
        self.required("Flow Type", flow_text)
        project: dict[str, Any] = {
            "key": f"{f.DATASET}-{external_id}",
            "dataset": f.DATASET,
            "external_id": external_id,
            "title": title,
            "kind": ProjectKind.project.value,
            "description": r.value("Description", text),
            "status": status.value if status else None,
            "sector_code": r.value("Sector Code", sector_code),
            "flow_type": flow_type(flow_text).value if flow_text else None,
            "umbrella": r.value("Umbrella", yes_no),
            "recommended_for_aggregates": r.value("Recommended For Aggregates", yes_no),
            "parent_key": None,
        }
        self.required("Umbrella", project["umbrella"])
        self.required("Recommended For Aggregates", project["recommended_for_aggregates"])
        parents = r.value("AidData Parent ID", parent_ids) or []
        if parents:
            project["parent_key"] = f"{f.DATASET}-parent-{parents[0]}"
        r.fill(project, self.project_specs)
        attributes: dict[str, Any] = {}
        r.fill(attributes, self.attributes, blanks=False)
        project["attributes"] = attributes or None
        return project

    def funding(self, external_id: str, project: dict[str, Any]) -> dict[str, Any]:
        r = self.reader
        funding: dict[str, Any] = {
            "key": f"{f.DATASET}-{external_id}",
            "flow_type": project["flow_type"],
            "flow_type_detail": text(r.raw("Flow Type")),
            "currency": r.value("Original Currency", currency),
            "amount_estimated": r.value("Amount Estimated", yes_no),
            "commitment_date": project["commitment_date"],
            "commitment_date_estimated": project["commitment_date_estimated"],
            "commitment_year": project["commitment_year"],
            "locator": f"record {external_id}",
        }
        r.fill(funding, self.funding_specs)
        has_amount = funding["amount"] is not None or funding["adjusted_amount"] is not None
        if has_amount and funding["currency"] is None:
            self.required("Original Currency", None)
        constant = funding["amount_usd_constant"] or funding["adjusted_usd_constant"]
        funding["constant_base_year"] = f.CONSTANT_BASE_YEAR if constant is not None else None
        return funding

    def recipients(self, record: Record) -> None:
        r = self.reader
        raw = r.raw("Recipient ISO-3")
        recipient = record.project["recipient"]
        codes = [code.strip().upper() for code in SEPARATORS.split(raw) if code.strip()]
        for code in codes:
            if code in ISO3:
                record.countries.add((code, CountryRole.recipient.value))
            elif code not in NON_ISO_RECIPIENTS:
                r.problem("Recipient ISO-3", f"unknown ISO 3166-1 alpha-3 code {code!r}", raw)
        if codes or not recipient or is_regional(recipient):
            return
        try:
            code = lookup(recipient)
        except UnknownCountry:
            self.warn(
                "Recipient", recipient, "no ISO-3 code and no country of that name: kept as text"
            )
            return
        if code:
            record.countries.add((code, CountryRole.recipient.value))

    def warn(self, column: str, value: str, reason: str) -> None:
        r = self.reader
        self.warnings.append(Problem(r.line, r.record, column, value[:200], reason))

    def agencies(self, record: Record) -> None:
        r = self.reader
        financier_country = country_of(r.raw("Financier Country"))
        recipients = [code for code, _ in record.countries]
        recipient = recipients[0] if len(recipients) == 1 else None
        for names_column, types_column, role in f.AGENCY_COLUMNS:
            names = split_list(r.raw(names_column))
            if not names:
                continue
            types = split_list(r.raw(types_column))
            if len(types) == 1 and len(names) > 1:
                types = types * len(names)
            elif len(types) != len(names):
                reason = f"{len(types)} types for {len(names)} agency name(s): kind set to 'other'"
                self.warn(types_column, r.raw(types_column), reason)
                types = [""] * len(names)
            for raw_name, agency_type in zip(names, types, strict=True):
                name = text(raw_name)
                if name is None:
                    continue
                if len(name) > 500:
                    self.warn(names_column, name, "name longer than 500 characters: shortened")
                    name = name[:500]
                key = self.slugs.get(name)
                if key is None:
                    key = self.slugs[name] = slug(name)
                if role is OrganisationRole.financier:
                    country = financier_country
                elif agency_type.lower().startswith("chinese"):
                    country = "CHN"
                elif agency_type.lower().startswith("recipient"):
                    country = recipient
                else:
                    country = None
                kind = agency_kind(agency_type, name).value
                self.organisations.append((key, name, kind, country))
                record.organisations.add((key, role.value))
                if role is OrganisationRole.financier and record.financier is None:
                    record.financier = key


def parse_aiddata(
    path: Path,
    *,
    infer_strands: bool = False,
    known: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Parsed:
    """Every row of the file validated; nothing is written here.

    `known` maps record ids to the `import_hash` stored by the last import: those rows are
    counted as unchanged without being parsed.
    """
    parsed = Parsed(dataset=f.DATASET, source_key=f.SOURCE_KEY, known=known or {})
    reader = rows(path)
    first = next(reader, None)
    if first is None:
        raise FileRefused(f"{path.name} is empty")
    parser = AidDataRow(first[1], infer_strands=infer_strands)
    parser.sources.seen = parsed.sources
    prefix = f"{IMPORTER_VERSION}|strands={infer_strands}|"
    id_position = parser.index[f.RECORD_ID]
    seen: dict[str, int] = {}
    for line, row in reader:
        if progress is not None:
            progress(line)
        if not any(field.strip() for field in row):
            continue
        parsed.rows += 1
        digest = row_hash(prefix, row)
        quick = row[id_position].strip() if len(row) == parser.width else ""
        if quick.isdigit() and str(int(quick)) not in seen and parsed.skip(str(int(quick)), digest):
            seen[str(int(quick))] = line
            continue
        record = parser.parse(line, row, digest)
        problems = parser.reader.problems
        if record is not None and record.external_id in seen:
            where = seen[record.external_id]
            parser.reader.problem(f.RECORD_ID, f"duplicate of line {where}", record.external_id)
        if problems:
            parsed.problems += problems
            parsed.rejected_lines.add(line)
            continue
        assert record is not None
        seen[record.external_id] = line
        parsed.records.append(record)
        parsed.warnings += parser.warnings
        for key, name, kind, country in parser.organisations:
            parsed.organisation(key).add(name, kind, country)
        for key, source in parser.sources.found.items():
            parsed.sources.setdefault(key, source)
    return parsed

"""AidData GCDF 3.0 values: parsers for its own formats, and its vocabularies mapped to ours."""

import re
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import Any

from app.imports import aiddata_fields as f
from app.imports.common import Invalid, number, text, whole, yes_no
from app.imports.countries import UnknownCountry, lookup
from app.imports.records import Record
from app.models.enums import Basis, FlowType, OrganisationKind, SourceKind

_SECTOR = re.compile(r"(\d{3,5})(?:\.0*)?")
_LOAN_TERM_PLACES = Decimal("1e-10")  # NUMERIC(38, 10): both databases keep this exactly
SEPARATORS = re.compile(r"[|;,]")


def sector_code(raw: str) -> str | None:
    value = raw.strip()
    if not value:
        return None
    match = _SECTOR.fullmatch(value)
    if match is None:
        raise Invalid(f"not an OECD sector code: {value!r}")
    return match.group(1)


def loan_term(raw: str) -> Decimal | None:
    value = number(raw)
    if value is None:
        return None
    if value.copy_abs() >= Decimal("1e27"):  # abs() would overflow on 8e+7391204002
        raise Invalid(f"too large: {raw.strip()!r}")
    if value.as_tuple().exponent < -10:  # type: ignore[operator]
        value = value.quantize(_LOAN_TERM_PLACES, rounding=ROUND_HALF_EVEN)
    return value


def parent_ids(raw: str) -> list[int]:
    found = []
    for part in SEPARATORS.split(raw):
        if part.strip():
            value = whole(part, 1, 10**12)
            if value is not None:
                found.append(value)
    return found


def attribute_parser(column: str) -> Callable[[str], Any]:
    if column in f.ATTRIBUTE_FLAGS:
        return yes_no
    if column in f.ATTRIBUTE_NUMBERS:
        return lambda raw: None if number(raw) is None else raw.strip()
    return text


# Checked in order: the first keyword found in the lower-cased Flow Type decides.
FLOW_TYPES = [
    ("export buyer", FlowType.export_buyers_credit),
    ("supplier", FlowType.suppliers_credit),
    ("seller", FlowType.suppliers_credit),
    ("debt", FlowType.debt_relief),
    ("technical assistance", FlowType.technical_assistance),
    ("scholarship", FlowType.technical_assistance),
    ("training", FlowType.technical_assistance),
    ("in-kind", FlowType.in_kind),
    ("in kind", FlowType.in_kind),
    ("loan", FlowType.loan),
    ("grant", FlowType.grant),
    ("equity", FlowType.investment),
    ("investment", FlowType.investment),
    ("vague", FlowType.vague),
]


def flow_type(value: str) -> FlowType:
    lowered = value.lower()
    for word, mapped in FLOW_TYPES:
        if word in lowered:
            return mapped
    return FlowType.other


def agency_kind(agency_type: str, name: str) -> OrganisationKind:
    """The organisation kind from AidData's agency type (and, for governments, the name)."""
    kind = agency_type.lower()
    lowered = name.lower()
    if "intergovernmental" in kind or "multilateral" in kind:
        return OrganisationKind.intergovernmental
    if "bank" in kind:
        return OrganisationKind.bank
    if "state-owned" in kind:
        return OrganisationKind.state_owned_enterprise
    if "government" in kind:
        if lowered.startswith(("government of", "the government of")):
            return OrganisationKind.government
        if "ministry" in lowered:
            return OrganisationKind.ministry
        return OrganisationKind.government_agency
    if any(word in kind for word in ("ngo", "cso", "foundation", "academic")):
        return OrganisationKind.ngo
    if any(word in kind for word in ("private", "joint venture", "special purpose")):
        return OrganisationKind.company
    return OrganisationKind.other


@cache
def resource_kind(resource_type: str) -> SourceKind:
    kind = resource_type.lower()
    if "media report" in kind:
        return SourceKind.article
    if "social media" in kind or "unofficial" in kind:
        return SourceKind.webpage
    if "official" in kind:
        return SourceKind.statement
    if "academic" in kind or "ngo" in kind:
        return SourceKind.report
    return SourceKind.webpage


def country_of(raw: str) -> str | None:
    name = text(raw)
    if name is None:
        return None
    try:
        return lookup(name)
    except UnknownCountry:
        return None


def inferred_strands(record: Record) -> None:
    """Rule-based strands (only with --infer-strands), stored with basis=inferred."""
    sector = record.project["sector_code"]
    committed = record.project["commitment_year"]
    for code, rule_sector, first_year in f.STRAND_RULES:
        if sector == rule_sector and committed is not None and committed >= first_year:
            record.strands.add((code, Basis.inferred.value))

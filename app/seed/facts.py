"""Column values of the fact tables (funding, figures, stances, events) from seed rows."""

from typing import Any, Protocol

from app.seed.rows import EventRow, FigureRow, FundingRow, StanceRow


class Resolver(Protocol):
    """Turns a row's references (keys) into the ids written so far."""

    def cite(self, row: Any) -> dict[str, Any]: ...
    def org(self, key: str | None) -> Any: ...
    def project(self, key: str | None) -> Any: ...


def funding_row(r: FundingRow, ids: Resolver) -> dict[str, Any]:
    return {
        "key": r.key,
        "project_id": ids.project(r.project),
        "flow_type": r.flow_type.value,
        "amount": r.amount,
        "currency": r.currency,
        "amount_usd_nominal": r.amount_usd_nominal,
        "amount_usd_constant": r.amount_usd_constant,
        "constant_base_year": r.constant_base_year,
        "commitment_date": r.commitment_date,
        "commitment_year": r.commitment_year,
        "financier_id": ids.org(r.financier),
        **ids.cite(r),
    }


def figure_row(r: FigureRow, ids: Resolver) -> dict[str, Any]:
    return {
        "key": r.key,
        "indicator": r.indicator,
        "label": r.label,
        "value": r.value,
        "value_low": r.value_low,
        "value_high": r.value_high,
        "unit": r.unit.value,
        "qualifier": r.qualifier.value,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "base_period_start": r.base_period_start,
        "base_period_end": r.base_period_end,
        "scope": r.scope.value,
        "strand_code": r.strand,
        "country_iso3": r.country,
        "organisation_id": ids.org(r.organisation),
        "project_id": ids.project(r.project),
        "publisher_id": ids.org(r.publisher),
        "note": r.note,
        **ids.cite(r),
    }


def stance_row(r: StanceRow, ids: Resolver) -> dict[str, Any]:
    return {
        "key": r.key,
        "country_iso3": r.country,
        "action": r.action.value,
        "strand_code": r.strand,
        "project_id": ids.project(r.project),
        "organisation_id": ids.org(r.organisation),
        "via_organisation_id": ids.org(r.via),
        "year": r.year,
        "note": r.note,
        **ids.cite(r),
    }


def event_row(r: EventRow, ids: Resolver) -> dict[str, Any]:
    return {
        "key": r.key,
        "title": r.title,
        "kind": r.kind.value,
        "date": r.date,
        "date_precision": r.date_precision.value,
        "strand_code": r.strand,
        "country_iso3": r.country,
        "organisation_id": ids.org(r.organisation),
        "project_id": ids.project(r.project),
        "note": r.note,
        **ids.cite(r),
    }

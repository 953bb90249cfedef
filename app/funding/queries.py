from datetime import date
from decimal import Decimal

from sqlalchemy import exists, select

from app.listing import Filter, ListSpec, OutField
from app.listing.common import cited_fields, source_filter, tracked_fields, tracked_filters
from app.listing.filters import country_code, id_or_key
from app.models import (
    Country,
    Funding,
    Organisation,
    Project,
    ProjectCountry,
    ProjectStrand,
    Source,
)
from app.models.enums import FlowType, ProjectStatus


def _project_country(values: list[str]):  # type: ignore[no-untyped-def]
    return exists(
        select(1).where(
            ProjectCountry.project_id == Funding.project_id,
            ProjectCountry.country_iso3.in_(values),
        )
    )


def _project_region(values: list[str]):  # type: ignore[no-untyped-def]
    return exists(
        select(1)
        .select_from(ProjectCountry)
        .join(Country)
        .where(ProjectCountry.project_id == Funding.project_id, Country.region.in_(values))
    )


def _project_strand(values: list[str]):  # type: ignore[no-untyped-def]
    return exists(
        select(1).where(
            ProjectStrand.project_id == Funding.project_id, ProjectStrand.strand_code.in_(values)
        )
    )


FUNDING = ListSpec(
    name="funding",
    source=Funding.__table__.join(Source.__table__)
    .join(Project.__table__, Funding.project_id == Project.id)
    .outerjoin(Organisation.__table__, Funding.financier_id == Organisation.id),
    id_field="id",
    fields=[
        OutField("id", Funding.id, int, sortable=True),
        OutField("key", Funding.key, sortable=True),
        OutField("project", Project.key),
        OutField("project_id", Funding.project_id, int),
        OutField("flow_type", Funding.flow_type, FlowType, sortable=True),
        OutField("flow_type_detail", Funding.flow_type_detail),
        OutField("amount", Funding.amount, Decimal, sortable=True),
        OutField("currency", Funding.currency, sortable=True),
        OutField("amount_estimated", Funding.amount_estimated, bool),
        OutField("amount_usd", Funding.amount_usd_nominal, Decimal, sortable=True),
        OutField("amount_usd_constant", Funding.amount_usd_constant, Decimal, sortable=True),
        OutField("constant_base_year", Funding.constant_base_year, int),
        OutField("adjusted_amount", Funding.adjusted_amount, Decimal),
        OutField("adjusted_usd", Funding.adjusted_usd_nominal, Decimal),
        OutField("adjusted_usd_constant", Funding.adjusted_usd_constant, Decimal),
        OutField("commitment_date", Funding.commitment_date, date, sortable=True),
        OutField("commitment_date_estimated", Funding.commitment_date_estimated, bool),
        OutField("year", Funding.commitment_year, int, sortable=True),
        OutField("financier", Organisation.key),
        OutField("interest_rate", Funding.interest_rate, Decimal),
        OutField("maturity_years", Funding.maturity_years, Decimal),
        OutField("grace_period_years", Funding.grace_period_years, Decimal),
        *cited_fields(Funding),
        *tracked_fields(Funding),
    ],
    filters=[
        Filter("project", str, column=Project.key),
        Filter("flow_type", FlowType, column=Funding.flow_type),
        Filter("currency", str, column=Funding.currency, normalise=str.upper),
        Filter("financier", str, column=Organisation.key),
        Filter("strand", str, op="custom", build=_project_strand),
        Filter("country", str, op="custom", build=_project_country, normalise=country_code),
        Filter("region", str, op="custom", build=_project_region),
        Filter("sector", str, column=Project.sector_code, description="OECD sector code."),
        Filter("status", ProjectStatus, column=Project.status),
        Filter("year_min", int, op="min", column=Funding.commitment_year),
        Filter("year_max", int, op="max", column=Funding.commitment_year),
        Filter("amount_usd_min", Decimal, op="min", column=Funding.amount_usd_nominal),
        Filter("amount_usd_max", Decimal, op="max", column=Funding.amount_usd_nominal),
        source_filter(),
        *tracked_filters(Funding),
    ],
    default_sort=("id",),
    description="Money attached to projects: loans, grants, credits and investments.",
)

by_id_or_key = id_or_key(Funding.id, Funding.key)

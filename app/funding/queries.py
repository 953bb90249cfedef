import re
from datetime import date
from decimal import Decimal

from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import cited_fields, source_filter, tracked_fields, tracked_filters
from app.listing.filters import country_code, id_or_key
from app.listing.rollup import Rollup, RollupColumn
from app.listing.spec import Link
from app.listing.summary import Dimension, Exclusion, Measure, SummarySpec
from app.models import (
    Country,
    Funding,
    FundingRollup,
    Organisation,
    Project,
    ProjectCountry,
    ProjectStrand,
    Source,
    Strand,
)
from app.models.enums import CountryRole, FlowType, ProjectStatus
from app.models.rollups import EVERY_STRAND, NO_CURRENCY, NO_YEAR
from app.search import project_match, project_rank


def currency_code(value: str) -> str:
    """Three letters, any case, as an upper-case ISO 4217 code."""
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"'{value}' is not a three-letter ISO 4217 currency code")
    return code


# Loan terms beyond rate, maturity and grace: percentages, as the dataset gives them.
LOAN_TERMS = (
    "management_fee",
    "commitment_fee",
    "default_interest_rate",
    "insurance_fee_percent",
    "grant_element_oecd_cash_flow",
    "grant_element_oecd_grant_equivalent",
    "grant_element_imf",
)

# Filters and groupings on these look through the project's link rows.
PROJECT_COUNTRY = Link(
    ProjectCountry.__table__.join(Country.__table__),
    ProjectCountry.project_id,
    Funding.project_id,
)
PROJECT_STRAND = Link(ProjectStrand.__table__, ProjectStrand.project_id, Funding.project_id)

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
        *(OutField(name, getattr(Funding, name), Decimal) for name in LOAN_TERMS),
        OutField("insurance_fee_usd", Funding.insurance_fee_usd_nominal, Decimal),
        OutField("first_repayment_date", Funding.first_repayment_date, date),
        OutField("last_repayment_date", Funding.last_repayment_date, date),
        *cited_fields(Funding),
        *tracked_fields(Funding),
    ],
    filters=[
        Filter("project", str, column=Project.key, known=Project.key, description="Project key."),
        Filter("flow_type", FlowType, column=Funding.flow_type),
        Filter(
            "currency",
            str,
            column=Funding.currency,
            normalise=currency_code,
            description="ISO 4217 code of the original currency.",
        ),
        Filter(
            "financier",
            str,
            column=Organisation.key,
            known=Organisation.key,
            description="Key of the financing organisation.",
        ),
        Filter(
            "strand",
            str,
            column=ProjectStrand.strand_code,
            link=PROJECT_STRAND,
            known=Strand.code,
            description="Strand code of the project (bri, digital, health, polar, latin-america).",
        ),
        Filter(
            "country",
            str,
            column=ProjectCountry.country_iso3,
            link=PROJECT_COUNTRY,
            normalise=country_code,
            description="ISO-3 or ISO-2 code of a country of the project.",
        ),
        Filter(
            "country_role",
            CountryRole,
            column=ProjectCountry.role,
            link=PROJECT_COUNTRY,
            description="With `country`: the country in this role (recipient, say).",
        ),
        Filter(
            "region",
            str,
            column=Country.region,
            link=PROJECT_COUNTRY,
            known=Country.region,
            description="Region of a country of the project (Africa, Americas, Asia, ...).",
        ),
        Filter("sector", str, column=Project.sector_code, description="OECD sector code."),
        Filter("status", ProjectStatus, column=Project.status, description="Project status."),
        Filter(
            "flow_class",
            str,
            column=Project.flow_class,
            description="The project's flow class (ODA-like, OOF-like, Vague (Official Finance)).",
        ),
        Filter(
            "intent",
            str,
            column=Project.intent,
            description="The project's intent (Development, Commercial, Representational, Mixed).",
        ),
        Filter("umbrella", bool, column=Project.umbrella, description="Umbrella project?"),
        Filter(
            "recommended_for_aggregates",
            bool,
            column=Project.recommended_for_aggregates,
            description="Does the dataset recommend the project for aggregates?",
        ),
        Filter("year_min", int, op="min", column=Funding.commitment_year),
        Filter("year_max", int, op="max", column=Funding.commitment_year),
        Filter("amount_usd_min", Decimal, op="min", column=Funding.amount_usd_nominal),
        Filter("amount_usd_max", Decimal, op="max", column=Funding.amount_usd_nominal),
        source_filter(),
        *tracked_filters(Funding),
    ],
    default_sort=("id",),
    # The project's title and description: funding of matching projects, best first.
    search=Search(where=project_match, rank=project_rank),
    description="Money attached to projects: loans, grants, credits and investments.",
)

by_id_or_key = id_or_key(Funding.id, Funding.key)

_YEAR = RollupColumn(FundingRollup.commitment_year, NO_YEAR)
_CURRENCY = RollupColumn(FundingRollup.currency, NO_CURRENCY)
# Kept exact by triggers: summaries by year, currency and flow type, for one strand or all,
# with the year, currency, flow type and flag filters, read a few thousand rows at most.
FUNDING_ROLLUP = Rollup(
    row_count=FundingRollup.row_count,
    columns={
        "year": _YEAR,
        "year_min": _YEAR,
        "year_max": _YEAR,
        "constant_base_year": RollupColumn(FundingRollup.constant_base_year, NO_YEAR),
        "currency": _CURRENCY,
        "flow_type": RollupColumn(FundingRollup.flow_type),
        "umbrella": RollupColumn(FundingRollup.umbrella),
        "recommended_for_aggregates": RollupColumn(FundingRollup.recommended_for_aggregates),
    },
    measures={
        "amount_usd": (FundingRollup.amount_usd_count, FundingRollup.amount_usd),
        "amount_usd_constant": (
            FundingRollup.amount_usd_constant_count,
            FundingRollup.amount_usd_constant,
        ),
        "amount": (FundingRollup.amount_count, FundingRollup.amount),
    },
    excluded={
        "include_umbrella": FundingRollup.umbrella.is_(True),
        "include_not_recommended": FundingRollup.recommended_for_aggregates.is_(False),
    },
    link_filter="strand",
    link_column=FundingRollup.strand_code,
    every=EVERY_STRAND,
)

FUNDING_SUMMARY = SummarySpec(
    name="funding",
    list_spec=FUNDING,
    dimensions=[
        Dimension("year", Funding.commitment_year, int, description="Commitment year."),
        Dimension("strand", ProjectStrand.strand_code, link=PROJECT_STRAND, unique=True),
        Dimension("country", ProjectCountry.country_iso3, link=PROJECT_COUNTRY),
        Dimension("region", Country.region, link=PROJECT_COUNTRY),
        Dimension("sector", Project.sector_code, description="OECD sector code."),
        Dimension("flow_type", Funding.flow_type, FlowType),
        Dimension("flow_class", Project.flow_class, description="The project's flow class."),
        Dimension("intent", Project.intent, description="The project's intent."),
        Dimension("status", Project.status, ProjectStatus),
        Dimension("financier", Organisation.key, description="Financier's key."),
        Dimension("currency", Funding.currency, description="Original currency."),
    ],
    measures=[
        Measure(
            "amount_usd",
            Funding.amount_usd_nominal,
            schema_name="MoneySum",
            description="Nominal USD at commitment: one basis, one sum.",
            fixed={"currency": "USD"},
        ),
        Measure(
            "amount_usd_constant",
            Funding.amount_usd_constant,
            schema_name="ConstantUsdSum",
            description="Constant USD: one sum per base year, never added across years.",
            basis=Funding.constant_base_year,
            basis_name="constant_base_year",
            basis_type=int,
            fixed={"currency": "USD"},
        ),
        Measure(
            "amount",
            Funding.amount,
            schema_name="CurrencySum",
            description="The original amounts: one sum per currency.",
            basis=Funding.currency,
            basis_name="currency",
        ),
    ],
    exclusions=[
        Exclusion(
            "include_umbrella",
            Project.umbrella.is_(True),
            overridden_by="umbrella",
            description="Include funding of umbrella projects (left out by default: their "
            "money is also recorded under the projects they contain).",
        ),
        Exclusion(
            "include_not_recommended",
            Project.recommended_for_aggregates.is_(False),
            overridden_by="recommended_for_aggregates",
            description="Include funding of projects the dataset does not recommend for "
            "aggregates (left out by default).",
        ),
    ],
    description="Count and exact sums of funding per group. `amount_usd` is one basis "
    "(nominal USD); `amount_usd_constant` has one sum per base year and `amount` one per "
    "currency, never added together. A row counts under each of its project's strands, "
    "countries and regions. Takes every filter of `GET /v1/funding`.",
    rollup=FUNDING_ROLLUP,
)

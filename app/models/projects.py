"""Projects, what they link to, and the money attached to them."""

from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Cited, ExactDecimal, Money, Tracked, enum_column
from app.models.enums import (
    Basis,
    CountryRole,
    FlowType,
    OrganisationRole,
    ProjectKind,
    ProjectStatus,
)

YEAR_CHECK = "{0} IS NULL OR {0} BETWEEN 1900 AND 2999"


class Project(Tracked, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    title: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[ProjectKind] = mapped_column(enum_column(ProjectKind, "project_kind"))
    description: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[ProjectStatus] = mapped_column(
        enum_column(ProjectStatus, "project_status"), default=ProjectStatus.unknown, index=True
    )
    intent: Mapped[str | None] = mapped_column(sa.String(60))
    sector_code: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    sector_name: Mapped[str | None] = mapped_column(sa.String(200))
    flow_type: Mapped[FlowType | None] = mapped_column(enum_column(FlowType, "project_flow_type"))
    flow_class: Mapped[str | None] = mapped_column(sa.String(60))
    commitment_year: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    start_year: Mapped[int | None] = mapped_column(sa.Integer)
    completion_year: Mapped[int | None] = mapped_column(sa.Integer)
    commitment_date: Mapped[date | None] = mapped_column(sa.Date)
    start_date: Mapped[date | None] = mapped_column(sa.Date)
    start_date_estimated: Mapped[bool | None] = mapped_column(sa.Boolean)
    completion_date: Mapped[date | None] = mapped_column(sa.Date)
    completion_date_estimated: Mapped[bool | None] = mapped_column(sa.Boolean)
    planned_start_date: Mapped[date | None] = mapped_column(sa.Date)
    planned_completion_date: Mapped[date | None] = mapped_column(sa.Date)
    # Pre-computed so lists sort and filter on money without a join.
    amount_usd_nominal: Mapped[Decimal | None] = mapped_column(Money, index=True)
    amount_usd_constant: Mapped[Decimal | None] = mapped_column(Money)
    umbrella: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    recommended_for_aggregates: Mapped[bool] = mapped_column(
        sa.Boolean, default=True, server_default=sa.true()
    )
    parent_key: Mapped[str | None] = mapped_column(sa.String(200))
    dataset: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(100))
    # What an imported dataset record says beyond the columns above (app/imports).
    recipient: Mapped[str | None] = mapped_column(sa.String(300))
    recipient_region: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    flow_type_simplified: Mapped[str | None] = mapped_column(sa.String(60))
    commitment_date_estimated: Mapped[bool | None] = mapped_column(sa.Boolean)
    infrastructure: Mapped[bool | None] = mapped_column(sa.Boolean)
    covid: Mapped[bool | None] = mapped_column(sa.Boolean)
    income_group: Mapped[str | None] = mapped_column(sa.String(60))
    source_quality_score: Mapped[int | None] = mapped_column(sa.SmallInteger)
    data_completeness_score: Mapped[int | None] = mapped_column(sa.SmallInteger)
    implementation_detail_score: Mapped[int | None] = mapped_column(sa.SmallInteger)
    loan_detail_score: Mapped[int | None] = mapped_column(sa.SmallInteger)
    attributes: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # the record's other fields
    import_hash: Mapped[str | None] = mapped_column(sa.String(64))  # unchanged record: skipped

    __table_args__ = (
        sa.CheckConstraint(YEAR_CHECK.format("commitment_year"), name="commitment_year_range"),
        sa.CheckConstraint(YEAR_CHECK.format("start_year"), name="start_year_range"),
        sa.CheckConstraint(YEAR_CHECK.format("completion_year"), name="completion_year_range"),
        sa.CheckConstraint("length(title) > 0", name="title_not_empty"),
        sa.UniqueConstraint("dataset", "external_id", name="uq_projects_dataset_external_id"),
        # "Biggest first" in an order PostgreSQL can walk (see its migration, 7d2e4f1a9c3b).
        sa.Index(
            "ix_projects_amount_usd_desc",
            sa.text("amount_usd_nominal DESC NULLS LAST"),
            "id",
        ).ddl_if(dialect="postgresql"),
    )
    __mapper_args__ = {"version_id_col": Tracked.version}


class ProjectCountry(Base):
    __tablename__ = "project_countries"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    country_iso3: Mapped[str] = mapped_column(
        sa.ForeignKey("countries.iso3"), primary_key=True, index=True
    )
    role: Mapped[CountryRole] = mapped_column(
        enum_column(CountryRole, "country_role"), primary_key=True
    )


class ProjectOrganisation(Base):
    __tablename__ = "project_organisations"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id"), primary_key=True, index=True
    )
    role: Mapped[OrganisationRole] = mapped_column(
        enum_column(OrganisationRole, "organisation_role"), primary_key=True
    )


class ProjectStrand(Base):
    __tablename__ = "project_strands"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    strand_code: Mapped[str] = mapped_column(
        sa.ForeignKey("strands.code"), primary_key=True, index=True
    )
    basis: Mapped[Basis] = mapped_column(enum_column(Basis, "strand_basis"))


class ProjectCitation(Base):
    __tablename__ = "project_citations"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[int] = mapped_column(
        sa.ForeignKey("sources.id"), primary_key=True, index=True
    )
    locator: Mapped[str] = mapped_column(sa.String(200), primary_key=True)


class Funding(Tracked, Cited, Base):
    __tablename__ = "funding"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    flow_type: Mapped[FlowType] = mapped_column(enum_column(FlowType, "flow_type"), index=True)
    flow_type_detail: Mapped[str | None] = mapped_column(sa.String(120))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(sa.String(3), index=True)
    amount_estimated: Mapped[bool | None] = mapped_column(sa.Boolean)
    amount_usd_nominal: Mapped[Decimal | None] = mapped_column(Money, index=True)
    amount_usd_constant: Mapped[Decimal | None] = mapped_column(Money)
    constant_base_year: Mapped[int | None] = mapped_column(sa.Integer)
    adjusted_amount: Mapped[Decimal | None] = mapped_column(Money)
    adjusted_usd_nominal: Mapped[Decimal | None] = mapped_column(Money)
    adjusted_usd_constant: Mapped[Decimal | None] = mapped_column(Money)
    commitment_date: Mapped[date | None] = mapped_column(sa.Date)
    commitment_date_estimated: Mapped[bool | None] = mapped_column(sa.Boolean)
    commitment_year: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    financier_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"), index=True)
    interest_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    maturity_years: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    grace_period_years: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    management_fee: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    commitment_fee: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    default_interest_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    insurance_fee_percent: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    insurance_fee_usd_nominal: Mapped[Decimal | None] = mapped_column(Money)
    first_repayment_date: Mapped[date | None] = mapped_column(sa.Date)
    last_repayment_date: Mapped[date | None] = mapped_column(sa.Date)
    grant_element_oecd_cash_flow: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    grant_element_oecd_grant_equivalent: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    grant_element_imf: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id"), index=True)

    __table_args__ = (
        sa.CheckConstraint(
            "currency IS NULL OR (length(currency) = 3 AND currency = upper(currency))",
            name="currency_shape",
        ),
        sa.CheckConstraint("amount IS NULL OR currency IS NOT NULL", name="amount_has_currency"),
        sa.CheckConstraint(
            "amount_usd_constant IS NULL OR constant_base_year IS NOT NULL",
            name="constant_has_base_year",
        ),
        sa.CheckConstraint(YEAR_CHECK.format("commitment_year"), name="commitment_year_range"),
        sa.CheckConstraint(YEAR_CHECK.format("constant_base_year"), name="base_year_range"),
    )
    __mapper_args__ = {"version_id_col": Tracked.version}


class ProjectLine(Base):
    """A project's row of the full CSV export, written by database triggers on every
    change to the project or its strand and country links (app.projects.lines).

    Bytes on SQLite (the export joins them without decoding), text on PostgreSQL.
    """

    __tablename__ = "project_lines"

    project_id: Mapped[int] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    line: Mapped[bytes | str] = mapped_column(
        sa.LargeBinary().with_variant(sa.Text(), "postgresql")
    )

"""Reported figures, countries' stances and dated events."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Cited, ExactDecimal, Tracked, enum_column
from app.models.enums import DatePrecision, EventKind, Qualifier, Scope, StanceAction, Unit


class Figure(Tracked, Cited, Base):
    """A reported statistic in base units, with its qualifier, period and base period."""

    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    indicator: Mapped[str] = mapped_column(sa.String(120), index=True)
    label: Mapped[str] = mapped_column(sa.Text)
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    value_low: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    value_high: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    unit: Mapped[Unit] = mapped_column(enum_column(Unit, "figure_unit"))
    qualifier: Mapped[Qualifier] = mapped_column(enum_column(Qualifier, "figure_qualifier"))
    period_start: Mapped[date | None] = mapped_column(sa.Date)
    period_end: Mapped[date | None] = mapped_column(sa.Date)
    base_period_start: Mapped[date | None] = mapped_column(sa.Date)
    base_period_end: Mapped[date | None] = mapped_column(sa.Date)
    scope: Mapped[Scope] = mapped_column(enum_column(Scope, "figure_scope"))
    strand_code: Mapped[str | None] = mapped_column(sa.ForeignKey("strands.code"), index=True)
    country_iso3: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.iso3"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    publisher_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id"), index=True)

    __table_args__ = (
        sa.CheckConstraint(
            "(qualifier = 'range' AND value_low IS NOT NULL AND value_high IS NOT NULL)"
            " OR (qualifier <> 'range' AND value IS NOT NULL)",
            name="value_matches_qualifier",
        ),
        sa.CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_start <= period_end",
            name="period_order",
        ),
        sa.CheckConstraint(
            "base_period_start IS NULL OR base_period_end IS NULL"
            " OR base_period_start <= base_period_end",
            name="base_period_order",
        ),
        sa.CheckConstraint(
            "(scope <> 'strand' OR strand_code IS NOT NULL)"
            " AND (scope <> 'country' OR country_iso3 IS NOT NULL)"
            " AND (scope <> 'organisation' OR organisation_id IS NOT NULL)"
            " AND (scope <> 'project' OR project_id IS NOT NULL)",
            name="scope_has_subject",
        ),
    )
    __mapper_args__ = {"version_id_col": Tracked.version}


class Stance(Tracked, Cited, Base):
    """What a country did about a strand, a programme or a company."""

    __tablename__ = "stances"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    country_iso3: Mapped[str] = mapped_column(sa.ForeignKey("countries.iso3"), index=True)
    action: Mapped[StanceAction] = mapped_column(
        enum_column(StanceAction, "stance_action"), index=True
    )
    strand_code: Mapped[str | None] = mapped_column(sa.ForeignKey("strands.code"), index=True)
    project_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisations.id"), index=True
    )
    via_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    year: Mapped[int | None] = mapped_column(sa.Integer)
    note: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id"), index=True)

    __table_args__ = (
        sa.CheckConstraint(
            "strand_code IS NOT NULL OR project_id IS NOT NULL OR organisation_id IS NOT NULL",
            name="has_target",
        ),
        sa.CheckConstraint("year IS NULL OR year BETWEEN 1900 AND 2999", name="year_range"),
    )
    __mapper_args__ = {"version_id_col": Tracked.version}


class Event(Tracked, Cited, Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    title: Mapped[str] = mapped_column(sa.Text)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"), index=True)
    date: Mapped[date] = mapped_column(sa.Date, index=True)
    date_precision: Mapped[DatePrecision] = mapped_column(
        enum_column(DatePrecision, "date_precision")
    )
    strand_code: Mapped[str | None] = mapped_column(sa.ForeignKey("strands.code"), index=True)
    country_iso3: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.iso3"))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    note: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id"), index=True)

    __mapper_args__ = {"version_id_col": Tracked.version}

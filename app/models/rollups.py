"""Funding pre-aggregated for summaries, kept exact by database triggers on every write.

One row per (strand, commitment year, constant-USD base year, currency, flow type,
umbrella, recommended-for-aggregates): the number of funding rows and, per money column,
how many have a value and their exact sum in cents. `strand_code` '' holds every funding
row once whatever its project's strands; a strand's own rows hold the funding of the
projects linked to it. Key columns are NOT NULL so they can form the primary key (the
triggers' upserts need one): a missing year or base year is stored as -1, a missing
currency as ''. Triggers on funding, project_strands and projects (see the migration
that made this table) add and subtract each change in the same transaction, so the table
never disagrees with the rows it sums; a bulk load may suspend them and rebuild instead
(app.funding.rollup).
"""

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Money, enum_column
from app.models.enums import FlowType

NO_YEAR = -1
NO_CURRENCY = ""
EVERY_STRAND = ""


class FundingRollup(Base):
    __tablename__ = "funding_rollup"

    strand_code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    commitment_year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    constant_base_year: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    currency: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    flow_type: Mapped[FlowType] = mapped_column(
        enum_column(FlowType, "funding_rollup_flow_type"), primary_key=True
    )
    umbrella: Mapped[bool] = mapped_column(sa.Boolean, primary_key=True)
    recommended_for_aggregates: Mapped[bool] = mapped_column(sa.Boolean, primary_key=True)
    row_count: Mapped[int] = mapped_column(sa.BigInteger)
    amount_usd_count: Mapped[int] = mapped_column(sa.BigInteger)
    amount_usd: Mapped[Decimal] = mapped_column(Money)
    amount_usd_constant_count: Mapped[int] = mapped_column(sa.BigInteger)
    amount_usd_constant: Mapped[Decimal] = mapped_column(Money)
    amount_count: Mapped[int] = mapped_column(sa.BigInteger)
    amount: Mapped[Decimal] = mapped_column(Money)

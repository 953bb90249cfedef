from datetime import date
from decimal import Decimal

from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import FlowType


class FundingRead(CitedRead, TrackedRead):
    """Money attached to a project, in its original currency and in USD."""

    id: int
    key: str
    project: str = Field(description="Key of the project.")
    project_id: int
    flow_type: FlowType
    flow_type_detail: str | None = Field(description="The source's own flow type wording.")
    amount: Decimal | None = Field(description="In `currency`, exact to the cent.")
    currency: str | None = Field(description="ISO 4217 code.")
    amount_estimated: bool | None
    amount_usd: Decimal | None = Field(description="Nominal USD at commitment.")
    amount_usd_constant: Decimal | None = Field(description="Constant USD of `constant_base_year`.")
    constant_base_year: int | None
    adjusted_amount: Decimal | None
    adjusted_usd: Decimal | None
    adjusted_usd_constant: Decimal | None
    commitment_date: date | None
    commitment_date_estimated: bool | None
    year: int | None = Field(description="Commitment year.")
    financier: str | None = Field(description="Key of the financing organisation.")
    interest_rate: Decimal | None = Field(description="Percent a year.")
    maturity_years: Decimal | None
    grace_period_years: Decimal | None

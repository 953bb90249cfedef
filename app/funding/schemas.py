from datetime import date
from decimal import Decimal

from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import FlowType
from app.writes.fields import (
    CurrencyCode,
    GrantElement,
    Key,
    Locator,
    Money,
    Percent,
    Text120,
    WriteModel,
    Year,
    Years,
    update_schema,
)


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
    management_fee: Decimal | None = Field(description="Percent.")
    commitment_fee: Decimal | None = Field(description="Percent.")
    default_interest_rate: Decimal | None = Field(description="Percent a year.")
    insurance_fee_percent: Decimal | None = Field(description="Percent.")
    grant_element_oecd_cash_flow: Decimal | None = Field(description="Percent.")
    grant_element_oecd_grant_equivalent: Decimal | None = Field(description="Percent.")
    grant_element_imf: Decimal | None = Field(description="Percent.")
    insurance_fee_usd: Decimal | None = Field(description="Nominal USD.")
    first_repayment_date: date | None
    last_repayment_date: date | None


class FundingCreate(WriteModel):
    """Money for a project. Amounts are exact to the cent; send them as strings."""

    key: Key = Field(description="Permanent slug.")
    project: Key = Field(description="Key of the project; its totals follow its funding.")
    flow_type: FlowType
    flow_type_detail: Text120 | None = Field(None, description="The source's own wording.")
    amount: Money | None = Field(None, description="In `currency`; needs `currency`.")
    currency: CurrencyCode | None = None
    amount_estimated: bool | None = None
    amount_usd: Money | None = Field(None, description="Nominal USD at commitment.")
    amount_usd_constant: Money | None = Field(
        None, description="Constant USD; needs `constant_base_year`."
    )
    constant_base_year: Year | None = Field(
        None, description="One base year for all of a project's funding."
    )
    adjusted_amount: Money | None = None
    adjusted_usd: Money | None = None
    adjusted_usd_constant: Money | None = None
    commitment_date: date | None = None
    commitment_date_estimated: bool | None = None
    year: Year | None = Field(None, description="Commitment year; agrees with commitment_date.")
    financier: Key | None = Field(None, description="Key of the financing organisation.")
    interest_rate: Percent | None = Field(None, description="Percent a year.")
    maturity_years: Years | None = None
    grace_period_years: Years | None = None
    management_fee: Percent | None = None
    commitment_fee: Percent | None = None
    default_interest_rate: Percent | None = Field(None, description="Percent a year.")
    insurance_fee_percent: Percent | None = None
    grant_element_oecd_cash_flow: GrantElement | None = None
    grant_element_oecd_grant_equivalent: GrantElement | None = None
    grant_element_imf: GrantElement | None = None
    insurance_fee_usd: Money | None = Field(None, description="Nominal USD.")
    first_repayment_date: date | None = None
    last_repayment_date: date | None = None
    source: Key = Field(description="Key of the cited source.")
    locator: Locator = Field(description="Where in the source: a paragraph, page or record id.")


FundingUpdate = update_schema(
    FundingCreate, "FundingUpdate", "Changes to a funding row (JSON merge patch); the key is fixed."
)

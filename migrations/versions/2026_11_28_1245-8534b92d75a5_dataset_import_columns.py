"""dataset import columns: what AidData and CGIT records say beyond the shared columns

Projects gain the recipient as the dataset writes it (regional records have no country),
the dataset's own flags and scores, the record's remaining fields as JSON, and a hash of
the imported record (an unchanged record is skipped on re-import). Funding gains the loan
terms of AidData's GCDF 3.0. Plain ADD/DROP COLUMN, no table rebuild, so SQLite keeps the
full-text triggers on `projects`.

Revision ID: 8534b92d75a5
Revises: 2e3e4d7b7be4
Create Date: 2026-11-28 12:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Exact decimals: NUMERIC on PostgreSQL, their text on SQLite (see app.models.base).
EXACT_DECIMAL = sa.Numeric(38, 10).with_variant(sa.String(64), "sqlite")

revision: str = "8534b92d75a5"
down_revision: str | Sequence[str] | None = "2e3e4d7b7be4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def project_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("recipient", sa.String(length=300), nullable=True),
        sa.Column("recipient_region", sa.String(length=60), nullable=True),
        sa.Column("flow_type_simplified", sa.String(length=60), nullable=True),
        sa.Column("commitment_date_estimated", sa.Boolean(), nullable=True),
        sa.Column("infrastructure", sa.Boolean(), nullable=True),
        sa.Column("covid", sa.Boolean(), nullable=True),
        sa.Column("income_group", sa.String(length=60), nullable=True),
        sa.Column("source_quality_score", sa.SmallInteger(), nullable=True),
        sa.Column("data_completeness_score", sa.SmallInteger(), nullable=True),
        sa.Column("implementation_detail_score", sa.SmallInteger(), nullable=True),
        sa.Column("loan_detail_score", sa.SmallInteger(), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=True),
        sa.Column("import_hash", sa.String(length=64), nullable=True),
    ]


def funding_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("management_fee", EXACT_DECIMAL, nullable=True),
        sa.Column("commitment_fee", EXACT_DECIMAL, nullable=True),
        sa.Column("default_interest_rate", EXACT_DECIMAL, nullable=True),
        sa.Column("insurance_fee_percent", EXACT_DECIMAL, nullable=True),
        sa.Column("insurance_fee_usd_nominal", sa.BigInteger(), nullable=True),
        sa.Column("first_repayment_date", sa.Date(), nullable=True),
        sa.Column("last_repayment_date", sa.Date(), nullable=True),
        sa.Column("grant_element_oecd_cash_flow", EXACT_DECIMAL, nullable=True),
        sa.Column("grant_element_oecd_grant_equivalent", EXACT_DECIMAL, nullable=True),
        sa.Column("grant_element_imf", EXACT_DECIMAL, nullable=True),
    ]


def upgrade() -> None:
    for column in project_columns():
        op.add_column("projects", column)
    op.create_index(op.f("ix_projects_recipient_region"), "projects", ["recipient_region"])
    for column in funding_columns():
        op.add_column("funding", column)


def downgrade() -> None:
    for column in reversed(funding_columns()):
        op.drop_column("funding", column.name)
    op.drop_index(op.f("ix_projects_recipient_region"), table_name="projects")
    for column in reversed(project_columns()):
        op.drop_column("projects", column.name)

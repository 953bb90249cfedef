"""Declarative base, naming convention, shared column types and mixins."""

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

CENT = Decimal("0.01")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Money(sa.types.TypeDecorator[Decimal]):
    """An exact amount stored as whole cents in a BIGINT.

    Integer cents make SUM exact on SQLite too, where NUMERIC would be a float.
    """

    impl = sa.BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int(Decimal(value).quantize(CENT, rounding=ROUND_HALF_EVEN).scaleb(2))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-2).quantize(CENT)


class ExactDecimal(sa.types.TypeDecorator[Decimal]):
    """A decimal kept exactly: NUMERIC on PostgreSQL, its text on SQLite."""

    impl = sa.Numeric(38, 10)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.String(64))
        return dialect.type_descriptor(sa.Numeric(38, 10))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        number = Decimal(value)
        return str(number) if dialect.name == "sqlite" else number

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        # PostgreSQL pads to the column's scale (0.5000000000) and normalize() alone turns
        # 40 into 4E+1: drop trailing zeros, then write whole numbers with plain digits.
        number = Decimal(str(value)).normalize()
        return Decimal(int(number)) if number == number.to_integral_value() else number


def enum_column(enum: type[StrEnum], name: str) -> sa.Enum:
    """A string column limited to the enum's values by a CHECK constraint."""
    return sa.Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Tracked:
    """Timestamps and a version number on every row (optimistic concurrency)."""

    created_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, server_default=sa.func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=sa.func.now()
    )
    version: Mapped[int] = mapped_column(sa.Integer, default=1, server_default="1")


class Cited:
    """A fact with the source it comes from and where in that source."""

    locator: Mapped[str] = mapped_column(sa.String(200))

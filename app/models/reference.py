"""Sources, strands, countries and organisations: what facts refer to."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Cited, Tracked, enum_column
from app.models.enums import OrganisationKind, SourceKind, StrandKind


class Source(Tracked, Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind, "source_kind"))
    title: Mapped[str] = mapped_column(sa.Text)
    authors: Mapped[str | None] = mapped_column(sa.Text)  # "; "-separated, in order
    publisher: Mapped[str | None] = mapped_column(sa.String(300))
    published_on: Mapped[date | None] = mapped_column(sa.Date)
    year: Mapped[int | None] = mapped_column(sa.Integer)
    url: Mapped[str | None] = mapped_column(sa.Text)
    licence: Mapped[str | None] = mapped_column(sa.String(200))
    note: Mapped[str | None] = mapped_column(sa.Text)

    __table_args__ = (
        sa.CheckConstraint("year IS NULL OR year BETWEEN 1000 AND 2999", name="year_range"),
    )
    __mapper_args__ = {"version_id_col": Tracked.version}


class Strand(Tracked, Cited, Base):
    __tablename__ = "strands"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[StrandKind] = mapped_column(enum_column(StrandKind, "strand_kind"))
    year_launched: Mapped[int] = mapped_column(sa.Integer)
    parent_code: Mapped[str | None] = mapped_column(sa.ForeignKey("strands.code"))
    description: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id"), index=True)

    source: Mapped[Source] = relationship(lazy="raise")

    __table_args__ = (
        sa.CheckConstraint("year_launched BETWEEN 1900 AND 2999", name="year_launched_range"),
        sa.CheckConstraint("parent_code IS NULL OR parent_code <> code", name="not_own_parent"),
    )
    __mapper_args__ = {"version_id_col": Tracked.version}


class Country(Tracked, Base):
    """An ISO 3166-1 country; `note` holds what the sources say of it and the BRI."""

    __tablename__ = "countries"

    iso3: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    iso2: Mapped[str] = mapped_column(sa.String(2), unique=True)
    numeric: Mapped[str] = mapped_column(sa.String(3), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    official_name: Mapped[str | None] = mapped_column(sa.String(300))
    region: Mapped[str | None] = mapped_column(sa.String(60), index=True)
    subregion: Mapped[str | None] = mapped_column(sa.String(60))
    note: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int | None] = mapped_column(sa.ForeignKey("sources.id"))
    locator: Mapped[str | None] = mapped_column(sa.String(200))

    __table_args__ = (
        sa.CheckConstraint("length(iso3) = 3 AND iso3 = upper(iso3)", name="iso3_shape"),
        sa.CheckConstraint("length(iso2) = 2 AND iso2 = upper(iso2)", name="iso2_shape"),
        sa.CheckConstraint(
            "(note IS NULL) OR (source_id IS NOT NULL AND locator IS NOT NULL)",
            name="note_cited",
        ),
    )
    __mapper_args__ = {"version_id_col": Tracked.version}


class Organisation(Tracked, Cited, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name: Mapped[str] = mapped_column(sa.String(500))
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_column(OrganisationKind, "organisation_kind"), index=True
    )
    country_iso3: Mapped[str | None] = mapped_column(sa.ForeignKey("countries.iso3"), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    source_id: Mapped[int] = mapped_column(sa.ForeignKey("sources.id"), index=True)

    __mapper_args__ = {"version_id_col": Tracked.version}


class OrganisationMember(Base):
    """A country that belongs to a group organisation (the Five Eyes, say)."""

    __tablename__ = "organisation_members"

    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    country_iso3: Mapped[str] = mapped_column(sa.ForeignKey("countries.iso3"), primary_key=True)

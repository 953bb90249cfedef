"""What a list endpoint is: its fields, filters, sort keys and search, declared once."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import ColumnElement, FromClause, Select
from sqlalchemy.orm import QueryableAttribute

# A mapped attribute (Project.title) or any SQL expression (a labelled subquery).
Column = ColumnElement[Any] | QueryableAttribute[Any]
FilterOp = Literal["eq", "min", "max", "since", "custom"]
ScalarType = (
    type[str] | type[int] | type[float] | type[bool] | type[date] | type[datetime] | type[Decimal]
)
FilterType = ScalarType | type[StrEnum]


@dataclass(frozen=True)
class OutField:
    """A field of a list row: its name, the column it comes from, how it is sorted."""

    name: str
    column: Column
    python_type: FilterType = str
    sortable: bool = False
    description: str = ""
    # Turns the raw database value into the JSON value (for aggregated lists, say).
    decode: Callable[[Any], Any] | None = None
    # For a decoded field: its CSV cell written by the database (see sql_csv), by dialect.
    csv_sql: Callable[[str], ColumnElement[Any]] | None = None


@dataclass(frozen=True, eq=False)
class Link:
    """A one-to-many link (project_countries, say) that several filters look through.

    Filters naming the same Link combine into one condition on one link row, so
    `country=PAK&country_role=recipient` means Pakistan as a recipient, not Pakistan in
    some role and a recipient somewhere else.
    """

    table: FromClause
    # The link's column that points at the owner, and the owner's column in the list.
    owner_key: Column
    owner: Column


@dataclass(frozen=True)
class Filter:
    """A typed query parameter. Repeated values of one parameter are ORed."""

    name: str
    python_type: FilterType
    op: FilterOp = "eq"
    column: Column | None = None
    # For filters that need a join or a subquery: values -> WHERE clause.
    build: Callable[[list[Any]], ColumnElement[bool]] | None = None
    description: str = ""
    # Maps an accepted spelling to the stored value (alpha-2 to alpha-3, say).
    normalise: Callable[[Any], Any] | None = None
    # With `link`, `column` is a column of the link's table (see Link).
    link: Link | None = None
    # The column holding every valid value (Strand.code): an unknown value is a 400.
    known: Column | None = None

    @property
    def repeatable(self) -> bool:
        return self.op in ("eq", "custom")


@dataclass(frozen=True)
class Search:
    """Full-text search: the WHERE clause and the rank expression for a query string."""

    # (query text, dialect name) -> clause; the dialect picks FTS5 or tsvector.
    where: Callable[[str, str], ColumnElement[bool]]
    rank: Callable[[str, str], ColumnElement[Any]] | None = None


@dataclass(frozen=True)
class StoredLines:
    """Each row's CSV line for every field, kept in a table by the database (as
    app.projects.lines does): `line` holds it, `key` = `owner` joins it to the row."""

    line: Column
    key: Column
    owner: Column


@dataclass(frozen=True)
class ListSpec:
    """Everything the shared list mechanism needs to serve one resource."""

    name: str
    source: FromClause
    id_field: str
    fields: Sequence[OutField]
    filters: Sequence[Filter] = ()
    default_sort: tuple[str, ...] = ()
    search: Search | None = None
    # Extra WHERE applied to every query of the resource (none by default).
    base_where: Callable[[Select[Any]], Select[Any]] | None = None
    description: str = ""
    # A full CSV export reads these instead of writing each line.
    stored_lines: StoredLines | None = None
    filter_index: dict[str, Filter] = field(init=False, repr=False, compare=False)
    field_index: dict[str, OutField] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "filter_index", {f.name: f for f in self.filters})
        object.__setattr__(self, "field_index", {f.name: f for f in self.fields})
        assert self.id_field in self.field_index, f"{self.name}: id field missing"

    @property
    def sort_keys(self) -> list[str]:
        return [f.name for f in self.fields if f.sortable]

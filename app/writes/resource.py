"""What a writable resource declares; app/writes/service.py does the rest for every one."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, Table
from sqlalchemy.orm import Session

from app.listing.routes import fetch_row
from app.listing.spec import ListSpec
from app.writes.refs import Refs

# (resource, row id, op, before, after): what app.audit.record_many takes.
ChangeTuple = tuple[str, object, Any, dict[str, Any] | None, dict[str, Any] | None]


@dataclass(frozen=True)
class LinkRows:
    """The wanted rows of one link table for the row being written (owner column left out)."""

    table: Table
    owner_column: str
    rows: list[dict[str, Any]]


@dataclass(frozen=True)
class Prepared:
    """A validated body turned into column values and link rows, every reference resolved."""

    columns: dict[str, Any]
    links: list[LinkRows] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    """Rows of another resource that point at this one and so block its deletion."""

    resource: str
    # row id -> SELECT of the referring rows' keys
    keys: Callable[[Any], Select[Any]]


@dataclass(frozen=True)
class Rollup:
    """Parent rows whose totals and version follow this resource's rows (funding: project).

    `owners` names the parents a write touches (from the row before and the new columns);
    `open` locks them and returns their snapshots; `close` recomputes them after the write
    and returns their changes for the audit log.
    """

    owners: Callable[[dict[str, Any] | None, dict[str, Any] | None], set[int]]
    open: Callable[[Session, set[int]], dict[int, dict[str, Any]]]
    close: Callable[[Session, dict[int, dict[str, Any]]], list[ChangeTuple]]


@dataclass(frozen=True)
class WriteResource:
    """One writable resource: its schemas, table, how a body becomes columns, what it owns."""

    name: str  # the path segment and the change log's resource name: "figures"
    label: str  # for messages: "figure"
    table: Table
    spec: ListSpec  # the row as GET returns it (and as the change log records it)
    read: type[BaseModel]
    create: type[BaseModel]
    update: type[BaseModel]
    lookup: Callable[[str], ColumnElement[bool]]  # path parameter (id or key) -> WHERE
    prepare: Callable[[Refs, Any, int | None], Prepared]  # (refs, body, row id or None)
    references: Sequence[Reference] = ()
    # Link tables (table, owner column) emptied when the row is deleted.
    owned: Sequence[tuple[Table, str]] = ()
    # Deletes rows that belong to this one (a project's funding) and returns their changes.
    cascade: Callable[[Session, int], list[ChangeTuple]] | None = None
    rollup: Rollup | None = None
    # The row as the change log records it; the spec's row unless a resource needs more.
    snapshot_of: Callable[[Session, int], dict[str, Any] | None] | None = None
    # The response body; the spec's row unless a resource embeds more (a project's detail).
    detail_of: Callable[[Session, int], dict[str, Any] | None] | None = None

    @property
    def path(self) -> str:
        return f"/v1/{self.name}"

    def _by_id(self, row_id: int) -> ColumnElement[bool]:
        return self.table.c.id == row_id

    def snapshot(self, session: Session, row_id: int) -> dict[str, Any]:
        found = (
            self.snapshot_of(session, row_id)
            if self.snapshot_of is not None
            else fetch_row(self.spec, session, self._by_id(row_id))
        )
        assert found is not None, f"{self.label} {row_id} vanished inside its own transaction"
        return found

    def detail(self, session: Session, row_id: int) -> dict[str, Any]:
        if self.detail_of is None:
            return self.snapshot(session, row_id)
        found = self.detail_of(session, row_id)
        assert found is not None, f"{self.label} {row_id} vanished inside its own transaction"
        return found

    def editable(self, snapshot: dict[str, Any]) -> dict[str, Any]:
        """The snapshot's fields that a Create body has: the base a merge patch applies to."""
        return {name: snapshot[name] for name in self.create.model_fields if name in snapshot}

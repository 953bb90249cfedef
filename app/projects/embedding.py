"""Projects whose representation holds another row's fields, kept honest when those change.

A project's detail embeds its organisations' names and kinds and its sources' titles and
URLs, and its ETag is its version. When one of those fields changes, every project that
embeds it gets a new version (and a change-log entry), so no cache or conditional GET
keeps serving the old text under an ETag that still validates.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from app.models import Project
from app.models.base import utcnow
from app.models.enums import ChangeOp
from app.projects.writes import project_snapshot
from app.writes.resource import ChangeTuple, Rollup

_projects: Table = Project.__table__  # type: ignore[assignment]


def lock_projects(session: Session, project_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Locks the projects (in id order: no deadlock) and returns their snapshots."""
    locked = session.scalars(
        select(Project.id)
        .where(Project.id.in_(set(project_ids)))
        .order_by(Project.id)
        .with_for_update(key_share=True)
    ).all()
    befores = {}
    for project_id in locked:
        snapshot = project_snapshot(session, project_id)
        assert snapshot is not None
        befores[project_id] = snapshot
    return befores


def new_versions(session: Session, befores: dict[int, dict[str, Any]]) -> list[ChangeTuple]:
    """Moves each project's version on and returns the change-log entries."""
    if not befores:
        return []
    session.execute(
        update(_projects)
        .where(_projects.c.id.in_(befores))
        .values(version=_projects.c.version + 1, updated_at=utcnow())
    )
    return [
        ("projects", project_id, ChangeOp.update, before, project_snapshot(session, project_id))
        for project_id, before in sorted(befores.items())
    ]


def embedded_in_projects(link_table: Table, link_column: str, fields: tuple[str, ...]) -> Rollup:
    """A Rollup for a row whose `fields` project details embed, linked by `link_table`."""

    def owners(before: dict[str, Any] | None, columns: dict[str, Any] | None) -> set[int]:
        if before is None or columns is None:  # new rows are embedded nowhere yet
            return set()
        changed = any(before[name] != columns[name] for name in fields)
        return {before["id"]} if changed else set()

    def open_(session: Session, row_ids: set[int]) -> dict[int, dict[str, Any]]:
        if not row_ids:
            return {}
        linked = select(link_table.c.project_id).where(link_table.c[link_column].in_(row_ids))
        return lock_projects(session, session.scalars(linked.distinct()).all())

    return Rollup(owners=owners, open=open_, close=new_versions)

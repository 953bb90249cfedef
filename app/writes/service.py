"""Create, update and delete for any WriteResource: checks, conditional SQL, the audit log.

Nothing here commits; app/writes/routes.py runs each call in one transaction.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson
from pydantic import BaseModel, ValidationError
from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.orm import Session

from app import audit
from app.caching import row_etag
from app.errors import ProblemError, ProblemException
from app.listing.render import dumps
from app.models.base import utcnow
from app.models.enums import ChangeOp
from app.writes.conditions import check_if_match
from app.writes.merge import merge_patch
from app.writes.refs import Refs, unprocessable
from app.writes.resource import ChangeTuple, LinkRows, Prepared, WriteResource


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any] | None = None
    location: str | None = None

    @property
    def etag(self) -> str | None:
        return row_etag(self.body["version"]) if self.body else None


def create(resource: WriteResource, session: Session, actor: str, body: BaseModel) -> Outcome:
    key = body.key  # type: ignore[attr-defined]
    if session.scalar(select(resource.table.c.id).where(resource.table.c.key == key)):
        raise ProblemException(
            409,
            f"A {resource.label} with key '{key}' already exists; keys are unique.",
            slug="conflict",
            errors=[ProblemError(location="body", field="key", message="already taken")],
        )
    prepared = _prepare(resource, session, body, None)
    owners = _open_rollup(resource, session, None, prepared.columns)
    inserted: CursorResult[Any] = session.execute(  # type: ignore[assignment]
        insert(resource.table).values(**prepared.columns)
    )
    assert inserted.inserted_primary_key is not None
    new_id = int(inserted.inserted_primary_key[0])
    for links in prepared.links:
        _replace_links(session, links, new_id)
    after = resource.snapshot(session, new_id)
    changes: list[ChangeTuple] = [(resource.name, new_id, ChangeOp.create, None, after)]
    _finish(resource, session, actor, changes, owners)
    return Outcome(201, resource.detail(session, new_id), f"{resource.path}/{new_id}")


def update_row(
    resource: WriteResource,
    session: Session,
    actor: str,
    ref: str,
    if_match: str | None,
    patch: BaseModel,
) -> Outcome:
    row_id, version = _find(resource, session, ref, if_match)
    before = resource.snapshot(session, row_id)
    merged = merge_patch(resource.editable(before), patch.model_dump(exclude_unset=True))
    try:
        body = resource.create.model_validate(merged)
    except ValidationError as error:
        raise unprocessable(_validation_problems(error)) from error
    prepared = _prepare(resource, session, body, row_id)
    current = session.execute(
        select(*(resource.table.c[name] for name in prepared.columns)).where(
            resource.table.c.id == row_id
        )
    ).one()
    changed = {
        name: value
        for name, value in prepared.columns.items()
        if _plain(getattr(current, name)) != _plain(value)
    }
    relinked = [links for links in prepared.links if _links_differ(session, links, row_id)]
    if not changed and not relinked:
        return Outcome(200, resource.detail(session, row_id))
    owners = _open_rollup(resource, session, before, prepared.columns)
    done = session.execute(
        update(resource.table)
        .where(resource.table.c.id == row_id, resource.table.c.version == version)
        .values(**changed, version=version + 1, updated_at=utcnow())
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise _changed_meanwhile(resource, session, row_id)
    for links in relinked:
        _replace_links(session, links, row_id)
    after = resource.snapshot(session, row_id)
    changes: list[ChangeTuple] = [(resource.name, row_id, ChangeOp.update, before, after)]
    _finish(resource, session, actor, changes, owners)
    return Outcome(200, resource.detail(session, row_id))


def delete_row(
    resource: WriteResource, session: Session, actor: str, ref: str, if_match: str | None
) -> Outcome:
    # Lock a row others may refer to, so none starts to while it goes. (A row with a rollup
    # is not locked here: its parents are locked first, in the same order as its updates.)
    referable = bool(resource.references or resource.owned or resource.cascade)
    row_id, version = _find(resource, session, ref, if_match, lock=referable)
    _refuse_if_referenced(resource, session, row_id, ref)
    before = resource.snapshot(session, row_id)
    owners = _open_rollup(resource, session, before, None)
    changes: list[ChangeTuple] = []
    if resource.cascade is not None:
        changes += resource.cascade(session, row_id)
    for table, owner_column in resource.owned:
        session.execute(delete(table).where(table.c[owner_column] == row_id))
    done = session.execute(
        delete(resource.table).where(
            resource.table.c.id == row_id, resource.table.c.version == version
        )
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise _changed_meanwhile(resource, session, row_id)
    changes.append((resource.name, row_id, ChangeOp.delete, before, None))
    _finish(resource, session, actor, changes, owners)
    return Outcome(204)


def _find(
    resource: WriteResource, session: Session, ref: str, if_match: str | None, *, lock: bool = False
) -> tuple[int, int]:
    """The row's id and version, checked against If-Match (404, then 412)."""
    stmt = select(resource.table.c.id, resource.table.c.version).where(resource.lookup(ref))
    if lock:
        # Locks the row until commit (PostgreSQL), so no new row can start referring to it.
        stmt = stmt.with_for_update(of=resource.table)
    found = session.execute(stmt).first()
    if found is None:
        raise ProblemException(404, f"No {resource.label} '{ref}'.", slug="not-found")
    check_if_match(if_match, found.version, resource.label)
    return int(found.id), int(found.version)


def _prepare(resource: WriteResource, session: Session, body: Any, row_id: int | None) -> Prepared:
    refs = Refs(session)
    prepared = resource.prepare(refs, body, row_id)
    refs.check()
    return prepared


def _validation_problems(error: ValidationError) -> list[ProblemError]:
    return [
        ProblemError(
            location="body",
            field=".".join(str(part) for part in item["loc"]) or "body",
            message=item["msg"],
        )
        for item in error.errors()
    ]


def _plain(value: Any) -> Any:
    # Enum members hash by name, not value: compare their values.
    return value.value if isinstance(value, StrEnum) else value


def _links_differ(session: Session, links: LinkRows, row_id: int) -> bool:
    table = links.table
    columns = sorted(c.name for c in table.c if c.name != links.owner_column)
    found = session.execute(
        select(*(table.c[name] for name in columns)).where(table.c[links.owner_column] == row_id)
    )
    current = {tuple(_plain(value) for value in row) for row in found}
    wanted = {tuple(_plain(row.get(name)) for name in columns) for row in links.rows}
    return current != wanted


def _replace_links(session: Session, links: LinkRows, row_id: int) -> None:
    table = links.table
    session.execute(delete(table).where(table.c[links.owner_column] == row_id))
    if links.rows:
        session.execute(insert(table), [{**row, links.owner_column: row_id} for row in links.rows])


def _refuse_if_referenced(resource: WriteResource, session: Session, row_id: int, ref: str) -> None:
    errors, counts = [], []
    for reference in resource.references:
        keys = reference.keys(row_id).distinct().subquery()
        count = session.scalar(select(func.count()).select_from(keys)) or 0
        if not count:
            continue
        sample = session.scalars(select(keys.c[0]).order_by(keys.c[0]).limit(5)).all()
        more = f" and {count - len(sample)} more" if count > len(sample) else ""
        listed = ", ".join(str(key) for key in sample) + more
        errors.append(ProblemError(location="resource", field=reference.resource, message=listed))
        counts.append(f"{reference.resource} ({count})")
    if errors:
        raise ProblemException(
            409,
            f"The {resource.label} '{ref}' is still referenced by {' and '.join(counts)}; change "
            "or delete those first (errors lists them).",
            slug="still-referenced",
            errors=errors,
        )


def _open_rollup(
    resource: WriteResource,
    session: Session,
    before: dict[str, Any] | None,
    columns: dict[str, Any] | None,
) -> dict[int, dict[str, Any]]:
    if resource.rollup is None:
        return {}
    return resource.rollup.open(session, resource.rollup.owners(before, columns))


def _finish(
    resource: WriteResource,
    session: Session,
    actor: str,
    changes: list[ChangeTuple],
    owners: dict[int, dict[str, Any]],
) -> None:
    """Recomputes parents, then records every change at once (last, just before commit)."""
    if resource.rollup is not None and owners:
        changes = changes + resource.rollup.close(session, owners)
    audit.record_many(
        session,
        [
            (name, row_id, op, _as_api(before), _as_api(after))
            for name, row_id, op, before, after in changes
        ],
        actor,
    )


def _as_api(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """The row exactly as the API writes it (decimals as strings, times in UTC with Z)."""
    return None if row is None else orjson.loads(dumps(row))


def _changed_meanwhile(resource: WriteResource, session: Session, row_id: int) -> ProblemException:
    version = session.scalar(select(resource.table.c.version).where(resource.table.c.id == row_id))
    headers = {"ETag": row_etag(version)} if version is not None else {}
    return ProblemException(
        412,
        f"The {resource.label} changed while this request ran; fetch it again, reapply your "
        "change and send its new ETag in If-Match.",
        slug="precondition-failed",
        headers=headers,
    )

"""Rewrites records whose row changed since the last import: project, funding row, links.

Only the columns whose values differ are logged (before and after), and the project's
version moves once whether its own columns, its funding or its links changed. A row that
changed only in ways that change nothing stored (spacing, say) keeps its versions: just its
`import_hash` bookkeeping is refreshed. The project's USD totals stay equal to the sums of
all its funding rows, rows a curator added included.
"""

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select, update

from app.imports.links import LINKS, replace_links
from app.imports.records import Record
from app.imports.upsert import chunks, differing, existing_rows, update_rows
from app.models.enums import ChangeOp

if TYPE_CHECKING:
    from app.imports.write import Writer


def total(values: list[Decimal | None]) -> Decimal | None:
    """SQL's SUM: the nulls left out, null when nothing is left."""
    present = [value for value in values if value is not None]
    return sum(present, Decimal(0)) if present else None


def _funding_by_project(w: "Writer", project_ids: list[int], columns: list[str]) -> Any:
    from app.imports.write import FUNDING

    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    wanted = [FUNDING.c[name] for name in dict.fromkeys(["id", "version", *columns])]
    for chunk in chunks(project_ids):
        stmt = select(*wanted).where(FUNDING.c.project_id.in_(chunk))
        for row in w.session.execute(stmt).mappings():
            found[row["project_id"]].append(dict(row))
    return found


def rewrite(w: "Writer", changed: list[tuple[Record, int]]) -> None:
    from app.imports.write import FUNDING, PROJECTS

    project_ids = [pid for _, pid in changed]
    project_columns = list(w.project_row(changed[0][0]))
    funding_columns = list(w.funding_row(changed[0][0], 0))
    wanted = ["version", *project_columns]
    projects_now = existing_rows(w.session, PROJECTS, "id", project_ids, wanted)
    funding_now = _funding_by_project(w, project_ids, funding_columns)

    logged: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    project_rows: dict[int, dict[str, Any]] = {}
    funding_updates, funding_new = [], []
    for record, pid in changed:
        own_key = record.funding["key"]
        others = [row for row in funding_now[pid] if row["key"] != own_key]
        own = next((row for row in funding_now[pid] if row["key"] == own_key), None)
        row = project_rows[pid] = w.project_row(record)
        for column in ("amount_usd_nominal", "amount_usd_constant"):
            row[column] = total([row[column], *(other[column] for other in others)])
        diff = differing(row, projects_now[pid])
        diff.pop("import_hash", None)
        logged[pid] = ({name: projects_now[pid][name] for name in diff}, diff)
        funding = w.funding_row(record, pid)
        if own is None:
            funding_new.append(funding)
            logged[pid][1]["funding"] = own_key
            continue
        funding_diff = differing(funding, own)
        if funding_diff:
            funding_updates.append(funding | {"id": own["id"], "version": own["version"]})
            before = {name: own[name] for name in funding_diff}
            w.changes.append(("funding", own["id"], ChangeOp.update, before, funding_diff))
            logged[pid][1]["funding"] = own_key

    records = {pid: record for record, pid in changed}
    for link in LINKS:
        desired = {pid: link.desired(record, w.ids) for pid, record in records.items()}
        for pid, (old_links, new_links) in replace_links(w.bulk, link, desired).items():
            logged[pid][0][link.name] = old_links
            logged[pid][1][link.name] = new_links

    moved = {pid for pid, (_, after) in logged.items() if after}
    rewritten = [
        project_rows[pid] | {"id": pid, "version": projects_now[pid]["version"]} for pid in moved
    ]
    update_rows(w.session, PROJECTS, rewritten, project_columns)
    same = set(logged) - moved
    _refresh_hashes(
        w,
        {
            pid: records[pid].row_hash
            for pid in same
            if projects_now[pid]["import_hash"] != records[pid].row_hash
        },
    )
    # A project whose funding row alone changed logs {"funding": <its key>} as its change.
    w.changes += [("projects", pid, ChangeOp.update, *logged[pid]) for pid in sorted(moved)]
    update_rows(w.session, FUNDING, funding_updates, funding_columns)
    new_ids = w.bulk.insert_returning_ids(FUNDING, funding_new)
    w.changes += [("funding", new_ids[r["key"]], ChangeOp.create, None, r) for r in funding_new]
    _count(w, len(moved), len(logged) - len(moved), len(funding_updates), len(funding_new))


def _refresh_hashes(w: "Writer", hashes: dict[int, str]) -> None:
    from app.imports.write import PROJECTS

    if not hashes:
        return
    stmt = (
        update(PROJECTS)
        .where(PROJECTS.c.id == bindparam("b_id"))
        .values(import_hash=bindparam("b_hash"))
    )
    params = [{"b_id": pid, "b_hash": digest} for pid, digest in hashes.items()]
    w.session.connection().execute(stmt, params)


def _count(w: "Writer", updated: int, same: int, funding_updated: int, funding_new: int) -> None:
    projects, funding = w.counts["projects"], w.counts["funding"]
    projects.updated += updated
    projects.unchanged += same
    funding.updated += funding_updated
    funding.inserted += funding_new
    funding.unchanged += updated + same - funding_updated - funding_new

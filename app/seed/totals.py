"""A seeded project's USD totals are the sums of its funding rows.

The API's writes and the importers keep `projects.amount_usd_*` equal to these sums; the
seed does the same after writing funding, so lists sort and filter projects on money.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.models import Funding, Project
from app.sync import sync_rows

COLUMNS = ("amount_usd_nominal", "amount_usd_constant")


def sync_project_totals(session: Session, project_ids: Sequence[int], *, actor: str) -> set[int]:
    """Updates (version + 1, change logged) the projects whose totals moved; returns their ids."""
    if not project_ids:
        return set()
    sums: dict[int, tuple[Decimal | None, Decimal | None]] = {
        pid: (nominal, constant)
        for pid, nominal, constant in session.execute(
            select(
                Funding.project_id,
                func.sum(Funding.amount_usd_nominal),
                func.sum(Funding.amount_usd_constant),
            )
            .where(Funding.project_id.in_(project_ids))
            .group_by(Funding.project_id)
        )
    }
    current = session.execute(
        select(Project.id, Project.amount_usd_nominal, Project.amount_usd_constant).where(
            Project.id.in_(project_ids)
        )
    )
    wanted: list[dict[str, Any]] = []
    for pid, *now in current:
        totals = sums.get(pid, (None, None))
        if tuple(now) != totals:
            wanted.append({"id": pid, **dict(zip(COLUMNS, totals, strict=True))})
    table: Table = Project.__table__  # type: ignore[assignment]
    sync_rows(session, table, "id", wanted, resource="projects", actor=actor)
    return {row["id"] for row in wanted}

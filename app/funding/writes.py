"""Writing funding: each write recomputes its project's totals and moves its version.

The project's `amount_usd` and `amount_usd_constant` are the sums of its funding rows,
computed in SQL on whole cents, so they stay exact; the project's ETag moves because its
detail embeds its funding.
"""

from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from app.funding.queries import FUNDING, LOAN_TERMS, by_id_or_key
from app.funding.schemas import FundingCreate, FundingRead, FundingUpdate
from app.models import Funding, Project
from app.models.base import utcnow
from app.models.enums import ChangeOp
from app.projects.embedding import lock_projects
from app.projects.writes import project_snapshot
from app.seed.checks import funding_problems
from app.writes.refs import Refs
from app.writes.resource import ChangeTuple, Prepared, Rollup, WriteResource

_table: Table = Funding.__table__  # type: ignore[assignment]
_projects: Table = Project.__table__  # type: ignore[assignment]


def _prepare(refs: Refs, body: FundingCreate, row_id: int | None) -> Prepared:
    refs.problems(funding_problems(body))
    if body.year and body.commitment_date and body.year != body.commitment_date.year:
        refs.problem("year", f"{body.year} is not the year of commitment_date")
    project_id = refs.project("project", body.project)
    if project_id is not None and body.constant_base_year is not None:
        _one_base_year(refs, project_id, body.constant_base_year, row_id)
    return Prepared(
        {
            "key": body.key,
            "project_id": project_id,
            "flow_type": body.flow_type,
            "flow_type_detail": body.flow_type_detail,
            "amount": body.amount,
            "currency": body.currency,
            "amount_estimated": body.amount_estimated,
            "amount_usd_nominal": body.amount_usd,
            "amount_usd_constant": body.amount_usd_constant,
            "constant_base_year": body.constant_base_year,
            "adjusted_amount": body.adjusted_amount,
            "adjusted_usd_nominal": body.adjusted_usd,
            "adjusted_usd_constant": body.adjusted_usd_constant,
            "commitment_date": body.commitment_date,
            "commitment_date_estimated": body.commitment_date_estimated,
            "commitment_year": body.year,
            "financier_id": refs.organisation("financier", body.financier),
            "interest_rate": body.interest_rate,
            "maturity_years": body.maturity_years,
            "grace_period_years": body.grace_period_years,
            **{name: getattr(body, name) for name in LOAN_TERMS},
            "insurance_fee_usd_nominal": body.insurance_fee_usd,
            "first_repayment_date": body.first_repayment_date,
            "last_repayment_date": body.last_repayment_date,
            "source_id": refs.source("source", body.source),
            "locator": body.locator,
        }
    )


def _one_base_year(refs: Refs, project_id: int, year: int, row_id: int | None) -> None:
    """A project's constant-USD total adds one price basis only."""
    stmt = select(Funding.constant_base_year).where(
        Funding.project_id == project_id,
        Funding.constant_base_year.is_not(None),
        Funding.constant_base_year != year,
    )
    if row_id is not None:
        stmt = stmt.where(Funding.id != row_id)
    other = refs.session.scalar(stmt.limit(1))
    if other is not None:
        refs.problem(
            "constant_base_year",
            f"the project's other funding is in constant USD of {other}; "
            "a project's funding shares one base year",
        )


def _owners(before: dict[str, Any] | None, columns: dict[str, Any] | None) -> set[int]:
    found = {before["project_id"] if before else None, columns["project_id"] if columns else None}
    return {owner for owner in found if owner is not None}


def _total(column: Any, project_id: int) -> Any:
    return select(func.sum(column)).where(Funding.project_id == project_id).scalar_subquery()


def _close(session: Session, befores: dict[int, dict[str, Any]]) -> list[ChangeTuple]:
    changes: list[ChangeTuple] = []
    for project_id, before in sorted(befores.items()):
        session.execute(
            update(_projects)
            .where(_projects.c.id == project_id)
            .values(
                amount_usd_nominal=_total(Funding.amount_usd_nominal, project_id),
                amount_usd_constant=_total(Funding.amount_usd_constant, project_id),
                version=_projects.c.version + 1,
                updated_at=utcnow(),
            )
        )
        after = project_snapshot(session, project_id)
        changes.append(("projects", project_id, ChangeOp.update, before, after))
    return changes


FUNDING_WRITES = WriteResource(
    name="funding",
    label="funding row",
    table=_table,
    spec=FUNDING,
    read=FundingRead,
    create=FundingCreate,
    update=FundingUpdate,
    lookup=by_id_or_key,
    prepare=_prepare,
    rollup=Rollup(owners=_owners, open=lock_projects, close=_close),
)

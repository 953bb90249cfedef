"""Summaries read from funding_rollup give exactly the answer of the query over funding rows.

Each case is answered twice, through the rollup and with it turned off, before and after
writes of every kind the triggers must follow: funding changed, moved and deleted, strand
links added and removed, umbrella and recommended flags flipped, projects deleted.
"""

from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import delete, insert, literal, select, update
from sqlalchemy.orm import Session

from app.funding.queries import FUNDING_SUMMARY
from app.listing.params import ListParams, SortKey
from app.listing.rollup import answers
from app.listing.summary import Summary, SummaryParams, summarise
from app.models import Funding, Project, ProjectStrand
from app.models.enums import Basis, FlowType
from app.synth.load import synthesize
from tests.query_fixture import Fixture, build

LIVE = replace(FUNDING_SUMMARY, rollup=None)

# (filters, group_by, include, sort)
CASES: list[tuple[dict[str, list[Any]], tuple[str, ...], tuple[str, ...], tuple[SortKey, ...]]] = [
    ({}, (), (), ()),
    ({}, ("year",), (), ()),
    ({"strand": ["digital"]}, ("year",), (), ()),
    ({"strand": ["bri"]}, ("currency", "flow_type"), (), ()),
    ({"strand": ["digital"], "year_min": [2012], "year_max": [2016]}, ("year",), (), ()),
    ({"year_max": [2014]}, ("currency",), ("include_umbrella",), ()),
    ({"currency": ["CNY", "EUR"]}, ("year", "currency"), ("include_not_recommended",), ()),
    ({"flow_type": [FlowType.loan, FlowType.grant]}, ("flow_type",), (), ()),
    ({"umbrella": [True]}, ("year",), (), ()),
    ({"recommended_for_aggregates": [False]}, (), ("include_umbrella",), ()),
    ({}, ("year",), ("include_umbrella", "include_not_recommended"), (SortKey("count", True),)),
    ({"strand": ["health"]}, ("year",), (), (SortKey("amount_usd", True),)),
]


def _params(
    filters: dict[str, list[Any]],
    group_by: tuple[str, ...],
    include: tuple[str, ...],
    sort: tuple[SortKey, ...],
) -> SummaryParams:
    lp = ListParams(filters=filters)
    return SummaryParams(filters=lp, group_by=group_by, included=frozenset(include), sort=sort)


def _both(session: Session, params: SummaryParams) -> tuple[Summary, Summary]:
    return summarise(FUNDING_SUMMARY, params, session), summarise(LIVE, params, session)


def _check_every_case(session: Session) -> None:
    for case in CASES:
        params = _params(*case)
        assert FUNDING_SUMMARY.rollup is not None
        assert answers(FUNDING_SUMMARY.rollup, FUNDING_SUMMARY, params), case
        from_rollup, live = _both(session, params)
        assert from_rollup == live, case


@pytest.fixture
def fx(session: Session) -> Fixture:
    return build(session)


def test_rollup_answers_as_the_funding_rows_do(session: Session, fx: Fixture) -> None:
    _check_every_case(session)


def test_rollup_follows_every_kind_of_write(session: Session, fx: Fixture) -> None:
    ids = [p["id"] for p in fx.projects]
    writes = [
        update(Project).where(Project.id.in_(ids[::5])).values(umbrella=~Project.umbrella),
        update(Project)
        .where(Project.id.in_(ids[1::4]))
        .values(recommended_for_aggregates=~Project.recommended_for_aggregates),
        update(Funding)
        .where(Funding.project_id.in_(ids[::3]))
        .values(amount_usd_nominal=Funding.amount_usd_nominal + 1),
        update(Funding).where(Funding.project_id.in_(ids[2::7])).values(commitment_year=None),
        update(Funding).where(Funding.project_id.in_(ids[3::6])).values(project_id=ids[0]),
        delete(ProjectStrand).where(ProjectStrand.project_id.in_(ids[::4])),
        insert(ProjectStrand).from_select(
            ["project_id", "strand_code", "basis"],
            select(Project.id, literal("polar"), literal(Basis.stated.value))
            .where(Project.id.in_(ids[1::5]))
            .where(
                ~Project.id.in_(
                    select(ProjectStrand.project_id).where(ProjectStrand.strand_code == "polar")
                )
            ),
        ),
        delete(Funding).where(Funding.project_id.in_(ids[4::9])),
        delete(Project).where(Project.id.in_(ids[6::11])),
    ]
    for write in writes:
        session.execute(write)
        session.flush()
        _check_every_case(session)


def test_what_the_rollup_cannot_answer_goes_to_the_funding_rows() -> None:
    rollup = FUNDING_SUMMARY.rollup
    assert rollup is not None
    two_strands = _params({"strand": ["bri", "digital"]}, ("year",), (), ())
    by_strand = _params({}, ("strand",), (), ())
    by_country = _params({"country": ["PAK"]}, ("year",), (), ())
    for params in (two_strands, by_strand, by_country):
        assert not answers(rollup, FUNDING_SUMMARY, params)
    searched = _params({}, ("year",), (), ())
    searched = replace(searched, filters=replace(searched.filters, q="port"))
    assert not answers(rollup, FUNDING_SUMMARY, searched)


def test_a_bulk_load_rebuilds_the_rollup_and_puts_its_triggers_back(session: Session) -> None:
    synthesize(session, 60, seed=5)
    _check_every_case(session)
    session.execute(update(Funding).values(amount=None, currency=None))  # triggers are back
    session.flush()
    _check_every_case(session)

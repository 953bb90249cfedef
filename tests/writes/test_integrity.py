"""The last line of defence: a database constraint that fires anyway becomes a problem.

The checks before each write catch these cases with better messages; here they are bypassed
to prove that a race reaching the database still answers 409 or 422, never a 500.
"""

from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.errors import ProblemException
from app.models import Figure, Source
from app.writes.integrity import database_problem
from app.writes.routes import transaction


def _raised(session: Session, table: Any, row: dict[str, Any]) -> IntegrityError | DataError:
    with pytest.raises((IntegrityError, DataError)) as caught, session.begin_nested():
        session.execute(insert(table), row)
    error = caught.value
    assert isinstance(error, IntegrityError | DataError)
    return error


def test_a_unique_key_taken_meanwhile_is_409_naming_the_field(session: Session) -> None:
    error = _raised(
        session, Source, {"key": "magnus-bretherton-2020", "kind": "report", "title": "T"}
    )
    problem = database_problem(error)
    assert (problem.status, problem.slug) == (409, "conflict")
    assert problem.errors is not None
    assert [(e.field, e.message) for e in problem.errors] == [("key", "already taken")]


def test_a_reference_deleted_meanwhile_is_409(session: Session) -> None:
    row = {
        "key": "orphan",
        "indicator": "x",
        "label": "X",
        "value": 1,
        "unit": "count",
        "qualifier": "exact",
        "scope": "global",
        "source_id": 999_999,
        "locator": "p",
    }
    problem = database_problem(_raised(session, Figure, row))
    assert (problem.status, problem.slug) == (409, "conflict")
    assert problem.detail.startswith("A row this one refers to, or one that refers to it, changed")


def test_a_broken_check_constraint_is_422_naming_the_rule(session: Session) -> None:
    row = {"key": "old", "kind": "report", "title": "T", "year": 999}
    problem = database_problem(_raised(session, Source, row))
    assert problem.status == 422
    assert problem.errors is not None
    assert problem.errors[0].field.endswith("year_range")


def test_the_transaction_rolls_back_and_answers_the_problem(session: Session) -> None:
    def insert_twice() -> None:
        with transaction(session):
            for _ in range(2):
                session.execute(insert(Source), {"key": "fresh", "kind": "report", "title": "T"})

    with pytest.raises(ProblemException) as caught:
        insert_twice()
    assert caught.value.status == 409
    count = select(func.count()).select_from(Source).where(Source.key == "fresh")
    assert session.scalar(count) == 0

"""PostgreSQL's COPY writes the CSV Python writes; an export left mid-way frees the session."""

import asyncio
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from sqlalchemy import ARRAY, Select, Text, func, literal, select, text
from sqlalchemy.orm import Session

from app.db import run_before_close
from app.listing.copy_csv import copied_lines, copied_values
from app.listing.render import csv_lines
from app.listing.spec import ListSpec
from app.listing.sql_csv import copy_cells
from app.models import Project
from app.models.enums import ProjectKind, ProjectStatus
from app.projects.queries import PROJECTS
from app.settings import get_settings
from tests.listing.test_sql_csv import WRITTEN_BY_DATABASE


@pytest.fixture(autouse=True)
def _postgres_only(dialect: str) -> None:
    if dialect != "postgresql":
        pytest.skip("COPY is PostgreSQL's")


def _all_rows(spec: ListSpec) -> Select[Any]:
    columns = [f.column.label(f.name) for f in spec.fields]
    id_column = spec.field_index[spec.id_field].column
    return select(*columns).select_from(spec.source).order_by(id_column)


def _copied(session: Session, spec: ListSpec, stmt: Select[Any] | None = None) -> bytes:
    cells = copy_cells(list(spec.fields), "postgresql")
    assert cells is not None
    header = ",".join(f.name for f in spec.fields) + "\n"
    query = (stmt if stmt is not None else _all_rows(spec)).with_only_columns(*cells)
    return b"".join(copied_lines(session, query, header))


def _python(session: Session, spec: ListSpec, stmt: Select[Any] | None = None) -> bytes:
    rows = session.execute(stmt if stmt is not None else _all_rows(spec)).mappings()
    return b"".join(csv_lines(rows, list(spec.fields)))


@pytest.mark.parametrize("spec", WRITTEN_BY_DATABASE, ids=lambda spec: spec.name)
def test_every_seeded_row_is_copied_as_python_writes_it(session: Session, spec: ListSpec) -> None:
    copied = _copied(session, spec)
    assert copied == _python(session, spec)
    assert copied.count(b"\n") > 1


def test_parameters_are_bound_by_their_column_types(session: Session) -> None:
    """An IN list (expanded into one value each) and money (sent in cents)."""
    for number, amount in enumerate(["10.00", "25.50", "99.99"]):
        session.add(
            Project(
                key=f"cp-{number}",
                title="It's a \"test\", isn't it; back\\slash",
                kind=ProjectKind.project,
                status=[ProjectStatus.completed, ProjectStatus.pledged, ProjectStatus.unknown][
                    number
                ],
                dataset="cp",
                amount_usd_nominal=Decimal(amount),
            )
        )
    session.flush()
    stmt = _all_rows(PROJECTS).where(
        Project.dataset == "cp",
        Project.status.in_([ProjectStatus.completed, ProjectStatus.pledged]),
        Project.amount_usd_nominal >= Decimal("20"),
        Project.title.in_(["It's a \"test\", isn't it; back\\slash", "x'); DROP TABLE x; --"]),
    )
    copied = _copied(session, PROJECTS, stmt)
    assert copied == _python(session, PROJECTS, stmt)
    lines = copied.decode().splitlines()
    assert len(lines) == 2  # the header and cp-1 (cp-0 is under 20, cp-2 unknown)
    assert lines[1].split(",")[1] == "cp-1"
    assert '"It\'s a ""test"", isn\'t it; back\\slash"' in lines[1]


def test_a_single_cell_line_keeps_the_concat_path() -> None:
    assert copy_cells([PROJECTS.field_index["title"]], "postgresql") is None
    assert copy_cells(list(PROJECTS.fields), "sqlite") is None


def test_an_export_left_mid_way_leaves_the_session_usable(session: Session) -> None:
    cells = copy_cells(list(PROJECTS.fields), "postgresql")
    assert cells is not None
    # Enough rows that COPY sends more than one block.
    big = select(text("g AS n")).select_from(text("generate_series(1, 200000) AS g"))
    stmt = select(*cells).select_from(PROJECTS.source).join(big.subquery(), text("true"))
    body = copied_lines(session, stmt, "header\n")
    assert next(body) == b"header\n"
    assert next(body)  # one block of rows
    body.close()  # the client went away: the server's COPY is cancelled
    session.rollback()  # as the request's session does when it closes
    assert session.execute(text("SELECT 41 + 1")).scalar() == 42


def _slow_rows(seconds: float) -> Select[Any]:
    """Five rows of two cells, the last one after `seconds` of the server's sleep."""
    series = text("generate_series(1, 5) AS g")
    late = text(f"CASE WHEN g = 5 THEN length(pg_sleep({seconds})::text) END")
    return select(text("g::text"), late).select_from(series)


def test_an_export_is_not_cut_by_the_statement_limit(session: Session) -> None:
    session.execute(text("SET LOCAL statement_timeout = 100"))  # 0.1 s per statement
    body = b"".join(copied_lines(session, _slow_rows(0.3), "n,late\n"))
    assert body == b"n,late\n1,\n2,\n3,\n4,\n5,0\n"


def test_an_export_over_its_own_limit_is_stopped(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "export_timeout_s", 1)
    body = copied_lines(session, _slow_rows(3), "n,late\n")
    with pytest.raises(psycopg.errors.QueryCanceled):
        b"".join(body)


def test_an_export_never_read_is_ended_by_the_session(session: Session) -> None:
    """Starlette never closes a body it stops reading: the session's end ends the COPY,
    even before its first chunk."""
    cells = copy_cells(list(PROJECTS.fields), "postgresql")
    assert cells is not None
    big = select(text("g AS n")).select_from(text("generate_series(1, 200000) AS g"))
    stmt = select(*cells).select_from(PROJECTS.source).join(big.subquery(), text("true"))
    body = copied_lines(session, stmt, "header\n")
    asyncio.run(run_before_close(session))
    session.rollback()
    assert session.execute(text("SELECT 41 + 1")).scalar() == 42
    body.close()  # later, the body's own end finds the COPY already ended


# copied_values: a binary COPY of one text column, each value passed on as it is.


def _values(texts: list[str]) -> Select[Any]:
    rows = select(func.unnest(literal(texts, ARRAY(Text))).label("v")).subquery()
    return select(rows.c.v)


@pytest.mark.parametrize(
    "texts",
    [[], ["one\n"], ['a,"b"\r\nc\n', "Ünïcödé, 中文\n", "", "x" * 70_000 + "\n"]],
    ids=["none", "one", "awkward"],
)
def test_values_come_through_a_binary_copy_exactly(session: Session, texts: list[str]) -> None:
    body = b"".join(copied_values(session, _values(texts), "header\n"))
    assert body == ("header\n" + "".join(texts)).encode()


def test_a_values_export_left_mid_way_leaves_the_session_usable(session: Session) -> None:
    many = select(func.concat(text("g::text"), text("E'\\n'"))).select_from(
        text("generate_series(1, 300000) AS g")
    )
    body = copied_values(session, many, "header\n")
    assert next(body) == b"header\n"
    assert next(body).startswith(b"1\n2\n3\n")
    body.close()
    session.rollback()
    assert session.execute(text("SELECT 41 + 1")).scalar() == 42


def test_a_values_export_never_read_is_ended_by_the_session(session: Session) -> None:
    many = select(func.concat(text("g::text"), text("E'\\n'"))).select_from(
        text("generate_series(1, 300000) AS g")
    )
    body = copied_values(session, many, "header\n")
    asyncio.run(run_before_close(session))
    session.rollback()
    assert session.execute(text("SELECT 41 + 1")).scalar() == 42
    body.close()

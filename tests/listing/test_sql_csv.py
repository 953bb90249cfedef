"""CSV written by the database is the CSV Python writes, cell for cell, on both databases."""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.countries.queries import COUNTRIES
from app.events.queries import EVENTS
from app.figures.queries import FIGURES
from app.listing.render import csv_lines
from app.listing.spec import ListSpec
from app.listing.sql_csv import csv_line
from app.models import Project
from app.models.enums import ProjectKind, ProjectStatus
from app.organisations.queries import ORGANISATIONS
from app.projects.queries import PROJECTS
from app.sources.queries import SOURCES
from app.stances.queries import STANCES
from app.strands.queries import STRANDS

WRITTEN_BY_DATABASE = [STRANDS, COUNTRIES, EVENTS, PROJECTS, ORGANISATIONS, SOURCES, STANCES]


def _all_rows(spec: ListSpec) -> Select[Any]:
    columns = [f.column.label(f.name) for f in spec.fields]
    id_column = spec.field_index[spec.id_field].column
    return select(*columns).select_from(spec.source).order_by(id_column)


def _database_csv(session: Session, spec: ListSpec) -> bytes:
    line = csv_line(list(spec.fields), session.get_bind().dialect.name)
    assert line is not None
    header = ",".join(f.name for f in spec.fields) + "\n"
    lines = session.execute(_all_rows(spec).with_only_columns(line)).scalars()
    return (header + "".join(lines)).encode()


def _python_csv(session: Session, spec: ListSpec) -> bytes:
    rows = session.execute(_all_rows(spec)).mappings()
    return b"".join(csv_lines(rows, list(spec.fields)))


@pytest.mark.parametrize("spec", WRITTEN_BY_DATABASE, ids=lambda spec: spec.name)
def test_every_seeded_row_is_written_byte_for_byte_as_python_writes_it(
    session: Session, spec: ListSpec
) -> None:
    ours = _database_csv(session, spec)
    assert ours == _python_csv(session, spec)
    assert ours.count(b"\n") > 1  # a header and rows, not an empty pair


def test_fields_without_a_database_rendering_keep_the_python_path(session: Session) -> None:
    dialect = session.get_bind().dialect.name
    assert csv_line(list(FIGURES.fields), dialect) is None  # exact decimals (value)
    assert csv_line([FIGURES.field_index["indicator"]], dialect) is not None


def _awkward(session: Session) -> None:
    values: list[dict[str, Any]] = [
        {
            "key": "zz-1",
            "title": 'Port "Alpha", phase 1',
            "description": "line one\nline two",
            "sector_name": "carriage\rreturn",
            "recipient": "  spaces kept  ",
            "amount_usd_nominal": Decimal("-0.05"),
            "amount_usd_constant": Decimal("1234567.80"),
            "umbrella": True,
            "updated_at": datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC),
        },
        {
            "key": "zz-2",
            "title": "Ünïcödé, 中文",
            "description": "",
            "amount_usd_nominal": Decimal("0"),
            "updated_at": datetime(2024, 5, 6, 7, 8, 9, 120000, tzinfo=UTC),
        },
    ]
    for row in values:
        session.add(
            Project(kind=ProjectKind.project, status=ProjectStatus.unknown, dataset="zz", **row)
        )
    session.flush()


FIELDS = (
    "key,title,description,sector_name,recipient,amount_usd,amount_usd_constant,"
    "umbrella,covid,strands,updated_at"
)


def test_awkward_values_are_quoted_and_formatted_exactly(
    client: TestClient, session: Session
) -> None:
    _awkward(session)
    params = {"dataset": "zz", "sort": "key", "fields": FIELDS, "format": "csv"}
    response = client.get("/v1/projects", params=params)
    assert response.status_code == 200
    assert response.text == (
        f"{FIELDS}\n"
        'zz-1,"Port ""Alpha"", phase 1","line one\nline two","carriage\rreturn",'
        "  spaces kept  ,-0.05,1234567.80,true,,,2024-05-06T07:08:09Z\n"
        'zz-2,"Ünïcödé, 中文",,,,0.00,,false,,,2024-05-06T07:08:09.120000Z\n'
    )


def test_a_lone_empty_field_is_written_as_two_quotes_not_a_blank_line(
    client: TestClient, session: Session
) -> None:
    _awkward(session)
    params = {"dataset": "zz", "sort": "key", "fields": "recipient", "format": "csv"}
    response = client.get("/v1/projects", params=params)
    assert response.text == 'recipient\n  spaces kept  \n""\n'

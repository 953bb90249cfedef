"""A project's detail read as one JSON statement (PostgreSQL) equals the one read in
statements (the row, its links and funding one by one), byte for byte once rendered."""

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.caching import dataset_version
from app.db import make_engine
from app.listing.render import dumps
from app.models import (
    Funding,
    Organisation,
    Project,
    ProjectCitation,
    ProjectCountry,
    ProjectOrganisation,
    ProjectStrand,
    Source,
)
from app.models.enums import (
    Basis,
    CountryRole,
    FlowType,
    OrganisationKind,
    OrganisationRole,
    ProjectKind,
    ProjectStatus,
    SourceKind,
)
from app.projects.queries import (
    ProjectDetail,
    _read_as_json,
    _read_in_statements,
    read_project,
)
from tests.query_fixture import build


@pytest.fixture(autouse=True)
def _postgresql_only(dialect: str) -> None:
    if dialect != "postgresql":
        pytest.skip("SQLite reads a detail in statements: there is no second path to compare")


def _both(session: Session, column: object, value: object) -> tuple[bytes, bytes]:
    """The detail and dataset version from each path, rendered as the endpoint renders it."""
    ours = _read_as_json(session, column, value)
    theirs = _read_in_statements(session, column, value)
    return _rendered(ours), _rendered(theirs)


def _rendered(found: ProjectDetail | None) -> bytes:
    return b"none" if found is None else dumps([found.body, found.dataset_version])


def _source(session: Session, key: str) -> Source:
    source = Source(key=key, kind=SourceKind.report, title=f"Title of {key}", url=None)
    session.add(source)
    session.flush()
    return source


def _project(session: Session, key: str, **values: object) -> Project:
    project = Project(key=key, title=f"Title {key}", kind=ProjectKind.project, **values)
    session.add(project)
    session.flush()
    return project


def test_every_fixture_project_reads_alike(session: Session) -> None:
    build(session)  # 48 projects with NULLs, ties, several strands, countries and funding
    ids = session.scalars(select(Project.id).order_by(Project.id)).all()
    assert len(ids) > 48
    for pid in ids:
        ours, theirs = _both(session, Project.id, pid)
        assert ours == theirs, pid
    key = session.scalar(select(Project.key).order_by(Project.id.desc()))
    assert _both(session, Project.key, key)[0] == _both(session, Project.key, key)[1]


def test_a_project_without_links_or_funding_has_empty_lists(session: Session) -> None:
    project = _project(session, "detail-bare", status=ProjectStatus.unknown)
    ours, theirs = _both(session, Project.id, project.id)
    assert ours == theirs
    found = _read_as_json(session, Project.id, project.id)
    assert found is not None
    for name in ("strands", "countries", "country_roles", "organisations", "funding"):
        assert found.body[name] == []
    assert found.body["amount_usd"] is None
    assert found.body["attributes"] is None


def test_a_missing_project_is_none_on_both_paths(session: Session) -> None:
    assert _read_as_json(session, Project.id, 10**9) is None
    assert _read_as_json(session, Project.key, "no-such-project") is None
    assert _both(session, Project.key, "no-such-project") == (b"none", b"none")


def test_many_links_of_every_kind_money_decimals_times_and_text(session: Session) -> None:
    sources = [_source(session, f"detail-src-{n}") for n in (2, 1, 3)]
    banks = []
    for n, kind in enumerate([OrganisationKind.bank, OrganisationKind.company] * 2):
        bank = Organisation(
            key=f"detail-org-{3 - n}",
            name=f'Org "{n}" \\ \u00e9\u4e2d\U0001f600',
            kind=kind,
            source_id=sources[0].id,
            locator="x",
        )
        session.add(bank)
        banks.append(bank)
    session.flush()
    project = _project(
        session,
        "detail-rich",
        status=ProjectStatus.committed,
        description='Quotes " and \\ backslash, tab\t, newline\n, \u0001 \u2028 \U0001f680',
        amount_usd_nominal=Decimal("12345678901234.05"),
        amount_usd_constant=Decimal("0.00"),
        commitment_date=date(1999, 12, 31),
        created_at=datetime(2020, 2, 29, 23, 59, 59, tzinfo=UTC),
        updated_at=datetime(2021, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
        attributes={"b": [1, 2.5, None, True], "a": {"nested": "\u00e9"}, "big": 2**62},
        source_quality_score=0,
    )
    pid = project.id
    countries = [
        ("PAK", CountryRole.host),
        ("PAK", CountryRole.recipient),
        ("CHN", CountryRole.financier),
        ("BRA", CountryRole.recipient),
        ("KEN", CountryRole.recipient),
    ]
    for code, role in countries:
        session.add(ProjectCountry(project_id=pid, country_iso3=code, role=role))
    for bank in banks:
        for role in (OrganisationRole.financier, OrganisationRole.implementer):
            session.add(ProjectOrganisation(project_id=pid, organisation_id=bank.id, role=role))
    for code in ("health", "bri", "digital"):
        session.add(ProjectStrand(project_id=pid, strand_code=code, basis=Basis.inferred))
    for source in sources:
        for locator in ("p. 2", "p. 10", "para 1"):
            session.add(ProjectCitation(project_id=pid, source_id=source.id, locator=locator))
    rates = [Decimal("0.5"), Decimal("40"), Decimal("0.0000000001"), Decimal("199.9999999999")]
    for n, rate in enumerate([*rates, Decimal("0"), None]):
        session.add(
            Funding(
                key=f"detail-f-{9 - n}",  # keys against ids: the order is the id's
                project_id=pid,
                flow_type=FlowType.loan,
                amount=None if rate is None else Decimal("0.01") * (n + 1),
                currency="CNY",
                amount_usd_nominal=Decimal("99999999999999.99") if n == 1 else Decimal("7"),
                interest_rate=rate,
                maturity_years=Decimal("12.50"),
                grant_element_imf=Decimal("-35.25") if n == 2 else None,
                commitment_date=date(2015, 1, 1 + n),
                financier_id=banks[n % 4].id if n % 3 else None,
                source_id=sources[n % 3].id,
                locator=f"row {n}",
                created_at=datetime(2022, 5, 1, 12, 0, n, n * 1000, tzinfo=UTC),
            )
        )
    session.flush()
    ours, theirs = _both(session, Project.id, pid)
    assert ours == theirs
    found = _read_as_json(session, Project.id, pid)
    assert found is not None
    body = found.body
    assert len(body["country_roles"]) == 5
    assert len(body["organisations"]) == 8
    assert body["strands"] == ["bri", "digital", "health"]
    assert len(body["citations"]) == 9
    assert len(body["funding"]) == 6
    assert body["amount_usd"] == "12345678901234.05"
    assert body["amount_usd_constant"] == "0.00"
    rates_seen = [row["interest_rate"] for row in body["funding"]]
    assert rates_seen == ["0.5", "40", "0.0000000001", "199.9999999999", "0", None]
    assert body["updated_at"] == "2021-01-01T00:00:00.000001Z"
    assert body["created_at"] == "2020-02-29T23:59:59Z"


def test_attributes_are_parsed_as_the_statements_path_parses_them(session: Session) -> None:
    project = _project(session, "detail-attributes")
    # Text no Python value serialises to: orjson would refuse 1e400, Python reads inf.
    raw = '{"z": 1e400, "a": 1.0, "dup": 1, "dup": 2, "int": 12345678901234567}'
    session.execute(
        text("UPDATE projects SET attributes = CAST(:raw AS JSON) WHERE id = :id"),
        {"raw": raw, "id": project.id},
    )
    ours, theirs = _both(session, Project.id, project.id)
    assert ours == theirs
    assert b'"attributes":{"z":null,"a":1.0,"dup":2,"int":12345678901234567}' in ours


def test_timestamps_follow_the_sessions_time_zone_as_psycopg_does(session: Session) -> None:
    build(session)
    pid = session.scalar(select(Project.id).where(Project.key == "qf-001"))
    for zone in ("Asia/Kolkata", "America/St_Johns", "UTC"):
        session.execute(text(f"SET LOCAL TIME ZONE '{zone}'"))
        ours, theirs = _both(session, Project.id, pid)
        assert ours == theirs, zone
    assert b"+05:30" not in ours  # the last zone, UTC, is written "Z"


def test_the_endpoint_answers_the_json_path_with_its_headers(
    session: Session, client: TestClient
) -> None:
    build(session)
    pid = session.scalar(select(Project.id).where(Project.key == "qf-007"))
    answered = client.get(f"/v1/projects/{pid}")
    assert answered.status_code == 200
    found = _read_in_statements(session, Project.id, pid)
    assert found is not None
    assert answered.content == dumps(found.body)
    assert answered.headers["etag"] == f'"v{found.body["version"]}"'
    assert answered.headers["x-dataset-version"] == str(dataset_version(session))
    assert read_project(session, Project.id, pid) == _read_as_json(session, Project.id, pid)


@pytest.fixture
def autocommit_sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    url = engine.url.render_as_string(hide_password=False)
    inline = make_engine(url, pool_size=1, max_overflow=0, autocommit=True)
    yield sessionmaker(bind=inline)
    inline.dispose()


def test_the_detail_stays_prepared_across_requests_on_the_event_loops_engine(
    autocommit_sessions: sessionmaker[Session],
) -> None:
    """psycopg forgets its prepared statements on ROLLBACK; in autocommit there is none."""
    for _ in range(8):  # psycopg prepares a statement on its sixth run
        with autocommit_sessions() as session:
            pid = session.scalar(select(Project.id).order_by(Project.id)) or 1
            read_project(session, Project.id, pid)
    with autocommit_sessions() as session:
        prepared = session.scalar(
            text(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE :detail"
                " AND NOT from_sql"
            ),
            {"detail": "%row_to_json(detail)%"},
        )
    assert prepared == 1

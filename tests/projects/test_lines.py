"""Stored export lines: kept by the database on every write, read by a full CSV export.

Every test that uses the `session` fixture also checks, before its rollback, that no
stored line is stale (tests/conftest.py), so each write path the suite takes is covered;
these tests aim at the triggers' own edge cases and at the export that reads the lines.
"""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select, text, update
from sqlalchemy import delete as delete_rows
from sqlalchemy.orm import Session

from app.listing import run
from app.listing.render import csv_lines
from app.models import Project, ProjectCountry, ProjectLine, ProjectStrand
from app.models.enums import Basis, CountryRole, ProjectKind, ProjectStatus
from app.projects import lines
from app.projects.queries import PROJECTS
from app.synth import vocab
from app.synth.load import synthesize
from tests.api_helpers import ARTICLE
from tests.writes.helpers import bearer, delete

PORT = {
    "key": "lines-port",
    "title": 'Port "Lines", phase 1',
    "kind": "project",
    "status": "operational",
    "year": 2015,
    "country_roles": [{"iso3": "PAK", "role": "host"}, {"iso3": "CHN", "role": "financier"}],
    "strand_links": [{"code": "bri", "basis": "stated"}],
    "citations": [{"source": ARTICLE, "locator": "para 6"}],
}


def _conn(session: Session) -> Connection:
    return session.connection()


def _line(session: Session, project_id: int) -> str | None:
    stored = session.scalar(select(ProjectLine.line).where(ProjectLine.project_id == project_id))
    return stored.decode() if isinstance(stored, bytes) else stored


def test_the_installed_triggers_write_the_line_the_code_writes_today(session: Session) -> None:
    # If this fails, the projects' fields or CSV cells changed: add a migration that
    # installs the new SQL in the triggers and rebuilds project_lines.
    conn = _conn(session)
    if conn.dialect.name == "sqlite":
        sql = "SELECT sql FROM sqlite_master WHERE name = 'project_lines_project_insert'"
    else:
        sql = "SELECT prosrc FROM pg_proc WHERE proname = 'project_lines_write'"
    installed = conn.exec_driver_sql(sql).scalar_one()
    assert lines.line_select(conn.dialect) in installed


def test_a_seeded_database_has_each_projects_line_as_python_writes_it(session: Session) -> None:
    assert lines.stale(_conn(session)) == 0
    rows = session.execute(run._all_rows(PROJECTS)).mappings().all()
    written = b"".join(csv_lines(rows, list(PROJECTS.fields))).decode()
    stored = "".join(_line(session, row["id"]) or "" for row in rows)
    assert written.split("\n", 1)[1] == stored
    assert len(rows) == 10


def test_stale_counts_a_missing_trigger_and_rebuild_repairs_it(session: Session) -> None:
    conn = _conn(session)
    sqlite_db = conn.dialect.name == "sqlite"
    drop = (
        "DROP TRIGGER project_lines_strand_insert"
        if sqlite_db
        else ("ALTER TABLE project_strands DISABLE TRIGGER project_lines_strand")
    )
    conn.exec_driver_sql(drop)
    session.add(ProjectStrand(project_id=2, strand_code="digital", basis=Basis.inferred))
    session.flush()
    assert lines.stale(conn) == 1  # GPS's line still lists no strand
    lines.rebuild(conn)
    assert lines.stale(conn) == 0
    assert ",digital,USA," in (_line(session, 2) or "")


def test_links_added_moved_and_removed_rewrite_both_projects_lines(session: Session) -> None:
    session.add(ProjectCountry(project_id=3, country_iso3="KEN", role=CountryRole.host))
    session.flush()
    assert ",digital,KEN," in (_line(session, 3) or "")
    session.execute(
        update(ProjectCountry)
        .where(ProjectCountry.project_id == 3, ProjectCountry.country_iso3 == "KEN")
        .values(project_id=6)
    )
    assert ",digital,," in (_line(session, 3) or "")
    assert ",health,KEN," in (_line(session, 6) or "")
    session.execute(text("DELETE FROM project_countries WHERE project_id = 6"))
    assert ",health,," in (_line(session, 6) or "")
    assert lines.stale(_conn(session)) == 0


def test_an_insert_that_ignores_a_duplicate_link_leaves_the_line_right(session: Session) -> None:
    # An outer OR IGNORE / ON CONFLICT DO NOTHING must not reach the trigger's own writes.
    conn = _conn(session)
    verb = "INSERT OR IGNORE INTO" if conn.dialect.name == "sqlite" else "INSERT INTO"
    tail = "" if conn.dialect.name == "sqlite" else " ON CONFLICT DO NOTHING"
    for code in ("digital", "health"):
        conn.execute(
            text(
                f"{verb} project_strands (project_id, strand_code, basis) "
                f"VALUES (1, :code, 'stated'){tail}"
            ),
            {"code": code},
        )
    assert ",digital;health,BRN;CHN;LAO;PAK;THA," in (_line(session, 1) or "")
    assert lines.stale(conn) == 0


def test_a_deleted_projects_line_goes_with_it(client: TestClient, session: Session) -> None:
    writer = bearer(session, "lines-writer")
    created = client.post("/v1/projects", json=PORT, headers=writer)
    assert created.status_code == 201, created.text
    project_id = created.json()["id"]
    assert (_line(session, project_id) or "").startswith(
        f'{project_id},lines-port,"Port ""Lines"", phase 1",project,'
    )
    assert ",bri,CHN;PAK," in (_line(session, project_id) or "")
    assert delete(client, f"/v1/projects/{project_id}", writer).status_code == 204
    assert _line(session, project_id) is None
    assert lines.stale(_conn(session)) == 0


def _export(client: TestClient, **params: str) -> str:
    response = client.get("/v1/projects", params={"format": "csv", **params})
    assert response.status_code == 200, response.text
    return response.text


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"strand": "digital", "sort": "-year"},
        {"country": "CHN", "sort": "key"},
        {"q": "satellite"},
        {"limit": "3", "sort": "-id"},
    ],
    ids=["all", "strand-year", "country-key", "search", "sorted"],
)
def test_a_full_export_reads_the_stored_lines_and_says_the_same(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, params: dict[str, str]
) -> None:
    stored = _export(client, **params)
    monkeypatch.setattr(run, "_stored_lines", lambda spec, out: None)
    assert stored == _export(client, **params)
    assert stored.startswith(",".join(f.name for f in PROJECTS.fields) + "\n")
    assert stored.count("\n") > 1


def test_a_full_export_takes_its_lines_from_the_table(client: TestClient, session: Session) -> None:
    # Proof of the path: a line changed behind the triggers' back shows in the export
    # (then put right, so the end-of-test check finds every line fresh).
    conn = _conn(session)
    marker = b"1,marker\n" if conn.dialect.name == "sqlite" else "1,marker\n"
    session.execute(update(ProjectLine).where(ProjectLine.project_id == 1).values(line=marker))
    assert _export(client).split("\n")[1] == "1,marker"
    assert _export(client, fields="id,key").split("\n")[1] == "1,beidou"
    lines.rebuild(conn)
    assert _export(client).split("\n")[1].startswith("1,beidou,BeiDou")


def _awkward_projects(session: Session) -> None:
    for number, (title, description) in enumerate(
        [
            ("Ünïcödé, 中文 line", "first\r\nsecond"),
            ('Quoted "name"', ""),
            ("plain", None),
        ]
    ):
        session.add(
            Project(
                key=f"zz-lines-{number}",
                title=title,
                description=description,
                kind=ProjectKind.project,
                status=ProjectStatus.unknown,
                dataset="zz",
                amount_usd_nominal=Decimal("-12.5") if number else None,
            )
        )
    session.flush()
    ids = session.scalars(select(Project.id).where(Project.dataset == "zz")).all()
    session.add(ProjectCountry(project_id=ids[0], country_iso3="KEN", role=CountryRole.host))
    session.add(ProjectCountry(project_id=ids[0], country_iso3="CHN", role=CountryRole.financier))
    session.flush()


@pytest.mark.parametrize(
    "params",
    [
        {"dataset": "zz"},
        {"dataset": "zz", "sort": "-amount_usd"},
        {"dataset": "zz", "fields": ",".join(f.name for f in PROJECTS.fields)},
        {"dataset": "no-such-dataset"},
    ],
    ids=["awkward", "sorted", "fields-spelled-out", "empty"],
)
def test_awkward_text_exports_as_python_writes_it_through_stored_lines(
    client: TestClient, session: Session, params: dict[str, str]
) -> None:
    _awkward_projects(session)
    stored = _export(client, **params)
    stmt = run._all_rows(PROJECTS).where(Project.dataset == params["dataset"])
    rows = session.execute(stmt).mappings().all()
    if "sort" in params:  # biggest first, no amount last, ties by id (a stable sort)
        rows = sorted(rows, key=lambda r: (r["amount_usd"] is None, -(r["amount_usd"] or 0)))
    assert stored == b"".join(csv_lines(rows, list(PROJECTS.fields))).decode()


def test_an_export_after_a_cursor_reads_stored_lines_to_the_end(
    client: TestClient, session: Session
) -> None:
    _awkward_projects(session)
    first = client.get("/v1/projects", params={"dataset": "zz", "limit": "1"}).json()
    cursor = first["meta"]["next_cursor"]
    rest = _export(client, dataset="zz", cursor=cursor).split("\n", 1)[1]
    whole = _export(client, dataset="zz").split("\n", 1)[1]
    assert whole.endswith(rest)
    assert whole != rest
    assert rest.startswith(f"{first['data'][0]['id'] + 1},zz-lines-1,")


def test_a_project_without_a_stored_line_is_still_exported(
    client: TestClient, session: Session
) -> None:
    everything = _export(client)
    session.execute(delete_rows(ProjectLine).where(ProjectLine.project_id == 4))
    assert _line(session, 4) is None
    assert _export(client) == everything  # written by the query for that one row
    lines.rebuild(_conn(session))


def test_synth_puts_every_trigger_back_and_writes_every_line(session: Session) -> None:
    synthesize(session, 30, seed=3)
    conn = _conn(session)
    assert lines.stale(conn) == 0
    made = session.scalar(select(Project.id).where(Project.dataset == vocab.DATASET))
    assert made is not None
    # The triggers are back: a strand link added afterwards rewrites the line.
    session.execute(delete_rows(ProjectStrand).where(ProjectStrand.project_id == made))
    session.add(ProjectStrand(project_id=made, strand_code="polar", basis=Basis.inferred))
    session.flush()
    assert lines.stale(conn) == 0
    assert ",polar," in (_line(session, made) or "")

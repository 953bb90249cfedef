"""`bri synth`: counts, the money invariant, determinism, the change log, refusals."""

import hashlib
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.caching import dataset_version
from app.models import Change, Funding, Project, ProjectCountry, ProjectStrand
from app.synth import generate, vocab
from app.synth.load import SynthRefused, synthesize

LINK_TABLES = ("project_strands", "project_countries", "project_organisations", "project_citations")


def _synthetic_ids(session: Session) -> list[int]:
    stmt = select(Project.id).where(Project.dataset == "synthetic").order_by(Project.id)
    return list(session.scalars(stmt))


def _digest(session: Session) -> str:
    """A fingerprint of every synthetic row by natural keys (surrogate ids and load time left
    out: PostgreSQL sequences do not roll back, so ids may differ between equal loads)."""
    low = _synthetic_ids(session)[0]
    skip = {"id", "project_id", "created_at", "updated_at", "financier_id", "source_id"}
    skip |= {"organisation_id"}
    queries = {
        "projects": f"SELECT * FROM projects WHERE id >= {low} ORDER BY key",
        "funding": "SELECT f.*, o.key AS financier, s.key AS source FROM funding f "
        "JOIN organisations o ON o.id = f.financier_id JOIN sources s ON s.id = f.source_id "
        f"WHERE f.project_id >= {low} ORDER BY f.key",
        "strands": "SELECT p.key AS project, l.* FROM project_strands l "
        f"JOIN projects p ON p.id = l.project_id WHERE p.id >= {low} ORDER BY 1, 3",
        "countries": "SELECT p.key AS project, l.* FROM project_countries l "
        f"JOIN projects p ON p.id = l.project_id WHERE p.id >= {low} ORDER BY 1, 3, 4",
        "organisations": "SELECT p.key AS project, o.key AS organisation, l.role "
        "FROM project_organisations l JOIN projects p ON p.id = l.project_id "
        f"JOIN organisations o ON o.id = l.organisation_id WHERE p.id >= {low} ORDER BY 1, 2, 3",
        "citations": "SELECT p.key AS project, s.key AS source, l.locator "
        "FROM project_citations l JOIN projects p ON p.id = l.project_id "
        f"JOIN sources s ON s.id = l.source_id WHERE p.id >= {low} ORDER BY 1, 2, 3",
    }
    digest = hashlib.sha256()
    for name, sql in queries.items():
        result = session.execute(text(sql))
        columns = list(result.keys())
        for row in result:
            kept = [v for c, v in zip(columns, row, strict=True) if c not in skip]
            digest.update(f"{name}{kept!r}".encode())
    return digest.hexdigest()


def test_makes_the_projects_asked_for_with_their_links(session: Session) -> None:
    before = session.scalar(select(func.count()).select_from(Project))
    result = synthesize(session, 40, seed=7)
    ids = _synthetic_ids(session)
    assert len(ids) == 40
    assert ids == list(range(ids[0], ids[0] + 40))  # contiguous, as the result says
    assert (result.first_project_id, result.last_project_id) == (ids[0], ids[-1])
    assert session.scalar(select(func.count()).select_from(Project)) == before + 40
    counts = {
        t: session.scalar(text(f"SELECT count(*) FROM {t} WHERE project_id >= {ids[0]}"))
        for t in (*LINK_TABLES, "funding")
    }
    assert counts == {t: result.rows[t] for t in counts}
    assert result.rows["projects"] == 40
    assert result.rows["project_strands"] == 40  # exactly one strand each
    # 1 to 3 funding rows per project; every project has a recipient and a financier.
    per_project = session.execute(
        select(func.min(text("n")), func.max(text("n"))).select_from(
            select(func.count().label("n"))
            .where(Funding.project_id >= ids[0])
            .group_by(Funding.project_id)
            .subquery()
        )
    ).one()
    assert per_project[0] >= 1
    assert per_project[1] <= 3
    assert counts["funding"] >= 40
    without_recipient = session.scalar(
        select(func.count())
        .select_from(Project)
        .where(
            Project.dataset == "synthetic",
            ~select(1)
            .where(ProjectCountry.project_id == Project.id, ProjectCountry.role == "recipient")
            .exists(),
        )
    )
    assert without_recipient == 0
    financiers = session.scalar(
        text(
            "SELECT count(DISTINCT project_id) FROM project_organisations "
            f"WHERE role = 'financier' AND project_id >= {ids[0]}"
        )
    )
    assert financiers == 40


def test_values_stay_inside_the_vocabularies(session: Session) -> None:
    synthesize(session, 60, seed=3)
    rows = session.execute(
        select(
            Project.commitment_year, Project.sector_code, Project.sector_name, Project.status
        ).where(Project.dataset == "synthetic")
    ).all()
    sectors = {code: name for code, name, _ in vocab.SECTORS}
    for year, code, name, status in rows:
        assert vocab.FIRST_YEAR <= year <= vocab.LAST_YEAR
        assert sectors[code] == name
        assert status in {s.value for s, _ in vocab.STATUSES}
    strands = set(
        session.scalars(
            select(ProjectStrand.strand_code).join(Project).where(Project.dataset == "synthetic")
        )
    )
    assert strands <= {"bri", "digital", "health", "polar", "latin-america"}
    currencies = set(
        session.scalars(
            select(Funding.currency).join(Project).where(Project.dataset == "synthetic")
        )
    )
    assert currencies - {None} <= {c for c, *_ in vocab.CURRENCIES}
    assert "CHN" not in set(
        session.scalars(
            select(ProjectCountry.country_iso3).join(Project).where(Project.dataset == "synthetic")
        )
    )


def test_project_amounts_are_the_sums_of_their_funding(session: Session) -> None:
    synthesize(session, 80, seed=11)
    sums = (
        select(
            Funding.project_id,
            func.sum(Funding.amount_usd_nominal).label("nominal"),
            func.sum(Funding.amount_usd_constant).label("constant"),
        )
        .group_by(Funding.project_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Project.amount_usd_nominal,
            Project.amount_usd_constant,
            sums.c.nominal,
            sums.c.constant,
        )
        .join(sums, sums.c.project_id == Project.id)
        .where(Project.dataset == "synthetic")
    ).all()
    assert len(rows) == 80
    # SUM skips a NULL amount; a project whose every amount is NULL has none itself.
    for nominal, constant, nominal_sum, constant_sum in rows:
        assert nominal == nominal_sum
        assert constant == constant_sum
    amounts = [r[0] for r in rows if r[0] is not None]
    assert amounts
    assert all(a > 0 for a in amounts)


def test_same_seed_same_rows_other_seed_other_rows(session: Session) -> None:
    digests = []
    for seed in (5, 5, 6):
        nested = session.begin_nested()
        synthesize(session, 25, seed=seed)
        digests.append(_digest(session))
        nested.rollback()
    assert digests[0] == digests[1]
    assert digests[0] != digests[2]


def test_generation_does_not_depend_on_the_database(session: Session) -> None:
    """The first project of seed 9 is the same every time, on both databases."""
    synthesize(session, 1, seed=9)
    row = session.execute(
        select(
            Project.key,
            Project.title,
            Project.commitment_year,
            Project.sector_code,
            Project.status,
            Project.amount_usd_nominal,
        ).where(Project.dataset == "synthetic")
    ).one()
    countries = [
        (c[0], c[1], c[2])
        for c in session.execute(text("SELECT iso3, name, subregion FROM countries")).all()
    ]
    plan = generate.Plan(
        seed=9,
        recipients=generate.recipients(countries, 9),
        financiers=[(1, "F")] * 22,
        implementers=[2] * 18,
        receivers={iso3: 3 for iso3, _, _ in countries},
        sources=[1, 2, 3, 4, 5],
        first_project_id=1,
        first_funding_id=1,
        timestamp="t",
    )
    expected = generate.chunk_rows(plan, 0, 0, 1, 1).projects[0]
    columns = generate.PROJECT_COLUMNS
    value = dict(zip(columns, expected, strict=True))
    assert row.key == value["key"] == "synth-9-0000001"
    assert (row.title, row.commitment_year, row.sector_code, row.status) == (
        value["title"],
        value["commitment_year"],
        value["sector_code"],
        value["status"],
    )
    nominal = value["amount_usd_nominal"]
    assert row.amount_usd_nominal == (
        None if nominal is None else Decimal(nominal).scaleb(-2).quantize(Decimal("0.01"))
    )


def test_one_change_entry_per_batch_moves_the_dataset_version(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generate, "CHUNK", 10)
    version = dataset_version(session)
    result = synthesize(session, 25, seed=2)
    assert result.batches == 3
    entries = session.execute(
        select(Change.resource_id, Change.op, Change.after)
        .where(Change.resource == "synth")
        .order_by(Change.version)
    ).all()
    first = result.first_project_id
    assert [e.resource_id for e in entries] == [
        f"projects {first}-{first + 9}",
        f"projects {first + 10}-{first + 19}",
        f"projects {first + 20}-{first + 24}",
    ]
    assert {e.op for e in entries} == {"create"}
    assert entries[0].after["projects"] == [first, first + 9]
    assert sum(e.after["funding"] for e in entries) == result.rows["funding"]
    assert dataset_version(session) > version


def test_refuses_a_second_load_and_a_zero_count(session: Session) -> None:
    with pytest.raises(SynthRefused, match="at least 1"):
        synthesize(session, 0)
    synthesize(session, 3, seed=1)
    with pytest.raises(SynthRefused, match="already holds 3 synthetic projects"):
        synthesize(session, 3, seed=2)


def test_recipients_are_165_countries_without_china() -> None:
    import pycountry

    countries = [
        (c.alpha_3, c.name, "Eastern Africa" if c.alpha_3 != "ATA" else None)
        for c in pycountry.countries
    ]
    chosen = generate.recipients(countries, 1)
    codes = [c.iso3 for c in chosen]
    assert len(codes) == len(set(codes)) == vocab.RECIPIENTS
    assert not set(codes) & vocab.NOT_RECIPIENTS
    assert set(vocab.ALWAYS_RECIPIENTS) <= set(codes)
    assert codes == [c.iso3 for c in generate.recipients(countries, 1)]
    assert codes != [c.iso3 for c in generate.recipients(countries, 2)]


def test_synthetic_projects_are_served_searchable_and_summed(
    session: Session, client: TestClient
) -> None:
    synthesize(session, 30, seed=4)
    page = client.get("/v1/projects", params={"dataset": "synthetic", "limit": 100}).json()
    assert page["meta"]["count"] == 30
    first = page["data"][0]
    detail = client.get(f"/v1/projects/{first['id']}").json()
    assert detail["key"] == "synth-4-0000001"
    amounts = [Decimal(f["amount_usd"]) for f in detail["funding"] if f["amount_usd"]]
    assert Decimal(detail["amount_usd"]) == sum(amounts)
    assert len(detail["strand_links"]) == 1
    found = client.get("/v1/projects", params={"q": first["title"], "limit": 100}).json()
    assert first["id"] in [p["id"] for p in found["data"]]


def test_sqlite_search_index_covers_every_synthetic_project(session: Session, dialect: str) -> None:
    if dialect != "sqlite":
        pytest.skip("the FTS5 table exists on SQLite only")
    synthesize(session, 20, seed=8)
    triggers = session.scalar(
        text("SELECT count(*) FROM sqlite_master WHERE name = 'projects_fts_insert'")
    )
    assert triggers == 1  # put back after the load
    indexed = session.scalar(
        text(
            "SELECT count(*) FROM projects_fts WHERE rowid IN "
            "(SELECT id FROM projects WHERE dataset = 'synthetic')"
        )
    )
    assert indexed == 20

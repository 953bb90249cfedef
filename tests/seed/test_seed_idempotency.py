"""Seeding again changes nothing; a changed row is updated once, versioned and logged."""

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.caching import dataset_version
from app.models import Change, Country, Event, Figure, Organisation, Project, Source, Stance, Strand
from app.seed.write import seed
from tests.seed.seed_copy import SeedCopy

VERSIONED = [Source, Strand, Country, Organisation, Project, Figure, Stance, Event]


def versions(session: Session) -> dict[str, int]:
    """Per table, the sum of every row's version (any update moves it)."""
    return {
        model.__tablename__: session.scalar(select(func.sum(model.version))) or 0
        for model in VERSIONED
    }


def counts(result: dict[str, Any]) -> dict[str, tuple[int, int, int]]:
    return {name: (c.inserted, c.updated, c.unchanged) for name, c in result.items()}


def new_changes(session: Session, after: int) -> list[tuple[str, str, str]]:
    rows = session.execute(
        select(Change.resource, Change.op, Change.actor)
        .where(Change.version > after)
        .order_by(Change.version)
    )
    return [(resource, str(op), actor) for resource, op, actor in rows]


UNCHANGED = {
    "sources": (0, 0, 11),
    "countries": (0, 0, 249),
    "strands": (0, 0, 5),
    "organisations": (0, 0, 16),
    "projects": (0, 0, 10),
    "funding": (0, 0, 0),
    "figures": (0, 0, 8),
    "stances": (0, 0, 12),
    "events": (0, 0, 15),
}


def test_seeding_again_changes_nothing(session: Session) -> None:
    before = (versions(session), dataset_version(session))
    changes = session.scalar(select(func.count()).select_from(Change))
    assert counts(seed(session)) == UNCHANGED
    assert (versions(session), dataset_version(session)) == before
    assert session.scalar(select(func.count()).select_from(Change)) == changes


@pytest.fixture
def copy(tmp_path: Path) -> SeedCopy:
    return SeedCopy(tmp_path / "seed_data")


def test_a_changed_row_is_updated_with_its_version_moved(
    session: Session, client: TestClient, copy: SeedCopy
) -> None:
    copy.replace(
        "figures.yaml",
        "  value: 1000000",
        "  value: 2000000",
        within="- key: go-cloud-companies-target-2025",
    )
    before, latest = versions(session), dataset_version(session)
    result = counts(seed(session, copy.directory))
    assert result == {**UNCHANGED, "figures": (0, 1, 7)}
    assert versions(session) == {**before, "figures": before["figures"] + 1}
    assert new_changes(session, latest) == [("figures", "update", "seed")]
    change = session.scalars(select(Change).where(Change.version > latest)).one()
    assert (change.before, change.after) == ({"value": "1000000"}, {"value": "2000000"})
    assert dataset_version(session) == change.version > latest

    figure = client.get("/v1/figures/go-cloud-companies-target-2025")
    assert (figure.json()["value"], figure.json()["version"]) == ("2000000", 2)
    assert figure.headers["etag"] == '"v2"'
    assert figure.headers["x-dataset-version"] == str(change.version)

    # The same files again: nothing more to do.
    assert counts(seed(session, copy.directory)) == {**UNCHANGED, "figures": (0, 0, 8)}
    assert dataset_version(session) == change.version


def test_a_changed_link_updates_its_project(
    session: Session, client: TestClient, copy: SeedCopy
) -> None:
    copy.replace(
        "projects.yaml",
        "    - {iso3: LAO, role: adopter}",
        "    - {iso3: LAO, role: adopter}\n    - {iso3: MMR, role: adopter}",
    )
    latest = dataset_version(session)
    assert counts(seed(session, copy.directory)) == {**UNCHANGED, "projects": (0, 1, 9)}
    assert new_changes(session, latest) == [("projects", "update", "seed")]
    beidou = client.get("/v1/projects/beidou").json()
    assert beidou["version"] == 2
    assert beidou["countries"] == ["BRN", "CHN", "LAO", "MMR", "PAK", "THA"]


def test_a_new_row_is_inserted_and_logged(
    session: Session, client: TestClient, copy: SeedCopy
) -> None:
    copy.append(
        "stances.yaml",
        "- key: mmr-adopted-beidou\n  country: MMR\n  action: adopted\n  project: beidou\n"
        "  cite: {source: magnus-bretherton-2020, locator: para 29}\n",
    )
    latest = dataset_version(session)
    assert counts(seed(session, copy.directory)) == {**UNCHANGED, "stances": (1, 0, 12)}
    assert new_changes(session, latest) == [("stances", "create", "seed")]
    stance = client.get("/v1/stances/mmr-adopted-beidou").json()
    assert (stance["country"], stance["project"], stance["version"]) == ("MMR", "beidou", 1)


def test_a_changed_membership_updates_its_group(
    session: Session, client: TestClient, copy: SeedCopy
) -> None:
    copy.replace(
        "organisations.yaml",
        "  members: [AUS, CAN, GBR, NZL, USA]",
        "  members: [AUS, CAN, GBR, USA]",
    )
    latest = dataset_version(session)
    assert counts(seed(session, copy.directory)) == {**UNCHANGED, "organisations": (0, 1, 15)}
    assert new_changes(session, latest) == [("organisations", "update", "seed")]
    five_eyes = client.get("/v1/organisations/five-eyes")
    assert (five_eyes.json()["members"], five_eyes.json()["version"]) == (
        ["AUS", "CAN", "GBR", "USA"],
        2,
    )
    assert five_eyes.headers["x-dataset-version"] == str(dataset_version(session))
    assert dataset_version(session) > latest

"""`bri seed` refuses bad rows with a message naming file, row, line and field; writes nothing."""

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Change, Source
from app.seed.load import SeedInvalid
from app.seed.write import seed
from tests.seed.seed_copy import SeedCopy

NEW_SOURCE = """- key: written-only-if-valid
  kind: report
  title: A row that must not be written while another row is bad
"""


@pytest.fixture
def copy(tmp_path: Path) -> SeedCopy:
    seeds = SeedCopy(tmp_path / "seed_data")
    seeds.append("sources.yaml", NEW_SOURCE)  # valid, so only the broken row is refused
    return seeds


def refused(session: Session, copy: SeedCopy) -> list[str]:
    """The problems `seed` reports, after checking it wrote nothing at all."""
    changes = session.scalar(select(func.count()).select_from(Change))
    with pytest.raises(SeedInvalid) as refusal:
        seed(session, copy.directory)
    assert session.scalar(select(func.count()).select_from(Change)) == changes
    assert session.scalar(select(Source.id).where(Source.key == "written-only-if-valid")) is None
    return [str(problem) for problem in refusal.value.problems]


def test_an_unknown_key(session: Session, copy: SeedCopy) -> None:
    copy.replace(
        "strands.yaml",
        "  kind: thematic",
        "  kind: thematic\n  colour: red",
        within="- code: digital",
    )
    line = copy.line_of("strands.yaml", "- code: digital")
    assert refused(session, copy) == [
        f"strands.yaml: row 2 (line {line}), field 'colour': Extra inputs are not permitted"
    ]


def test_a_value_outside_the_vocabulary(session: Session, copy: SeedCopy) -> None:
    copy.replace("strands.yaml", "  kind: core", "  kind: imaginary")
    assert refused(session, copy) == [
        "strands.yaml: row 1 (line 1), field 'kind': "
        "Input should be 'core', 'thematic' or 'geographic'"
    ]


def test_a_missing_required_field(session: Session, copy: SeedCopy) -> None:
    copy.replace("organisations.yaml", "  name: Caixin (Caixin Online)", "")
    line = copy.line_of("organisations.yaml", "- key: caixin")
    assert refused(session, copy) == [
        f"organisations.yaml: row 2 (line {line}), field 'name': Field required"
    ]


def test_a_citation_of_an_unknown_source(session: Session, copy: SeedCopy) -> None:
    copy.replace(
        "events.yaml",
        "  cite: {source: magnus-bretherton-2020, locator: para 11}",
        "  cite: {source: no-such-article, locator: para 11}",
    )
    line = copy.line_of("events.yaml", "- key: digital-silk-road-launched-2015")
    assert refused(session, copy) == [
        f"events.yaml: row 4 (line {line}), field 'cite.source': "
        "no source with key 'no-such-article'"
    ]


def test_a_reference_to_an_unknown_organisation(session: Session, copy: SeedCopy) -> None:
    copy.replace(
        "projects.yaml", "    - {key: huawei, role: supplier}", "    - {key: zte, role: supplier}"
    )
    line = copy.line_of("projects.yaml", "- key: huawei-5g")
    assert refused(session, copy) == [
        f"projects.yaml: row 3 (line {line}), field 'organisations.0.key': "
        "no organisation with key 'zte'"
    ]


def test_a_reference_to_an_unknown_country(session: Session, copy: SeedCopy) -> None:
    copy.replace("stances.yaml", "  country: NZL", "  country: NZX")
    line = copy.line_of("stances.yaml", "- key: nzl-restricted-huawei")
    assert refused(session, copy) == [
        f"stances.yaml: row 6 (line {line}), field 'country': "
        "'NZX' is not an ISO 3166-1 alpha-3 code"
    ]


def test_a_duplicate_key(session: Session, copy: SeedCopy) -> None:
    line = copy.replace(
        "figures.yaml",
        "- key: go-cloud-companies-target-2025",
        "- key: bri-projects-adversely-affected-2020",
    )
    assert refused(session, copy) == [
        f"figures.yaml: row 7 (line {line}), field 'key': "
        "'bri-projects-adversely-affected-2020' appears twice"
    ]


def test_a_range_without_its_high_end(session: Session, copy: SeedCopy) -> None:
    copy.replace("figures.yaml", "  value_high: 40", "")
    line = copy.line_of("figures.yaml", "- key: bri-projects-somewhat-affected-2020")
    assert refused(session, copy) == [
        f"figures.yaml: row 5 (line {line}), field 'value_low': "
        "a range needs value_low and value_high"
    ]


def test_bad_yaml(session: Session, copy: SeedCopy) -> None:
    line = copy.replace(
        "stances.yaml",
        "  action: adopted",
        "  action: [adopted",
        within="- key: pak-adopted-beidou",
    )
    [problem] = refused(session, copy)
    # The parser notices the unclosed list on a later line; the message names where.
    assert problem.startswith("stances.yaml: row 0 (line ")
    assert int(problem.split("(line ")[1].split(")")[0]) > line
    assert ", field '-': not valid YAML: " in problem


def test_every_problem_is_reported_at_once(session: Session, copy: SeedCopy) -> None:
    copy.replace("strands.yaml", "  kind: core", "  kind: imaginary")
    copy.replace("stances.yaml", "  country: NZL", "  country: NZX")
    copy.replace("figures.yaml", "  value_high: 40", "")
    assert [problem.split(":")[0] for problem in refused(session, copy)] == [
        "strands.yaml",
        "figures.yaml",
        "stances.yaml",
    ]

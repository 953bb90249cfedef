"""Reads and validates `seed_data/`: every problem names its file, row, line and field."""

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pycountry
import yaml
from pydantic import BaseModel, ValidationError

from app.seed.rows import (
    CountryNoteRow,
    EventRow,
    FigureRow,
    FundingRow,
    OrganisationRow,
    ProjectRow,
    SourceRow,
    StanceRow,
    StrandRow,
)

RowT = TypeVar("RowT", bound=BaseModel)


@dataclass(frozen=True)
class SeedProblem:
    file: str
    row: int
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: row {self.row} (line {self.line})"
        return f"{where}, field '{self.field}': {self.message}"


class SeedInvalid(Exception):
    def __init__(self, problems: list[SeedProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the seed data")
        self.problems = problems


@dataclass
class Located:
    """A validated row with where it came from."""

    file: str
    row: int
    line: int


@dataclass
class SeedData:
    sources: list[tuple[Located, SourceRow]] = field(default_factory=list)
    strands: list[tuple[Located, StrandRow]] = field(default_factory=list)
    organisations: list[tuple[Located, OrganisationRow]] = field(default_factory=list)
    projects: list[tuple[Located, ProjectRow]] = field(default_factory=list)
    funding: list[tuple[Located, FundingRow]] = field(default_factory=list)
    figures: list[tuple[Located, FigureRow]] = field(default_factory=list)
    stances: list[tuple[Located, StanceRow]] = field(default_factory=list)
    events: list[tuple[Located, EventRow]] = field(default_factory=list)
    countries: list[tuple[Located, CountryNoteRow]] = field(default_factory=list)
    regions: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    # Per file, the keys of rows refused by their schema (so references to them still resolve).
    refused_keys: dict[str, set[str]] = field(default_factory=dict)


FILES: dict[str, type[BaseModel]] = {
    "sources": SourceRow,
    "strands": StrandRow,
    "organisations": OrganisationRow,
    "projects": ProjectRow,
    "funding": FundingRow,
    "figures": FigureRow,
    "stances": StanceRow,
    "events": EventRow,
    "countries": CountryNoteRow,
}


def _read_yaml(path: Path, problems: list[SeedProblem]) -> list[tuple[int, Any]]:
    """The list items of a YAML file with their line numbers."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text)
        values = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problems.append(SeedProblem(path.name, 0, line, "-", f"not valid YAML: {error}"))
        return []
    if values is None:
        return []
    if not isinstance(values, list) or not isinstance(root, yaml.SequenceNode):
        problems.append(SeedProblem(path.name, 0, 1, "-", "the file must be a YAML list"))
        return []
    return [
        (node.start_mark.line + 1, value) for node, value in zip(root.value, values, strict=True)
    ]


def _validate(
    path: Path, model: type[RowT], problems: list[SeedProblem], refused: set[str]
) -> list[tuple[Located, RowT]]:
    rows = []
    for number, (line, value) in enumerate(_read_yaml(path, problems), start=1):
        where = Located(path.name, number, line)
        try:
            rows.append((where, model.model_validate(value)))
        except ValidationError as error:
            key = value.get("key", value.get("code")) if isinstance(value, dict) else None
            if isinstance(key, str):
                refused.add(key)
            for item in error.errors():
                name = ".".join(str(part) for part in item["loc"]) or "-"
                problems.append(SeedProblem(path.name, number, line, name, item["msg"]))
    return rows


def _regions(path: Path, problems: list[SeedProblem]) -> dict[str, tuple[str, str | None]]:
    found: dict[str, tuple[str, str | None]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, record in enumerate(csv.DictReader(handle), start=1):
            iso3 = (record.get("iso3") or "").strip()
            if pycountry.countries.get(alpha_3=iso3) is None:
                problems.append(
                    SeedProblem(
                        path.name,
                        number,
                        number + 1,
                        "iso3",
                        f"'{iso3}' is not an ISO 3166-1 alpha-3 code",
                    )
                )
                continue
            found[iso3] = (
                (record.get("region") or "").strip(),
                (record.get("subregion") or "").strip() or None,
            )
    return found


def load(directory: Path) -> SeedData:
    """Validated seed rows, or SeedInvalid listing every problem (references included)."""
    problems: list[SeedProblem] = []
    data = SeedData()
    for name, model in FILES.items():
        path = directory / f"{name}.yaml"
        if not path.exists():
            problems.append(SeedProblem(path.name, 0, 0, "-", "file is missing"))
            continue
        data.refused_keys[name] = set()
        setattr(data, name, _validate(path, model, problems, data.refused_keys[name]))
    data.regions = _regions(directory / "country_regions.csv", problems)
    from app.seed.checks import check_references

    problems += check_references(data)
    if problems:
        raise SeedInvalid(problems)
    return data

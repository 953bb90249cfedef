"""Reading a dataset CSV row by row, with the line each row starts on."""

import csv
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from app.imports.common import Invalid
from app.imports.records import Problem

T = TypeVar("T")
# (attribute, field position, parser, column name): one field parsed into one attribute.
Spec = tuple[str, int, Callable[[str], Any], str]

# Long descriptions and comment fields exceed the csv module's default 128 KiB limit.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class FileRefused(Exception):
    """The file as a whole cannot be read (missing columns, no header, not UTF-8)."""


def rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(line the row starts on, fields) for every row, header included (1-based lines)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            line = 1
            for fields in reader:
                yield line, fields
                line = reader.line_num + 1
    except UnicodeDecodeError as error:
        raise FileRefused(f"{path.name} is not UTF-8 text: {error}") from error
    except csv.Error as error:
        raise FileRefused(f"{path.name} is not readable CSV: {error}") from error


def count_lines(path: Path) -> int:
    """Physical lines in the file (an upper bound on its rows, for the progress bar)."""
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


class RowReader:
    """One row's fields by column name; a failed parse becomes a Problem, not an exception."""

    __slots__ = ("index", "line", "problems", "record", "row")

    def __init__(self, index: dict[str, int]) -> None:
        self.index = index
        self.row: list[str] = []
        self.line = 0
        self.record = ""
        self.problems: list[Problem] = []

    def start(self, line: int, row: list[str]) -> None:
        self.row = row
        self.line = line
        self.record = ""
        self.problems = []

    def raw(self, column: str) -> str:
        return self.row[self.index[column]]

    def value(self, column: str, parse: Callable[..., T], *args: Any) -> T | None:
        """The parsed value; None for a blank field (every parser reads blank as None)."""
        raw = self.row[self.index[column]]
        if not raw or raw.isspace():
            return None
        try:
            return parse(raw, *args)
        except Invalid as error:
            self.problem(column, str(error), raw)
            return None

    def fill(self, target: dict[str, Any], specs: list[Spec], *, blanks: bool = True) -> None:
        """Parses many columns at once: `target[name] = parse(field)` for each spec."""
        row = self.row
        for name, position, parse, column in specs:
            raw = row[position]
            if not raw or raw.isspace():
                if blanks:
                    target[name] = None
                continue
            try:
                value = parse(raw)
            except Invalid as error:
                self.problem(column, str(error), raw)
                value = None
            if blanks or value is not None:
                target[name] = value

    def problem(self, column: str, reason: str, raw: str = "") -> None:
        self.problems.append(Problem(self.line, self.record, column, raw.strip()[:200], reason))

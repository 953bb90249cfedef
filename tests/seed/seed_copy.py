"""A copy of seed_data/ that a test can edit line by line."""

import shutil
from pathlib import Path

from tests.api_helpers import SEED_DIR


class SeedCopy:
    def __init__(self, directory: Path) -> None:
        shutil.copytree(SEED_DIR, directory)
        self.directory = directory

    def text(self, name: str) -> str:
        return (self.directory / name).read_text(encoding="utf-8")

    def line_of(self, name: str, line: str) -> int:
        """The 1-based number of the one line of `name` that equals `line`."""
        numbers = [i for i, text in enumerate(self.text(name).splitlines(), 1) if text == line]
        assert len(numbers) == 1, f"{line!r} occurs {len(numbers)} times in {name}"
        return numbers[0]

    def replace(self, name: str, old: str, new: str, *, within: str | None = None) -> int:
        """Replaces a line equal to `old` with `new` (which may be several lines).

        `old` must be unique in the file, or, with `within`, the first such line at or after
        the unique line `within` (a row's first line). Returns the replaced line's number.
        """
        lines = self.text(name).splitlines()
        if within is None:
            index = self.line_of(name, old) - 1
        else:
            start = self.line_of(name, within) - 1
            index = lines.index(old, start)
        lines[index : index + 1] = new.splitlines()
        (self.directory / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        return index + 1

    def append(self, name: str, block: str) -> None:
        with (self.directory / name).open("a", encoding="utf-8") as handle:
            handle.write("\n" + block)

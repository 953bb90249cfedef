"""SQLite's import settings (page cache, temporary storage) hold while an import writes and
are the connection's own again after it, whether the import committed or failed."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.imports.bulk import IMPORT_PRAGMAS, Bulk
from app.imports.write import ImportRefused
from tests.imports.helpers import SAMPLE, do_import


def _pragmas(session: Session) -> dict[str, int]:
    raw: Any = session.connection().connection.driver_connection
    return {name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in IMPORT_PRAGMAS}


@pytest.fixture
def sqlite_session(session: Session, dialect: str) -> Session:
    if dialect != "sqlite":
        pytest.skip("SQLite pragmas")
    return session


def _watch_writes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, int]]:
    """The pragmas as each bulk write finds them."""
    seen: list[dict[str, int]] = []
    write_now = Bulk.write_now

    def watched(self: Bulk, table: str, names: list[str], data: list[tuple[Any, ...]]) -> None:
        seen.append(
            {name: self.raw.execute(f"PRAGMA {name}").fetchone()[0] for name in IMPORT_PRAGMAS}
        )
        write_now(self, table, names, data)

    monkeypatch.setattr(Bulk, "write_now", watched)
    return seen


def test_the_import_settings_hold_while_writing_and_are_undone_after(
    sqlite_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _pragmas(sqlite_session)
    assert before != IMPORT_PRAGMAS  # else this test could not tell
    seen = _watch_writes(monkeypatch)
    report = do_import(sqlite_session, "aiddata", SAMPLE)
    assert report.written
    assert seen
    assert all(found == IMPORT_PRAGMAS for found in seen)
    assert _pragmas(sqlite_session) == before


def test_a_failed_import_undoes_the_settings_too(
    sqlite_session: Session, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = _pragmas(sqlite_session)
    assert before != IMPORT_PRAGMAS
    seen = _watch_writes(monkeypatch)

    def refuse(*_args: Any) -> None:
        raise ImportRefused("stop")

    monkeypatch.setattr("app.imports.write.check_references", refuse)
    with pytest.raises(ImportRefused):
        do_import(sqlite_session, "aiddata", SAMPLE)
    assert not seen
    assert _pragmas(sqlite_session) == before

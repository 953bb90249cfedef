"""Natural keys to row ids, collecting every unknown one so a single 422 names them all."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ProblemError, ProblemException
from app.models import Country, Organisation, Project, Source, Strand

# kind -> (the column holding the natural key, the column returned)
KINDS: dict[str, tuple[Any, Any]] = {
    "source": (Source.key, Source.id),
    "organisation": (Organisation.key, Organisation.id),
    "project": (Project.key, Project.id),
    "strand": (Strand.code, Strand.code),
    "country": (Country.iso3, Country.iso3),
}


class Refs:
    """Resolves the references of one request body; `check()` raises a 422 listing problems."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.errors: list[ProblemError] = []
        self._found: dict[tuple[str, str], Any] = {}

    def resolve(self, kind: str, field: str, value: str | None) -> Any:
        """The id (or code) for `value`, None when `value` is None or unknown."""
        if value is None:
            return None
        cache_key = (kind, value)
        if cache_key not in self._found:
            key_column, id_column = KINDS[kind]
            self._found[cache_key] = self.session.scalar(
                select(id_column).where(key_column == value)
            )
        found = self._found[cache_key]
        if found is None:
            self.problem(field, f"no {kind} with key '{value}'")
        return found

    def source(self, field: str, key: str | None) -> Any:
        return self.resolve("source", field, key)

    def organisation(self, field: str, key: str | None) -> Any:
        return self.resolve("organisation", field, key)

    def project(self, field: str, key: str | None) -> Any:
        return self.resolve("project", field, key)

    def strand(self, field: str, code: str | None) -> Any:
        return self.resolve("strand", field, code)

    def country(self, field: str, iso3: str | None) -> Any:
        return self.resolve("country", field, iso3)

    def problem(self, field: str, message: str) -> None:
        self.errors.append(ProblemError(location="body", field=field, message=message))

    def problems(self, found: list[tuple[str, str]]) -> None:
        for field, message in found:
            self.problem(field, message)

    def check(self) -> None:
        if self.errors:
            raise unprocessable(self.errors)


def unprocessable(errors: list[ProblemError]) -> ProblemException:
    listed = "; ".join(f"{error.field}: {error.message}" for error in errors)
    return ProblemException(422, f"The request body cannot be used: {listed}.", errors=errors)

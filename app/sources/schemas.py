from datetime import date

from app.common_schemas import TrackedRead
from app.models.enums import SourceKind


class SourceRead(TrackedRead):
    """Where facts come from: an article, a dataset, a report or a statement."""

    id: int
    key: str
    kind: SourceKind
    title: str
    authors: str | None
    publisher: str | None
    published_on: date | None
    year: int | None
    url: str | None
    licence: str | None
    note: str | None

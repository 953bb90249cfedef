from datetime import date

from pydantic import Field

from app.common_schemas import TrackedRead
from app.models.enums import SourceKind
from app.writes.fields import (
    Key,
    LongText,
    Text200,
    Text300,
    Text2000,
    Title,
    Url,
    WriteModel,
    update_schema,
)


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


class SourceCreate(WriteModel):
    """A new source. Its key is permanent: facts cite it by key."""

    key: Key = Field(description="Permanent slug, e.g. `magnus-bretherton-2020`.")
    kind: SourceKind
    title: Title
    authors: Text2000 | None = Field(None, description="Authors in order, '; '-separated.")
    publisher: Text300 | None = None
    published_on: date | None = None
    year: int | None = Field(None, ge=1000, le=2999)
    url: Url | None = None
    licence: Text200 | None = None
    note: LongText | None = None


SourceUpdate = update_schema(
    SourceCreate, "SourceUpdate", "Changes to a source (JSON merge patch); the key is fixed."
)

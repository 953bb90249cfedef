from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import StanceAction
from app.writes.fields import CountryCode, Key, Locator, LongText, WriteModel, Year, update_schema


class StanceRead(CitedRead, TrackedRead):
    """What a country did about a strand, a programme or an organisation."""

    id: int
    key: str
    country: str = Field(description="ISO-3 code.")
    action: StanceAction
    strand: str | None = Field(description="Target strand code.")
    project: str | None = Field(description="Target project key.")
    organisation: str | None = Field(description="Target organisation key.")
    via: str | None = Field(description="Key of the group whose stance the country shares.")
    year: int | None
    note: str | None


class StanceCreate(WriteModel):
    """A new stance: a country's action about a strand, a project or an organisation."""

    key: Key = Field(description="Permanent slug.")
    country: CountryCode
    action: StanceAction
    strand: Key | None = Field(None, description="Target strand code.")
    project: Key | None = Field(None, description="Target project key.")
    organisation: Key | None = Field(None, description="Target organisation key.")
    via: Key | None = Field(None, description="Key of the group whose stance the country shares.")
    year: Year | None = None
    note: LongText | None = None
    source: Key = Field(description="Key of the cited source.")
    locator: Locator = Field(description="Where in the source: a paragraph, page or record id.")


StanceUpdate = update_schema(
    StanceCreate, "StanceUpdate", "Changes to a stance (JSON merge patch); the key is fixed."
)

from pydantic import Field

from app.common_schemas import TrackedRead


class CountryRead(TrackedRead):
    """An ISO 3166-1 country, its UN M49 region, and what the sources say of it."""

    iso3: str
    iso2: str
    numeric: str
    name: str
    official_name: str | None
    region: str | None = Field(description="UN M49 region.")
    subregion: str | None = Field(description="UN M49 sub-region.")
    note: str | None = Field(description="What the sources say about the country and the BRI.")
    source: str | None = Field(description="Key of the source the note cites.")
    locator: str | None

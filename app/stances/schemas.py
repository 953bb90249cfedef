from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import StanceAction


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

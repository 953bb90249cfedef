from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import OrganisationKind


class OrganisationRead(CitedRead, TrackedRead):
    """A company, bank, ministry, think tank, alliance or other body."""

    id: int
    key: str
    name: str
    kind: OrganisationKind
    country: str | None = Field(description="ISO-3 code of the organisation's country.")
    description: str | None
    members: list[str] = Field(description="ISO-3 codes of member countries (for alliances).")

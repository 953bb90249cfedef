from pydantic import Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import StrandKind


class StrandRead(CitedRead, TrackedRead):
    """A silk-road strand: the core BRI or one of its thematic or geographic extensions."""

    code: str = Field(description="bri, digital, health, polar or latin-america.")
    name: str
    kind: StrandKind
    year_launched: int
    parent: str | None = Field(description="Code of the parent strand.")
    description: str | None

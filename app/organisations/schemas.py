from typing import Annotated

from pydantic import AfterValidator, Field

from app.common_schemas import CitedRead, TrackedRead
from app.models.enums import OrganisationKind
from app.writes.fields import (
    CountryCode,
    Key,
    Locator,
    LongText,
    Text500,
    WriteModel,
    unique_items,
    update_schema,
)


class OrganisationRead(CitedRead, TrackedRead):
    """A company, bank, ministry, think tank, alliance or other body."""

    id: int
    key: str
    name: str
    kind: OrganisationKind
    country: str | None = Field(description="ISO-3 code of the organisation's country.")
    description: str | None
    members: list[str] = Field(description="ISO-3 codes of member countries (for alliances).")


class OrganisationCreate(WriteModel):
    """A new organisation. Its key is permanent: projects and facts refer to it by key."""

    key: Key = Field(description="Permanent slug, e.g. `huawei`.")
    name: Text500
    kind: OrganisationKind
    country: CountryCode | None = Field(None, description="Its country (ISO-3 or ISO-2).")
    description: LongText | None = None
    members: Annotated[list[CountryCode], AfterValidator(unique_items)] = Field(
        default_factory=list, description="Member countries, for a group such as the Five Eyes."
    )
    source: Key = Field(description="Key of the cited source.")
    locator: Locator = Field(description="Where in the source: a paragraph, page or record id.")


OrganisationUpdate = update_schema(
    OrganisationCreate,
    "OrganisationUpdate",
    "Changes to an organisation (JSON merge patch); the key is fixed.",
)

"""Pydantic pieces shared by the Read schemas."""

from datetime import datetime

from pydantic import BaseModel, Field


class TrackedRead(BaseModel):
    created_at: datetime
    updated_at: datetime
    version: int = Field(description='Row version; the row\'s ETag is "v<version>".')


class CitedRead(BaseModel):
    source: str = Field(description="Key of the cited source (see /v1/sources).")
    locator: str = Field(description="Where in the source: a paragraph, page or record id.")

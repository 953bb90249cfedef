from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.models.enums import ChangeOp


class ChangeRead(BaseModel):
    """One write to one row: who, when, what, and the row before and after."""

    version: int = Field(description="The dataset version this change produced.")
    resource: str
    resource_id: str
    path: str
    op: ChangeOp
    actor: str
    at: datetime
    before: dict[str, Any] | None = Field(description="The row before; null for a create.")
    after: dict[str, Any] | None = Field(description="The row after; null for a delete.")

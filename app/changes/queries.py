"""The change feed: every create, update and delete in the order it happened."""

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, literal

from app.listing import Filter, ListSpec, OutField
from app.models import Change
from app.models.enums import ChangeOp


def _after_version(value: Any) -> int:
    # `since` is the version a mirror already has: it wants what came after it.
    return int(value) + 1


CHANGES = ListSpec(
    name="changes",
    source=Change.__table__,
    id_field="version",
    fields=[
        OutField(
            "version",
            Change.version,
            int,
            sortable=True,
            description="The dataset version this change produced; pass it as `since`.",
        ),
        OutField("resource", Change.resource, description="The resource written: projects, …"),
        OutField("resource_id", Change.resource_id, description="The row's id (or code)."),
        OutField(
            "path",
            literal("/v1/") + Change.resource + literal("/") + Change.resource_id,
            description="Where the row is (gone after a delete).",
        ),
        OutField("op", Change.op, ChangeOp, description="create, update or delete."),
        OutField("actor", Change.actor, description="The API key's name, `seed` or an importer."),
        OutField("at", Change.at, datetime, description="When, in UTC."),
        OutField("before", Change.before, description="The row before (null for a create)."),
        OutField("after", Change.after, description="The row after (null for a delete)."),
    ],
    filters=[
        Filter(
            "since",
            int,
            op="min",
            column=Change.version,
            normalise=_after_version,
            description="Only changes after this dataset version (a mirror's last `version`).",
        ),
        Filter("resource", str, column=Change.resource, description="Resource name."),
        Filter("op", ChangeOp, column=Change.op),
        Filter("actor", str, column=Change.actor, description="API key name."),
        Filter("resource_id", str, column=Change.resource_id),
    ],
    default_sort=("version",),
    description="Every write in order: a mirror applies them after the version it holds.",
)


def by_version(ref: str) -> ColumnElement[bool]:
    if ref.isdigit() and len(ref) <= 18:
        return Change.version == int(ref)
    return Change.version == -1  # matches nothing: a clean 404

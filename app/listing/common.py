"""Field groups that several resources share (citations, row bookkeeping)."""

from datetime import datetime
from typing import Any

from app.listing.filters import updated_since
from app.listing.spec import Filter, OutField
from app.models import Source


def cited_fields(table: Any) -> list[OutField]:
    """The source (by key) and the locator inside it. The FROM must join `sources`."""
    return [
        OutField("source", Source.key, description="Key of the cited source."),
        OutField("locator", table.locator, description="Where in the source (para 6, p. 12)."),
    ]


def tracked_fields(table: Any) -> list[OutField]:
    return [
        OutField("created_at", table.created_at, datetime),
        OutField("updated_at", table.updated_at, datetime, sortable=True),
        OutField("version", table.version, int, description="Row version; the ETag is v<version>."),
    ]


def source_filter() -> Filter:
    return Filter(
        "source", str, column=Source.key, known=Source.key, description="Cited source key."
    )


def tracked_filters(table: Any) -> list[Filter]:
    return [updated_since(table.updated_at)]

from datetime import date

from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import tracked_fields, tracked_filters
from app.listing.filters import id_or_key, text_contains
from app.models import Source
from app.models.enums import SourceKind

SOURCES = ListSpec(
    name="sources",
    source=Source.__table__,
    id_field="id",
    fields=[
        OutField("id", Source.id, int, sortable=True),
        OutField("key", Source.key, sortable=True),
        OutField("kind", Source.kind, SourceKind),
        OutField("title", Source.title, sortable=True),
        OutField("authors", Source.authors),
        OutField("publisher", Source.publisher),
        OutField("published_on", Source.published_on, date, sortable=True),
        OutField("year", Source.year, int, sortable=True),
        OutField("url", Source.url),
        OutField("licence", Source.licence),
        OutField("note", Source.note),
        *tracked_fields(Source),
    ],
    filters=[
        Filter("kind", SourceKind, column=Source.kind),
        Filter("key", str, column=Source.key),
        Filter("publisher", str, column=Source.publisher),
        Filter("year_min", int, op="min", column=Source.year),
        Filter("year_max", int, op="max", column=Source.year),
        *tracked_filters(Source),
    ],
    default_sort=("id",),
    search=Search(where=text_contains(Source.title, Source.publisher, Source.authors)),
    description="Every source a fact cites, with its licence.",
)

by_id_or_key = id_or_key(Source.id, Source.key)

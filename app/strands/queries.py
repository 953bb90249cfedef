from sqlalchemy import ColumnElement

from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import cited_fields, source_filter, tracked_fields, tracked_filters
from app.listing.filters import text_contains
from app.models import Source, Strand
from app.models.enums import StrandKind

STRANDS = ListSpec(
    name="strands",
    source=Strand.__table__.join(Source.__table__),
    id_field="code",
    fields=[
        OutField("code", Strand.code, sortable=True),
        OutField("name", Strand.name, sortable=True),
        OutField("kind", Strand.kind, StrandKind),
        OutField("year_launched", Strand.year_launched, int, sortable=True),
        OutField("parent", Strand.parent_code),
        OutField("description", Strand.description),
        *cited_fields(Strand),
        *tracked_fields(Strand),
    ],
    filters=[
        Filter("kind", StrandKind, column=Strand.kind),
        Filter("parent", str, column=Strand.parent_code),
        Filter("year_min", int, op="min", column=Strand.year_launched),
        Filter("year_max", int, op="max", column=Strand.year_launched),
        source_filter(),
        *tracked_filters(Strand),
    ],
    default_sort=("year_launched",),
    search=Search(where=text_contains(Strand.name, Strand.description)),
    description="The strands of the BRI with the year each was launched.",
)


def by_code(code: str) -> ColumnElement[bool]:
    return Strand.code == code.lower()

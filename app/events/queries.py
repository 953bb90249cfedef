from datetime import date

from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import cited_fields, source_filter, tracked_fields, tracked_filters
from app.listing.filters import country_code, id_or_key, text_contains
from app.models import Event, Organisation, Project, Source
from app.models.enums import DatePrecision, EventKind

EVENTS = ListSpec(
    name="events",
    source=Event.__table__.join(Source.__table__)
    .outerjoin(Organisation.__table__, Event.organisation_id == Organisation.id)
    .outerjoin(Project.__table__, Event.project_id == Project.id),
    id_field="id",
    fields=[
        OutField("id", Event.id, int, sortable=True),
        OutField("key", Event.key, sortable=True),
        OutField("title", Event.title),
        OutField("kind", Event.kind, EventKind, sortable=True),
        OutField("date", Event.date, date, sortable=True),
        OutField("date_precision", Event.date_precision, DatePrecision),
        OutField("strand", Event.strand_code),
        OutField("country", Event.country_iso3),
        OutField("organisation", Organisation.key),
        OutField("project", Project.key),
        OutField("note", Event.note),
        *cited_fields(Event),
        *tracked_fields(Event),
    ],
    filters=[
        Filter("kind", EventKind, column=Event.kind),
        Filter("strand", str, column=Event.strand_code),
        Filter("country", str, column=Event.country_iso3, normalise=country_code),
        Filter("organisation", str, column=Organisation.key),
        Filter("project", str, column=Project.key),
        Filter("date_min", date, op="min", column=Event.date),
        Filter("date_max", date, op="max", column=Event.date),
        source_filter(),
        *tracked_filters(Event),
    ],
    default_sort=("date", "id"),
    search=Search(where=text_contains(Event.title, Event.note)),
    description="Dated milestones in date order.",
)

by_id_or_key = id_or_key(Event.id, Event.key)

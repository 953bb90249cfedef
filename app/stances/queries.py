from sqlalchemy.orm import aliased

from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import cited_fields, source_filter, tracked_fields, tracked_filters
from app.listing.filters import country_code, id_or_key, text_contains
from app.models import Organisation, Project, Source, Stance
from app.models.enums import StanceAction

Target = aliased(Organisation, name="target_org")
Via = aliased(Organisation, name="via_org")

STANCES = ListSpec(
    name="stances",
    source=Stance.__table__.join(Source.__table__)
    .outerjoin(Target, Stance.organisation_id == Target.id)
    .outerjoin(Via, Stance.via_organisation_id == Via.id)
    .outerjoin(Project.__table__, Stance.project_id == Project.id),
    id_field="id",
    fields=[
        OutField("id", Stance.id, int, sortable=True),
        OutField("key", Stance.key, sortable=True),
        OutField("country", Stance.country_iso3, sortable=True),
        OutField("action", Stance.action, StanceAction, sortable=True),
        OutField("strand", Stance.strand_code),
        OutField("project", Project.key),
        OutField("organisation", Target.key),
        OutField("via", Via.key),
        OutField("year", Stance.year, int, sortable=True),
        OutField("note", Stance.note),
        *cited_fields(Stance),
        *tracked_fields(Stance),
    ],
    filters=[
        Filter("country", str, column=Stance.country_iso3, normalise=country_code),
        Filter("action", StanceAction, column=Stance.action),
        Filter("strand", str, column=Stance.strand_code),
        Filter("project", str, column=Project.key),
        Filter("organisation", str, column=Target.key),
        Filter("via", str, column=Via.key),
        Filter("year_min", int, op="min", column=Stance.year),
        Filter("year_max", int, op="max", column=Stance.year),
        source_filter(),
        *tracked_filters(Stance),
    ],
    default_sort=("id",),
    search=Search(where=text_contains(Stance.note)),
    description="Who joined, adopted, resisted, restricted, supported or criticised what.",
)

by_id_or_key = id_or_key(Stance.id, Stance.key)

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import aliased

from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import cited_fields, source_filter, tracked_fields, tracked_filters
from app.listing.filters import country_code, id_or_key, text_contains
from app.models import Figure, Organisation, Project, Source
from app.models.enums import Qualifier, Scope, Unit

About = aliased(Organisation, name="about_org")
Publisher = aliased(Organisation, name="publisher_org")

FIGURES = ListSpec(
    name="figures",
    source=Figure.__table__.join(Source.__table__)
    .outerjoin(About, Figure.organisation_id == About.id)
    .outerjoin(Publisher, Figure.publisher_id == Publisher.id)
    .outerjoin(Project.__table__, Figure.project_id == Project.id),
    id_field="id",
    fields=[
        OutField("id", Figure.id, int, sortable=True),
        OutField("key", Figure.key, sortable=True),
        OutField("indicator", Figure.indicator, sortable=True),
        OutField("label", Figure.label),
        OutField("value", Figure.value, Decimal),
        OutField("value_low", Figure.value_low, Decimal),
        OutField("value_high", Figure.value_high, Decimal),
        OutField("unit", Figure.unit, Unit),
        OutField("qualifier", Figure.qualifier, Qualifier),
        OutField("period_start", Figure.period_start, date, sortable=True),
        OutField("period_end", Figure.period_end, date, sortable=True),
        OutField("base_period_start", Figure.base_period_start, date),
        OutField("base_period_end", Figure.base_period_end, date),
        OutField("scope", Figure.scope, Scope),
        OutField("strand", Figure.strand_code),
        OutField("country", Figure.country_iso3),
        OutField("organisation", About.key),
        OutField("project", Project.key),
        OutField("publisher", Publisher.key),
        OutField("note", Figure.note),
        *cited_fields(Figure),
        *tracked_fields(Figure),
    ],
    filters=[
        Filter(
            "indicator",
            str,
            column=Figure.indicator,
            description="Indicator slug; the rows come in period order: a time series.",
        ),
        Filter("unit", Unit, column=Figure.unit),
        Filter("qualifier", Qualifier, column=Figure.qualifier),
        Filter("scope", Scope, column=Figure.scope),
        Filter("strand", str, column=Figure.strand_code),
        Filter("country", str, column=Figure.country_iso3, normalise=country_code),
        Filter("organisation", str, column=About.key),
        Filter("publisher", str, column=Publisher.key),
        Filter("project", str, column=Project.key),
        Filter("period_start_min", date, op="min", column=Figure.period_start),
        Filter("period_end_max", date, op="max", column=Figure.period_end),
        source_filter(),
        *tracked_filters(Figure),
    ],
    default_sort=("period_start", "id"),
    search=Search(where=text_contains(Figure.label, Figure.indicator, Figure.note)),
    description="Reported statistics. With `indicator=` the rows form a series in period order.",
)

by_id_or_key = id_or_key(Figure.id, Figure.key)

from sqlalchemy import ColumnElement

from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import cited_fields, tracked_fields, tracked_filters
from app.listing.filters import country_code, text_contains
from app.models import Country, Source

COUNTRIES = ListSpec(
    name="countries",
    source=Country.__table__.outerjoin(Source.__table__),
    id_field="iso3",
    fields=[
        OutField("iso3", Country.iso3, sortable=True),
        OutField("iso2", Country.iso2),
        OutField("numeric", Country.numeric),
        OutField("name", Country.name, sortable=True),
        OutField("official_name", Country.official_name),
        OutField("region", Country.region, sortable=True),
        OutField("subregion", Country.subregion, sortable=True),
        OutField("note", Country.note),
        *cited_fields(Country),
        *tracked_fields(Country),
    ],
    filters=[
        Filter(
            "iso3",
            str,
            column=Country.iso3,
            normalise=country_code,
            description="ISO 3166-1 alpha-3 or alpha-2 code.",
        ),
        Filter("region", str, column=Country.region, description="UN M49 region, e.g. Asia."),
        Filter("subregion", str, column=Country.subregion),
        Filter(
            "has_note",
            bool,
            op="custom",
            build=lambda values: (
                Country.note.is_not(None) if values[-1] else Country.note.is_(None)
            ),
            description="true: only countries the sources say something about.",
        ),
        *tracked_filters(Country),
    ],
    default_sort=("iso3",),
    search=Search(where=text_contains(Country.name, Country.official_name)),
    description="All ISO 3166-1 countries with their UN M49 regions.",
)


def by_code(code: str) -> ColumnElement[bool]:
    try:
        return Country.iso3 == country_code(code)
    except ValueError:
        return Country.iso3 == code  # matches nothing: a clean 404

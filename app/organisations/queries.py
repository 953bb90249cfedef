from app.listing import Filter, ListSpec, OutField, Search
from app.listing.common import cited_fields, source_filter, tracked_fields, tracked_filters
from app.listing.filters import country_code, id_or_key, linked, text_contains
from app.listing.sql_csv import codes_field
from app.models import Organisation, OrganisationMember, Source
from app.models.enums import OrganisationKind

ORGANISATIONS = ListSpec(
    name="organisations",
    source=Organisation.__table__.join(Source.__table__),
    id_field="id",
    fields=[
        OutField("id", Organisation.id, int, sortable=True),
        OutField("key", Organisation.key, sortable=True),
        OutField("name", Organisation.name, sortable=True),
        OutField("kind", Organisation.kind, OrganisationKind, sortable=True),
        OutField("country", Organisation.country_iso3, sortable=True),
        OutField("description", Organisation.description),
        codes_field(
            "members",
            OrganisationMember.country_iso3,
            OrganisationMember.organisation_id,
            Organisation.id,
        ),
        *cited_fields(Organisation),
        *tracked_fields(Organisation),
    ],
    filters=[
        Filter("key", str, column=Organisation.key),
        Filter("kind", OrganisationKind, column=Organisation.kind),
        Filter("country", str, column=Organisation.country_iso3, normalise=country_code),
        Filter(
            "member",
            str,
            op="custom",
            normalise=country_code,
            build=linked(
                OrganisationMember,
                OrganisationMember.country_iso3,
                OrganisationMember.organisation_id,
                Organisation.id,
            ),
            description="Groups that this country (ISO-3 or ISO-2) belongs to.",
        ),
        source_filter(),
        *tracked_filters(Organisation),
    ],
    default_sort=("id",),
    search=Search(where=text_contains(Organisation.name, Organisation.description)),
    description="Companies, banks, ministries, think tanks and alliances.",
)

by_id_or_key = id_or_key(Organisation.id, Organisation.key)

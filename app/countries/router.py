from fastapi import APIRouter

from app.countries.queries import COUNTRIES, by_code
from app.countries.schemas import CountryRead
from app.listing.routes import add_detail_route, add_list_route

router = APIRouter(prefix="/v1/countries", tags=["countries"])
add_list_route(router, COUNTRIES, CountryRead, name="Country", summary="List countries")
add_detail_route(
    router,
    COUNTRIES,
    CountryRead,
    param="code",
    param_help="ISO 3166-1 alpha-3 or alpha-2 code, e.g. PAK or PK.",
    lookup=by_code,
    summary="Get a country",
)

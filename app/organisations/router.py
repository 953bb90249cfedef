from fastapi import APIRouter

from app.listing.routes import add_detail_route, add_list_route
from app.organisations.queries import ORGANISATIONS, by_id_or_key
from app.organisations.schemas import OrganisationRead
from app.organisations.writes import ORGANISATION_WRITES
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/organisations", tags=["organisations"])
add_list_route(
    router, ORGANISATIONS, OrganisationRead, name="Organisation", summary="List organisations"
)
add_detail_route(
    router,
    ORGANISATIONS,
    OrganisationRead,
    param="organisation",
    param_help="Organisation id or key.",
    lookup=by_id_or_key,
    summary="Get an organisation",
)
add_write_routes(
    router, ORGANISATION_WRITES, param="organisation", param_help="Organisation id or key."
)

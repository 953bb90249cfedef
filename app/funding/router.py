from fastapi import APIRouter

from app.funding.queries import FUNDING, by_id_or_key
from app.funding.schemas import FundingRead
from app.listing.routes import add_detail_route, add_list_route

router = APIRouter(prefix="/v1/funding", tags=["funding"])
add_list_route(router, FUNDING, FundingRead, name="Funding", summary="List funding")
add_detail_route(
    router,
    FUNDING,
    FundingRead,
    param="funding",
    param_help="Funding id or key.",
    lookup=by_id_or_key,
    summary="Get a funding row",
)

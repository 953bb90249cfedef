from fastapi import APIRouter

from app.funding.queries import FUNDING, FUNDING_SUMMARY, by_id_or_key
from app.funding.schemas import FundingRead
from app.funding.writes import FUNDING_WRITES
from app.listing.routes import add_detail_route, add_list_route
from app.listing.summary_routes import add_summary_route
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/funding", tags=["funding"])
add_list_route(router, FUNDING, FundingRead, name="Funding", summary="List funding")
# Before the detail route, which would otherwise take "summary" for an id.
add_summary_route(
    router, FUNDING_SUMMARY, title="Funding", summary="Summarise funding: counts and exact sums"
)
add_detail_route(
    router,
    FUNDING,
    FundingRead,
    param="funding",
    param_help="Funding id or key.",
    lookup=by_id_or_key,
    summary="Get a funding row",
)
add_write_routes(router, FUNDING_WRITES, param="funding", param_help="Funding id or key.")

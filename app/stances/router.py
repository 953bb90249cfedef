from fastapi import APIRouter

from app.listing.routes import add_detail_route, add_list_route
from app.stances.queries import STANCES, by_id_or_key
from app.stances.schemas import StanceRead
from app.stances.writes import STANCE_WRITES
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/stances", tags=["stances"])
add_list_route(router, STANCES, StanceRead, name="Stance", summary="List stances")
add_detail_route(
    router,
    STANCES,
    StanceRead,
    param="stance",
    param_help="Stance id or key.",
    lookup=by_id_or_key,
    summary="Get a stance",
)
add_write_routes(router, STANCE_WRITES, param="stance", param_help="Stance id or key.")

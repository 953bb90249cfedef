from fastapi import APIRouter

from app.events.queries import EVENTS, by_id_or_key
from app.events.schemas import EventRead
from app.events.writes import EVENT_WRITES
from app.listing.routes import add_detail_route, add_list_route
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/events", tags=["events"])
add_list_route(router, EVENTS, EventRead, name="Event", summary="List events")
add_detail_route(
    router,
    EVENTS,
    EventRead,
    param="event",
    param_help="Event id or key.",
    lookup=by_id_or_key,
    summary="Get an event",
)
add_write_routes(router, EVENT_WRITES, param="event", param_help="Event id or key.")

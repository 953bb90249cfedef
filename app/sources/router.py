from fastapi import APIRouter

from app.listing.routes import add_detail_route, add_list_route
from app.sources.queries import SOURCES, by_id_or_key
from app.sources.schemas import SourceRead
from app.sources.writes import SOURCE_WRITES
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/sources", tags=["sources"])
add_list_route(router, SOURCES, SourceRead, name="Source", summary="List sources")
add_detail_route(
    router,
    SOURCES,
    SourceRead,
    param="source",
    param_help="Source id or key.",
    lookup=by_id_or_key,
    summary="Get a source",
)
add_write_routes(router, SOURCE_WRITES, param="source", param_help="Source id or key.")

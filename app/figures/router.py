from fastapi import APIRouter

from app.figures.queries import FIGURES, by_id_or_key
from app.figures.schemas import FigureRead
from app.figures.writes import FIGURE_WRITES
from app.listing.routes import add_detail_route, add_list_route
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/figures", tags=["figures"])
add_list_route(router, FIGURES, FigureRead, name="Figure", summary="List figures")
add_detail_route(
    router,
    FIGURES,
    FigureRead,
    param="figure",
    param_help="Figure id or key.",
    lookup=by_id_or_key,
    summary="Get a figure",
)
add_write_routes(router, FIGURE_WRITES, param="figure", param_help="Figure id or key.")

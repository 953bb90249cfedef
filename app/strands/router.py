from fastapi import APIRouter

from app.listing.routes import add_detail_route, add_list_route
from app.strands.queries import STRANDS, by_code
from app.strands.schemas import StrandRead

router = APIRouter(prefix="/v1/strands", tags=["strands"])
add_list_route(router, STRANDS, StrandRead, name="Strand", summary="List strands")
add_detail_route(
    router,
    STRANDS,
    StrandRead,
    param="code",
    param_help="Strand code, e.g. digital.",
    lookup=by_code,
    summary="Get a strand",
)

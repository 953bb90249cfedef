from fastapi import APIRouter

from app.changes.queries import CHANGES, by_version
from app.changes.schemas import ChangeRead
from app.listing.routes import add_detail_route, add_list_route

router = APIRouter(prefix="/v1/changes", tags=["changes"])
add_list_route(
    router,
    CHANGES,
    ChangeRead,
    name="Change",
    summary="List changes (the audit log and change feed), oldest first",
)
add_detail_route(
    router,
    CHANGES,
    ChangeRead,
    param="version",
    param_help="The change's version.",
    lookup=by_version,
    summary="Get one change",
)

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from app.caching import row_headers
from app.db import InlineSessions
from app.errors import ProblemException, problem_responses
from app.listing.render import dumps
from app.listing.routes import add_list_route
from app.listing.summary_routes import add_summary_route
from app.projects.queries import PROJECT_SUMMARY, PROJECTS, project_ref, read_project
from app.projects.schemas import ProjectRead, ProjectSummary
from app.projects.writes import PROJECT_WRITES
from app.writes.routes import add_write_routes

router = APIRouter(prefix="/v1/projects", tags=["projects"])
add_list_route(router, PROJECTS, ProjectSummary, name="Project", summary="List projects")
# Before /{project}, which would otherwise take "summary" for a key.
add_summary_route(router, PROJECT_SUMMARY, title="Project", summary="Count projects per group")


@router.get(
    "/{project}",
    response_model=ProjectRead,
    operation_id="get_projects_item",
    summary="Get a project with its countries, organisations, strands, funding and citations",
    responses={304: {"description": "Not Modified"}, **problem_responses(400, 404, 500, 503)},
)
async def get_project(
    project: Annotated[str, Path(description="Project id or key.")],
    sessions: InlineSessions,
    request: Request,
) -> Response:
    with sessions() as session:  # on the event loop, start to end (see inline_sessions)
        found = read_project(session, *project_ref(project))
        if found is None:
            raise ProblemException(404, f"No project '{project}'.", slug="not-found")
        body = found.body
        headers = row_headers(request, session, body["version"], found.dataset_version)
    return Response(dumps(body), media_type="application/json", headers=headers)


add_write_routes(router, PROJECT_WRITES, param="project", param_help="Project id or key.")

"""q= on funding searches the projects' text: funding of the best-matching projects first."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.query_fixture import (
    Fixture,
    add_funding,
    add_project,
    build,
    funding_values,
    project_values,
)


def test_funding_of_matching_projects_best_first(client: TestClient, session: Session) -> None:
    fx: Fixture = build(session)
    for n, (title, description) in enumerate(
        [("Cobalt refinery", "cobalt cobalt"), ("Road", "a cobalt haul road"), ("Dam", "water")]
    ):
        values = {**project_values(2), "key": f"co-{n}", "title": title, "description": description}
        fx.projects.append(add_project(session, values))
        for j in range(2):
            funding = {**funding_values(2, j), "key": f"co-f-{n}-{j}", "project_index": 48 + n}
            fx.funding.append(add_funding(session, fx, funding))
    params = {"q": "cobalt", "fields": "key,project", "limit": 3}
    first = client.get("/v1/funding", params=params)
    assert first.status_code == 200, first.text
    assert first.json()["meta"]["count"] == 4
    second = client.get(first.json()["links"]["next"])
    assert [row["key"] for row in first.json()["data"] + second.json()["data"]] == [
        "co-f-0-0",
        "co-f-0-1",
        "co-f-1-0",
        "co-f-1-1",
    ]
    summary = client.get("/v1/funding/summary", params={"q": "cobalt", "group_by": "currency"})
    assert summary.json()["meta"]["rows"] == 4

"""GET /v1/projects/summary: how many projects per group."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.query_fixture import Fixture, build
from tests.summary_expected import included, summary

DIMENSIONS = ["year", "strand", "country", "region", "sector", "status", "flow_type", "kind"]
QF = {"dataset": "qf"}


@pytest.fixture
def fx(session: Session) -> Fixture:
    return build(session)


def get_summary(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get("/v1/projects/summary", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_each_dimension_alone(client: TestClient, fx: Fixture, dimension: str) -> None:
    body = get_summary(client, group_by=dimension, **QF)
    assert body["data"] == summary(fx, [dimension], funding=False)
    assert all(set(group) == {"group", "count"} for group in body["data"])


def test_a_project_counts_under_each_of_its_strands(client: TestClient, fx: Fixture) -> None:
    body = get_summary(client, group_by="strand", **QF)
    kept = [p for p in fx.projects if included(p)]
    # Even projects are digital, multiples of 3 health (6, 12, ... both): 24 and 16, less
    # umbrellas 16, 38 (27) and the not recommended 6, 32 (6, 45). No strand: the null group.
    assert body["data"] == [
        {"group": {"strand": "bri"}, "count": len([p for p in kept if "bri" in p["strands"]])},
        {"group": {"strand": "digital"}, "count": 20},
        {"group": {"strand": "health"}, "count": 13},
        {"group": {"strand": None}, "count": len([p for p in kept if not p["strands"]])},
    ]
    assert body["meta"]["rows"] == len(kept) == 40
    assert sum(group["count"] for group in body["data"]) > body["meta"]["rows"]
    assert body["meta"]["multi_valued"] == ["strand"]


def test_two_dimensions_with_search_and_filters(client: TestClient, fx: Fixture) -> None:
    body = get_summary(client, group_by=["kind", "region"], q="river", year_min=2015, **QF)
    assert body["data"] == summary(
        fx,
        ["kind", "region"],
        funding=False,
        keep=lambda row, project: (
            included(project) and project["year"] is not None and project["year"] >= 2015
        ),
    )


def test_exclusions_and_their_overrides(client: TestClient, fx: Fixture) -> None:
    def meta(**params: Any) -> tuple[int, list[str], int]:
        m = get_summary(client, **QF, **params)["meta"]
        return m["rows"], m["excluded"], m["excluded_rows"]

    # Umbrellas: 5, 16, 27, 38; not recommended: 6, 19, 32, 45.
    assert meta() == (40, ["umbrella", "not_recommended"], 8)
    assert meta(include_umbrella="true") == (44, ["not_recommended"], 4)
    assert meta(include_not_recommended="true", include_umbrella="true") == (48, [], 0)
    assert meta(recommended_for_aggregates="false") == (4, ["umbrella"], 0)


def test_csv_and_ndjson(client: TestClient, fx: Fixture) -> None:
    params = {"group_by": ["status", "kind"], "sort": "-count,status", **QF}
    data = get_summary(client, **params)["data"]
    csv_text = client.get("/v1/projects/summary", params={**params, "format": "csv"}).text
    lines = csv_text.splitlines()
    assert lines[0] == "status,kind,count"
    assert lines[1:] == [f"{g['group']['status']},{g['group']['kind']},{g['count']}" for g in data]
    counts = [g["count"] for g in data]
    assert counts == sorted(counts, reverse=True)
    ndjson = client.get("/v1/projects/summary", params={**params, "format": "ndjson"}).text
    assert ndjson.splitlines()[0] == (
        f'{{"group":{{"status":"{data[0]["group"]["status"]}","kind":'
        f'"{data[0]["group"]["kind"]}"}},"count":{data[0]["count"]}}}'
    )


def test_the_summary_route_is_not_taken_for_a_project_key(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["paths"]["/v1/projects/summary"]["get"]["operationId"] == "summarise_projects"
    schema = spec["components"]["schemas"]["ProjectSummaryResponse"]
    assert schema["properties"]["data"]["items"] == {
        "$ref": "#/components/schemas/ProjectSummaryGroup"
    }
    assert client.get("/v1/projects/summary").json()["meta"]["group_by"] == []

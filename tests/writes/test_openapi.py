"""The write endpoints in the OpenAPI document: named bodies, bearer security, problems."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
WRITABLE = {
    "sources": ("source", "Source"),
    "organisations": ("organisation", "Organisation"),
    "projects": ("project", "Project"),
    "funding": ("funding", "Funding"),
    "figures": ("figure", "Figure"),
    "stances": ("stance", "Stance"),
    "events": ("event", "Event"),
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    with TestClient(create_app()) as client:
        body: dict[str, Any] = client.get("/openapi.json").json()
    return body


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


@pytest.mark.parametrize("resource", WRITABLE)
def test_writes_have_named_bodies_ids_and_problems(document: dict[str, Any], resource: str) -> None:
    param, schema = WRITABLE[resource]
    collection = document["paths"][f"/v1/{resource}"]
    item = document["paths"][f"/v1/{resource}/{{{param}}}"]
    post, patch, delete = collection["post"], item["patch"], item["delete"]
    assert (post["operationId"], patch["operationId"], delete["operationId"]) == (
        f"create_{resource}_item",
        f"update_{resource}_item",
        f"delete_{resource}_item",
    )
    assert post["requestBody"]["content"] == {
        "application/json": {"schema": ref(f"{schema}Create")}
    }
    assert patch["requestBody"]["content"] == {
        "application/merge-patch+json": {"schema": ref(f"{schema}Update")},
        "application/json": {"schema": ref(f"{schema}Update")},
    }
    assert post["responses"]["201"]["content"]["application/json"]["schema"] == ref(f"{schema}Read")
    assert set(post["responses"]["201"]["headers"]) == {"Location", "ETag"}
    assert patch["responses"]["200"]["content"]["application/json"]["schema"] == ref(
        f"{schema}Read"
    )
    assert "content" not in delete["responses"]["204"]
    expected = {
        "post": {"400", "401", "403", "409", "415", "422", "500", "503"},
        "patch": {"400", "401", "403", "404", "409", "412", "415", "422", "428", "500", "503"},
        "delete": {"400", "401", "403", "404", "409", "412", "428", "500", "503"},
    }
    for method, operation in (("post", post), ("patch", patch), ("delete", delete)):
        errors = {status for status in operation["responses"] if status[0] in "45"}
        assert errors == expected[method], method
        for status in errors:
            assert operation["responses"][status]["content"] == PROBLEM, (method, status)
        assert operation["security"] == [{"apiKey": []}]
    headers = {p["name"] for p in patch["parameters"] if p["in"] == "header"}
    assert headers == {"If-Match"}
    assert {p["name"] for p in post["parameters"] if p["in"] == "header"} == {"Idempotency-Key"}


def test_the_bearer_scheme_is_declared_and_reads_are_open(document: dict[str, Any]) -> None:
    scheme = document["components"]["securitySchemes"]["apiKey"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for path, item in document["paths"].items():
        if "get" in item:
            assert "security" not in item["get"], path


@pytest.mark.parametrize("resource", WRITABLE)
def test_bodies_refuse_ids_versions_and_unknown_fields(
    document: dict[str, Any], resource: str
) -> None:
    schemas = document["components"]["schemas"]
    name = WRITABLE[resource][1]
    create, update = schemas[f"{name}Create"], schemas[f"{name}Update"]
    for body in (create, update):
        assert body["additionalProperties"] is False
        assert not {"id", "version", "created_at", "updated_at"} & set(body["properties"])
    assert "key" in create["required"]
    assert "key" not in update["properties"]
    assert "required" not in update
    assert set(update["properties"]) == set(create["properties"]) - {"key"}


def test_the_change_feed_is_documented(document: dict[str, Any]) -> None:
    listing = document["paths"]["/v1/changes"]["get"]
    assert listing["operationId"] == "list_changes"
    names = {p["name"] for p in listing["parameters"]}
    assert {"since", "resource", "op", "actor", "limit", "cursor"} <= names
    assert document["paths"]["/v1/changes/{version}"]["get"]["operationId"] == "get_changes_item"
    assert set(document["components"]["schemas"]["ChangeRead"]["properties"]) == {
        "version",
        "resource",
        "resource_id",
        "path",
        "op",
        "actor",
        "at",
        "before",
        "after",
    }

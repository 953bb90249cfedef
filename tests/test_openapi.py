"""The OpenAPI document is clean: problem errors, stable ids, tags, named schemas."""

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.main import create_app

PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
RESOURCES = [
    "strands",
    "countries",
    "organisations",
    "projects",
    "funding",
    "figures",
    "stances",
    "events",
    "sources",
]


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    with TestClient(create_app()) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_no_default_validation_schemas_or_422s(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    assert "#/components/schemas/ValidationError" not in text
    assert "ValidationError" not in document["components"]["schemas"]
    for method, path, operation in operations(document):
        if "requestBody" not in operation:
            assert "422" not in operation["responses"], f"{method} {path}"


def test_every_error_response_is_a_problem(document: dict[str, Any]) -> None:
    for method, path, operation in operations(document):
        errors = {s: r for s, r in operation["responses"].items() if s[0] in "45"}
        assert errors, f"{method} {path} declares no error response"
        assert "500" in errors, f"{method} {path} does not declare 500"
        if operation.get("parameters") or "requestBody" in operation:
            assert "400" in errors, f"{method} {path} has parameters but no 400"
        for status, response in errors.items():
            assert response["content"] == PROBLEM, f"{method} {path} {status}"


def test_the_problem_schema_is_named(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert set(schemas["Problem"]["properties"]) == {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "errors",
    }
    assert set(schemas["ProblemError"]["properties"]) == {"location", "field", "message"}


def test_operation_ids_are_unique_and_stable(document: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", operation_id), operation_id
    found = {(method, path): op["operationId"] for method, path, op in operations(document)}
    expected = {("GET", "/v1/meta"): "get_meta", ("GET", "/healthz"): "get_health"}
    expected[("GET", "/readyz")] = "get_readiness"
    item_parameter = {
        "strands": "code",
        "countries": "code",
        "organisations": "organisation",
        "projects": "project",
        "funding": "funding",
        "figures": "figure",
        "stances": "stance",
        "events": "event",
        "sources": "source",
    }
    for name in RESOURCES:
        expected[("GET", f"/v1/{name}")] = f"list_{name}"
        expected[("GET", f"/v1/{name}/{{{item_parameter[name]}}}")] = f"get_{name}_item"
    assert {key: found.get(key) for key in expected} == expected


def test_every_operation_has_a_declared_tag(document: dict[str, Any]) -> None:
    declared = {tag["name"] for tag in document["tags"]}
    assert {*RESOURCES, "meta"} <= declared
    for method, path, operation in operations(document):
        assert operation.get("tags"), f"{method} {path} has no tag"
        assert set(operation["tags"]) <= declared, f"{method} {path}"


def test_schemas_are_named(document: dict[str, Any]) -> None:
    names = set(document["components"]["schemas"])
    assert not [n for n in names if n.startswith("Body_") or n.endswith(("-Input", "-Output"))]
    for name in ("StrandKind", "OrganisationKind", "Qualifier", "Unit", "StanceAction"):
        assert "enum" in document["components"]["schemas"][name], name
    for method, path, operation in operations(document):
        for status, response in operation["responses"].items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            if status.startswith("2") and schema is not None:
                assert "$ref" in schema, f"{method} {path} {status} has an anonymous schema"


def test_list_pages_and_details_reference_their_schemas(document: dict[str, Any]) -> None:
    strands = document["paths"]["/v1/strands"]["get"]["responses"]["200"]["content"]
    assert strands["application/json"]["schema"] == {"$ref": "#/components/schemas/StrandPage"}
    assert set(strands) == {"application/json", "text/csv", "application/x-ndjson"}
    project = document["paths"]["/v1/projects/{project}"]["get"]["responses"]["200"]
    assert project["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProjectRead"
    }

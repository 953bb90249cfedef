"""Every error is an RFC 9457 problem document naming what was wrong, never a stack trace."""

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from app.main import create_app
from tests.api_helpers import assert_problem


@pytest.mark.parametrize("path", ["/v1/nope", "/nowhere", "/v1/strands/bri/extra", "/v2/strands"])
def test_an_unknown_path_is_a_404(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert_problem(
        response, 404, "not-found", f"No resource at {path}; see /docs for the API's paths."
    )


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/v1/strands/space", "No strand 'space'."),
        ("/v1/countries/ZZZ", "No country 'ZZZ'."),
        ("/v1/organisations/999", "No organisation '999'."),
        ("/v1/projects/no-such-project", "No project 'no-such-project'."),
        ("/v1/funding/1", "No funding row '1'."),
        ("/v1/figures/no-such-figure", "No figure 'no-such-figure'."),
        ("/v1/stances/0", "No stance '0'."),
        ("/v1/events/99999999999999", "No event '99999999999999'."),
        ("/v1/sources/nope", "No source 'nope'."),
    ],
)
def test_an_unknown_id_is_a_404(client: TestClient, path: str, detail: str) -> None:
    assert_problem(client.get(path), 404, "not-found", detail)


STRAND_PARAMETERS = (
    "count, cursor, fields, format, kind, limit, parent, q, sort, source, updated_since, "
    "year_max, year_min"
)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            "colour=red",
            "colour",
            f"unknown parameter. Valid parameters: {STRAND_PARAMETERS}",
        ),
        ("year_min=soon", "year_min", None),
        ("kind=imaginary", "kind", None),
        ("count=some", "count", None),
        ("format=xml", "format", None),
        (
            "sort=colour",
            "sort",
            "unknown sort key 'colour'. Valid: code, name, year_launched, updated_at",
        ),
        (
            "fields=code,colour",
            "fields",
            "unknown field 'colour'. Valid: code, name, kind, year_launched, parent, "
            "description, source, locator, created_at, updated_at, version",
        ),
        ("sort=name,-name", "sort", "sort key 'name' is given twice"),
        ("limit=1&limit=2", "limit", "may be given only once"),
        ("updated_since=yesterday", "updated_since", None),
    ],
)  # fmt: skip
def test_a_bad_parameter_is_a_400_naming_it(
    client: TestClient, query: str, field: str, message: str | None
) -> None:
    body = assert_problem(client.get(f"/v1/strands?{query}"), 400, "invalid-parameter")
    [error] = body["errors"]
    assert error["location"] == "query"
    # A repeatable filter's error names the value's position too (kind.0).
    assert error["field"] in (field, f"{field}.0")
    assert body["detail"] == f"Query parameter '{error['field']}': {error['message']}"
    if message is not None:
        assert error["message"] == message


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/v1/strands", "GET, HEAD"),
        ("PUT", "/v1/strands/bri", "GET, HEAD"),
        ("PATCH", "/v1/meta", "GET, HEAD"),
        ("POST", "/healthz", "GET, HEAD"),
        ("PUT", "/v1/sources", "GET, HEAD, POST"),
        ("PUT", "/v1/projects/beidou", "DELETE, GET, HEAD, PATCH"),
    ],
)
def test_a_method_not_served_is_a_405(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    response = client.request(method, path)
    assert_problem(response, 405, "method-not-allowed", f"{method} is not allowed on {path}.")
    assert response.headers["allow"] == allowed


@pytest.fixture
def failing_client(client: TestClient) -> TestClient:
    """The app with two test-only routes that fail the way a bug or a database would."""
    application = client.app
    assert isinstance(application, FastAPI)

    def explode() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    def violate() -> None:
        raise IntegrityError("INSERT INTO secret_table VALUES (1)", {}, Exception("boom"))

    application.add_api_route("/test-only/explode", explode)
    application.add_api_route("/test-only/violate", violate)
    return client


@pytest.mark.parametrize("path", ["/test-only/explode", "/test-only/violate"])
def test_an_unexpected_error_is_a_500_without_internals(
    failing_client: TestClient, path: str
) -> None:
    response = failing_client.get(path)
    assert_problem(
        response, 500, "internal-server-error", "An unexpected error occurred; it has been logged."
    )
    for leak in ("Traceback", "RuntimeError", "hunter2", "secret", "INSERT", 'File "'):
        assert leak not in response.text


def test_the_problem_shape_is_documented_in_openapi() -> None:
    schema = create_app().openapi()["components"]["schemas"]["Problem"]
    assert schema["required"] == ["type", "title", "status", "detail"]
    assert set(schema["properties"]) == {"type", "title", "status", "detail", "instance", "errors"}

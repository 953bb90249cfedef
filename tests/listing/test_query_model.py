"""One model checks the query string as FastAPI's per-parameter checks would, same document."""

import inspect
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

import pytest
from fastapi import Depends, FastAPI, Query, Request
from fastapi.testclient import TestClient

from app.errors import install_problem_handlers
from app.listing.query_model import QueryModel, document_parameters, documented_by


class Colour(StrEnum):
    red = "red"
    blue = "blue"


def _parameters() -> list[inspect.Parameter]:
    annotations: dict[str, tuple[Any, Any]] = {
        "limit": (Annotated[int | None, Query(ge=1, description="Rows per page.")], None),
        "count": (Annotated[Literal["exact", "none"], Query(description="Count?")], "exact"),
        "colour": (Annotated[list[Colour] | None, Query(description="Repeatable.")], None),
        "year": (Annotated[list[int] | None, Query()], None),
        "amount_min": (Annotated[Decimal | None, Query()], None),
        "flag": (Annotated[bool, Query(description="A switch.")], False),
        "since": (Annotated[datetime | None, Query()], None),
        "q": (Annotated[str | None, Query(min_length=1, max_length=5)], None),
    }
    return [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=kind)
        for name, (kind, default) in annotations.items()
    ]


def _declared_app() -> FastAPI:
    """What FastAPI does with the parameters declared one by one."""

    async def declared(**raw: Any) -> dict[str, Any]:
        return raw

    declared.__signature__ = inspect.Signature(_parameters())  # type: ignore[attr-defined]
    return _app(declared)


def _modelled_app() -> FastAPI:
    query = QueryModel("test_query", _parameters())

    async def modelled(request: Request) -> dict[str, Any]:
        return query(request)

    documented_by(modelled, _parameters())
    app = _app(modelled)
    build = app.openapi
    app.openapi = lambda: document_parameters(app, build())  # type: ignore[method-assign]
    return app


def _app(dependency: Any) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/things/{thing}/rows", operation_id="rows")
    async def rows(thing: int, raw: Annotated[dict[str, Any], Depends(dependency)]) -> Any:
        return {"thing": thing, **{k: str(v) for k, v in raw.items()}}

    return app


QUERIES = [
    "",
    "limit=5&count=none",
    "colour=red&colour=blue&year=2010&year=2011",
    "amount_min=12.50&flag=true&since=2024-01-02T03:04:05Z",
    "flag=0&q=abc",
    "limit=1&limit=7",  # a repeat of a single value: the last one, as FastAPI takes it
    "year=",
    "limit=0",
    "limit=x&colour=green&year=1&year=y",
    "count=all&flag=maybe&since=yesterday",
    "amount_min=1e999x&q=",
    "q=toolong",
]


@pytest.mark.parametrize("query", QUERIES)
def test_answers_and_problems_are_fastapis(query: str) -> None:
    with TestClient(_declared_app()) as declared, TestClient(_modelled_app()) as modelled:
        expected = declared.get(f"/things/3/rows?{query}")
        got = modelled.get(f"/things/3/rows?{query}")
    assert got.status_code == expected.status_code
    assert got.headers["content-type"] == expected.headers["content-type"]
    assert got.json() == expected.json()


def test_values_are_typed_and_defaults_filled() -> None:
    with TestClient(_modelled_app()) as client:
        body = client.get("/things/3/rows?colour=blue&year=2010&year=2012&flag=yes").json()
    assert body == {
        "thing": 3,
        "limit": "None",
        "count": "exact",
        "colour": "[<Colour.blue: 'blue'>]",
        "year": "[2010, 2012]",
        "amount_min": "None",
        "flag": "True",
        "since": "None",
        "q": "None",
    }


def test_a_bad_value_names_the_query_parameter() -> None:
    with TestClient(_modelled_app()) as client:
        response = client.get("/things/3/rows?year=2010&year=abc")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {
            "location": "query",
            "field": "year.1",
            "message": "Input should be a valid integer, unable to parse string as an integer",
        }
    ]


def test_the_document_is_fastapis() -> None:
    declared = _declared_app().openapi()
    modelled = _modelled_app().openapi()
    assert modelled == declared
    operation = modelled["paths"]["/things/{thing}/rows"]["get"]
    names = [(p["name"], p["in"]) for p in operation["parameters"]]
    assert names[0] == ("thing", "path")
    assert [name for name, _ in names[1:]] == [p.name for p in _parameters()]
    # the parameters come before the responses, as FastAPI writes them
    assert list(operation).index("parameters") < list(operation).index("responses")
    assert "Colour" in modelled["components"]["schemas"]


def test_the_api_documents_every_list_parameter() -> None:
    from app.main import app

    operation = app.openapi()["paths"]["/v1/projects"]["get"]
    names = [p["name"] for p in operation["parameters"]]
    assert names[:7] == ["limit", "cursor", "sort", "fields", "count", "format", "q"]
    assert {"strand", "year_min", "amount_usd_max", "updated_since"} <= set(names)
    summary = app.openapi()["paths"]["/v1/funding/summary"]["get"]
    group_by = next(p for p in summary["parameters"] if p["name"] == "group_by")
    assert group_by["schema"]["items"] == {"$ref": "#/components/schemas/FundingGroupBy"}
    assert "FundingGroupBy" in app.openapi()["components"]["schemas"]

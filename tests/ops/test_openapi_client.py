"""The committed openapi.json is the served document, and a client generated from it works.

The client is generated with openapi-python-client into a temporary folder and used
against a real uvicorn server: filtered lists, paging to the end, a detail, a problem,
writes with a key and the summary they change.
"""

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.ops.openapi import COMMITTED, render
from tests.ops.support import BIN, Server, prepared_database, serving, write_key

REGENERATE = "openapi.json is not the served document: run `make openapi` and commit it"
CONFIG = "project_name_override: bri-client\npackage_name_override: bri_client\npost_hooks: []\n"


def test_the_committed_document_is_the_served_one(client: TestClient) -> None:
    served = client.get("/openapi.json").json()
    assert json.loads(COMMITTED.read_text()) == served, REGENERATE
    assert COMMITTED.read_text() == render(served), REGENERATE


@pytest.fixture(scope="module")
def bri_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("generated")
    (folder / "config.yaml").write_text(CONFIG)
    generated = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(COMMITTED),
            "--config",
            str(folder / "config.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(folder / "bri_client"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = generated.stdout + generated.stderr
    assert generated.returncode == 0, output
    assert "Warning" not in output, output  # a warning means a dropped endpoint or model
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module("bri_client")
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == "bri_client"]:
            del sys.modules[name]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, str]]:
    folder = tmp_path_factory.mktemp(f"client-{request.param}")
    url = prepared_database(request.param, "client", folder)
    key = write_key(url, "generated-client")
    with serving(url, folder) as running:
        yield running, key


def use(name: str) -> Any:
    return importlib.import_module(f"bri_client.{name}")


def test_the_generated_client_reads(bri_client: ModuleType, server: tuple[Server, str]) -> None:
    running, _key = server
    client = bri_client.Client(base_url=running.url)
    list_stances = use("api.stances.list_stances")
    models = use("models")

    restricted = list_stances.sync(
        client=client,
        action=[models.StanceAction.RESTRICTED],
        fields="country,organisation",
        sort="country",
    )
    assert [(row.country, row.organisation) for row in restricted.data] == [
        ("AUS", "huawei"),
        ("CAN", "huawei"),
        ("GBR", "huawei"),
        ("NZL", "huawei"),
        ("USA", "huawei"),
    ]
    assert restricted.meta.count == 5

    # Paging to the end: 51 countries in Asia, 20 a page, each exactly once.
    list_countries = use("api.countries.list_countries")
    seen: list[str] = []
    cursor: Any = bri_client.types.UNSET
    pages = 0
    while True:
        page = list_countries.sync(
            client=client, region=["Asia"], limit=20, fields="iso3", cursor=cursor
        )
        seen += [row.iso3 for row in page.data]
        pages += 1
        if page.meta.next_cursor is None:
            break
        cursor = page.meta.next_cursor
    assert (pages, len(seen), len(set(seen)), page.meta.count) == (3, 51, 51, 51)
    assert seen == sorted(seen)

    beidou = use("api.projects.get_projects_item").sync(client=client, project="beidou")
    assert (beidou.title, beidou.strands, beidou.countries) == (
        "BeiDou Navigation Satellite System",
        ["digital"],
        ["BRN", "CHN", "LAO", "PAK", "THA"],
    )

    missing = use("api.strands.get_strands_item").sync_detailed(client=client, code="space")
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.Problem)
    assert (missing.parsed.type_, missing.parsed.detail) == (
        "/problems/not-found",
        "No strand 'space'.",
    )


def test_the_generated_client_writes_with_a_key(
    bri_client: ModuleType, server: tuple[Server, str]
) -> None:
    running, key = server
    models = use("models")
    create = use("api.funding.create_funding_item")
    body = models.FundingCreate(
        key="client-loan",
        project="beidou",
        flow_type=models.FlowType.LOAN,
        source="magnus-bretherton-2020",
        locator="para 29",
        amount_usd="1234567.89",
        year=2020,
    )

    anonymous = bri_client.AuthenticatedClient(base_url=running.url, token="bri_not-a-key")
    refused = create.sync_detailed(client=anonymous, body=body)
    assert refused.status_code == 401
    assert isinstance(refused.parsed, models.Problem)

    curator = bri_client.AuthenticatedClient(base_url=running.url, token=key)
    made = create.sync_detailed(client=curator, body=body)
    assert made.status_code == 201, made.content
    assert (made.parsed.key, made.parsed.amount_usd) == ("client-loan", "1234567.89")

    summary = use("api.funding.summarise_funding").sync(
        client=curator, group_by=[models.FundingGroupBy.YEAR]
    )
    assert [(g.group.year, g.count, g.amount_usd.sum_) for g in summary.data] == [
        (2020, 1, "1234567.89")
    ]

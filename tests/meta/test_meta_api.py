from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import __version__
from app.db import make_engine
from app.main import create_app
from app.models import Change
from tests.api_helpers import ARTICLE, assert_problem
from tests.sessions import use_sessions


def test_meta_counts_every_resource_and_says_the_dataset_version(
    client: TestClient, session: Session
) -> None:
    changes = session.scalar(select(func.count()).select_from(Change))
    version = session.scalar(select(func.max(Change.version)))
    response = client.get("/v1/meta")
    assert response.status_code == 200
    assert response.headers["x-dataset-version"] == str(version)
    assert response.json() == {
        "name": "BRI Tracker",
        "api_version": __version__,
        "dataset_version": version,
        "row_counts": {
            "strands": 5,
            "countries": 249,
            "organisations": 16,
            "projects": 10,
            "funding": 0,
            "figures": 8,
            "stances": 12,
            "events": 15,
            "sources": 11,
        },
        "licences": [
            {
                "source": "aei-cgit",
                "title": "China Global Investment Tracker",
                "licence": None,
                "url": "https://www.aei.org/china-global-investment-tracker/",
            },
            {
                "source": "aiddata-gcdf-3",
                "title": "Global Chinese Development Finance Dataset, Version 3.0",
                "licence": "ODC-BY 1.0",
                "url": "https://www.aiddata.org/data/aiddatas-global-chinese-development-finance-dataset-version-3-0",
            },
            {
                "source": ARTICLE,
                "title": "Will digital diplomacy cement the Belt and Road Initiative's "
                "'common destiny'?",
                "licence": None,
                "url": None,
            },
        ],
        "how_to_cite": f"BRI Tracker (dataset version {version}), retrieved {{date}} from "
        "{url}. Cite each fact's own source as well: every row names its source and locator.",
        "documentation": "/docs",
    }
    # The seed recorded one change per seeded row: 11 + 249 + 5 + 16 + 10 + 8 + 12 + 15.
    assert changes == 326


def test_healthz_says_the_process_is_up(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_says_the_database_is_reachable(client: TestClient) -> None:
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})


def test_readyz_is_a_503_problem_when_the_database_is_unreachable(tmp_path: Path) -> None:
    unreachable = make_engine(f"sqlite:///{tmp_path}/no/such/folder/bri.db")
    application = create_app()

    use_sessions(application, lambda: Session(unreachable))
    with TestClient(application, raise_server_exceptions=False) as client:
        response = client.get("/readyz")
        assert_problem(response, 503, "unavailable", "The database is unreachable.")
        assert client.get("/healthz").status_code == 200
    unreachable.dispose()

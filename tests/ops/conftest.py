"""Apps built under other settings (BRI_* variables set for one test only)."""

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.main import create_app
from app.settings import get_settings
from tests.sessions import shared, use_sessions

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def client_with(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[ClientFactory]:
    """`client_with(max_limit="3")`: a client of an app built with those settings."""
    clients: list[TestClient] = []

    def build(**settings: str) -> TestClient:
        for name, value in settings.items():
            monkeypatch.setenv(f"BRI_{name.upper()}", value)
        get_settings.cache_clear()
        application = create_app()

        use_sessions(application, shared(session))
        client = TestClient(application, raise_server_exceptions=False)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()
    monkeypatch.undo()
    get_settings.cache_clear()

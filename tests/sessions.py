"""Pointing an app's sessions (thread-pool and event-loop endpoints alike) at a test's."""

from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext

from fastapi import FastAPI
from sqlalchemy.orm import Session

from app.db import SessionOpener, get_session, inline_sessions


def use_sessions(app: FastAPI, opener: SessionOpener) -> None:
    """Every request of `app` gets its sessions from `opener`."""

    def _session() -> Iterator[Session]:
        with opener() as session:
            yield session

    async def _inline() -> SessionOpener:
        return opener

    app.dependency_overrides[get_session] = _session
    app.dependency_overrides[inline_sessions] = _inline


def shared(session: Session) -> SessionOpener:
    """The test's own session, left open (its transaction is rolled back after the test)."""

    def opener() -> AbstractContextManager[Session]:
        return nullcontext(session)

    return opener

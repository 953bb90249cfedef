import pytest
from sqlalchemy.orm import Session

from tests.writes.helpers import bearer


@pytest.fixture
def writer(session: Session) -> dict[str, str]:
    """Headers of a write key named `curator`."""
    return bearer(session, "curator")

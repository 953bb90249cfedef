"""Every seeded or imported row can be edited: the whole row passes the checks a PATCH applies."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.imports.run import run_import
from tests.imports.helpers import FIXTURES
from tests.writes.helpers import MERGE_PATCH


@pytest.mark.parametrize(
    "resource", ["sources", "organisations", "projects", "figures", "stances", "events"]
)
def test_an_empty_patch_on_every_seeded_row_changes_nothing(
    client: TestClient, writer: dict[str, str], resource: str
) -> None:
    rows = client.get(f"/v1/{resource}", params={"limit": 1000}).json()["data"]
    assert rows
    for row in rows:
        path = f"/v1/{resource}/{row['id']}"
        headers = {**writer, **MERGE_PATCH, "If-Match": f'"v{row["version"]}"'}
        response = client.patch(path, json={}, headers=headers)
        assert response.status_code == 200, (path, response.text)
        assert response.json()["version"] == row["version"]


@pytest.mark.parametrize(
    ("dataset", "sample"), [("aiddata", "gcdf3_ports_projects.csv"), ("cgit", "cgit_sample.csv")]
)
def test_imported_rows_can_be_edited_too(
    client: TestClient, writer: dict[str, str], session: Session, dataset: str, sample: str
) -> None:
    run_import(session, dataset, FIXTURES / sample)
    session.commit()
    for resource in ("projects", "funding", "organisations", "sources"):
        rows = client.get(f"/v1/{resource}", params={"limit": 1000}).json()["data"]
        for row in rows:
            path = f"/v1/{resource}/{row['id']}"
            headers = {**writer, **MERGE_PATCH, "If-Match": f'"v{row["version"]}"'}
            response = client.patch(path, json={}, headers=headers)
            assert response.status_code == 200, (path, response.text)

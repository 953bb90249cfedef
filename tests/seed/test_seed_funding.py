"""Seeded funding rows: exact money, and the project's totals follow its funding."""

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.caching import dataset_version
from app.seed.write import seed
from tests.seed.seed_copy import SeedCopy

FUNDING = """
- key: test-beidou-grant
  project: beidou
  flow_type: grant
  amount: "650.70"
  currency: CNY
  amount_usd_nominal: "100.10"
  commitment_year: 2019
  cite: {source: magnus-bretherton-2020, locator: para 29}

- key: test-beidou-loan
  project: beidou
  flow_type: loan
  amount: "200.25"
  currency: USD
  amount_usd_nominal: "200.25"
  amount_usd_constant: "210.01"
  constant_base_year: 2021
  financier: china-policy-banks
  cite: {source: magnus-bretherton-2020, locator: para 29}
"""


def test_seeded_funding_sums_into_its_project(
    session: Session, client: TestClient, tmp_path: Path
) -> None:
    copy = SeedCopy(tmp_path / "seed_data")
    (copy.directory / "funding.yaml").write_text(FUNDING, encoding="utf-8")
    latest = dataset_version(session)
    result = seed(session, copy.directory)
    assert (result["funding"].inserted, result["projects"].updated) == (2, 1)

    funding = client.get("/v1/funding", params={"fields": "key,amount,currency,amount_usd"})
    assert funding.json()["data"] == [
        {"key": "test-beidou-grant", "amount": "650.70", "currency": "CNY", "amount_usd": "100.10"},
        {"key": "test-beidou-loan", "amount": "200.25", "currency": "USD", "amount_usd": "200.25"},
    ]
    beidou = client.get("/v1/projects/beidou").json()
    assert (beidou["amount_usd"], beidou["amount_usd_constant"], beidou["version"]) == (
        "300.35",
        "210.01",
        2,
    )
    assert [row["key"] for row in beidou["funding"]] == ["test-beidou-grant", "test-beidou-loan"]
    listed = client.get("/v1/projects", params={"amount_usd_min": "300.35", "fields": "key"})
    assert listed.json()["data"] == [{"key": "beidou"}]
    # Two funding rows created, the project's totals updated: three changes.
    assert dataset_version(session) > latest

    again = seed(session, copy.directory)
    assert (again["funding"].unchanged, again["projects"].updated) == (2, 0)
    assert client.get("/v1/projects/beidou").json()["version"] == 2

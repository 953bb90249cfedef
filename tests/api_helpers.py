"""Helpers for asserting exact API output against the seed files.

The seed YAML is read here with plain `yaml.safe_load`, independently of the app's seed
loader, so a long text field can be compared with what the curator wrote without copying
paragraphs into the tests.
"""

import re
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import yaml

SEED_DIR = Path(__file__).resolve().parents[1] / "seed_data"
ARTICLE = "magnus-bretherton-2020"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance"}


@cache
def seed_rows(name: str) -> tuple[dict[str, Any], ...]:
    rows = yaml.safe_load((SEED_DIR / f"{name}.yaml").read_text(encoding="utf-8")) or []
    return tuple(rows)


def seed_text(name: str, key: str, field: str, *, key_field: str = "key") -> str | None:
    """A text field of one seed row, with YAML's folding applied (None when absent)."""
    matches = [row for row in seed_rows(name) if row[key_field] == key]
    assert len(matches) == 1, f"{name}.yaml has {len(matches)} rows with {key_field}={key}"
    value = matches[0].get(field)
    return None if value is None else str(value).strip()


def untimed(row: dict[str, Any]) -> dict[str, Any]:
    """The row without its timestamps, after checking they are UTC ISO 8601 strings."""
    for name in ("created_at", "updated_at"):
        assert TIMESTAMP.match(row[name]), f"{name}={row[name]!r} is not an ISO 8601 UTC time"
    return {name: value for name, value in row.items() if name not in ("created_at", "updated_at")}


def data(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return [untimed(row) for row in response.json()["data"]]


def assert_problem(
    response: httpx.Response, status: int, slug: str, detail: str | None = None
) -> dict[str, Any]:
    """An RFC 9457 problem document with this status, type and (if given) detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_MEMBERS, body
    assert set(body) <= PROBLEM_MEMBERS | {"errors"}, body
    assert body["type"] == f"/problems/{slug}"
    assert body["status"] == status
    assert body["instance"] == response.request.url.path
    if detail is not None:
        assert body["detail"] == detail
    return body


# A funding row's loan terms beyond rate, maturity and grace, when nobody gave them.
NO_LOAN_TERMS = dict.fromkeys(
    [
        "management_fee",
        "commitment_fee",
        "default_interest_rate",
        "insurance_fee_percent",
        "grant_element_oecd_cash_flow",
        "grant_element_oecd_grant_equivalent",
        "grant_element_imf",
        "insurance_fee_usd",
        "first_repayment_date",
        "last_repayment_date",
    ]
)

"""A deterministic data set for query tests: 48 projects and their funding, with NULLs and ties.

Every row carries `dataset="qf"` (projects) or cites the source `qf-source` (funding), so a
test selects exactly these rows with `dataset=qf` / `source=qf-source` and computes the
expected answer in Python from the dicts returned here, never from the API under test.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cmp_to_key
from typing import Any

from sqlalchemy.orm import Session

from app.audit import record
from app.models import (
    Funding,
    Organisation,
    Project,
    ProjectCountry,
    ProjectStrand,
    Source,
)
from app.models.enums import (
    Basis,
    ChangeOp,
    CountryRole,
    FlowType,
    OrganisationKind,
    ProjectKind,
    ProjectStatus,
    SourceKind,
)

PROJECTS = 48
WORDS = ["bridge", "cable", "dam", "port", "railway", "satellite"]
STATUSES = ["committed", "implementation", "completed", "pledged", "cancelled"]
FLOWS = ["loan", "grant", "investment", "export_buyers_credit"]
CURRENCIES = ["USD", "CNY", "EUR", None]
RECIPIENTS = ["PAK", "LAO", "KEN", "BRA", None]
REGION = {"PAK": "Asia", "LAO": "Asia", "KEN": "Africa", "BRA": "Americas", "CHN": "Asia"}
BASE_TIME = datetime(2024, 1, 1, tzinfo=UTC)


def cents(value: str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def project_values(i: int) -> dict[str, Any]:
    """The i-th fixture project as the list endpoint shows it (id added on insert)."""
    links = [("digital", i % 2 == 0), ("health", i % 3 == 0), ("bri", i % 5 == 1)]
    strands = sorted(code for code, linked in links if linked)
    recipient = RECIPIENTS[i % 5]
    countries = {c for c in [recipient, "CHN" if i % 3 == 1 else None] if c}
    return {
        "key": f"qf-{i:03d}",
        "title": f"{WORDS[i % 6]} project",
        "description": f"Fixture number {i} about a {WORDS[(i + 1) % 6]} near the river",
        "kind": "programme" if i % 5 == 0 else "project",
        "status": STATUSES[i % 5],
        "sector_code": None if i % 7 == 0 else ["210", "220", "230"][i % 3],
        "flow_type": None if i % 6 == 0 else ["loan", "grant", "investment"][i % 3],
        "flow_class": [None, "ODA-like", "OOF-like", "Vague (Official Finance)"][i % 4],
        "intent": ["Development", "Commercial", None, "Mixed", "Development"][i % 5],
        "year": None if i % 8 == 3 else 2010 + (i * 7) % 12,
        "start_year": None if i % 4 == 0 else 2011 + i % 9,
        "completion_year": None if i % 3 == 0 else 2015 + i % 6,
        "amount_usd": None if i % 9 == 4 else cents(f"{(i % 12) * 1_000_000}.{5 * (i % 3):02d}"),
        "amount_usd_constant": None if i % 10 == 7 else cents(f"{(i % 7) * 1_500_000}.10"),
        "umbrella": i % 11 == 5,
        "recommended_for_aggregates": i % 13 != 6,
        "updated_at": BASE_TIME + timedelta(hours=i // 2),  # ties in pairs
        "strands": strands,
        "countries": sorted(countries),
        "recipient": recipient,
        "dataset": "qf",
    }


def funding_values(i: int, j: int) -> dict[str, Any]:
    n = i + j
    currency = CURRENCIES[n % 4]
    committed = None if n % 6 == 3 else date(2012 + n % 10, 1 + (i * j) % 12, 1 + n % 28)
    constant = None if n % 5 == 1 else cents(f"{(n % 4) * 750_000}.25")
    return {
        "key": f"qf-f-{i:03d}-{j}",
        "project_index": i,
        "flow_type": FLOWS[n % 4],
        "amount": None
        if currency is None
        else cents(f"{(i * 13 + j * 7) % 50}00000.{n % 100:02d}"),
        "currency": currency,
        "amount_usd": None if n % 7 == 2 else cents(f"{(n % 9) * 250_000}.{n % 10}0"),
        "amount_usd_constant": constant,
        "constant_base_year": None if constant is None else (2017 if n % 6 == 0 else 2021),
        "commitment_date": committed,
        "year": committed.year if committed else (None if n % 2 else 2019),
        "financier": [None, "qf-bank-a", "qf-bank-b"][n % 3],
        "updated_at": BASE_TIME + timedelta(minutes=n * 10),
    }


@dataclass
class Fixture:
    projects: list[dict[str, Any]] = field(default_factory=list)
    funding: list[dict[str, Any]] = field(default_factory=list)
    source_id: int = 0
    bank_ids: dict[str, int] = field(default_factory=dict)


def add_project(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    row = Project(
        key=values["key"],
        title=values["title"],
        description=values["description"],
        kind=ProjectKind(values["kind"]),
        status=ProjectStatus(values["status"]),
        sector_code=values["sector_code"],
        flow_type=FlowType(values["flow_type"]) if values["flow_type"] else None,
        flow_class=values["flow_class"],
        intent=values["intent"],
        commitment_year=values["year"],
        start_year=values["start_year"],
        completion_year=values["completion_year"],
        amount_usd_nominal=values["amount_usd"],
        amount_usd_constant=values["amount_usd_constant"],
        umbrella=values["umbrella"],
        recommended_for_aggregates=values["recommended_for_aggregates"],
        dataset=values["dataset"],
        external_id=values["key"],
        updated_at=values["updated_at"],
    )
    session.add(row)
    session.flush()
    for code in values["strands"]:
        session.add(ProjectStrand(project_id=row.id, strand_code=code, basis=Basis.stated))
    if values["recipient"]:
        session.add(
            ProjectCountry(
                project_id=row.id, country_iso3=values["recipient"], role=CountryRole.recipient
            )
        )
        if values["recipient"] == "PAK":  # a second role: grouping must still count it once
            session.add(
                ProjectCountry(project_id=row.id, country_iso3="PAK", role=CountryRole.host)
            )
    if "CHN" in values["countries"]:
        session.add(
            ProjectCountry(project_id=row.id, country_iso3="CHN", role=CountryRole.financier)
        )
    session.flush()
    return {**values, "id": row.id}


def add_funding(session: Session, fx: Fixture, values: dict[str, Any]) -> dict[str, Any]:
    project = fx.projects[values["project_index"]]
    row = Funding(
        key=values["key"],
        project_id=project["id"],
        flow_type=FlowType(values["flow_type"]),
        amount=values["amount"],
        currency=values["currency"],
        amount_usd_nominal=values["amount_usd"],
        amount_usd_constant=values["amount_usd_constant"],
        constant_base_year=values["constant_base_year"],
        commitment_date=values["commitment_date"],
        commitment_year=values["year"],
        financier_id=fx.bank_ids[values["financier"]] if values["financier"] else None,
        source_id=fx.source_id,
        locator=values["key"],
        updated_at=values["updated_at"],
    )
    session.add(row)
    session.flush()
    return {**values, "id": row.id, "project": project["key"]}


def build(session: Session) -> Fixture:
    """Inserts the data set (rolled back with the test) and records one change."""
    source = Source(key="qf-source", kind=SourceKind.dataset, title="Query fixture")
    session.add(source)
    session.flush()
    fx = Fixture(source_id=source.id)
    for name in ("qf-bank-a", "qf-bank-b"):
        bank = Organisation(
            key=name,
            name=name.upper(),
            kind=OrganisationKind.bank,
            source_id=source.id,
            locator="fixture",
        )
        session.add(bank)
        session.flush()
        fx.bank_ids[name] = bank.id
    fx.projects = [add_project(session, project_values(i)) for i in range(PROJECTS)]
    fx.funding = [
        add_funding(session, fx, funding_values(i, j))
        for i in range(PROJECTS)
        for j in range(i % 3)
    ]
    record(session, "sources", source.id, ChangeOp.create, "test")
    return fx


def compare(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def sorted_rows(rows: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """`rows` in the API's order for `sort`: NULLs last either way, then id (asc by default)."""
    keys = [(part.removeprefix("-"), part.startswith("-")) for part in sort.split(",") if part]
    if not any(name == "id" for name, _ in keys):
        keys.append(("id", False))

    def order(x: dict[str, Any], y: dict[str, Any]) -> int:
        for name, desc in keys:
            a, b = x[name], y[name]
            if a is None or b is None:
                if a is None and b is None:
                    continue
                return 1 if a is None else -1
            result = compare(a, b) * (-1 if desc else 1)
            if result:
                return result
        return 0

    return sorted(rows, key=cmp_to_key(order))


def plain(value: Any) -> Any:
    """A Python value as the JSON API writes it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def where(rows: list[dict[str, Any]], test: Callable[[dict[str, Any]], bool]) -> list[int]:
    return [row["id"] for row in rows if test(row)]

"""Deterministic generation of AidData-shaped rows, chunk by chunk, as plain tuples.

Every chunk of CHUNK projects has its own random generator seeded from (seed, chunk
number), so the rows depend only on the seed, the project's index and the reference
rows (countries, organisations, sources) they point to, never on the batch size.

Values are already in their stored form, the same on both databases: money as whole
cents, dates as ISO text, booleans as 0/1, exact decimals as text.
"""

import math
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.synth import vocab

CHUNK = 10_000

PROJECT_COLUMNS = (
    "id", "key", "title", "kind", "description", "status", "intent", "sector_code",
    "sector_name", "flow_type", "flow_class", "commitment_year", "start_year",
    "completion_year", "commitment_date", "start_date", "start_date_estimated",
    "completion_date", "completion_date_estimated", "planned_start_date",
    "planned_completion_date", "amount_usd_nominal", "amount_usd_constant", "umbrella",
    "recommended_for_aggregates", "dataset", "external_id", "created_at", "updated_at",
    "version",
)  # fmt: skip
FUNDING_COLUMNS = (
    "id", "key", "project_id", "flow_type", "amount", "currency", "amount_estimated",
    "amount_usd_nominal", "amount_usd_constant", "constant_base_year", "commitment_date",
    "commitment_date_estimated", "commitment_year", "financier_id", "interest_rate",
    "maturity_years", "grace_period_years", "source_id", "locator", "created_at",
    "updated_at", "version",
)  # fmt: skip
STRAND_COLUMNS = ("project_id", "strand_code", "basis")
COUNTRY_COLUMNS = ("project_id", "country_iso3", "role")
ORGANISATION_COLUMNS = ("project_id", "organisation_id", "role")
CITATION_COLUMNS = ("project_id", "source_id", "locator")

Row = tuple[Any, ...]


class Picker:
    """Weighted choice by bisection over cumulative weights (cheaper than random.choices)."""

    def __init__(self, items: Sequence[Any], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cumulative, rng.random() * self.total)]


@dataclass(frozen=True)
class Recipient:
    iso3: str
    name: str
    latin: bool
    arctic: bool


@dataclass
class Plan:
    """What generation needs from the database: reference rows and where ids start."""

    seed: int
    recipients: list[Recipient]
    financiers: list[tuple[int, str]]  # (organisation id, name)
    implementers: list[int]
    receivers: dict[str, int]  # recipient iso3 -> receiving ministry's id
    sources: list[int]
    first_project_id: int
    first_funding_id: int
    timestamp: str
    recipient_pick: Picker = field(init=False)

    def __post_init__(self) -> None:
        # A long tail: a few countries get most projects, as in the real data.
        weights = [1.0 / (rank + 4) for rank in range(len(self.recipients))]
        self.recipient_pick = Picker(self.recipients, weights)


@dataclass
class Chunk:
    """The rows of one chunk of projects, ready to insert."""

    projects: list[Row] = field(default_factory=list)
    funding: list[Row] = field(default_factory=list)
    strands: list[Row] = field(default_factory=list)
    countries: list[Row] = field(default_factory=list)
    organisations: list[Row] = field(default_factory=list)
    citations: list[Row] = field(default_factory=list)

    def tables(self) -> list[tuple[str, tuple[str, ...], list[Row]]]:
        return [
            ("projects", PROJECT_COLUMNS, self.projects),
            ("project_strands", STRAND_COLUMNS, self.strands),
            ("project_countries", COUNTRY_COLUMNS, self.countries),
            ("project_organisations", ORGANISATION_COLUMNS, self.organisations),
            ("project_citations", CITATION_COLUMNS, self.citations),
            ("funding", FUNDING_COLUMNS, self.funding),
        ]


def _year_weight(year: int) -> float:
    """Rising to a peak in 2016, then falling, as commitments did."""
    return float(1 + year - vocab.FIRST_YEAR if year <= 2016 else 17 - (year - 2016) * 1.6)


YEARS = Picker(
    range(vocab.FIRST_YEAR, vocab.LAST_YEAR + 1),
    [_year_weight(y) for y in range(vocab.FIRST_YEAR, vocab.LAST_YEAR + 1)],
)
SECTORS = Picker([(c, n) for c, n, _ in vocab.SECTORS], [w for _, _, w in vocab.SECTORS])
STATUSES = Picker([s.value for s, _ in vocab.STATUSES], [w for _, w in vocab.STATUSES])
FLOWS = Picker([f for f, _ in vocab.FLOWS], [w for _, w in vocab.FLOWS])
INTENTS = Picker([i for i, _ in vocab.INTENTS], [w for _, w in vocab.INTENTS])
CURRENCIES = Picker(list(vocab.CURRENCIES), [c[1] for c in vocab.CURRENCIES])
FUNDING_ROWS = Picker([1, 2, 3], [60, 30, 10])
SPAN = vocab.LAST_YEAR - vocab.FIRST_YEAR


def rate(currency: tuple[str, int, float, float], year: int) -> float:
    """Units of the currency per US dollar in the year (a straight line between the ends)."""
    _, _, first, last = currency
    return first + (last - first) * (year - vocab.FIRST_YEAR) / SPAN


def deflator(year: int) -> float:
    """Nominal dollars of the year times this are constant dollars of the base year."""
    return float(1.021 ** (vocab.CONSTANT_BASE_YEAR - year))


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _strand(rng: random.Random, sector: str, country: Recipient) -> str:
    if country.latin and rng.random() < 0.8:
        return "latin-america"
    if country.arctic and rng.random() < 0.5:
        return "polar"
    if (sector == "220" and rng.random() < 0.9) or rng.random() < 0.02:
        return "digital"
    if (sector == "120" and rng.random() < 0.85) or rng.random() < 0.01:
        return "health"
    return "bri"


def _money(rng: random.Random, year: int) -> tuple[int, str, int, int] | None:
    """(amount in cents, currency, USD nominal cents, USD constant cents), or None."""
    if rng.random() < 0.04:
        return None  # the amount was never reported
    usd = min(max(rng.lognormvariate(16.3, 1.9), 10_000.0), 20_000_000_000.0)
    currency = CURRENCIES(rng)
    units = rate(currency, year)
    amount = round(usd * units * 100)
    nominal = round(amount / units)
    return amount, currency[0], nominal, round(nominal * deflator(year))


def chunk_rows(plan: Plan, chunk: int, first: int, count: int, funding_id: int) -> Chunk:
    """Rows for projects first..first+count-1 (their indexes, 0-based) of chunk `chunk`.

    `first` must be chunk * CHUNK and count at most CHUNK; funding ids start at funding_id.
    """
    rng = random.Random(f"bri-synth/{plan.seed}/{chunk}")
    out = Chunk()
    stamp = plan.timestamp
    for index in range(first, first + count):
        pid = plan.first_project_id + index
        key = f"synth-{plan.seed}-{index + 1:07d}"
        year = YEARS(rng)
        sector, sector_name = SECTORS(rng)
        country = plan.recipient_pick(rng)
        status = STATUSES(rng)
        flow = FLOWS(rng)
        activity = rng.choice(vocab.ACTIVITIES[sector])
        fin_id, fin_name = plan.financiers[int(rng.random() * len(plan.financiers))]
        committed = date(year, 1, 1).toordinal() + int(rng.random() * 365)
        started = committed + int(rng.random() * 400)
        done = status in ("completed", "operational")
        finished = started + 200 + int(rng.random() * 1800) if done else None
        planned = rng.random() < 0.3

        rows = FUNDING_ROWS(rng)
        nominal_sum = constant_sum = 0
        any_amount = False
        for j in range(rows):
            money = _money(rng, year)
            flow_j = flow if j == 0 else FLOWS(rng)
            loan = flow_j in vocab.LOANS
            if money is not None:
                any_amount = True
                nominal_sum += money[2]
                constant_sum += money[3]
            out.funding.append(
                (
                    funding_id,
                    f"{key}-f{j + 1}",
                    pid,
                    flow_j.value,
                    money[0] if money else None,
                    money[1] if money else None,
                    (1 if rng.random() < 0.1 else 0) if money else None,
                    money[2] if money else None,
                    money[3] if money else None,
                    vocab.CONSTANT_BASE_YEAR if money else None,
                    _iso(committed),
                    0,
                    year,
                    fin_id,
                    f"{1 + int(rng.random() * 40) / 10:.1f}" if loan else None,
                    str(10 + int(rng.random() * 16)) if loan else None,
                    str(2 + int(rng.random() * 6)) if loan else None,
                    plan.sources[0],
                    f"record {index + 1}",
                    stamp,
                    stamp,
                    1,
                )
            )
            funding_id += 1

        title = f"{activity[0].upper()}{activity[1:]} in {country.name}"
        usd_text = f"{nominal_sum / 1e8:,.1f} million US dollars" if any_amount else "money"
        out.projects.append(
            (
                pid,
                key,
                title,
                "programme" if rng.random() < 0.05 else "project",
                f"Synthetic record {index + 1}: {flow.value.replace('_', ' ')} of {usd_text} "
                f"from {fin_name} for {activity} in {country.name} ({year}).",
                status,
                INTENTS(rng),
                sector,
                sector_name,
                flow.value,
                vocab.FLOW_CLASS.get(flow, "OOF-like"),
                year,
                date.fromordinal(started).year,
                date.fromordinal(finished).year if finished else None,
                _iso(committed),
                _iso(started),
                1 if rng.random() < 0.3 else 0,
                _iso(finished) if finished else None,
                (1 if rng.random() < 0.3 else 0) if finished else None,
                _iso(committed + 60) if planned else None,
                _iso(committed + 60 + int(rng.random() * 1500)) if planned else None,
                nominal_sum if any_amount else None,
                constant_sum if any_amount else None,
                1 if rng.random() < 0.02 else 0,
                0 if rng.random() < 0.08 else 1,
                vocab.DATASET,
                str(index + 1),
                stamp,
                stamp,
                1,
            )
        )
        out.strands.append(
            (pid, _strand(rng, sector, country), "stated" if rng.random() < 0.2 else "inferred")
        )
        countries = [country.iso3]
        if rng.random() < 0.08:  # a multi-country project
            for _ in range(1 + int(rng.random() * 2)):
                other = plan.recipient_pick(rng).iso3
                if other not in countries:
                    countries.append(other)
        out.countries.extend((pid, iso3, "recipient") for iso3 in countries)
        out.organisations.append((pid, fin_id, "financier"))
        if rng.random() < vocab.CO_FINANCIER_SHARE:
            co_id = plan.financiers[int(rng.random() * len(plan.financiers))][0]
            if co_id != fin_id:
                out.organisations.append((pid, co_id, "co_financier"))
        if rng.random() < vocab.IMPLEMENTER_SHARE:
            implementer = plan.implementers[int(rng.random() * len(plan.implementers))]
            out.organisations.append((pid, implementer, "implementer"))
        if rng.random() < vocab.RECEIVER_SHARE:
            out.organisations.append((pid, plan.receivers[country.iso3], "direct_receiver"))
        out.citations.append((pid, plan.sources[0], f"record {index + 1}"))
        if rng.random() < 0.25:
            extra = plan.sources[1 + int(rng.random() * (len(plan.sources) - 1))]
            out.citations.append((pid, extra, f"p. {1 + int(rng.random() * 300)}"))
    return out


def recipients(countries: Sequence[tuple[str, str, str | None]], seed: int) -> list[Recipient]:
    """The recipient countries (ISO-3 from the countries table), in weight order for the seed."""
    candidates = sorted(
        (iso3, name, subregion)
        for iso3, name, subregion in countries
        if subregion and iso3 not in vocab.NOT_RECIPIENTS
    )
    forced = [c for c in candidates if c[0] in vocab.ALWAYS_RECIPIENTS]
    rest = [c for c in candidates if c[0] not in vocab.ALWAYS_RECIPIENTS]
    rng = random.Random(f"bri-synth/{seed}/recipients")
    chosen = forced + rng.sample(rest, max(0, min(len(rest), vocab.RECIPIENTS - len(forced))))
    rng.shuffle(chosen)
    return [
        Recipient(
            iso3,
            name,
            latin=subregion == "Latin America and the Caribbean",
            arctic=iso3 in vocab.ARCTIC,
        )
        for iso3, name, subregion in chosen
    ]


def chunks(total: int) -> list[tuple[int, int, int]]:
    """(chunk number, first index, count) covering `total` projects."""
    return [(n, n * CHUNK, min(CHUNK, total - n * CHUNK)) for n in range(math.ceil(total / CHUNK))]

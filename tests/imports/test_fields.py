"""The field parsers and name rules, one value at a time (no database)."""

from datetime import date
from decimal import Decimal

import pytest

from app.imports import common
from app.imports.cgit_values import millions, month, shares
from app.imports.common import Invalid
from app.imports.countries import UnknownCountry, lookup
from app.imports.sources import align_titles


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1500000.0", Decimal("1500000.00")),
        ("1685346.9183932", Decimal("1685346.92")),
        ("0.125", Decimal("0.12")),  # half-even: to the even cent
        ("0.135", Decimal("0.14")),
        ("2372.04934019408", Decimal("2372.05")),
        ("1e3", Decimal("1000.00")),
        ("  42 ", Decimal("42.00")),
        ("", None),
    ],
)
def test_money_is_exact_and_rounded_half_even(raw: str, expected: Decimal | None) -> None:
    assert common.money(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1,500", "not a number: '1,500'"),
        ("NaN", "not a number: 'NaN'"),
        ("inf", "not a number: 'inf'"),
        ("-1", "negative amount: -1"),
        ("1e16", "amount too large: 1E+16"),
    ],
)
def test_bad_money(raw: str, reason: str) -> None:
    with pytest.raises(Invalid) as raised:
        common.money(raw)
    assert str(raised.value) == reason


def test_years_dates_and_flags() -> None:
    assert (common.year("2019"), common.year("2019.0"), common.year(" ")) == (2019, 2019, None)
    assert common.day("2019-12-03") == date(2019, 12, 3)
    assert common.day("12/03/2019") == date(2019, 12, 3)  # what the header announces
    assert common.day("2019-12-03 00:00:00") == date(2019, 12, 3)
    assert (common.yes_no("Yes"), common.yes_no("no"), common.yes_no("")) == (True, False, None)
    for parse, raw, reason in [
        (common.year, "1850", "year out of range: 1850"),
        (common.year, "2019.5", "not a year: '2019.5'"),
        (common.day, "2019-02-29", "not a valid date: '2019-02-29'"),
        (common.day, "13/01/2019", "not a valid date: '13/01/2019'"),
        (common.yes_no, "Y", "expected Yes or No, got 'Y'"),
    ]:
        with pytest.raises(Invalid) as raised:
            parse(raw)
        assert str(raised.value) == reason


def test_currencies_are_iso_4217() -> None:
    assert (common.currency("USD"), common.currency("cny"), common.currency("")) == (
        "USD",
        "CNY",
        None,
    )
    assert common.currency("VEF") == "VEF"  # withdrawn in 2018, still in 2000-2021 records
    for raw in ("XYZ", "US$", "RMB"):
        with pytest.raises(Invalid, match="not an ISO 4217 currency code"):
            common.currency(raw)


def test_text_is_trimmed_and_excel_escapes_decoded() -> None:
    assert common.text("  a _x000D_ _x000D_ b ") == "a\n\nb"
    assert common.text("tab_x0009_here") == "tab\there"
    assert common.text("nul_x0000_bell_x0007_gone") == "nulbellgone"
    assert common.text("_x005F_x000D_ kept") == "_x000D_ kept"  # an escaped escape
    assert common.text("   ") is None


def test_slugs_are_deterministic_keys() -> None:
    assert common.slug("People's Bank of China (PBC)") == "people-s-bank-of-china-pbc"
    assert common.slug("Pétroleos de Venezuela S.A.") == "petroleos-de-venezuela-s-a"
    chinese = common.slug("中国港湾工程有限责任公司")
    assert len(chinese) == 10
    assert chinese == common.slug("中国港湾工程有限责任公司")
    assert common.slug("中国港湾") != common.slug("中国路桥")
    assert common.slug("x" * 300).startswith("x" * 189 + "-")
    assert len(common.slug("x" * 300)) == 200


@pytest.mark.parametrize(
    ("raw", "count", "expected"),
    [
        ("a|b", 2, ["a", "b"]),
        ("AsambleaSV | Twitter|b", 2, ["AsambleaSV | Twitter", "b"]),
        ("a |b| c|d", 3, None),  # two candidate joins for one surplus piece: ambiguous
        ("a|b", 3, None),
        ("", 0, []),
    ],
)
def test_titles_are_aligned_with_their_urls(
    raw: str, count: int, expected: list[str] | None
) -> None:
    assert align_titles(raw, count) == expected


def test_country_names_and_aliases() -> None:
    assert [lookup(n) for n in ("Laos", "Britain", "Côte d'Ivoire", "Cote D'Ivoire")] == [
        "LAO",
        "GBR",
        "CIV",
        "CIV",
    ]
    assert [lookup(n) for n in ("the Gambia", "St. Lucia", "Trinidad & Tobago", "DRC")] == [
        "GMB",
        "LCA",
        "TTO",
        "COD",
    ]
    assert lookup("Kosovo") is None
    with pytest.raises(UnknownCountry):
        lookup("Atlantis")


def test_cgit_values() -> None:
    assert millions("$\t1,740") == Decimal("1740000000.00")
    assert millions("$ 500 ") == Decimal("500000000.00")
    assert millions("0.35") == Decimal("350000.00")
    assert shares("45%, 35%, 20%") == [Decimal(45), Decimal(35), Decimal(20)]
    assert (month("Sept."), month("7")) == (9, 7)

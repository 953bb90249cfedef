"""Rendering values: decimals stay exact and positional in JSON and CSV."""

from decimal import Decimal

import pytest

from app.listing.render import cell, dumps


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1E-10"), "0.0000000001"),
        (Decimal("1685346.92"), "1685346.92"),
        (Decimal("1.5E+3"), "1500"),
        (Decimal("-0.000001"), "-0.000001"),
        (Decimal("0.10"), "0.10"),
    ],
)
def test_decimals_are_written_positionally(value: Decimal, text: str) -> None:
    assert dumps({"v": value}) == b'{"v":"' + text.encode() + b'"}'
    assert cell(value) == text


def test_values_of_no_known_type_are_refused() -> None:
    with pytest.raises(TypeError, match="not JSON serializable: object"):
        dumps({"v": object()})

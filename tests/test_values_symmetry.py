"""The symmetry page's values: formatting helpers by hand, and the claims the text makes."""

from __future__ import annotations

import pytest

from initnotes.values import symmetry as values


@pytest.mark.parametrize("x, digits, expected", [
    (0.0, 2, "0"),
    (3.1e-4, 2, r"3.1 \times 10^{-4}"),
    (1e-4, 1, "10^{-4}"),
    (2.5, 2, "2.5"),
    (-4.2e-15, 2, r"-4.2 \times 10^{-15}"),
])
def test_sci_by_hand(x, digits, expected):
    assert values.sci(x, digits) == expected


def test_wide_table_shows_exact_zeros_and_ranks():
    """Zero: differences 0 / 0, ranks 0 / 0; constant: 0 / 0, ranks 1 / 1; random: 2 / 8."""
    rows = {line.split("|")[1].strip(): line for line in values.wide_table().splitlines()[2:]}
    assert "| $0$ / $0$ | 0 / 0 |" in rows["zero"]
    assert "| $0$ / $0$ | 1 / 1 |" in rows["constant 0.3"]
    assert "| 2 / 8 |" in rows[r"random $\mathcal N(0, 0.5^2)$"]

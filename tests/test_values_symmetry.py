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


def test_rank_figure_alt_text_numbers_match_the_run():
    """The alt text of symmetry-rank: noise stays near 3e-4, random near 3, spectra as stated."""
    import numpy as np

    runs = values.wide_results().runs
    d_nc, d_r = runs["nearly constant"].max_difference[:, 1], runs["random"].max_difference[:, 1]
    assert np.all((2e-4 < d_nc) & (d_nc < 4e-4)) and np.all((2.5 < d_r) & (d_r < 3.5))
    s = {k: np.linalg.svd(r.weights[1], compute_uv=False) for k, r in runs.items()}
    assert np.all(s["zero"] == 0)
    assert 2.2 < s["constant"][0] < 2.4 and np.all(s["constant"][1:] < 1e-15)
    assert 2.2 < s["nearly constant"][0] < 2.4 and np.all((3e-5 < s["nearly constant"][1:])
                                                         & (s["nearly constant"][1:] < 5e-4))
    assert np.all((0.3 < s["random"]) & (s["random"] < 3.5))

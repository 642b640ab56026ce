"""The symmetry page's claims, asserted on its memoised runs (``initnotes.pages.symmetry``)."""

from __future__ import annotations

import pytest

from initnotes.pages import symmetry as page


def test_wide_table_shows_exact_zeros_and_ranks():
    """Zero: differences 0 / 0, ranks 0 / 0; constant: 0 / 0, ranks 1 / 1; random: 2 / 8."""
    rows = {line.split("|")[1].strip(): line for line in page.wide_table(page.WIDE.result()).splitlines()[2:]}
    assert "| $0$ / $0$ | 0 / 0 |" in rows["zero"]
    assert "| $0$ / $0$ | 1 / 1 |" in rows["constant 0.3"]
    assert "| 2 / 8 |" in rows[r"random $\mathcal N(0, 0.5^2)$"]


def test_rank_figure_alt_text_numbers_match_the_run():
    """The alt text of symmetry-rank: noise stays near 3e-4, random near 3, spectra as stated."""
    import numpy as np

    runs = page.WIDE.result().runs
    d_nc, d_r = runs["nearly constant"].max_difference[:, 1], runs["random"].max_difference[:, 1]
    assert np.all((2e-4 < d_nc) & (d_nc < 4e-4)) and np.all((2.5 < d_r) & (d_r < 3.5))
    s = {k: np.linalg.svd(r.weights[1], compute_uv=False) for k, r in runs.items()}
    assert np.all(s["zero"] == 0)
    assert 2.2 < s["constant"][0] < 2.4 and np.all(s["constant"][1:] < 1e-15)
    assert 2.2 < s["nearly constant"][0] < 2.4 and np.all((3e-5 < s["nearly constant"][1:])
                                                         & (s["nearly constant"][1:] < 5e-4))
    assert np.all((0.3 < s["random"]) & (s["random"] < 3.5))

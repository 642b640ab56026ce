"""The tables and sentences of the zero/constant page, and the figures' alt text, against
the measured run (the run itself is pinned in test_experiments_zero_constant.py)."""

from __future__ import annotations

import numpy as np
import pytest

from initnotes import registry
from initnotes.figures.zero_constant import LABELS, results
from initnotes.values import zero_constant as values


def _rows(table: str) -> dict[str, str]:
    return {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}


def test_gradient_table_shows_the_exact_zeros_and_first_moves():
    rows = _rows(values.gradient_table())
    assert "| $0$ / $0$ / $0$ | never / never / never |" in rows[LABELS["zero"]]
    assert "| 2 / 1 / 0 |" in rows[LABELS["zero weights, bias"]]
    assert rows[LABELS["zero last layer"]].startswith(f"| {LABELS['zero last layer']} | $0$ / $0$ / ")
    assert "| 1 / 1 / 0 |" in rows[LABELS["zero last layer"]]


def test_final_table_symmetric_starts_have_exactly_equal_units():
    rows = _rows(values.final_table())
    for case in ("zero", "zero weights, bias", "constant"):
        assert f"| {LABELS[case]} | $0$ / $0$ |" in rows[LABELS[case]]
    for case in ("zero last layer", "random"):
        assert "$0$ / $0$" not in rows[LABELS[case]]


def test_alt_text_numbers_match_the_run():
    """The alt texts say: 50 % for the stuck starts, about 70 % for constant, about 97 %
    for the others, loss ln 2 for the stuck ones, below 0.6 by step 100 and near 0.55 at the end for constant, < 0.1 for the rest."""
    runs = results().runs
    for case in ("zero", "zero weights, bias"):
        assert runs[case].final_accuracy == 0.5
        assert runs[case].final_loss == pytest.approx(np.log(2), abs=1e-5)
    assert 0.67 <= runs["constant"].final_accuracy <= 0.72
    assert runs["constant"].final_loss == pytest.approx(0.55, abs=0.02)
    assert runs["constant"].loss[100] < 0.6  # "below 0.6 within the first hundred steps"
    for case in ("zero last layer", "random"):
        assert 0.95 <= runs[case].final_accuracy <= 0.99
        assert runs[case].final_loss < 0.1
    alt = registry.get_figure("zero-constant-regions").alt
    assert "about 70" in alt and "about 97" in alt and "50 percent" in alt

"""Formatting helpers of the scale page, by hand, and the sentences that state measured claims."""

from __future__ import annotations

import pytest

from initnotes.values import scale as values


@pytest.mark.parametrize("x, expected", [
    (0.0, "0"),
    (0.16, "0.16"),
    (16.0, "16"),
    (1.07e-8, "1.1 × 10⁻⁸"),
    (3400.0, "3.4 × 10³"),
])
def test_compact_by_hand(x, expected):
    assert values.compact(x) == expected


def test_geometric_factor_by_hand():
    """1, 0.5, 0.25, 0.125: factor 0.5 per step."""
    assert values.geometric_factor([1.0, 0.5, 0.25, 0.125]) == pytest.approx(0.5)


def test_table_rows_state_the_page_claims():
    rows = {line.split("|")[1].strip(): line for line in values.table().splitlines()[2:]}
    assert "| 0.16 | 0.16 |" in rows["N(0, 0.01²)"]  # predicted and measured factor agree
    assert rows["N(0, 1)"].rstrip().endswith("| 87 % |")
    assert "| 0 % |" in rows["N(0, 1/n)"]


def test_factor_sentences():
    assert values.factor_normal().startswith(r"$\sqrt{256} \times 0.01 = 0.16$")
    assert values.uniform_std() == r"$0.01/\sqrt 3 = 0.00577$"
    assert "0.0924" in values.factor_uniform()
    assert values.exercise_layers().endswith("so 8 layers")  # 0.16^7 = 2.7e-6, 0.16^8 = 4.3e-7


def test_alt_texts_match_the_measurements():
    """The numbers the alt texts of the scale figures state, within their rounding."""
    import numpy as np

    from initnotes import registry
    from initnotes.figures.scale import results, sweep_results

    runs = results().runs
    h = {k: r.signal.activation_std for k, r in runs.items()}
    dz = {k: r.preactivation_gradient_std for k, r in runs.items()}
    dw = {k: r.signal.weight_gradient_std for k, r in runs.items()}
    assert 0.5e-8 < h["N(0, 0.01²)"][-1] < 2e-8  # "about 1e-8"
    assert 3e-11 < h["U(−0.01, 0.01)"][-1] < 7e-11  # "about 5e-11"
    assert 0.55 < h["N(0, 1/n)"][0] < 0.65 and 0.15 < h["N(0, 1/n)"][-1] < 0.25  # "0.6 to 0.2"
    assert 0.5e-7 < dz["N(0, 0.01²)"][0] < 2e-7 and 3e-10 < dz["U(−0.01, 0.01)"][0] < 7e-10
    assert 1e3 < dz["N(0, 1)"][0] < 1e4  # "a few thousand"
    for k in ("N(0, 0.05²)", "N(0, 1/n)"):
        assert 1 <= dw[k].min() and dw[k].max() <= 5  # "between 1 and 5"
    assert np.all(np.diff(dw["N(0, 1)"]) < 0)  # "growing toward layer 1"
    zeros = (runs["N(0, 1)"].preactivation_gradient_samples == 0).mean(axis=1)
    assert np.all((0.205 <= zeros) & (zeros < 0.245))  # "21 to 24 percent" as printed (rounded)
    assert "21 to 24 percent" in registry.get_figure("scale-gradient-histograms").alt
    sw = sweep_results()
    assert 0.5e-10 < sw.last_activation_std[0] < 2e-10 and 0.2 < sw.last_activation_std[5] < 0.3
    assert 0.5e-9 < sw.first_gradient_std[0] < 2e-9 and 0.25 < sw.first_gradient_std[5] < 0.35
    assert 3000 < sw.first_gradient_std[-1] < 5000  # "about 4000 at 16"
    assert np.all(sw.last_saturated_fraction[:6] == 0) and 0.85 < sw.last_saturated_fraction[-1] < 0.89

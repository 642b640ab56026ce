"""The scale page's claims, asserted on its memoised runs (``initnotes.pages.scale``).

The physics (factors, mean field, saturation) is pinned in ``tests/test_experiments_scale.py``
on the same propagation run. Each claim here holds for the one seed the page shows; both
runs are cheap (about 1 s and 2 s).
"""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.pages import scale as page


@pytest.fixture(scope="module")
def res():
    return page.PROPAGATION.result()


@pytest.fixture(scope="module")
def sw():
    return page.SWEEP.result()


def test_geometric_factor_by_hand():
    """1, 0.5, 0.25, 0.125: factor 0.5 per step."""
    assert page.geometric_factor([1.0, 0.5, 0.25, 0.125]) == pytest.approx(0.5)


# -- the runs are the ones the page describes --------------------------------------------------

def test_sweep_covers_the_stated_range(sw):
    """From 0.1 to 16 times 1/sqrt(n), through the page's network (batch 64 to stay fast)."""
    m = sw.stds * np.sqrt(sw.config.width)
    assert m[0] == pytest.approx(0.1) and m[-1] == pytest.approx(16.0)
    assert (sw.config.depth, sw.config.width) == (page.PROPAGATION.config.depth,
                                                  page.PROPAGATION.config.width)


def test_the_named_distributions_are_the_runs(res):
    assert {page.SMALL, page.UNIFORM, page.MEDIUM, page.LECUN, page.LARGE} == set(res.runs)


# -- values -------------------------------------------------------------------------------------

def test_table_rows_state_the_page_claims(res):
    rows = {line.split("|")[1].strip(): line for line in page.summary_table(res).splitlines()[2:]}
    assert "| 0.16 | 0.16 |" in rows["N(0, 0.01²)"]  # predicted and measured factor agree
    assert rows["N(0, 1)"].rstrip().endswith("| 87 % |")
    assert "| 0 % |" in rows["N(0, 1/n)"]


def test_factor_sentences(res):
    assert page.factor_normal(res).startswith(r"$\sqrt{256} \times 0.01 = 0.16$")
    assert page.uniform_std(res) == r"$0.01/\sqrt 3 = 0.00577$"
    assert page.factor_uniform(res).startswith(r"$16 \times 0.00577 = 0.0924$")
    assert page.exercise_layers().endswith("so 8 layers")  # 0.16^7 = 2.7e-6, 0.16^8 = 4.3e-7


def test_prose_values(res):
    """The numbers the prose used to type: width 256, ten layers, five distributions,
    factors 0.16 and 0.092, sqrt(n) * 0.05 = 0.8, log10 0.16 = -0.8, a fifth."""
    assert (page.width(res), page.depth(res), page.depth_words(res), page.count(res)) == (
        "256", "10", "ten", "five")
    assert (page.factor_small(res), page.factor_uniform_short(res)) == ("0.16", "0.092")
    assert page.multiple_medium(res) == "0.8"
    assert page.log_factor(res) == r"$\log_{10} 0.16 = -0.8$"


def test_a_fifth_of_the_large_scale_gradients_are_exactly_zero(res):
    """Prose and caption say "a fifth": the measured share (22.5 %) is nearer 1/5 than 1/4,
    though only just (the midpoint is 22.5 %: the claim is fragile on this seed)."""
    share = page.zero_share(res.runs[page.LARGE]).mean()
    assert 0.2 <= share < 0.225
    assert page.zero_fraction(res) == "a fifth"


# -- alt texts: the claims they make, against the runs, with their tolerances ----------------

def test_std_alt_claims_hold(res):
    runs = res.runs
    h = {k: r.signal.activation_std for k, r in runs.items()}
    dz = {k: r.preactivation_gradient_std for k, r in runs.items()}
    dw = {k: r.signal.weight_gradient_std for k, r in runs.items()}
    # "about" means to one significant digit: within a factor of about 1.5 each way
    assert 0.5e-8 < h["N(0, 0.01²)"][-1] < 1.5e-8  # "about 1e-8"
    assert 4.5e-11 < h["U(−0.01, 0.01)"][-1] < 5.5e-11  # "about 5e-11"
    assert 0.55 < h["N(0, 1/n)"][0] < 0.65 and 0.15 < h["N(0, 1/n)"][-1] < 0.25  # "0.6 to 0.2"
    assert np.all(h["N(0, 1)"] > 0.95)  # "stays near 1"
    assert 6.5e-8 < dz["N(0, 0.01²)"][0] < 7.5e-8 and 4.5e-10 < dz["U(−0.01, 0.01)"][0] < 5.5e-10
    assert 2e3 < dz["N(0, 1)"][0] < 6e3  # "a few thousand"
    for k in ("N(0, 0.01²)", "U(−0.01, 0.01)"):
        assert dw[k].max() / dw[k].min() < 1.1  # "flat across layers"
    for k in ("N(0, 0.05²)", "N(0, 1/n)"):
        assert 1 <= dw[k].min() and dw[k].max() <= 5  # "between 1 and 5"
        assert dw[k].max() / dw[k].min() < 1.2  # flat
    assert np.all(np.diff(dw["N(0, 1)"]) < 0)  # "growing toward layer 1"
    alt = page._std_alt(res)
    assert "about 7e-8 (normal) and 5e-10 (uniform)" in alt and "near 8e-9 for the uniform" in alt
    assert "to a few thousand" in alt and "between 1 and 5" in alt


def test_activation_alt_claims_hold(res):
    """Small: layer 1 a bump (std above 0.1), later layers a spike (below 0.03); medium:
    narrowing steadily; 1/n: narrowing slowly (by less than 3x over all layers); large:
    piled up at +-1 (over 80 % saturated in every layer)."""
    h = {k: r.signal.activation_std for k, r in res.runs.items()}
    assert h[page.SMALL][0] > 0.1 and np.all(h[page.SMALL][1:] < 0.03)
    assert np.all(np.diff(h[page.MEDIUM]) < 0)
    assert np.all(np.diff(h[page.LECUN]) < 0) and h[page.LECUN][0] / h[page.LECUN][-1] < 3
    assert np.all(res.runs[page.LARGE].signal.saturated_fraction > 0.8)
    assert page._activation_alt(res).startswith("Four panels")


def test_gradient_alt_claims_hold(res):
    runs = res.runs
    zeros = page.zero_share(runs[page.LARGE])
    assert np.all((0.205 <= zeros) & (zeros < 0.245))  # "21 to 24 percent" as printed (rounded)
    for k in (page.SMALL, page.MEDIUM, page.LECUN):
        assert np.all(page.zero_share(runs[k]) == 0)  # "no zeros"
    for k in (page.MEDIUM, page.LECUN):  # "within about one decade of 1"
        assert np.all(np.abs(np.log10(runs[k].preactivation_gradient_std)) < 1.5)
    top = np.abs(runs[page.LARGE].preactivation_gradient_samples).max(axis=1)
    assert 2 < top[-1] < 4 and 5e4 < top[0] < 7e4  # "between about 3 (layer 10) and 6e4 (layer 1)"
    alt = page._gradient_alt(res)
    assert "almost one decade per layer" in alt and "ending near 7e-8; no zeros" in alt
    assert "21 to 24 percent" in alt
    assert "within about one decade of 1; no zeros" in alt


def test_sweep_alt_claims_hold(sw):
    m = sw.stds * np.sqrt(sw.config.width)
    one = int(np.argmin(np.abs(np.log(m))))
    assert m[one] == pytest.approx(1.0, abs=0.01)
    assert 0.5e-10 < sw.last_activation_std[0] < 1.5e-10 and 0.235 < sw.last_activation_std[one] < 0.245
    assert np.all(sw.last_activation_std < 1)  # "levels off just under 1"
    assert np.all(sw.last_activation_std[one + 1:] > 0.6)
    assert 0.5e-9 < sw.first_gradient_std[0] < 1.5e-9 and 0.25 < sw.first_gradient_std[one] < 0.35
    assert np.all(np.diff(sw.first_gradient_std) > 0)  # "keeps growing"
    assert 3500 < sw.first_gradient_std[-1] < 4500  # "about 4000 at 16"
    sat = sw.last_saturated_fraction
    assert np.all(sat[:one + 1] == 0) and 0.855 <= sat[-1] < 0.865  # "0 up to 1", "0.86 at 16"
    alt = page._sweep_alt(sw)
    assert "is 0 up to 1, about 0.2 at 2.5 and 0.86 at 16" in alt
    assert "from about 1e-10 at 0.1 to about 0.24 at 1" in alt and "to about 4000 at 16" in alt


# -- the exponents, the scalar example, the histogram range ----------------------------------

def test_backward_signal_falls_one_power_less_than_the_forward(res, sw):
    """(sqrt(n) sigma_w)^10 forward at layer 10, ^9 backward at layer 1: the fitted slopes of the
    sweep below 0.6 are within 0.2 of 10 and 9, and the table's std of dL/da_1 under
    N(0, 0.01^2) is 0.16^9 to 5 % (0.16^10 would be 6 times smaller)."""
    forward, backward = page.sweep_exponents(sw)
    assert abs(forward - 10) < 0.2 and abs(backward - 9) < 0.2
    assert res.runs[page.SMALL].preactivation_gradient_std[0] == pytest.approx(0.16**9, rel=0.05)
    text = page.sweep_exponent_text(sw)
    assert r"(\sqrt n\,\sigma_w)^{10}" in text and r"(\sqrt n\,\sigma_w)^{9}" in text


def test_scalar_example(res):
    assert page.scalar_example(res) == r"$0.5^{10} = 9.8 \times 10^{-4}$, $1^{10} = 1$ and $1.5^{10} = 57.665$"


def test_gradient_histograms_show_every_nonzero_value(res):
    """The widened range (1e-18 to 1e6) drops no non-zero gradient of any shown scale."""
    assert all(page.outside_share(res.runs[k]) == 0 for k in page.HISTOGRAMS)
    assert "every non-zero value lies in the range shown" in page._gradient_caption(res)
    assert "subsample of 4096 values" in page._gradient_caption(res)


# -- training from each scale, over seeds ----------------------------------------------------

@pytest.fixture(scope="module")
def training():
    return page.TRAINING.result()


def test_training_runs_ten_seeds_of_three_scales(training):
    cfg = training.config
    assert len(cfg.seeds) >= 10 and cfg.multiples == (0.16, 1.0, 16.0)
    assert all(rows.shape == (len(cfg.seeds), training.steps.size) for rows in training.loss.values())


def test_only_the_right_scale_learns_in_every_draw(training):
    """Too small: at the mean predictor (1 to 1e-6) at the end of every draw; right: below 0.2
    in every draw, median below 0.02; too large: every draw above 0.5 at the end, after
    starting above 50."""
    small, right, large = (training.loss[m] for m in training.config.multiples)
    assert np.all(np.abs(small[:, -1] - 1) < 1e-6)
    assert np.all(right[:, -1] < 0.2) and np.median(right[:, -1]) < 0.02
    assert np.all(large[:, -1] > 0.5) and np.all(large[:, 0] > 50)
    assert np.all(np.median(right, axis=0)[1:] < np.median(large, axis=0)[1:])


def test_training_multiples_are_the_page_scales_factors():
    """0.16, 1 and 16 are sqrt(256) times the stds of N(0, 0.01^2), N(0, 1/n) and N(0, 1)."""
    assert page.training_factors_text().endswith("at width 256")

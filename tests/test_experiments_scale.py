"""The claims of the scale page, pinned.

Expected values are derived by hand on the page: the linear-regime factor sqrt(n) * sigma
(0.16 for N(0, 0.01^2) at n = 256, 16 * 0.01 / sqrt(3) = 0.0924 for U(-0.01, 0.01)),
Gaussian integrals with closed forms, and the mean-field recursion evaluated by quadrature
(a code path independent of the sampled network it is compared with). Each layer has
256 x 256 = 65,536 samples, so a measured standard deviation carries about
1/sqrt(2 * 65536) = 0.3 % relative noise; the tolerances below are several times that,
plus the error of the linear approximation where it is used. The measured claims are
pinned on the page's own propagation run (memoised), the one its figures and tables show.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from initnotes import theory
from initnotes.experiments import scale as sc
from initnotes.pages import scale as page


@pytest.fixture(scope="module")
def res():
    return page.PROPAGATION.result()


def factor(stds):
    stds = np.asarray(stds)
    return (stds[-1] / stds[0]) ** (1 / (len(stds) - 1))


# -- theory helpers against closed forms ----------------------------------------------------

@pytest.mark.parametrize("q", [1e-4, 0.3, 1.0, 250.0])
def test_gaussian_expectation_of_z_squared_is_q(q):
    assert theory.gaussian_expectation(lambda z: z * z, q) == pytest.approx(q, rel=1e-9)


def test_gaussian_expectation_of_tanh_squared_small_q_series():
    """tanh^2 z = z^2 - 2/3 z^4 + ..., E[z^4] = 3 q^2: E[tanh^2] = q - 2 q^2 + O(q^3)."""
    q = 1e-3
    assert theory.gaussian_expectation(lambda z: np.tanh(z) ** 2, q) == pytest.approx(q - 2 * q**2, rel=1e-5)


def test_gaussian_expectation_of_sech4_large_q():
    """sech^4 has area 4/3; for q = 256 the density is flat to 1e-3 across its width."""
    q = 256.0
    got = theory.gaussian_expectation(lambda z: (1 - np.tanh(z) ** 2) ** 2, q)
    assert got == pytest.approx(4 / 3 / math.sqrt(2 * math.pi * q), rel=2e-3)


def test_gaussian_expectation_rejects_bad_variance():
    with pytest.raises(ValueError, match="q must be a finite variance >= 0, got -1.0"):
        theory.gaussian_expectation(np.tanh, -1.0)


def test_tanh_rounds_to_one_threshold():
    z0 = sc.tanh_rounds_to_one()
    assert np.tanh(z0) == 1.0 and np.tanh(np.nextafter(z0, 0.0)) < 1.0
    # 1 - tanh z ~ 2 exp(-2z) falls below half the spacing of floats just under 1 (2^-54)
    # at z = 55 ln 2 / 2 = 19.06; the library's last-bit rounding moves it a little
    assert z0 == pytest.approx(55 * math.log(2) / 2, abs=0.2)


def test_mean_field_small_scale_is_the_linear_factor():
    mf = sc.mean_field(0.01, 256, 10)
    np.testing.assert_allclose(mf.activation_std, 0.16 ** np.arange(1, 11), rtol=0.03)
    np.testing.assert_allclose(mf.preactivation_gradient_std, 0.16 ** np.arange(9, -1, -1), rtol=0.03)


def test_scale_std_by_hand():
    assert sc.SCALES[0].std == 0.01
    assert sc.SCALES[1].std == pytest.approx(0.01 / math.sqrt(3))
    assert sc.uniform_std(0.01) == pytest.approx(0.0057735, rel=1e-5)
    assert sc.small_scale_factor(0.01, 256) == pytest.approx(0.16)
    with pytest.raises(ValueError, match="std is known for 'normal' and 'uniform' only, got 'orthogonal'"):
        sc.Scale("x", "orthogonal").std


# -- measured: small scales vanish ----------------------------------------------------------

def test_normal_001_shrinks_by_016_per_layer_forward_and_backward(res):
    run = res.runs["N(0, 0.01²)"]
    assert factor(run.signal.activation_std) == pytest.approx(0.16, rel=0.02)
    assert factor(run.preactivation_gradient_std[::-1]) == pytest.approx(0.16, rel=0.02)
    assert run.signal.activation_std[-1] == pytest.approx(0.16**10, rel=0.1)


def test_uniform_001_has_std_001_over_sqrt3_and_shrinks_faster(res):
    run = res.runs["U(−0.01, 0.01)"]
    w = np.random.default_rng(5).uniform(-0.01, 0.01, 100_000)
    assert w.std() == pytest.approx(0.01 / math.sqrt(3), rel=0.01)
    f = 16 * 0.01 / math.sqrt(3)
    assert factor(run.signal.activation_std) == pytest.approx(f, rel=0.03)
    assert run.signal.activation_std[-1] == pytest.approx(f**10, rel=0.15)
    assert run.signal.activation_std[-1] < res.runs["N(0, 0.01²)"].signal.activation_std[-1] / 100


def test_small_scale_weight_gradients_are_flat_and_tiny(res):
    """std(dL/dW_l) ~ sqrt(B) * 0.16^(L-1) = 16 * 0.16^9 ~ 1.1e-6 for every layer."""
    dw = res.runs["N(0, 0.01²)"].signal.weight_gradient_std
    assert dw.max() / dw.min() < 1.2
    np.testing.assert_allclose(dw, 16 * 0.16**9, rtol=0.15)
    good = res.runs["N(0, 1/n)"].signal.weight_gradient_std
    assert np.mean(good) / np.mean(dw) > 1e6


def test_lecun_scale_decays_slowly_not_exponentially(res):
    a = res.runs["N(0, 1/n)"].signal.activation_std
    assert np.all(np.diff(a) < 0)  # it does decay
    assert a[-1] > 0.2  # ... but stays above 0.2 after ten layers (0.16^10 would be 1e-8)
    # q_l ~ 1/(2 l) at the critical point: variance at layer 10 near 1/20
    assert res.runs["N(0, 1/n)"].signal.preactivation_std[-1] ** 2 == pytest.approx(1 / 20, rel=0.25)


# -- measured: large scale saturates ---------------------------------------------------------

def test_normal_1_saturates_87_percent(res):
    run = res.runs["N(0, 1)"]
    q = 256 * 0.95  # E[h^2] ~ 0.95 when most units sit at +-1 (checked against q* below)
    predicted = math.erfc(math.atanh(0.99) / math.sqrt(2 * q))
    np.testing.assert_allclose(run.signal.saturated_fraction, predicted, atol=0.01)
    assert 0.85 < run.signal.saturated_fraction.mean() < 0.88


def test_normal_1_a_fifth_of_gradients_are_exactly_zero(res):
    run = res.runs["N(0, 1)"]
    dz = run.preactivation_gradient_samples
    zeros = (dz == 0).mean(axis=1)
    mf = sc.mean_field(1.0, 256, 10)
    predicted = math.erfc(sc.tanh_rounds_to_one() / math.sqrt(2 * mf.preactivation_var[-1]))
    assert 0.18 < zeros.min() and zeros.max() < 0.26  # "a fifth"; 4096 samples per layer: +-0.7 %
    assert zeros.mean() == pytest.approx(predicted, abs=0.015)
    for other in ("N(0, 0.01²)", "N(0, 0.05²)", "N(0, 1/n)"):
        assert not np.any(res.runs[other].preactivation_gradient_samples == 0)


def test_normal_1_gradient_grows_toward_the_input(res):
    """Backward factor sqrt(256 * E[sech^4 z]) with E ~ 4/3 / sqrt(2 pi q*), q* ~ 243: ~2.9."""
    run = res.runs["N(0, 1)"]
    growth = 1 / factor(run.signal.gradient_std)
    expected = math.sqrt(256 * 4 / 3 / math.sqrt(2 * math.pi * 243))
    assert growth == pytest.approx(expected, rel=0.05)
    assert run.preactivation_gradient_std[0] > 1e3 * run.preactivation_gradient_std[-1]


# -- the mean-field prediction runs through every measured point ---------------------------

@pytest.mark.parametrize("label", [s.label for s in sc.SCALES])
def test_mean_field_matches_measurement(res, label):
    run = res.runs[label]
    mf = sc.mean_field(run.scale.std, 256, 10)
    np.testing.assert_allclose(run.signal.activation_std, mf.activation_std, rtol=0.06)
    np.testing.assert_allclose(run.preactivation_gradient_std, mf.preactivation_gradient_std, rtol=0.12)
    np.testing.assert_allclose(run.signal.saturated_fraction, mf.saturated_fraction, atol=0.01)


def test_sweep_window(res):
    cfg = sc.ScaleConfig(batch=32)
    stds = np.array([0.1, 0.5, 1.0, 2.0, 16.0]) / 16
    sw = sc.sweep(stds, cfg, np.random.default_rng(3))
    assert np.all(np.diff(sw.last_activation_std) > 0)
    assert np.all(np.diff(sw.first_gradient_std) > 0)
    assert np.all(sw.last_saturated_fraction[:3] < 0.01) and sw.last_saturated_fraction[-1] > 0.8
    with pytest.raises(ValueError, match="stds must be a non-empty 1-D array of positive numbers"):
        sc.sweep(np.array([0.1, -1.0]), cfg, np.random.default_rng(0))


def test_sweep_config_spaces_the_stds_by_multiples_of_one_over_sqrt_n():
    """low=1, high=4, points=3 at width 16: multiples 1, 2, 4, stds 0.25, 0.5, 1."""
    cfg = sc.SweepConfig(network=sc.ScaleConfig(width=16, batch=8, depth=3), low=1.0, high=4.0, points=3)
    np.testing.assert_allclose(cfg.multiples, [1.0, 2.0, 4.0])
    np.testing.assert_allclose(cfg.stds, [0.25, 0.5, 1.0])
    a = sc.run_sweep(cfg, np.random.default_rng(4))
    b = sc.sweep(cfg.stds, cfg.network, np.random.default_rng(4))
    assert a.config == cfg.network
    np.testing.assert_array_equal(a.last_activation_std, b.last_activation_std)
    with pytest.raises(ValueError, match="need 0 < low < high, got low=2.0, high=1.0"):
        sc.SweepConfig(low=2.0, high=1.0)
    with pytest.raises(ValueError, match="points must be at least 2, got 1"):
        sc.SweepConfig(points=1)


def test_config_is_checked():
    with pytest.raises(ValueError, match="derived for tanh, got 'relu'"):
        sc.ScaleConfig(activation="relu")
    with pytest.raises(ValueError, match="scales must not be empty"):
        sc.ScaleConfig(scales=())


def test_exercise_relu_factor_is_016_over_sqrt2():
    """ReLU halves the second moment: the rms shrinks by sqrt(256 / 2) * 0.01 = 0.113 per layer."""
    from initnotes.experiments.signal import SignalConfig, propagate

    r = propagate(SignalConfig(init="normal", activation="relu", init_kwargs=(("std", 0.01),),
                               depth=6, width=256, batch=256, keep=65536), np.random.default_rng(0))
    rms = np.sqrt(np.mean(r.activation_samples**2, axis=1))
    assert factor(rms[1:]) == pytest.approx(0.16 / math.sqrt(2), rel=0.03)


@pytest.mark.parametrize("kwargs, match", [
    (dict(depth=1), "depth"), (dict(width=0), "width"), (dict(multiples=(0.0,)), "multiples"),
    (dict(seeds=()), "seeds"), (dict(steps=7, record_every=5), "multiple"),
])
def test_train_scale_config_rejects_bad_values(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sc.train_scales(sc.TrainScaleConfig(**kwargs))


def test_train_scales_records_one_row_per_seed_and_is_deterministic():
    """Two multiples, two seeds, few steps: one row per seed, one column per recorded step,
    and the same seed gives the same losses in a second run (determinism)."""
    cfg = sc.TrainScaleConfig(depth=3, width=4, n_points=8, steps=10, record_every=5,
                              multiples=(0.01, 1.0), seeds=(0, 1))
    res = sc.train_scales(cfg)
    assert set(res.loss) == {0.01, 1.0} and res.loss[0.01].shape == (2, 3)
    assert list(res.steps) == [0, 5, 10] and np.all(np.isfinite(res.loss[1.0]))
    again = sc.train_scales(cfg)
    assert all(np.array_equal(res.loss[m], again.loss[m]) for m in cfg.multiples)

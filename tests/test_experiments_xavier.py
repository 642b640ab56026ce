"""Glorot & Bengio's experiment and the claims the Xavier page makes about it.

The page's figures and numbers come from the runs of `initnotes.pages.xavier`; the tests
below read the same memoised results, so what is pinned here is what the page shows. Expected values come from theory (the variance recursion, the
quarter-circle law, Gaussian integrals) or from an independent computation, never from
the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from initnotes import init, nn, theory
from initnotes.experiments import signal, xavier
from initnotes.pages import xavier as page

SQRT3 = math.sqrt(3.0)


@pytest.fixture(scope="module")
def res() -> xavier.GlorotResults:
    return page.GLOROT.result()


@pytest.fixture(scope="module")
def jac() -> xavier.LayerJacobianResults:
    return page.JACOBIANS.result()


# --- the Gaussian expectation used by every prediction -------------------------------


@pytest.mark.parametrize("f, std, expected", [
    (lambda z: np.ones_like(z), 1.0, 1.0),
    (lambda z: z**2, 2.0, 4.0),
    (lambda z: z**4, 2.0, 3 * 16.0),
    (lambda z: np.abs(z), 3.0, 3.0 * math.sqrt(2 / math.pi)),
    (lambda z: np.maximum(z, 0) ** 2, 1.5, 1.5**2 / 2),
    (lambda z: (z > 0).astype(float), 1.0, 0.5),  # a jump at 0 is integrated exactly
])
def test_gaussian_expectation_matches_closed_forms(f, std, expected):
    """Known Gaussian moments, to 1e-9 (Simpson's rule on a 12-sigma grid is far better)."""
    assert theory.gaussian_expectation(f, std=std) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_gaussian_expectation_agrees_with_gauss_hermite_for_tanh():
    """E[tanh(z)^2] by an independent rule (probabilists' Gauss-Hermite, 200 nodes)."""
    x, w = np.polynomial.hermite_e.hermegauss(200)
    reference = float(np.sum(w * np.tanh(0.7 * x) ** 2) / math.sqrt(2 * math.pi))
    assert theory.gaussian_expectation(lambda z: np.tanh(z) ** 2, std=0.7) == pytest.approx(
        reference, rel=1e-10)


# --- the two initializations ------------------------------------------------------------


def test_standard_init_has_n_var_one_third():
    """U[-1/sqrt(n), 1/sqrt(n)] has n Var(w) = 1/3 (paper eq. 15): 250k draws, to 1 %."""
    cfg = xavier.GlorotConfig()
    W = signal.make_weights(cfg.signal_config("standard"), np.random.default_rng(3))[0]
    assert cfg.width * W.var() == pytest.approx(1 / 3, rel=0.01)
    assert np.abs(W).max() <= 1 / math.sqrt(cfg.width)
    assert cfg.weight_variance_times_n("standard") == pytest.approx(1 / 3)


def test_normalized_init_has_n_var_one():
    """Xavier uniform on a square layer: n Var(w) = 1 and bound sqrt(6 / 2n), to 1 %."""
    cfg = xavier.GlorotConfig()
    W = signal.make_weights(cfg.signal_config("normalized"), np.random.default_rng(3))[0]
    assert cfg.width * W.var() == pytest.approx(1.0, rel=0.01)
    assert np.abs(W).max() == pytest.approx(math.sqrt(6 / (2 * cfg.width)), rel=1e-3)


def test_pytorch_linear_default_is_the_standard_init():
    """kaiming_uniform with a = sqrt(5) (nn.Linear's default) has bound 1/sqrt(fan_in)."""
    W = init.he_uniform((256, 784), a=math.sqrt(5), rng=np.random.default_rng(0))
    bound = 1 / math.sqrt(784)
    # 200k uniform draws: the largest |w| is within 1e-4 of the bound with certainty
    assert bound * (1 - 1e-4) < np.abs(W).max() <= bound


def test_unknown_scheme_is_rejected():
    with pytest.raises(ValueError, match="scheme must be one of .* got 'glorot'"):
        xavier.GlorotConfig().signal_config("glorot")


@pytest.mark.parametrize("kwargs, match", [
    ({"depth": 0}, "depth must be a positive integer, got 0"),
    ({"bins": 2.5}, "bins must be a positive integer, got 2.5"),
    ({"gradient_range": (1.0, -1.0)}, r"gradient_range must be \(low, high\) with low < high"),
])
def test_bad_config_is_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        xavier.GlorotConfig(**kwargs)


# --- dL/dz in signal.propagate ----------------------------------------------------------


def test_preactivation_gradient_equals_activation_gradient_in_a_linear_net():
    """With f(z) = z, dL/dz = dL/dh exactly."""
    r = signal.propagate(signal.SignalConfig(init="xavier_normal", activation="identity",
                                             depth=3, width=16, batch=8),
                         np.random.default_rng(0))
    np.testing.assert_array_equal(r.preactivation_gradient_samples, r.gradient_samples)
    np.testing.assert_array_equal(r.preactivation_gradient_std, r.gradient_std)


def test_preactivation_gradient_matches_a_hand_computed_backward_pass():
    """dL/dz_l = dL/dh_l * tanh'(z_l), recomputed from the same weights with nn.MLP."""
    cfg = signal.SignalConfig(init="xavier_normal", activation="tanh", depth=3, width=8, batch=4)
    r = signal.propagate(cfg, np.random.default_rng(1))
    rng = np.random.default_rng(1)  # replay the draws: weights, inputs, output gradient
    weights = signal.make_weights(cfg, rng)
    net = nn.MLP.from_weights(weights, activation="tanh", output_activation="tanh")
    net.forward(rng.standard_normal((4, 8)))
    net.backward(rng.standard_normal((4, 8)))
    expected = [(g * (1 - np.tanh(z) ** 2)).ravel()
                for g, z in zip(net.activation_grads, net.preactivations)]
    np.testing.assert_allclose(r.preactivation_gradient_samples, np.stack(expected), rtol=1e-12)


# --- what the page says about the experiment ------------------------------------------


def test_standard_init_shrinks_activations_by_one_over_sqrt3_per_layer(res):
    """Layers 2->5 are in the linear regime: ratio 1/sqrt(3) within 3 %."""
    a = res.activation_std("standard")
    np.testing.assert_allclose(a[2:] / a[1:-1], 1 / SQRT3, rtol=0.03)


def test_standard_init_shrinks_gradients_by_one_over_sqrt3_going_down(res):
    """Between layers 5, 4 and 3 the back-propagated gradient follows 1/sqrt(3), within 3 %."""
    g = res.gradient_std("standard")
    np.testing.assert_allclose(g[2:4] / g[3:5], 1 / SQRT3, rtol=0.03)


def test_measurements_match_the_mean_field_recursion(res):
    """Within 2 %: 150k values per layer, and a width of 500 averages the weights' noise."""
    cfg = res.config
    for scheme in xavier.SCHEMES:
        mf = xavier.mean_field_prediction(cfg.depth, cfg.weight_variance_times_n(scheme))
        np.testing.assert_allclose(res.activation_std(scheme), mf.activation_std, rtol=0.02)
        np.testing.assert_allclose(res.gradient_std(scheme), mf.gradient_std, rtol=0.02)


def test_linear_theory_misses_the_normalized_init(res):
    """Linear theory: std 1 in every layer; measured: well below, and falling."""
    a = res.activation_std("normalized")
    assert a[-1] < 0.4 and np.all(np.diff(a) < 0)
    pred = theory.gaussian_expectation(lambda z: np.tanh(z) ** 2) ** 0.5
    assert a[0] == pytest.approx(pred, rel=0.01)  # layer 1 = std of tanh(N(0, 1))


def test_zero_peak_of_activations_grows_with_depth_under_standard_init(res):
    """The paper's Figure 6 caption: "0-peak increases for higher layers"."""
    h = res.activation_hist["standard"]
    centre = h.density[:, np.abs(h.centers) < 0.05].mean(axis=1)
    assert np.all(np.diff(centre) > 0)


def test_zero_peak_of_gradients_shrinks_with_height_under_standard_init(res):
    """The paper's Figure 7 caption: "0-peak decreases for higher layers"."""
    h = res.gradient_hist["standard"]
    centre = h.density[:, np.abs(h.centers) < 0.05].mean(axis=1)
    assert np.all(np.diff(centre) < 0)


def test_normalized_init_keeps_activations_wide(res):
    """Layer 5 under the normalized init is more than 5 times wider than under the standard."""
    assert res.activation_std("normalized")[-1] > 5 * res.activation_std("standard")[-1]


def test_gradient_shrinks_far_less_under_the_normalized_init(res):
    """std(dL/dz_1)/std(dL/dz_5): about 1/12 standard; still below 1 but 4x larger normalized."""
    ratio = {s: res.gradient_std(s)[0] / res.gradient_std(s)[-1] for s in xavier.SCHEMES}
    assert ratio["standard"] < 0.1
    assert 4 * ratio["standard"] < ratio["normalized"] < 0.6


def test_weight_gradients_are_flat_under_both_inits(res):
    """Largest/smallest per-layer std of dL/dW below 1.2 for both (the page's 'flat')."""
    for scheme in xavier.SCHEMES:
        w = res.weight_gradient_std(scheme)
        assert w.max() / w.min() < 1.2


def test_histograms_integrate_to_the_share_inside_the_range(res):
    """Activations all lie in (-1, 1): each activation histogram integrates to 1."""
    for scheme in xavier.SCHEMES:
        h = res.activation_hist[scheme]
        np.testing.assert_allclose(h.density.sum(axis=1) * np.diff(h.edges)[0], 1.0, rtol=1e-12)


def test_weight_singular_values_follow_the_quarter_circle_law(jac):
    """Mean singular value of W: (8 / 3 pi) sqrt(n Var w), within 1 % at width 500."""
    cfg = jac.config
    for scheme in xavier.SCHEMES:
        expected = xavier.quarter_circle_mean(cfg.weight_variance_times_n(scheme))
        np.testing.assert_allclose(jac.weights[scheme], expected, rtol=0.01)


def test_jacobian_singular_values_as_the_page_says(jac):
    """Standard: near the paper's 0.5 in layers 3-5; normalized: rising towards 0.8;
    tanh' < 1 lowers them below W's, most in layer 1."""
    assert np.all((0.46 < jac.jacobian["standard"][2:]) & (jac.jacobian["standard"][2:] < 0.50))
    nor = jac.jacobian["normalized"]
    assert np.all(np.diff(nor) > 0) and 0.7 < nor[-1] < 0.849
    for scheme in xavier.SCHEMES:
        shrink = jac.jacobian[scheme] / jac.weights[scheme]
        assert np.all(shrink < 1) and np.argmin(shrink) == 0


def test_small_inputs_keep_the_normalized_gradient_flat():
    """Exercise 4: inputs of variance 0.01 keep tanh linear; measured ratio layer 1 / layer 5
    above 0.9 (width 300, batch 200), as the recursion says."""
    rng = np.random.default_rng(4)
    cfg = signal.SignalConfig(init="xavier_uniform", activation="tanh", depth=5, width=300)
    net = nn.MLP.from_weights(signal.make_weights(cfg, rng), activation="tanh",
                              output_activation="tanh")
    net.forward(0.1 * rng.standard_normal((200, 300)))
    net.backward(rng.standard_normal((200, 300)))
    dz = [g * (1 - np.tanh(z) ** 2) for g, z in zip(net.activation_grads, net.preactivations)]
    assert dz[0].std() / dz[-1].std() > 0.9
    mf = xavier.mean_field_prediction(5, 1.0, input_variance=0.01)
    assert mf.gradient_std[0] / mf.gradient_std[-1] > 0.9


def test_same_seed_same_results():
    cfg = xavier.GlorotConfig(width=20, batch=10)
    a = xavier.glorot_experiment(cfg, np.random.default_rng(0))
    b = xavier.glorot_experiment(cfg, np.random.default_rng(0))
    np.testing.assert_array_equal(a.gradient_hist["standard"].density,
                                  b.gradient_hist["standard"].density)

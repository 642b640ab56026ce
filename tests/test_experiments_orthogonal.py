"""Orthogonal initialization: the sign fix, Saxe et al.'s learning times, Jacobian spectra.

Every claim of the orthogonal page is pinned here with the page's own settings and seed.
"""

from __future__ import annotations

import numpy as np
import pytest

from initnotes import init as initializers
from initnotes import nn
from initnotes.experiments import edge_of_chaos, orthogonal
from initnotes.figures import orthogonal as figs

# ---------------------------------------------------------------------------
# Sign fix
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sign_fix():
    return orthogonal.sign_fix_angles(figs.SIGN_FIX_SAMPLES, np.random.default_rng(figs.SEED))


def test_sign_fixed_q_is_haar_half_rotations_uniform_angle(sign_fix):
    """With the fix, P(det = +1) = 1/2 and the angle is uniform on the circle.

    n = 20,000: the share of rotations has std 0.0035, so +-0.02 is 5.7 std; each of 12
    angle bins expects 1,667 samples with std 39, so +-15% (250) is over 6 std.
    """
    assert abs(np.mean(sign_fix.det_fixed > 0) - 0.5) < 0.02
    counts, _ = np.histogram(sign_fix.angle_fixed, bins=12, range=(-np.pi, np.pi))
    expected = figs.SIGN_FIX_SAMPLES / 12
    np.testing.assert_allclose(counts, expected, rtol=0.15)


def test_raw_householder_q_is_always_a_left_pointing_reflection(sign_fix):
    """Householder QR of a 2x2 matrix returns Q = H, a reflection (det = -1), whose first
    column is -sign(a11) a1 / |a1|: its x-component is always negative (|angle| > 90 deg)."""
    np.testing.assert_allclose(sign_fix.det_raw, -1.0, atol=1e-12)
    assert np.all(np.abs(sign_fix.angle_raw) > np.pi / 2)


def test_sign_fixed_qr_is_what_the_package_initializer_does():
    """`init.orthogonal` on a square shape equals QR + sign fix of the same Gaussian draw."""
    a = np.random.default_rng(7).standard_normal((6, 6))
    q = orthogonal.qr_orthogonal(a, sign_fix=True)
    np.testing.assert_allclose(q, initializers.orthogonal((6, 6), rng=np.random.default_rng(7)),
                               atol=1e-14)
    np.testing.assert_allclose(q.T @ q, np.eye(6), atol=1e-14)


# ---------------------------------------------------------------------------
# Saxe, McClelland & Ganguli (2014)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def saxe():
    return orthogonal.time_to_threshold(figs.SAXE, np.random.default_rng(figs.SEED))


def test_orthogonal_learning_time_is_flat_in_depth(saxe):
    """From depth 1 to 64 the orthogonal nets' time to threshold stays within a factor 3."""
    steps = saxe.steps["orthogonal"]
    assert np.all(np.isfinite(steps))
    assert steps.max() / steps.min() <= 3.0


def test_gaussian_learning_time_grows_with_depth_and_deepest_are_capped(saxe):
    """Scaled Gaussian nets: from depth 2 on, each doubling of depth takes at least as long;
    depth 16 takes over 4x depth 1; depths 32 and 64 miss the budget."""
    depths = np.asarray(saxe.config.depths)
    steps = saxe.steps["gaussian"]
    finite = steps[np.isfinite(steps)]
    assert np.all(np.diff(finite[1:]) >= 0)
    assert steps[depths == 16][0] > 4 * steps[depths == 1][0]
    assert saxe.capped("gaussian").tolist() == [d >= 32 for d in depths]


def test_orthogonal_beats_gaussian_from_depth_four(saxe):
    depths = np.asarray(saxe.config.depths)
    deep = depths >= 4
    assert np.all(saxe.steps["orthogonal"][deep] < saxe.steps["gaussian"][deep])


def test_best_learning_rate_scales_as_one_over_depth(saxe):
    """Orthogonal nets: the best lr * depth stays within a factor 4 while depth grows 64x
    (so the best lr ~ 1/depth). For both inits the best rate never sits at an end of the
    sweep, so the sweep was wide enough."""
    factors = saxe.config.lr_factors
    c_orth = saxe.best_factor["orthogonal"]
    assert c_orth.max() / c_orth.min() <= 4.0
    for name in saxe.config.inits:
        c = saxe.best_factor[name][np.isfinite(saxe.best_factor[name])]
        assert np.all((c > min(factors)) & (c < max(factors)))


def test_learning_time_claims_hold_for_another_seed():
    """The same qualitative result with different data and weights (seed 1)."""
    res = orthogonal.time_to_threshold(figs.SAXE, np.random.default_rng(1))
    o, g = res.steps["orthogonal"], res.steps["gaussian"]
    assert o.max() / o.min() <= 3.0
    assert np.all(~np.isfinite(g[-2:])) and g[4] > 4 * g[0]


def test_gradient_step_is_full_batch_gradient_descent_of_the_mlp():
    """One step of the covariance form equals one SGD step of `initnotes.nn` on the data
    (identity activations, half mean squared error), to round-off."""
    cfg = orthogonal.SaxeConfig(depths=(3,), width=5, d_in=4, d_out=3, n_samples=40)
    rng = np.random.default_rng(3)
    x, y = orthogonal.regression_data(cfg, rng)
    weights = orthogonal.deep_linear_weights([4, 5, 5, 3], "gaussian", rng)
    lr = 0.1
    net = nn.MLP.from_weights(weights, activation="identity", output_activation="identity")
    out = net.forward(x)
    _, grad = nn.mse(out, y)
    net.backward(grad)
    net.sgd_step(lr)
    Ws = [W.copy() for W in weights]
    sigma, corr = x.T @ x / len(x), y.T @ x / len(x)
    prefix = orthogonal.forward_products(Ws, 4)
    orthogonal.gradient_step(Ws, prefix, lr * (prefix[-1] @ sigma - corr))
    for mine, theirs in zip(Ws, net.weights):
        np.testing.assert_allclose(mine, theirs, atol=1e-12)


# ---------------------------------------------------------------------------
# Pennington, Schoenholz & Ganguli (2017)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def jac():
    return orthogonal.jacobian_spectra(figs.JACOBIAN, np.random.default_rng(figs.SEED))


def test_orthogonal_linear_jacobian_is_an_exact_isometry(jac):
    """A product of orthogonal matrices is orthogonal: every singular value is 1 (1e-10)."""
    np.testing.assert_allclose(jac.singular_values[("linear", "orthogonal", "-")], 1.0, atol=1e-10)


def test_gaussian_jacobians_spread_over_many_decades(jac):
    """Linear and critical tanh nets with Gaussian weights: the spectrum spans more than
    10 decades (down to the round-off floor) and its median is below 1e-3."""
    for case in (("linear", "gaussian", "-"), ("tanh", "gaussian", "small")):
        s = jac.singular_values[case]
        assert s.max() / s.min() > 1e10
        assert np.median(s) < 1e-3


def test_critical_tanh_with_orthogonal_weights_and_small_q_is_nearly_isometric(jac):
    """q* = 1/64: at least 95% of the singular values lie in [1/2, 2], none below 0.1."""
    s = jac.singular_values[("tanh", "orthogonal", "small")]
    assert np.mean((s >= 0.5) & (s <= 2)) >= 0.95
    assert s.min() > 0.1


def test_isometry_of_orthogonal_tanh_needs_a_small_q(jac):
    """At q* = 1 the same orthogonal tanh net is far from isometric: median below 0.1."""
    assert np.median(jac.singular_values[("tanh", "orthogonal", "large")]) < 0.1


def test_floor_only_replaces_round_off(jac):
    """Floored values are exactly the ones below 1e-16; nothing else is touched."""
    for case, s in jac.singular_values.items():
        assert s.min() >= orthogonal.SINGULAR_VALUE_FLOOR
        if jac.raw_min[case] >= orthogonal.SINGULAR_VALUE_FLOOR:
            assert s.min() == jac.raw_min[case]


def test_tanh_network_uses_the_critical_point_computed_from_q():
    """The weights' variance and the biases come from `critical_point(q)`: sigma_w^2 * width
    times the mean squared weight is sigma_w^2 (orthogonal rows have unit norm)."""
    net = orthogonal.random_network("tanh", "orthogonal", width=64, depth=3, q=1 / 64,
                                    rng=np.random.default_rng(0))
    sigma_w2, _ = edge_of_chaos.critical_point(1 / 64)
    for W in net.weights:
        np.testing.assert_allclose(np.sum(W * W, axis=1), sigma_w2, rtol=1e-12)


@pytest.mark.parametrize("activation, weights", [("linear", "gaussian"), ("tanh", "orthogonal"),
                                                 ("tanh", "gaussian")])
def test_jacobian_matches_finite_differences(activation, weights):
    """The analytic Jacobian agrees with central differences of the forward map (1e-6)."""
    net = orthogonal.random_network(activation, weights, width=6, depth=4, q=0.5,
                                    rng=np.random.default_rng(1))
    eps = 1e-6
    fd = np.column_stack([
        (net.forward(net.x + eps * e) - net.forward(net.x - eps * e)) / (2 * eps)
        for e in np.eye(6)
    ])
    np.testing.assert_allclose(net.jacobian(), fd, atol=1e-7)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, match", [
    ({"width": 0}, "width must be an integer >= 1, got 0"),
    ({"depths": (1, 0)}, "every depth must be an integer >= 1, got 0"),
    ({"inits": ("xavier",)}, "inits must be among .* got 'xavier'"),
    ({"threshold": 1.5}, r"threshold must be in \(0, 1\), got 1.5"),
    ({"lr_factors": (0.1, -1.0)}, "lr_factors must be positive numbers"),
])
def test_bad_saxe_config(kwargs, match):
    with pytest.raises(ValueError, match=match):
        orthogonal.SaxeConfig(**kwargs)


def test_bad_network_arguments():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="activation must be 'linear' or 'tanh', got 'relu'"):
        orthogonal.random_network("relu", "gaussian", width=4, depth=2, q=None, rng=rng)
    with pytest.raises(ValueError, match="weights must be one of .* got 'he'"):
        orthogonal.random_network("linear", "he", width=4, depth=2, q=None, rng=rng)
    with pytest.raises(ValueError, match="a tanh network needs q"):
        orthogonal.random_network("tanh", "gaussian", width=4, depth=2, q=None, rng=rng)
    with pytest.raises(ValueError, match="n_samples must be an integer >= 1, got -3"):
        orthogonal.sign_fix_angles(-3, rng)
    with pytest.raises(ValueError, match="q_star must be a finite number > 0, got 0.0"):
        orthogonal.JacobianConfig(q_star=0.0)


def test_shallow_nets_learn_equally_fast_from_either_init(saxe):
    """The page says the advantage is about growth: at depths 1 and 2 the two inits need
    about the same number of steps (within a factor 1.5)."""
    depths = np.asarray(saxe.config.depths)
    for d in (1, 2):
        o = saxe.steps["orthogonal"][depths == d][0]
        g = saxe.steps["gaussian"][depths == d][0]
        assert 1 / 1.5 <= g / o <= 1.5

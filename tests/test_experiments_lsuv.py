"""LSUV: the algorithm on its own, and the page's experiment."""

from __future__ import annotations

import numpy as np
import pytest

from initnotes import init as initializers
from initnotes import nn
from initnotes.experiments import lsuv
from initnotes.pages import beyond as page


@pytest.fixture(scope="module")
def res():
    """The page's run (config and seed declared in `initnotes.pages.beyond`), memoised."""
    return page.LSUV.result()


def test_lsuv_reaches_unit_preactivation_variance_in_every_layer(res):
    """Measured before the nonlinearity, every layer's variance over all 2,048 inputs is
    within 0.1 of 1 for ReLU and tanh. The loop stops at |v - 1| < 0.02 on a batch of 512;
    batch-to-batch spread of the variance is a few percent (measured max deviation 0.04-0.05
    over seeds 0 and 1), so 0.1 is a safe margin."""
    for act in ("relu", "tanh"):
        run = res.runs[(act, "preactivation")]
        np.testing.assert_allclose(run.pre_after, 1.0, atol=0.1)
        assert all(run.report.converged)


def test_without_lsuv_the_signal_fades(res):
    """Orthonormal weights with gain 1 alone: the last layer's variance is below 1e-4 (ReLU)
    and 0.1 (tanh) of the input layer's; that is what LSUV repairs."""
    relu = res.runs[("relu", "preactivation")].pre_before
    tanh = res.runs[("tanh", "preactivation")].pre_before
    assert relu[-1] < 1e-4 * relu[0]
    assert tanh[-1] < 0.1 * tanh[0]


def test_first_layer_needed_rescaling_because_of_the_data(res):
    """The raw features' scales (0.5 to 5) give the first layer a variance far from 1 under
    an orthonormal init: a tall (64, 32) weight with orthonormal columns keeps |x|^2, so the
    per-unit variance is sum(feature variances) / 64 (about 2.7). Within 15% over 2,048
    inputs (the sample mean of |x|^2 has a relative std near 2%)."""
    cfg = res.config
    expected = np.sum(np.geomspace(*cfg.feature_scales, cfg.n_features) ** 2) / cfg.width
    assert res.runs[("relu", "preactivation")].pre_before[0] == pytest.approx(expected, rel=0.15)
    assert expected > 2


def test_measuring_after_tanh_never_converges_and_saturates_units(res):
    """tanh outputs have variance < 1 for any scale: every layer uses all passes, the
    variance stays below 1, and most units saturate; normalizing before tanh keeps
    saturation under 5%."""
    trap = res.runs[("tanh", "activation")]
    assert not any(trap.report.converged)
    assert trap.report.iterations == [res.config.max_iters] * res.config.depth
    assert max(max(t) for t in trap.report.trace) < 1.0
    assert trap.saturated_after.mean() > 0.5
    assert res.runs[("tanh", "preactivation")].saturated_after.mean() < 0.05


def test_a_fresh_batch_is_drawn_on_every_pass():
    """Two passes on the same layer see different rows: rescaling by exactly the first
    batch's variance leaves the second batch's variance different from 1."""
    rng = np.random.default_rng(0)
    data = rng.standard_normal((1000, 8)) * np.linspace(0.2, 5, 8)
    net = nn.MLP([8, 16], activation="identity", output_activation="identity", rng=rng)
    rep = lsuv.lsuv(net, data, rng=rng, batch_size=50, tol=1e-9, max_iters=3)
    assert rep.iterations == [3]
    assert rep.trace[0][1] != pytest.approx(1.0, abs=1e-9)


def test_a_linear_layer_converges_in_two_passes_on_the_full_data():
    """With the batch equal to all of the data, dividing by sqrt(Var) makes the variance
    exactly 1, so the second pass stops: a check of the update rule W <- W / sqrt(v)."""
    rng = np.random.default_rng(1)
    data = rng.standard_normal((64, 5)) * 3.0
    net = nn.MLP([5, 7, 3], activation="relu", output_activation="identity", rng=rng)
    rep = lsuv.lsuv(net, data, rng=rng, batch_size=64, tol=1e-9)
    assert rep.iterations == [2, 2]
    net.forward(data)
    np.testing.assert_allclose([np.var(z) for z in net.preactivations], 1.0, rtol=1e-12)


def test_orthonormal_pre_initialization():
    """With ``orthonormal=True`` each weight is a multiple of an orthonormal matrix (the
    rows of a wide weight, or the columns of a tall one, are orthogonal and of equal length)."""
    rng = np.random.default_rng(2)
    data = rng.standard_normal((300, 6))
    net = nn.MLP([6, 10, 4], activation="tanh", rng=rng)
    lsuv.lsuv(net, data, rng=rng, batch_size=100)
    W1, W2 = net.weights
    g1 = W1.T @ W1  # tall (10, 6): orthogonal columns
    np.testing.assert_allclose(g1, g1[0, 0] * np.eye(6), atol=1e-12)
    g2 = W2 @ W2.T  # wide (4, 10): orthogonal rows
    np.testing.assert_allclose(g2, g2[0, 0] * np.eye(4), atol=1e-12)


def test_without_orthonormal_only_the_scale_changes():
    rng = np.random.default_rng(3)
    data = rng.standard_normal((200, 4))
    net = nn.MLP([4, 6], activation="relu", weight_init=initializers.he_normal, rng=rng)
    before = net.weights[0].copy()
    lsuv.lsuv(net, data, rng=rng, batch_size=100, orthonormal=False)
    ratio = net.weights[0] / before
    np.testing.assert_allclose(ratio, ratio[0, 0], rtol=1e-12)


def test_cached_layer_inputs_equal_a_fresh_forward_pass():
    """lsuv feeds each layer from cached inputs of the data rows; the final network run
    from scratch on the data must give the same pre-activation variances the last passes
    measured on full-data batches (tolerance: round-off)."""
    rng = np.random.default_rng(4)
    data = rng.standard_normal((128, 5))
    net = nn.MLP([5, 8, 8, 2], activation="tanh", rng=rng)
    rep = lsuv.lsuv(net, data, rng=rng, batch_size=128, tol=0.5)
    net.forward(data)
    # the last pass of each layer measured its variance on all rows, after the rescaling
    # of the passes before it; with tol=0.5 each layer stops at its last recorded value
    for k, z in enumerate(net.preactivations):
        assert np.var(z) == pytest.approx(rep.trace[k][-1], rel=1e-12)


@pytest.mark.parametrize("kwargs, exc, match", [
    ({"measure": "post"}, ValueError, "measure must be one of .* got 'post'"),
    ({"batch_size": 0}, ValueError, "batch_size must be a positive integer, got 0"),
    ({"batch_size": 10_000}, ValueError, "batch_size 10000 is larger than the 100 rows"),
    ({"tol": -1.0}, ValueError, "tol must be a finite number > 0, got -1.0"),
    ({"target": float("nan")}, ValueError, "target must be a finite number > 0"),
])
def test_bad_arguments(kwargs, exc, match):
    rng = np.random.default_rng(0)
    net = nn.MLP([3, 4], rng=rng)
    with pytest.raises(exc, match=match):
        lsuv.lsuv(net, np.ones((100, 3)), rng=rng, **kwargs)


def test_bad_types_and_shapes():
    rng = np.random.default_rng(0)
    net = nn.MLP([3, 4], rng=rng)
    with pytest.raises(TypeError, match="net must be an initnotes.nn.MLP, got list"):
        lsuv.lsuv([], np.ones((10, 3)), rng=rng)
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator, got int"):
        lsuv.lsuv(net, np.ones((10, 3)), rng=0)
    with pytest.raises(ValueError, match=r"data must have shape \(n, 3\), got \(10, 2\)"):
        lsuv.lsuv(net, np.ones((10, 2)), rng=rng, batch_size=5)


def test_a_few_passes_per_layer_suffice(res):
    """Bottom-up, each layer's input is already normalized: the median number of passes per
    layer is at most 3, counting the final pass that only confirms |v - 1| < tol (measured:
    3 for ReLU, whose batch-to-batch spread is larger, 2 for tanh)."""
    for act in ("relu", "tanh"):
        assert np.median(res.runs[(act, "preactivation")].report.iterations) <= 3

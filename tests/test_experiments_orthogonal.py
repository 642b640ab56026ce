"""Orthogonal initialization: the sign fix, Saxe et al.'s learning times, Jacobian spectra.

The mechanics of the experiments; the orthogonal page's claims, on its own runs, are in
``tests/pages/test_orthogonal.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

from initnotes import init as initializers
from initnotes import nn
from initnotes.experiments import edge_of_chaos, orthogonal

# ---------------------------------------------------------------------------
# Sign fix
# ---------------------------------------------------------------------------


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
# One layer
# ---------------------------------------------------------------------------


def test_single_layer_spectra_draws_orthogonal_then_gaussian_then_the_norm_check():
    """The singular values are those of `init.orthogonal` and of N(0, 1/n) entries drawn in
    that order from the generator; the norm ratios use a second orthogonal draw."""
    cfg = orthogonal.SingleLayerConfig(width=8, n_vectors=5)
    res = orthogonal.single_layer_spectra(cfg, np.random.default_rng(4))
    rng = np.random.default_rng(4)
    W = initializers.orthogonal((8, 8), rng=rng)
    G = rng.standard_normal((8, 8)) / np.sqrt(8)
    np.testing.assert_array_equal(res.singular_values["orthogonal"], np.linalg.svd(W, compute_uv=False))
    np.testing.assert_array_equal(res.singular_values["gaussian"], np.linalg.svd(G, compute_uv=False))
    assert res.norm_ratio.shape == (5,)
    np.testing.assert_allclose(res.norm_ratio, 1.0, atol=1e-14)


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
    with pytest.raises(ValueError, match="n_vectors must be an integer >= 1, got 0"):
        orthogonal.SingleLayerConfig(n_vectors=0)

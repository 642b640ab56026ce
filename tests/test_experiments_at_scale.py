"""`initnotes.experiments.at_scale`: defaults, the pre-LN stack, the zero-end blocks'
gradients (against central differences), LayerNorm's scale invariance, and bad input.

The page's claims on the memoised runs are in ``tests/pages/test_at_scale.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from initnotes.experiments import at_scale


def test_prior_bias_gives_the_prior():
    for pi in (0.5, 0.01, 0.9):
        assert at_scale.sigmoid(at_scale.prior_bias(pi)) == pytest.approx(pi, rel=1e-12)
    assert at_scale.prior_bias(0.5) == 0.0


@pytest.mark.parametrize("pi", [0.0, 1.0, -0.1, float("nan")])
def test_prior_bias_refuses_probabilities_outside_0_1(pi):
    with pytest.raises(ValueError, match="pi"):
        at_scale.prior_bias(pi)


def test_layer_norm_and_attention_shapes_and_causality():
    """LayerNorm rows have mean 0 and variance 1 (to 1e-3 with eps 1e-5); changing the last
    token leaves the attention output of the earlier tokens unchanged (causal mask)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 5, 8))
    ln = at_scale.layer_norm(x)
    np.testing.assert_allclose(ln.mean(-1), 0, atol=1e-12)
    np.testing.assert_allclose(ln.var(-1), 1, atol=1e-3)
    w = rng.standard_normal((24, 8)) * 0.3
    y = at_scale.causal_attention(x, w, heads=2)
    x2 = x.copy()
    x2[:, -1] += 1.0
    y2 = at_scale.causal_attention(x2, w, heads=2)
    assert y.shape == (2, 5, 8)
    np.testing.assert_allclose(y[:, :-1], y2[:, :-1], atol=1e-12)
    assert not np.allclose(y[:, -1], y2[:, -1])


def test_stream_schemes_share_the_embeddings():
    res = at_scale.residual_stream(at_scale.StreamConfig(depths=(2,), width=16, heads=2),
                                   np.random.default_rng(0))
    assert res.variance[("unscaled", 2)][0] == res.variance[("gpt2", 2)][0]
    assert res.variance[("unscaled", 2)].shape == (3,)


def _loss(scheme, p, x, c, base, target):
    y, _ = at_scale.block_forward(scheme, p, x, c, base)
    return 0.5 * np.mean((y - target) ** 2)


@pytest.mark.parametrize("scheme", at_scale.ZERO_SCHEMES)
def test_block_gradients_match_central_differences(scheme):
    """Every parameter's gradient, at a random (non-zero) point, against central differences
    with step 1e-6: to 1e-6 relative (the differences' error is about 1e-9 here)."""
    cfg = at_scale.ZeroEndsConfig(width=5, hidden=6, rank=2, cond=3, n_samples=7)
    rng = np.random.default_rng(1)
    p = {k: v + rng.standard_normal(v.shape) * 0.5
         for k, v in at_scale.init_block(scheme, cfg, rng).items()}
    x, c = rng.standard_normal((7, 5)), rng.standard_normal((7, 3))
    base, target = rng.standard_normal((5, 5)), rng.standard_normal((7, 5))
    y, cache = at_scale.block_forward(scheme, p, x, c, base)
    grads = at_scale.block_backward(scheme, p, x, c, cache, (y - target) / y.size)
    for k, v in p.items():
        num = np.zeros_like(v)
        for idx in np.ndindex(v.shape):
            for sign in (1, -1):
                q = {kk: vv.copy() for kk, vv in p.items()}
                q[k][idx] += sign * 1e-6
                num[idx] += sign * _loss(scheme, q, x, c, base, target) / 2e-6
        np.testing.assert_allclose(grads[k], num, rtol=1e-6, atol=1e-10, err_msg=f"{scheme}: {k}")


def test_norm_scale_is_exact_with_the_scaled_rate():
    res = at_scale.norm_scale(at_scale.NormScaleConfig(steps=5), np.random.default_rng(0))
    for c in res.config.scales:
        np.testing.assert_allclose(res.loss_scaled_lr[c], res.loss_scaled_lr[1.0], rtol=1e-9)


@pytest.mark.parametrize("make, match", [
    (lambda: at_scale.StreamConfig(width=30, heads=4), "multiple of heads"),
    (lambda: at_scale.StreamConfig(depths=()), "depths"),
    (lambda: at_scale.StreamConfig(std=0.0), "std"),
    (lambda: at_scale.ZeroEndsConfig(lr=-1.0), "lr"),
    (lambda: at_scale.init_block("fixup", at_scale.ZeroEndsConfig(), np.random.default_rng(0)), "scheme"),
    (lambda: at_scale.NormScaleConfig(scales=(1.0, 0.0)), "scale"),
    (lambda: at_scale.DefaultsConfig(pi=1.5), "pi"),
])
def test_bad_input_is_refused_with_its_name(make, match):
    with pytest.raises(ValueError, match=match):
        make()

"""Signal propagation at initialization: the statistics the scale/Xavier/He pages rest on."""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.experiments.signal import INITS, SignalConfig, propagate


def run(**kw):
    return propagate(SignalConfig(**kw), np.random.default_rng(0))


def test_orthogonal_linear_network_preserves_the_norm_exactly():
    """Orthogonal W is an isometry: each sample's norm is unchanged at every layer (1e-9)."""
    res = run(init="orthogonal", activation="identity", depth=20, width=64, batch=32)
    # keep=2048 = batch * width, so the samples are every activation, one row per sample
    h = res.activation_samples.reshape(20, 32, 64)
    norms = np.linalg.norm(h, axis=2)
    np.testing.assert_allclose(norms, np.broadcast_to(norms[0], norms.shape), rtol=1e-9)
    g = res.gradient_samples.reshape(20, 32, 64)
    gnorms = np.linalg.norm(g, axis=2)
    np.testing.assert_allclose(gnorms, np.broadcast_to(gnorms[-1], gnorms.shape), rtol=1e-9)


def test_small_normal_init_makes_tanh_signal_vanish():
    """N(0, 0.01) in width 256: each layer multiplies the std by about 0.01 * sqrt(256) = 0.16."""
    res = run(init="normal", activation="tanh", depth=10, width=256, batch=256)
    ratios = res.activation_std[1:] / res.activation_std[:-1]
    np.testing.assert_allclose(ratios, 0.16, rtol=0.05)  # 65k samples per layer: <1% noise


def test_he_keeps_relu_second_moment_while_xavier_halves_it():
    """ReLU halves E[h^2]; He's Var = 2/n restores it, Xavier's 1/n (square) does not."""
    he = run(init="he_normal", activation="relu", depth=30, width=256, batch=256)
    xa = run(init="xavier_normal", activation="relu", depth=30, width=256, batch=256)
    rms = lambda r: np.sqrt(np.mean(r.activation_samples**2, axis=1))  # noqa: E731
    assert 0.5 < rms(he)[-1] / rms(he)[0] < 2.0
    # 29 layers of halving the second moment: rms ratio 2**(-29/2) ~ 4e-5, within a factor 3
    assert 2**-14.5 / 3 < rms(xa)[-1] / rms(xa)[0] < 2**-14.5 * 3


def test_same_seed_same_numbers():
    a, b = run(depth=3, width=16, batch=8), run(depth=3, width=16, batch=8)
    np.testing.assert_array_equal(a.activation_samples, b.activation_samples)


@pytest.mark.parametrize("bad, match", [
    ({"init": "glorot"}, "init must be one of .* got 'glorot'"),
    ({"activation": "softplus"}, "activation must be one of .* got 'softplus'"),
    ({"depth": 0}, "depth must be a positive integer, got 0"),
    ({"width": 2.5}, "width must be a positive integer, got 2.5"),
    ({"scale": -1.0}, "scale must be a finite number >= 0, got -1.0"),
])
def test_bad_config_is_rejected(bad, match):
    with pytest.raises(ValueError, match=match):
        SignalConfig(**bad)


def test_every_init_runs():
    for name in INITS:
        res = run(init=name, depth=2, width=8, batch=4)
        assert res.activation_std.shape == (2,)


def test_stack_depth_makes_a_shallow_network_the_start_of_a_deep_one():
    """Same seed and stack_depth: depth 4 repeats the first 4 layers of depth 9 exactly
    (the generator draws all 9 weights, then the inputs, whatever the depth)."""
    deep = run(depth=9, width=16, batch=8, keep=128, stack_depth=9)
    shallow = run(depth=4, width=16, batch=8, keep=128, stack_depth=9)
    np.testing.assert_array_equal(shallow.activation_std, deep.activation_std[:4])
    np.testing.assert_array_equal(shallow.activation_samples, deep.activation_samples[:4])
    # without it the inputs follow 4 weight draws instead of 9, so the layers differ
    plain = run(depth=4, width=16, batch=8, keep=128)
    assert not np.array_equal(plain.activation_std, deep.activation_std[:4])


def test_stack_depth_equal_to_depth_changes_nothing():
    a = run(depth=5, width=16, batch=8, stack_depth=5)
    b = run(depth=5, width=16, batch=8)
    np.testing.assert_array_equal(a.activation_samples, b.activation_samples)
    np.testing.assert_array_equal(a.gradient_samples, b.gradient_samples)


@pytest.mark.parametrize("stack, match", [
    (3, r"stack_depth must be an integer >= depth \(5\) or None, got 3"),
    (7.0, r"stack_depth must be an integer >= depth \(5\) or None, got 7.0"),
])
def test_bad_stack_depth_is_rejected(stack, match):
    with pytest.raises(ValueError, match=match):
        SignalConfig(depth=5, stack_depth=stack)

"""The frameworks' defaults and the correspondences stated on the "Choosing" page.

Expected values come from the formulas in the libraries' source (quoted in the module
docstring of `initnotes.experiments.frameworks`), not from the code under test. The page's
claims on its own runs are in ``tests/pages/test_choosing.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from initnotes import init as initializers
from initnotes.experiments import edge_of_chaos, frameworks, signal

FAN_IN, FAN_OUT = 256, 128
SHAPE = (FAN_OUT, FAN_IN)  # package / PyTorch layout


def keras_compute_fans(shape):
    """Keras' `compute_fans` (keras/src/initializers/random_initializers.py), rewritten here
    as the independent reference for Keras' layout: kernel (..., input_depth, depth)."""
    shape = tuple(shape)
    if len(shape) == 2:
        return shape[0], shape[1]
    rf = math.prod(shape[:-2])
    return shape[-2] * rf, shape[-1] * rf


def test_pytorch_layer_default_bound_is_one_over_sqrt_fan_in():
    """kaiming_uniform_(a=sqrt(5)): gain sqrt(2 / (1 + 5)) times sqrt(3 / fan_in) is
    exactly 1 / sqrt(fan_in); the package's he_uniform(a=sqrt(5)) respects the bound and,
    over 32,768 draws, comes within 1% of it (P(all below 0.99 b) = 0.99^32768 < 1e-140)."""
    g = initializers.gain("leaky_relu", math.sqrt(5.0))
    assert g * math.sqrt(3.0 / FAN_IN) == pytest.approx(1.0 / math.sqrt(FAN_IN), rel=1e-15)
    w = initializers.he_uniform(SHAPE, a=math.sqrt(5.0), rng=np.random.default_rng(0))
    b = 1.0 / math.sqrt(FAN_IN)
    assert np.abs(w).max() <= b
    assert np.abs(w).max() > 0.99 * b
    assert frameworks.default_bound("pytorch", FAN_IN, FAN_OUT) == pytest.approx(b, rel=1e-15)


def test_pytorch_default_bias_uses_the_same_bound():
    bias = frameworks.sample_bias("pytorch", SHAPE, np.random.default_rng(1))
    assert bias.shape == (FAN_OUT,)
    assert np.abs(bias).max() <= 1.0 / math.sqrt(FAN_IN)
    assert np.ptp(bias) > 1.0 / math.sqrt(FAN_IN)  # spread over the interval, not zeros


@pytest.mark.parametrize("key", ["keras", "flax"])
def test_keras_and_flax_biases_are_zero(key):
    np.testing.assert_array_equal(frameworks.sample_bias(key, SHAPE, np.random.default_rng(0)), 0.0)


def test_keras_default_is_glorot_uniform_with_limit_sqrt_6_over_fan_sum():
    limit = math.sqrt(6.0 / (FAN_IN + FAN_OUT))
    assert frameworks.default_bound("keras", FAN_IN, FAN_OUT) == pytest.approx(limit, rel=1e-15)
    w = frameworks.sample_weights("keras", SHAPE, np.random.default_rng(2))
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.99 * limit


def test_lecun_normal_is_truncated_with_variance_one_over_fan_in():
    """Flax/JAX lecun_normal: variance 1/fan_in (32,768 draws: the sample variance has a
    relative std of about 0.7%, tolerance 3%), every |w| below 2 sigma0 with
    sigma0 = sqrt(1/fan_in) / 0.8796, and some beyond 1.9 sigma0 (the cut is at 2)."""
    w = initializers.lecun_normal(SHAPE, rng=np.random.default_rng(3))
    assert w.var() == pytest.approx(1.0 / FAN_IN, rel=0.03)
    sigma0 = math.sqrt(1.0 / FAN_IN) / frameworks.TRUNCATED_NORMAL_STD
    assert np.abs(w).max() < 2 * sigma0
    assert np.abs(w).max() > 1.9 * sigma0


def test_truncation_constant_is_the_std_of_a_normal_truncated_at_two():
    """0.87962566103423978 = std of N(0, 1) conditioned on (-2, 2), by a fine trapezoid rule
    (independent of the constant in the code)."""
    x = np.linspace(-2, 2, 2_000_001)
    dens = np.exp(-x * x / 2)
    var = np.trapezoid(x * x * dens, x) / np.trapezoid(dens, x)
    assert math.sqrt(var) == pytest.approx(frameworks.TRUNCATED_NORMAL_STD, abs=1e-10)


def test_pytorch_normal_initializers_are_not_truncated():
    """kaiming_normal_/xavier_normal_ are plain normals: with 32,768 draws some exceed
    2.5 std (P(|z| > 2.5) = 1.2%, so ~400 are expected); Keras' he_normal never exceeds 2."""
    w = initializers.he_normal(SHAPE, nonlinearity="relu", rng=np.random.default_rng(4))
    std = math.sqrt(2.0 / FAN_IN)
    assert np.sum(np.abs(w) > 2.5 * std) > 100
    k = initializers.variance_scaling(SHAPE, scale=2.0, mode="fan_in",
                                      distribution="truncated_normal", rng=np.random.default_rng(4))
    assert np.abs(k).max() < 2 * std / frameworks.TRUNCATED_NORMAL_STD


@pytest.mark.parametrize("kernel_shape", [(256, 128), (3, 3, 16, 32), (5, 8, 4)])
def test_keras_layout_is_the_transposed_package_layout(kernel_shape):
    """A Keras/JAX kernel (*kernel, in, out) has the same fans as the package's
    (out, in, *kernel); `from_package_array` turns one layout into the other."""
    pkg = frameworks.to_package_shape(kernel_shape)
    assert initializers.fans(pkg) == keras_compute_fans(kernel_shape)
    w = np.arange(math.prod(pkg), dtype=float).reshape(pkg)
    k = frameworks.from_package_array(w)
    assert k.shape == tuple(kernel_shape)
    if len(kernel_shape) == 2:
        np.testing.assert_array_equal(k, w.T)


def test_sample_defaults_draws_weight_then_bias_in_defaults_order():
    """`sample_defaults` is `sample_weights` then `sample_bias` for each default, in turn,
    from one generator (so the example layer's numbers are reproducible)."""
    cfg = frameworks.LayerConfig(fan_in=8, fan_out=4)
    res = frameworks.sample_defaults(cfg, np.random.default_rng(5))
    rng = np.random.default_rng(5)
    for key in frameworks.DEFAULTS:
        np.testing.assert_array_equal(res.weights[key], frameworks.sample_weights(key, (4, 8), rng))
        np.testing.assert_array_equal(res.biases[key], frameworks.sample_bias(key, (4, 8), rng))


def test_propagate_defaults_is_signal_propagate_per_activation_and_default():
    """One `signal.propagate` per (activation, default), in that order, from one generator,
    with the initializer of `PROPAGATE_INITS`; `rms` is sqrt(std^2 + mean^2) per layer."""
    cfg = frameworks.PropagateConfig(depth=3, width=8, batch=4)
    res = frameworks.propagate_defaults(cfg, np.random.default_rng(6))
    assert list(res.runs) == [(a, k) for a in cfg.activations for k in frameworks.PROPAGATE_INITS]
    rng = np.random.default_rng(6)
    for (activation, key), run in res.runs.items():
        init, kwargs = frameworks.PROPAGATE_INITS[key]
        again = signal.propagate(signal.SignalConfig(init=init, activation=activation, depth=3,
                                                     width=8, batch=4, init_kwargs=kwargs, keep=1), rng)
        np.testing.assert_array_equal(run.activation_std, again.activation_std)
        h = res.rms(activation, key)
        np.testing.assert_allclose(h, np.sqrt(again.activation_std**2 + again.activation_mean**2))


def test_tanh_gain_one_is_critical_and_gain_five_thirds_chaotic():
    """Bias-free tanh: sigma_w^2 = 1 gives q* = 0 and chi_1 = tanh'(0)^2 = 1; the
    calculate_gain value 5/3 gives sigma_w^2 = 25/9, a positive q* and chi_1 > 1."""
    assert float(edge_of_chaos.q_star(1.0, 0.0)) == 0.0
    assert float(edge_of_chaos.chi_1(1.0, 0.0)) == pytest.approx(1.0, abs=1e-12)
    sw = initializers.gain("tanh") ** 2
    assert sw == pytest.approx(25 / 9)
    assert float(edge_of_chaos.q_star(sw, 0.0)) > 0.5
    assert float(edge_of_chaos.chi_1(sw, 0.0)) > 1.1


def test_bad_framework_and_shape():
    with pytest.raises(ValueError, match=r"framework must be one of \('pytorch', 'keras', 'flax'\), got 'mxnet'"):
        frameworks.default_std("mxnet", 4, 4)
    with pytest.raises(ValueError, match=r"a kernel needs at least 2 dimensions, got shape \(5,\)"):
        frameworks.to_package_shape((5,))

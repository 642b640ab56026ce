"""The one Gaussian quadrature and the mean-field maps of `initnotes.theory`.

Expected values come from closed forms or from an independent high-resolution rule
(Simpson's rule on 120,001 points per half-line, or a tensor trapezoid rule), never from
the code under test. Tolerances are stated per test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.polynomial.hermite import hermgauss
from numpy.polynomial.hermite_e import hermegauss

from initnotes import nn, theory
from initnotes.theory import bivariate_gaussian_expectation, gaussian_expectation

SQRT_2PI = math.sqrt(2 * math.pi)


def relu(z):
    return np.maximum(z, 0.0)


def step(z):
    return (z > 0).astype(float)


# --- references ---------------------------------------------------------------------------

_X = np.linspace(0.0, 12.0, 120_001)  # step 1e-4 in standard deviations; mass beyond 12 is 1e-33
_SIMPSON = np.ones_like(_X)
_SIMPSON[1:-1:2], _SIMPSON[2:-1:2] = 4.0, 2.0
_SIMPSON *= (_X[1] - _X[0]) / 3 * np.exp(-0.5 * _X * _X) / SQRT_2PI


def simpson_reference(f, std: float) -> float:
    """E[f(std * u)] by Simpson's rule on [-12, 0] and [0, 12] (120,001 points each).

    Each half sees one side of a kink at 0; its error is O(h^4 f'''') with h = 1e-4 in
    units of the integrand's own scale (1/std for tanh-like f): below 1e-13 here."""
    u = _X.copy()
    u[0] = 1e-300  # the one-sided limits at 0 (std * u must not underflow to 0)
    return float(np.sum(_SIMPSON * (f(std * u) + f(-std * u))))


def trapezoid_reference_2d(f, g, q: float, c: float) -> float:
    """E[f(u1) g(u2)] by the tensor trapezoid rule on [-12, 12]^2, 1201^2 points (smooth f, g
    only: with poles of tanh at least pi/4 from the real axis for q <= 4 and a step of 0.02,
    the rule is spectrally accurate, errors far below 1e-13)."""
    z = np.linspace(-12.0, 12.0, 1201)
    w = np.exp(-0.5 * z * z) / SQRT_2PI * (z[1] - z[0])
    u1 = math.sqrt(q) * z[:, None]
    u2 = math.sqrt(q) * (c * z[:, None] + math.sqrt(1 - c * c) * z[None, :])
    return float(np.sum(f(u1) * g(u2) * w[:, None] * w[None, :]))


# --- the one-dimensional rule ------------------------------------------------------------


def test_the_rule_is_split_at_zero_symmetric_and_sums_to_one():
    """No node sits at 0, nodes and weights are mirror images, and the weights sum to 1
    (the mass beyond 10 standard deviations, 1.5e-23, is below rounding)."""
    assert theory.NODES.size == 2 * theory.NODES_PER_PANEL * (len(theory.PANEL_EDGES) - 1)
    assert not np.any(theory.NODES == 0.0)
    np.testing.assert_array_equal(theory.NODES, -theory.NODES[::-1])
    np.testing.assert_array_equal(theory.WEIGHTS, theory.WEIGHTS[::-1])
    assert theory.WEIGHTS.sum() == pytest.approx(1.0, abs=1e-15)


Q_VALUES = [1e-4, 0.09, 1.0, 2.5, 16.0, 256.0]


@pytest.mark.parametrize("q", Q_VALUES)
@pytest.mark.parametrize("f, expected", [
    (lambda z: np.ones_like(z), lambda q: 1.0),
    (lambda z: z * z, lambda q: q),
    (lambda z: z**4, lambda q: 3 * q * q),
    (np.abs, lambda q: math.sqrt(2 * q / math.pi)),
    (relu, lambda q: math.sqrt(q / (2 * math.pi))),
    (lambda z: relu(z) ** 2, lambda q: q / 2),  # He et al.'s halving of the second moment
    (lambda z: relu(z) ** 3, lambda q: 2 * q**1.5 / SQRT_2PI),
    (step, lambda q: 0.5),  # a jump at 0, integrated exactly
    (lambda z: np.where(z > 0, z, 0.2 * z) ** 2, lambda q: (1 + 0.04) * q / 2),
    (np.tanh, lambda q: 0.0),
    (lambda z: 0.5 * (1 + np.tanh(0.5 * z)), lambda q: 0.5),  # the sigmoid, by symmetry
], ids=["one", "z^2", "z^4", "|z|", "relu", "relu^2", "relu^3", "step", "leaky^2", "tanh",
        "sigmoid"])
def test_closed_forms(f, expected, q):
    """Gaussian moments with closed forms, to 1e-12 relative (1e-14 absolute for zeros),
    for variances from 1e-4 to 256."""
    assert gaussian_expectation(f, q) == pytest.approx(expected(q), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("q", [0.5, 1.0, 4.0, 100.0])
def test_gelu_mean_by_steins_lemma(q):
    """E[z Phi(z)] = q E[phi(z)] = q / sqrt(2 pi (1 + q)) for z ~ N(0, q), to 1e-12."""
    gelu = nn.get_activation("gelu").forward
    assert gaussian_expectation(gelu, q) == pytest.approx(q / math.sqrt(2 * math.pi * (1 + q)), rel=1e-12)


def test_selu_keeps_mean_zero_and_variance_one():
    """Klambauer et al.'s constants are the fixed point E[selu(z)] = 0, E[selu(z)^2] = 1 for
    z ~ N(0, 1): to 1e-12."""
    f, _ = theory.activation_functions("selu")
    assert gaussian_expectation(f) == pytest.approx(0.0, abs=1e-12)
    assert gaussian_expectation(lambda z: f(z) ** 2) == pytest.approx(1.0, rel=1e-12)


def test_exponential_and_oscillating_integrands():
    """E[e^z] = e^{q/2} (fast growth) and E[cos z] = e^{-q/2} (oscillation), to 1e-13."""
    for q in (0.3, 2.0):
        assert gaussian_expectation(np.exp, q) == pytest.approx(math.exp(q / 2), rel=1e-13)
    for q in (0.3, 2.0, 16.0):
        assert gaussian_expectation(np.cos, q) == pytest.approx(math.exp(-q / 2), rel=1e-13, abs=1e-15)


ACTIVATION_NAMES = ["tanh", "sigmoid", "relu", "leaky_relu", "selu", "gelu", "gelu_tanh", "silu"]


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@pytest.mark.parametrize("std", [0.01, 0.3, 1.0, 1.7, 4.0, 16.0])
def test_activation_moments_match_a_high_resolution_reference(name, std):
    """E[phi(z)^2] and E[phi'(z)^2] for every activation of the table, z ~ N(0, std^2), against
    Simpson's rule on 240,002 points: to 1e-10 relative (measured: below 1e-13).

    std = 16 makes tanh'(z)^2 a spike 1/16 of a standard deviation wide, which the graded
    panels resolve; 201-node Gauss-Hermite is wrong in the first digit there."""
    phi, dphi = theory.activation_functions(name)
    for f in (lambda z: phi(z) ** 2, lambda z: dphi(z) ** 2):
        assert gaussian_expectation(f, std=std) == pytest.approx(simpson_reference(f, std), rel=1e-10)


@pytest.mark.parametrize("std, expected", [
    # E[tanh'(z)^2] for z ~ N(0, std^2), from Simpson's rule on 2,000,001 points per side,
    # which agrees with the 400,001-point rule above to 1e-16
    (0.5, 0.7173798616031101),
    (1.0, 0.4644029024482683),
    (2.0, 0.2559504432252089),
    (16.0, 0.0332242752607421),
])
def test_tanh_prime_squared_known_values(std, expected):
    """E[tanh'(z)^2] at four scales, to 1e-13 relative."""
    assert gaussian_expectation(lambda z: (1 - np.tanh(z) ** 2) ** 2, std=std) == pytest.approx(
        expected, rel=1e-13)


def test_agrees_with_gauss_hermite_where_that_is_accurate():
    """For tanh^2 at std <= 1, probabilists' Gauss-Hermite with 200 nodes (and the physicists'
    rule with rescaled nodes, the same integral) is accurate to 1e-12: agree to 1e-12."""
    xe, we = hermegauss(200)
    xp, wp = hermgauss(200)
    for s in (0.3, 0.7, 1.0):
        prob = float(np.sum(we * np.tanh(s * xe) ** 2) / SQRT_2PI)
        phys = float(np.sum(wp * np.tanh(math.sqrt(2) * s * xp) ** 2) / math.sqrt(math.pi))
        got = gaussian_expectation(lambda z: np.tanh(z) ** 2, std=s)
        assert got == pytest.approx(prob, abs=1e-12)
        assert got == pytest.approx(phys, abs=1e-12)


def test_matches_monte_carlo():
    """E[tanh'(1.3 u)^2] against 10^6 samples: Monte Carlo std < 5e-4, tolerance 3e-3."""
    z = np.random.default_rng(0).standard_normal(1_000_000)
    mc = np.mean((1 - np.tanh(1.3 * z) ** 2) ** 2)
    assert gaussian_expectation(lambda u: (1 - np.tanh(u) ** 2) ** 2, std=1.3) == pytest.approx(mc, abs=3e-3)


def test_q_and_std_and_arrays():
    """std = sqrt(q) gives the same number; an array of q gives an array of that shape, equal
    to the scalar calls to 1e-15; q = 0 gives f(0)."""
    f = lambda z: np.tanh(z) ** 2  # noqa: E731
    assert gaussian_expectation(f, 2.25) == pytest.approx(gaussian_expectation(f, std=1.5), rel=1e-15)
    qs = np.array([[0.1, 1.0], [2.0, 9.0]])
    out = gaussian_expectation(f, qs)
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[gaussian_expectation(f, q) for q in row] for row in qs], rtol=1e-15)
    assert gaussian_expectation(lambda z: np.cos(z), 0.0) == pytest.approx(1.0, abs=1e-15)
    assert isinstance(gaussian_expectation(f), float)
    assert gaussian_expectation(f) == gaussian_expectation(f, 1.0)


@pytest.mark.parametrize("kwargs, match", [
    ({"q": -1.0}, "q must be a finite variance >= 0, got -1.0"),
    ({"q": math.nan}, "q must be a finite variance >= 0, got nan"),
    ({"std": -0.5}, "std must be a finite number >= 0, got -0.5"),
    ({"std": math.inf}, "std must be a finite number >= 0, got inf"),
    ({"q": 1.0, "std": 1.0}, "give q .* or std, not both"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        gaussian_expectation(np.tanh, **kwargs)


# --- two correlated Gaussians ------------------------------------------------------------


C_VALUES = [-0.9, -0.3, 0.0, 0.5, 0.9, 0.999, 1.0]


@pytest.mark.parametrize("q", [0.25, 1.0, 4.0])
@pytest.mark.parametrize("c", C_VALUES)
def test_bivariate_closed_forms(q, c):
    """E[u1 u2] = q c; E[relu(u1) relu(u2)] = q (sqrt(1 - c^2) + (pi - arccos c) c) / (2 pi)
    (the arc-cosine kernel of Cho & Saul 2009); P(u1 > 0, u2 > 0) = (pi - arccos c) / (2 pi).
    All to 1e-12 relative (1e-14 absolute for zeros)."""
    a, s = math.acos(c), math.sqrt(1 - c * c)
    cases = [
        (lambda z: z, lambda z: z, q * c),
        (relu, relu, q * (s + (math.pi - a) * c) / (2 * math.pi)),
        (step, step, (math.pi - a) / (2 * math.pi)),
    ]
    for f, g, expected in cases:
        assert bivariate_gaussian_expectation(f, g, q, c) == pytest.approx(expected, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("q", [0.25, 1.0, 2.0, 4.0])
@pytest.mark.parametrize("c", [0.0, 0.3, 0.9, 0.999])
def test_bivariate_tanh_matches_a_fine_trapezoid_rule(q, c):
    """E[tanh(u1) tanh(u2)] and E[tanh'(u1) tanh'(u2)] against a 1201 x 1201 trapezoid rule:
    to 1e-12 absolute (measured: below 5e-13 for q <= 4)."""
    dtanh = lambda z: 1 - np.tanh(z) ** 2  # noqa: E731
    for f in (np.tanh, dtanh):
        assert bivariate_gaussian_expectation(f, f, q, c) == pytest.approx(
            trapezoid_reference_2d(f, f, q, c), abs=1e-12)


def test_bivariate_limits_and_shapes():
    """c = 1 reduces to E[f(u) g(u)], c = 0 to a product of two one-dimensional expectations;
    arrays broadcast; bad arguments are named."""
    f, g = np.tanh, lambda z: np.tanh(z) ** 2 + z
    for q in (0.5, 2.0):
        assert bivariate_gaussian_expectation(f, f, q, 1.0) == pytest.approx(
            gaussian_expectation(lambda z: f(z) ** 2, q), abs=1e-13)
        assert bivariate_gaussian_expectation(g, g, q, 0.0) == pytest.approx(
            gaussian_expectation(g, q) ** 2, abs=1e-13)
    out = bivariate_gaussian_expectation(f, f, np.array([0.5, 1.0, 2.0]), 0.5)
    assert out.shape == (3,)
    assert out[1] == pytest.approx(bivariate_gaussian_expectation(f, f, 1.0, 0.5), rel=1e-15)
    with pytest.raises(ValueError, match=r"c must be a correlation in \[-1, 1\], got 1.5"):
        bivariate_gaussian_expectation(f, f, 1.0, 1.5)
    with pytest.raises(ValueError, match="q must be a finite variance >= 0, got -1.0"):
        bivariate_gaussian_expectation(f, f, -1.0, 0.5)


# --- the maps ----------------------------------------------------------------------------


def test_activations_come_from_the_nn_table():
    """Names (and "linear"), or Activation objects, give nn's forward and derivative."""
    z = np.linspace(-3, 3, 13)
    for name in nn.ACTIVATIONS:
        phi, dphi = theory.activation_functions(name)
        act = nn.get_activation(name)
        np.testing.assert_array_equal(phi(z), act.forward(z))
        np.testing.assert_array_equal(dphi(z), act.derivative(z, act.forward(z)))
    phi, dphi = theory.activation_functions(nn.LeakyReLU(0.2))
    np.testing.assert_array_equal(phi(np.array([-1.0, 2.0])), [-0.2, 2.0])
    np.testing.assert_array_equal(theory.activation_functions("linear")[0](z), z)


def test_relu_maps_have_closed_forms():
    """ReLU halves the second moment: q_map(q) = sigma_w^2 q / 2 + sigma_b^2, chi_1 =
    sigma_w^2 / 2 at any q, the length map's slope sigma_w^2 / 2 (1e-12); He's sigma_w^2 = 2
    makes q a fixed point."""
    for q in (0.1, 1.0, 7.0):
        assert theory.q_map(q, 2.0, 0.0, "relu") == pytest.approx(q, rel=1e-12)
        assert theory.q_map(q, 1.5, 0.3, "relu") == pytest.approx(0.75 * q + 0.3, rel=1e-12)
        assert theory.chi_1(q, 2.0, "relu") == pytest.approx(1.0, rel=1e-12)
        assert theory.q_map_slope(q, 1.5, "relu") == pytest.approx(0.75, rel=1e-12)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "selu", "gelu", "silu", "relu"])
@pytest.mark.parametrize("q", [0.2, 1.0, 3.0])
def test_q_map_slope_is_the_derivative_of_q_map(name, q):
    """The integration-by-parts slope agrees with a central difference of q_map (step 1e-4,
    error O(1e-8)): to 1e-7."""
    h = 1e-4
    fd = (theory.q_map(q + h, 1.7, 0.1, name) - theory.q_map(q - h, 1.7, 0.1, name)) / (2 * h)
    assert theory.q_map_slope(q, 1.7, name) == pytest.approx(fd, rel=1e-7)


def test_tanh_slope_at_zero_is_the_limit():
    """For tanh, E[phi'^2 + phi phi''] -> 1 as q -> 0: the slope at q = 0 is sigma_w^2 (1e-11)."""
    assert theory.q_map_slope(0.0, 1.3) == pytest.approx(1.3, rel=1e-11)


@pytest.mark.parametrize("q", [0.1, 1.0, 2.5])
def test_correlation_map_at_one_and_its_slope(q):
    """c_map(1) = q_map(q) / q (1 at a fixed point), and chi_c(1) = chi_1: to 1e-12."""
    sw, sb = 1.8, 0.2
    assert theory.c_map(1.0, q, sw, sb) == pytest.approx(theory.q_map(q, sw, sb) / q, rel=1e-12)
    assert theory.chi_c(1.0, q, sw) == pytest.approx(theory.chi_1(q, sw), rel=1e-12)


def test_correlation_map_slope_by_finite_differences():
    """chi_c is the derivative of c_map with respect to c (times q / q): central difference
    with step 1e-5, to 1e-7."""
    q, sw, c, h = 1.3, 2.2, 0.6, 1e-5
    fd = (theory.c_map(c + h, q, sw, 0.1) - theory.c_map(c - h, q, sw, 0.1)) / (2 * h)
    assert theory.chi_c(c, q, sw) == pytest.approx(fd, rel=1e-7)


def test_linear_recursion_is_glorot_and_bengios_analysis():
    """With phi = identity: q_l = c^l Var(x), Var(dL/dz_l) = c^(L-l) (their eqs. 5 and 6), 1e-13."""
    c, depth = 0.7, 6
    rec = theory.variance_recursion(depth, c, activation="identity", input_variance=2.0)
    layers = np.arange(1, depth + 1)
    np.testing.assert_allclose(rec.preactivation_var, 2.0 * c**layers, rtol=1e-13)
    np.testing.assert_allclose(rec.activation_second_moment, rec.preactivation_var, rtol=1e-13)
    np.testing.assert_allclose(rec.preactivation_gradient_var, c ** (depth - layers), rtol=1e-13)
    np.testing.assert_allclose(rec.derivative_second_moment, 1.0, rtol=1e-13)


def test_recursion_iterates_the_length_map():
    """q_{l+1} = q_map(q_l) with biases, and the backward pass multiplies by chi_1(q_l)."""
    rec = theory.variance_recursion(5, 1.6, activation="tanh", sigma_b2=0.05,
                                    output_gradient_variance=3.0)
    q = rec.preactivation_var
    assert q[0] == pytest.approx(1.6 * 1.0 + 0.05, rel=1e-15)
    np.testing.assert_allclose(q[1:], theory.q_map(q[:-1], 1.6, 0.05), rtol=1e-14)
    gh = rec.activation_gradient_var
    assert gh[-1] == 3.0
    np.testing.assert_allclose(gh[:-1], theory.chi_1(q[1:], 1.6) * gh[1:], rtol=1e-14)
    np.testing.assert_allclose(rec.preactivation_gradient_var, gh * rec.derivative_second_moment, rtol=1e-15)


def test_recursion_rejects_bad_arguments():
    with pytest.raises(ValueError, match="depth must be a positive integer, got 0"):
        theory.variance_recursion(0, 1.0)
    with pytest.raises(ValueError, match="sigma_w2 must be a finite number > 0, got -1.0"):
        theory.variance_recursion(3, -1.0)
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        theory.q_map(1.0, 1.0, 0.0, "swish")

"""Mean-field theory of deep tanh networks: q*, chi_1, the critical line, depth scales."""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.experiments import edge_of_chaos as eoc


@pytest.mark.parametrize("sw, sb", [(0.8, 0.1), (1.5, 0.05), (2.5, 0.3), (4.0, 0.0)])
def test_q_star_is_a_fixed_point(sw, sb):
    q = eoc.q_star(sw, sb)
    assert q > 0
    assert eoc.length_map(q, sw, sb) == pytest.approx(q, abs=1e-12)


def test_q_star_is_zero_without_bias_up_to_sigma_w2_one():
    np.testing.assert_array_equal(eoc.q_star(np.array([0.5, 1.0]), 0.0), 0.0)
    assert eoc.q_star(1.2, 0.0) > 0.01


@pytest.mark.parametrize("sw, sb", [(1.5, 0.05), (2.5, 0.1), (1.0, 0.3)])
def test_q_star_matches_a_simulated_wide_network(sw, sb):
    """Width 500, 200 inputs, mean of q over layers 10-39 of a random net: within 3% of q*.

    Measured deviations are 0.5-2% (finite width); layers are averaged to reduce noise."""
    sim = eoc.simulate_q(sw, sb, width=500, depth=40, batch=200, rng=np.random.default_rng(0))
    assert sim[10:].mean() == pytest.approx(float(eoc.q_star(sw, sb)), rel=0.03)


def test_chi1_is_one_on_the_computed_critical_line():
    """chi_1 = 1 to 1e-6 at every point of the critical line of the phase diagram."""
    res = eoc.phase_diagram(eoc.PhaseConfig(n_w=10, n_b=5, n_line=21))
    np.testing.assert_allclose(eoc.chi_1(res.line_sigma_w2, res.line_sigma_b2), 1.0, atol=1e-6)


def test_critical_line_starts_at_sigma_w2_one():
    """sigma_b^2 = 0: q* = 0 and chi_1 = sigma_w^2 tanh'(0)^2 = sigma_w^2, so the edge is at 1."""
    assert float(eoc.critical_sigma_w2(0.0)) == pytest.approx(1.0, abs=1e-9)


def test_chi1_grows_with_sigma_w2_and_separates_the_phases():
    """On the grid chi_1 increases along sigma_w^2 (what the bisection for the line relies
    on), and points left of the line are ordered, right of it chaotic."""
    res = eoc.phase_diagram(eoc.PhaseConfig(n_w=40, n_b=8, n_line=8))
    assert np.all(np.diff(res.chi1, axis=1) > 0)
    crit = eoc.critical_sigma_w2(res.sigma_b2)
    left = res.sigma_w2[None, :] < crit[:, None]
    assert np.all((res.chi1 < 1) == left)


@pytest.mark.parametrize("q", [1 / 64, 0.25, 1.0, 4.0])
def test_critical_point_from_q_has_that_fixed_point_and_chi_one(q):
    sw, sb = eoc.critical_point(q)
    assert float(eoc.q_star(sw, sb)) == pytest.approx(q, rel=1e-8)
    assert float(eoc.chi_1(sw, sb)) == pytest.approx(1.0, abs=1e-10)


def test_correlation_depth_scale_diverges_at_the_edge_length_scale_does_not():
    """Along sigma_b^2 = 0.05: xi_c peaks next to the critical sigma_w^2 and is there over
    10x its value at both ends; xi_q stays below 5 layers everywhere."""
    res = eoc.depth_scale_curve()
    i = int(np.argmax(res.xi_c))
    assert abs(res.sigma_w2[i] - res.critical_sigma_w2) < 2 * np.diff(res.sigma_w2)[0]
    assert res.xi_c[i] > 10 * max(res.xi_c[0], res.xi_c[-1])
    assert np.all(res.xi_q < 5)


def test_c_star_is_one_when_ordered_and_a_fixed_point_below_one_when_chaotic():
    assert float(eoc.c_star(1.2, 0.05)) == 1.0
    sw, sb = 3.0, 0.05
    c = float(eoc.c_star(sw, sb))
    assert 0 < c < 1
    assert float(eoc.correlation_map(c, sw, sb)) == pytest.approx(c, abs=1e-8)


def test_correlation_map_matches_monte_carlo():
    """(sigma_w^2 E[tanh(u1) tanh(u2)] + sigma_b^2) / q* against 10^6 correlated Gaussian
    pairs at (3.0, 0.05), c = 0.5: Monte Carlo std ~ 1e-3, tolerance 5e-3."""
    sw, sb, c = 3.0, 0.05, 0.5
    q = float(eoc.q_star(sw, sb))
    rng = np.random.default_rng(0)
    z1, z2 = rng.standard_normal((2, 1_000_000))
    u1 = np.sqrt(q) * z1
    u2 = np.sqrt(q) * (c * z1 + np.sqrt(1 - c * c) * z2)
    mc = (sw * np.mean(np.tanh(u1) * np.tanh(u2)) + sb) / q
    assert float(eoc.correlation_map(c, sw, sb)) == pytest.approx(mc, abs=5e-3)


@pytest.mark.parametrize("call, match", [
    (lambda: eoc.q_star(-1.0, 0.1), "sigma_w2 must be finite and > 0"),
    (lambda: eoc.chi_1(1.0, -0.1), "sigma_b2 must be finite and >= 0"),
    (lambda: eoc.critical_sigma_w2(11.0), r"sigma_b2 must be in \[0, 10\], got 11.0"),
    (lambda: eoc.critical_point(0.0), "q must be a finite number > 0, got 0.0"),
    (lambda: eoc.PhaseConfig(n_w=1), "n_w must be an integer >= 2, got 1"),
    (lambda: eoc.simulate_q(1.0, 0.1, width=0, depth=2, batch=2, rng=np.random.default_rng(0)),
     "width must be a positive integer, got 0"),
])
def test_bad_input_is_rejected(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("q", [0.05, 0.5, 2.0])
def test_parametrized_line_agrees_with_bisection_in_sigma_w2(q):
    """Two independent routes to the critical line: the explicit q*-parametrization and
    bisection on chi_1(sigma_w^2) = 1 at fixed sigma_b^2 agree to 1e-6."""
    sw, sb = eoc.critical_line(q)
    assert float(eoc.critical_sigma_w2(sb)) == pytest.approx(float(sw), rel=1e-6)

"""Residual stacks: growth of the stream without scaling, bounded with 1/sqrt(L), flat with zero init."""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.experiments import residual
from initnotes.pages import beyond as page


@pytest.fixture(scope="module")
def res():
    """The page's run (config and seed declared in `initnotes.pages.beyond`), memoised."""
    return page.RESIDUAL.result()


def test_unscaled_branches_double_the_stream_every_block(res):
    """No normalization, alpha = 1: E[q_l] = 2^l q_0. The measured growth rate, the slope of
    log2 q against the block, is in [0.9, 1.02] (the typical value of a product of random
    factors sits a little below its mean; measured 0.97-0.99 over seeds 0-2)."""
    q = res.measured[("unscaled", False)]
    slope = np.polyfit(np.arange(q.size), np.log2(q), 1)[0]
    assert 0.9 <= slope <= 1.02


def test_scaled_branches_stay_below_e(res):
    """alpha = 1/sqrt(L): q_L = (1 + 1/L)^L q_0 < e q_0; measured within 10% of the
    expectation at every block (per-block noise ~2%, see the module docstring)."""
    for prenorm in (False, True):
        q = res.measured[("scaled", prenorm)]
        np.testing.assert_allclose(q, res.expected[("scaled", prenorm)], rtol=0.1)
    assert res.measured[("scaled", False)].max() < np.e * res.measured[("scaled", False)][0]


def test_zero_initialized_last_layer_keeps_the_stream_exactly(res):
    for prenorm in (False, True):
        q = res.measured[("zero", prenorm)]
        np.testing.assert_array_equal(q, q[0])


def test_prenorm_growth_is_linear(res):
    """Pre-norm, alpha = 1: q_l = q_0 + l in expectation; measured within 25% at every block
    (measured deviations up to 15% over seeds 0-2)."""
    q = res.measured[("unscaled", True)]
    np.testing.assert_allclose(q, res.expected[("unscaled", True)], rtol=0.25)


def test_theory_formulas():
    np.testing.assert_allclose(residual.theory("unscaled", 3, 1.0, prenorm=False), [1, 2, 4, 8])
    np.testing.assert_allclose(residual.theory("scaled", 4, 1.0, prenorm=True), [1, 1.25, 1.5, 1.75, 2])
    np.testing.assert_allclose(residual.theory("zero", 2, 3.0, prenorm=False), [3, 3, 3])


def test_branch_output_is_uncorrelated_with_its_input():
    """The cross term E[h f(h)] that the recursion drops is zero on average: over many
    random branches the mean of h . f / |h|^2 is within 4 standard errors of 0."""
    rng = np.random.default_rng(0)
    n = 64
    h = rng.standard_normal((1, n))
    vals = []
    for _ in range(400):
        W1 = rng.standard_normal((n, n)) * np.sqrt(2 / n)
        W2 = rng.standard_normal((n, n)) * np.sqrt(1 / n)
        f = np.maximum(h @ W1.T, 0) @ W2.T
        vals.append((h @ f.T).item() / (h @ h.T).item())
    vals = np.array(vals)
    assert abs(vals.mean()) < 4 * vals.std() / np.sqrt(vals.size)


@pytest.mark.parametrize("kwargs, match", [
    ({"depth": 0}, "depth must be a positive integer, got 0"),
    ({"schemes": ("fixup",)}, "schemes must be among .* got 'fixup'"),
])
def test_bad_config(kwargs, match):
    with pytest.raises(ValueError, match=match):
        residual.ResidualConfig(**kwargs)


def test_bad_scheme():
    with pytest.raises(ValueError, match="scheme must be one of .* got 'half'"):
        residual.branch_scale("half", 10)

"""The claims of the symmetry page, pinned.

Expected numbers here are worked out by hand from the definitions (z = W x, h = tanh z,
y = v h, L = (y - 1)^2 / 2), not taken from the code under test.
"""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.experiments import symmetry


def test_random_start_preactivations_are_the_hand_computed_ones():
    """W = [[0.5, -0.3], [0.2, 0.4]], x = (1, 2): z1 = 0.5 - 0.6 = -0.1, z2 = 0.2 + 0.8 = 1.0."""
    ex = symmetry.worked_example(*symmetry.STARTS["random"])
    np.testing.assert_allclose(ex.z, [-0.1, 1.0], atol=1e-12)
    np.testing.assert_allclose(ex.h, np.tanh([-0.1, 1.0]), atol=1e-12)


def test_random_start_gradient_matches_the_chain_rule_by_hand():
    """dL/dW_ij = (y - 1) v_i (1 - tanh(z_i)^2) x_j, with v = (0.3, -0.6)."""
    W, v = symmetry.STARTS["random"]
    ex = symmetry.worked_example(W, v)
    z = np.array([-0.1, 1.0])
    y = 0.3 * np.tanh(z[0]) - 0.6 * np.tanh(z[1])
    delta = (y - 1.0) * np.array([0.3, -0.6]) * (1 - np.tanh(z) ** 2)
    np.testing.assert_allclose(ex.dW, np.outer(delta, [1.0, 2.0]), rtol=1e-12)
    assert not np.allclose(ex.dW[0], ex.dW[1])


def test_zero_start_hidden_gradient_is_exactly_zero():
    """Every layer at zero: the hidden layer's gradient and the output weights' are exactly 0."""
    ex = symmetry.worked_example(*symmetry.STARTS["zero"])
    assert np.array_equal(ex.dW, np.zeros((2, 2)))
    assert np.array_equal(ex.dv, np.zeros((1, 2)))


def test_zero_hidden_constant_output_rows_move_but_stay_equal():
    """W = 0, v = (0.5, 0.5): dL/dW_ij = (0 - 1) * 0.5 * 1 * x_j, equal rows (-0.5, -1)."""
    ex = symmetry.worked_example(*symmetry.STARTS["zero hidden, constant output"])
    np.testing.assert_allclose(ex.dW, [[-0.5, -1.0], [-0.5, -1.0]], rtol=1e-12)


@pytest.mark.parametrize("start", list(symmetry.STARTS))
def test_gradients_within_a_row_differ_by_the_input_ratio(start):
    """With x = (1, 2) a unit's gradient from input 2 is twice that from input 1, any start."""
    ex = symmetry.worked_example(*symmetry.STARTS[start])
    np.testing.assert_allclose(ex.dW[:, 1], 2.0 * ex.dW[:, 0], rtol=1e-12, atol=0)


@pytest.fixture(scope="module")
def trained():
    return symmetry.train_from_starts(symmetry.SymmetryConfig(), np.random.default_rng(0))


def test_zero_start_hidden_layer_never_moves(trained):
    run = trained.runs["zero"]
    assert np.array_equal(run.W, np.zeros_like(run.W))
    assert np.array_equal(run.v, np.zeros_like(run.v))


def test_constant_start_units_stay_exactly_equal_while_moving(trained):
    run = trained.runs["constant"]
    assert run.max_row_difference.max() == 0.0
    assert np.abs(run.W[-1] - run.W[0]).max() > 0.1


def test_random_start_units_diverge_and_fit_better(trained):
    run = trained.runs["random"]
    assert run.max_row_difference[-1] > 0.5
    assert run.loss[-1] < 0.5 * trained.runs["constant"].loss[-1]


def test_unknown_start_is_rejected():
    with pytest.raises(ValueError, match="start must be one of .* got 'ones'"):
        symmetry.train_from_starts(symmetry.SymmetryConfig(starts=("ones",)), np.random.default_rng(0))

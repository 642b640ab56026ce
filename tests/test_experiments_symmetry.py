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


# ---------------------------------------------------------------------------
# The wider 2-8-8-1 network: equal units, rank 1
# ---------------------------------------------------------------------------


def test_max_pairwise_difference_by_hand():
    """Rows [1, 2], [1, 3], [0, 2]: column ranges 1 and 1, so 1; equal rows give exactly 0."""
    assert symmetry.max_pairwise_difference(np.array([[1.0, 2.0], [1.0, 3.0], [0.0, 2.0]])) == 1.0
    assert symmetry.max_pairwise_difference(np.array([[0.3, -2.0]] * 5)) == 0.0
    with pytest.raises(ValueError, match=r"W must be 2-D .* got shape \(3,\)"):
        symmetry.max_pairwise_difference(np.zeros(3))


def test_numerical_rank_by_hand():
    """0 for the zero matrix, 1 for equal rows (an outer product), 8 for the identity."""
    assert symmetry.numerical_rank(np.zeros((8, 8))) == 0
    assert symmetry.numerical_rank(np.full((8, 8), 0.3)) == 1
    assert symmetry.numerical_rank(np.outer(np.ones(8), np.linspace(-1, 2, 8))) == 1
    assert symmetry.numerical_rank(np.eye(8)) == 8


@pytest.fixture(scope="module")
def wide():
    return symmetry.train_wide(symmetry.WideSymmetryConfig(), np.random.default_rng(0))


def test_wide_zero_start_stays_exactly_zero_with_rank_0(wide):
    run = wide.runs["zero"]
    for W in run.weights:
        assert np.array_equal(W, np.zeros_like(W))
    assert np.all(run.max_difference == 0.0)
    assert np.all(run.rank == 0)


def test_wide_constant_start_units_stay_exactly_equal_with_rank_1(wide):
    """The theorem on the page: difference exactly 0 and rank exactly 1 at all 501 steps."""
    run = wide.runs["constant"]
    assert run.max_difference.shape == (wide.config.steps + 1, 2)
    assert np.all(run.max_difference == 0.0)
    assert np.all(run.rank == 1)
    for b in run.biases[:2]:
        assert np.all(b == b[0])
    # ... while the weights did move (layer 1 most: 0.3 -> (0.36, -0.15)) and the loss fell
    assert np.abs(run.weights[0] - wide.config.constant).max() > 0.1
    assert np.abs(run.weights[1] - wide.config.constant).max() > 1e-3
    assert run.loss[-1] < 0.05 * run.loss[0]


def test_wide_constant_network_equals_a_one_unit_per_layer_network(wide):
    """Collapse by hand: row 0 of W1 and b1[0]; W2'= sum of row 0 of W2, b2[0]; W3' = sum of W3."""
    run = wide.runs["constant"]
    W1, W2, W3 = run.weights
    b1, b2, b3 = run.biases
    x = np.random.default_rng(1).uniform(-1, 1, size=(50, 2))
    h1 = np.tanh(x @ W1[0] + b1[0])  # the one unit of layer 1
    h2 = np.tanh(W2[0].sum() * h1 + b2[0])  # the one unit of layer 2
    y_small = W3[0].sum() * h2 + b3[0]
    from initnotes import nn

    net = nn.MLP.from_weights(list(run.weights), list(run.biases), activation="tanh")
    np.testing.assert_allclose(net.forward(x)[:, 0], y_small, rtol=0, atol=1e-12)


def test_wide_nearly_constant_noise_does_not_grow_and_learns_the_same_function(wide):
    run, const = wide.runs["nearly constant"], wide.runs["constant"]
    start, end = run.max_difference[0, 1], run.max_difference[-1, 1]
    # range of 8 N(0, 1e-8) draws per column, max over 8 columns: a few times 1e-4
    assert 1e-4 < start < 1e-3
    assert end < 1.5 * start  # "the noise did not grow"
    assert np.all(run.rank[:, 1] == 8)  # numerically full rank ...
    s = np.linalg.svd(run.weights[1], compute_uv=False)
    assert s[1] / s[0] < 1e-3  # ... but one direction dominates by more than 1000x
    np.testing.assert_allclose(run.loss[-1], const.loss[-1], rtol=1e-4)


def test_wide_random_start_units_differ_with_full_rank_and_fit_better(wide):
    run = wide.runs["random"]
    assert np.all(run.max_difference > 1.0)
    assert np.all(run.rank[:, 0] == 2) and np.all(run.rank[:, 1] == 8)
    assert run.loss[-1] < 0.2 * wide.runs["constant"].loss[-1]


def test_wide_unknown_start_is_rejected():
    cfg = symmetry.WideSymmetryConfig(starts=("ones",))
    with pytest.raises(ValueError, match="start must be one of .* got 'ones'"):
        symmetry.train_wide(cfg, np.random.default_rng(0))


# --------------------------------------------------------------------------- batched long runs

def test_train_tanh_copies_matches_nn_train_for_each_copy():
    """Two copies trained at once give the losses and weights of `nn.train` on each (to 1e-12)."""
    from initnotes import nn

    rng = np.random.default_rng(3)
    x, y = symmetry.regression_task(16, rng)
    starts = [[0.5 * rng.standard_normal(s) for s in ((4, 2), (3, 4), (1, 3))] for _ in range(2)]
    weights = [np.stack([st[k] for st in starts]) for k in range(3)]
    loss, diff = symmetry.train_tanh_copies(weights, x, y, lr=0.1, steps=20, record_every=5)
    assert loss.shape == (2, 5) and diff.shape == (2, 5, 2)
    for r, st in enumerate(starts):
        net = nn.MLP.from_weights([W.copy() for W in st], activation="tanh", output_activation="identity")
        history = nn.train(net, x, y, loss="mse", lr=0.1, steps=20)
        np.testing.assert_allclose(loss[r, :-1], np.asarray(history.loss)[::5], rtol=1e-12)
        out = net.forward(x)
        np.testing.assert_allclose(loss[r, -1], nn.mse(out, y)[0], rtol=1e-12)
        assert diff[r, -1, 1] == pytest.approx(symmetry.max_pairwise_difference(net.weights[1]), rel=1e-12)


@pytest.mark.parametrize("kwargs, match", [
    (dict(steps=0), "steps"), (dict(record_every=0), "record_every"),
    (dict(steps=10, record_every=3), "multiple"), (dict(lr=-1.0), "lr"),
])
def test_train_tanh_copies_rejects_bad_arguments(kwargs, match):
    args = dict(lr=0.1, steps=10, record_every=5) | kwargs
    W = [np.zeros((1, 2, 2)), np.zeros((1, 1, 2))]
    with pytest.raises(ValueError, match=match):
        symmetry.train_tanh_copies(W, np.zeros((4, 2)), np.zeros((4, 1)), **args)


def test_escape_needs_a_seed():
    with pytest.raises(ValueError, match="seeds"):
        symmetry.escape_plateau(symmetry.EscapeConfig(seeds=()))


def test_a_smaller_perturbation_stays_longer_on_the_plateau():
    """One noise pattern scaled to 1e-2, 1e-3, 1e-4 on the constant 0.3 start: each tenfold
    smaller noise leaves the plateau (loss below half the constant start's) later, by a
    similar number of steps, as exponential growth from the noise predicts (about 1 s)."""
    cfg = symmetry.WideSymmetryConfig()
    x, y = symmetry.regression_task(cfg.n_points, np.random.default_rng(0))
    noise = [np.random.default_rng(0).standard_normal(s) for s in ((8, 2), (8, 8), (1, 8))]
    weights = [np.stack([cfg.constant + e * n for e in (0.0, 1e-2, 1e-3, 1e-4)]) for n in noise]
    loss, _ = symmetry.train_tanh_copies(weights, x, y, lr=cfg.lr, steps=10_000, record_every=100)
    below = loss[1:] < 0.5 * loss[0]
    assert below.any(axis=1).all()
    escape = 100 * np.argmax(below, axis=1)
    assert escape[0] < escape[1] < escape[2]
    gaps = np.diff(escape)
    assert 0.7 < gaps[1] / gaps[0] < 1.4

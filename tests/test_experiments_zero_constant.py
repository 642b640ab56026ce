"""The claims of the page on zero and constant initialization, pinned.

Expected values come from the backward-pass algebra on the page (which gradients are
exactly zero, which update first moves each layer), from the geometry of a one-unit
network (a straight-line boundary), and from hand-made examples; none is copied from the
code under test. One training run serves most tests: the page's own run (about 1.5 s,
memoised), so these claims are pinned on the very networks the page shows.
"""

from __future__ import annotations

import numpy as np
import pytest

from initnotes import data, nn
from initnotes.experiments import zero_constant as zc
from initnotes.experiments.symmetry import max_pairwise_difference
from initnotes.pages import zero_constant as page


@pytest.fixture(scope="module")
def res():
    return page.SPIRALS.result()


def test_zero_start_first_layer_gradient_is_exactly_zero_and_nothing_moves(res):
    run = res.runs["zero"]
    for dW, db in run.first_gradients:
        assert np.array_equal(dW, np.zeros_like(dW))
    for W in run.weights:
        assert np.array_equal(W, np.zeros_like(W))
    assert run.first_move == (None, None, None)
    # the output bias gets mean(sigmoid(0)) - mean(t) = 1/2 - 1/2: zero up to round-off
    assert abs(run.biases[-1][0]) < 1e-14
    assert run.final_loss == pytest.approx(np.log(2.0), abs=1e-12)
    assert run.final_accuracy == 0.5  # one class everywhere, classes balanced


def test_zero_weights_with_biases_moves_top_down_and_stays_symmetric(res):
    """W3 at update 0, W2 at 1, W1 at 2 (each waits for the layer above to leave 0)."""
    run = res.runs["zero weights, bias"]
    dW1, dW2, dW3 = (g[0] for g in run.first_gradients)
    assert np.array_equal(dW1, np.zeros_like(dW1)) and np.array_equal(dW2, np.zeros_like(dW2))
    assert np.all(dW3 == dW3[0, 0]) and dW3[0, 0] != 0  # equal, non-zero entries
    assert run.first_move == (2, 1, 0)
    for W, b in zip(run.weights[:-1], run.biases[:-1]):
        assert max_pairwise_difference(W) == 0.0 and np.all(b == b[0])
    # the output bias removes the mean error "within a few dozen steps": the loss gap to
    # ln 2 falls a thousandfold in 30 steps
    gap = run.loss - np.log(2.0)
    assert abs(gap[30]) < 1e-3 * gap[0]
    # on the ln 2 plateau: loss within 1e-5 of ln 2, first layer moved by < 1e-2
    assert abs(run.final_loss - np.log(2.0)) < 1e-5
    assert np.abs(run.weights[0]).max() < 1e-2


def test_constant_start_units_stay_equal_and_boundary_is_a_line(res):
    run = res.runs["constant"]
    assert run.first_move == (0, 0, 0)
    for W, b in zip(run.weights[:-1], run.biases[:-1]):
        assert max_pairwise_difference(W) == 0.0 and np.all(b == b[0])
    # one unit per layer decides by a threshold on s = w . x: no better than the best
    # threshold along its own w, nor (up to the angle grid) than the best line
    w = run.weights[0][0]
    assert run.final_accuracy <= zc.best_threshold_accuracy(res.x @ w, res.y)
    assert run.final_accuracy <= zc.best_linear_accuracy(res.x, res.y) + 0.01
    assert run.final_accuracy < 0.75


def test_constant_network_output_is_monotone_in_one_projection(res):
    """Sorted by w . x, the grid's predicted class changes at most once: a half-plane."""
    run = res.runs["constant"]
    w = run.weights[0][0]
    a = res.grid_axis
    gx, gy = np.meshgrid(a, a)
    s = (np.column_stack([gx.ravel(), gy.ravel()]) @ w)
    positive = (run.grid_logits.ravel() > 0)[np.argsort(s, kind="stable")]
    assert np.count_nonzero(positive[1:] != positive[:-1]) <= 1


def test_zero_last_layer_is_fine(res):
    """Step 0: only W3 has a gradient, with different entries; update 1 moves W1 and W2."""
    run = res.runs["zero last layer"]
    dW1, dW2, dW3 = (g[0] for g in run.first_gradients)
    assert np.array_equal(dW1, np.zeros_like(dW1)) and np.array_equal(dW2, np.zeros_like(dW2))
    assert np.ptp(dW3) > 1e-3  # different entries: the random hidden units differ
    assert run.first_move == (1, 1, 0)
    assert run.final_accuracy >= 0.95


def test_random_start_trains(res):
    run = res.runs["random"]
    assert run.first_move == (0, 0, 0)
    assert run.final_accuracy >= 0.95
    assert run.final_loss < 0.2


def test_zero_last_layer_shares_the_random_hidden_layers(res):
    a, b = res.runs["zero last layer"], res.runs["random"]
    for Wa, Wb in zip(a.initial_weights[:-1], b.initial_weights[:-1]):
        assert np.array_equal(Wa, Wb)
    assert np.array_equal(a.initial_weights[-1], np.zeros_like(a.initial_weights[-1]))


# -- the exercises -----------------------------------------------------------------------

def _spirals():
    return data.two_spirals(200, noise=0.05, turns=1.0, rng=np.random.default_rng(0))


def _zeros(shape, rng=None):
    return np.zeros(shape)


def test_exercise_relu_zero_start_does_not_move():
    x, y = _spirals()
    net = nn.MLP([2, 16, 16, 1], activation="relu", weight_init=_zeros, bias_init=_zeros,
                 rng=np.random.default_rng(0))
    nn.train(net, x, y, loss="bce", lr=0.4, steps=50)
    for W in net.weights:
        assert np.array_equal(W, np.zeros_like(W))


def test_exercise_sigmoid_zero_start_moves_only_by_round_off():
    x, y = _spirals()
    net = nn.MLP([2, 16, 16, 1], activation="sigmoid", weight_init=_zeros, bias_init=_zeros,
                 rng=np.random.default_rng(0))
    nn.train(net, x, y, loss="bce", lr=0.4, steps=50)
    assert max(np.abs(W).max() for W in net.weights) < 1e-15


def test_exercise_linear_network_zero_weights_with_biases_moves_top_down():
    x, y = _spirals()
    net = nn.MLP([2, 16, 16, 1], activation="identity", weight_init=_zeros,
                 bias_init=lambda s, rng=None: np.full(s, 0.1), rng=np.random.default_rng(0))
    first = [None] * 3

    def watch(step, net):
        for k in range(3):
            if first[k] is None and np.any(net.layers[k].W != 0):
                first[k] = step

    nn.train(net, x, y, loss="bce", lr=0.4, steps=5, callback=watch)
    assert first == [2, 1, 0]


def test_exercise_xor_best_line_is_three_blobs_of_four():
    x, y = data.xor(200, noise=0.1, rng=np.random.default_rng(0))
    assert zc.best_linear_accuracy(x, y) == pytest.approx(0.75, abs=0.02)


# -- helpers -------------------------------------------------------------------------------

def test_best_threshold_accuracy_by_hand():
    """Sorted projections with labels 0 0 1 0 1 1: best cut after the first two or after
    the fourth, 5 of 6 right; a reversed labelling is handled by the "<" rule."""
    p = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    assert zc.best_threshold_accuracy(p, np.array([0, 0, 1, 0, 1, 1])) == pytest.approx(5 / 6)
    assert zc.best_threshold_accuracy(p, np.array([1, 1, 1, 0, 0, 0])) == 1.0
    # ties cannot be split: equal projections with different labels cost one point
    assert zc.best_threshold_accuracy(np.array([0.0, 0.0, 1.0]), np.array([0, 1, 1])) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="projection and y must be 1-D of equal length"):
        zc.best_threshold_accuracy(np.zeros(3), np.zeros(4))


def test_best_linear_accuracy_separable_blobs_is_one():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-2, 0.1, (20, 2)), rng.normal(2, 0.1, (20, 2))])
    y = np.repeat([0, 1], 20)
    assert zc.best_linear_accuracy(x, y) == 1.0


def test_unknown_case_is_rejected():
    with pytest.raises(ValueError, match="case must be one of .* got 'ones'"):
        zc.ZeroConstantConfig(cases=("ones",))

"""The batched trainer: each copy trains exactly as `initnotes.nn` would train it alone.

References are independent of the code under test: `initnotes.nn.train` for SGD, the
textbook momentum and Adam updates written out on an `initnotes.nn.MLP`, and central
differences of the loss for the gradients. All arithmetic is float64 unless stated.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from initnotes import nn, trainer
from initnotes.trainer import train_many


def _problem(seed=1, sizes=(5, 7, 6, 2), n=20):
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((sizes[k + 1], sizes[k])) * 0.5 for k in range(len(sizes) - 1)]
    bs = [rng.standard_normal(sizes[k + 1]) * 0.1 for k in range(len(sizes) - 1)]
    x = rng.standard_normal((n, sizes[0]))
    y = rng.standard_normal((n, sizes[-1]))
    return Ws, bs, x, y


def _stack(arrays, copies):
    return [np.stack([a] * copies) for a in arrays]


def _net(Ws, bs):
    return nn.MLP.from_weights(Ws, bs, activation="relu", output_activation="identity")


def test_one_copy_with_sgd_is_nn_train():
    """A single copy trained with SGD on minibatches of 8 for 25 steps ends with the weights
    `nn.train` reaches from the same start, data and generator (both draw each minibatch with
    ``rng.choice(n, size=batch, replace=False)``): to 1e-12 relative (measured: bitwise equal)."""
    Ws, bs, x, y = _problem()
    run = train_many([W[None] for W in Ws], [b[None] for b in bs], x, y, lrs=np.array([0.05]),
                     steps=25, batch=8, rng=np.random.default_rng(3))
    net = _net(Ws, bs)
    nn.train(net, x, y, loss="mse", lr=0.05, steps=25, batch_size=8, rng=np.random.default_rng(3))
    for mine, theirs in zip(run.weights + run.biases, net.weights + net.biases):
        np.testing.assert_allclose(mine[0], theirs, rtol=1e-12, atol=1e-15)
    assert not run.diverged[0]


def test_copies_do_not_interact():
    """Four copies with four rates end exactly where each copy trained alone ends (the
    minibatches are shared; nothing else is): to 1e-15, for every optimizer."""
    Ws, bs, x, y = _problem()
    lrs = np.array([0.003, 0.01, 0.03, 0.1])
    for opt in trainer.OPTIMIZERS:
        together = train_many(_stack(Ws, 4), _stack(bs, 4), x, y, lrs=lrs, steps=12, batch=5,
                              rng=np.random.default_rng(7), optimizer=opt, eval_every=4)
        for r, lr in enumerate(lrs):
            alone = train_many(_stack(Ws, 1), _stack(bs, 1), x, y, lrs=lrs[r:r + 1], steps=12,
                               batch=5, rng=np.random.default_rng(7), optimizer=opt, eval_every=4)
            for a, b in zip(together.weights, alone.weights):
                np.testing.assert_allclose(a[r], b[0], rtol=1e-15, atol=1e-17)
            np.testing.assert_allclose(together.loss[r], alone.loss[0], rtol=1e-15)


def test_adam_matches_the_textbook_update():
    """Six Adam steps (Kingma & Ba 2015, bias-corrected, eps added to sqrt(s_hat)) written
    out on an nn.MLP with the same minibatches: the same weights to 1e-12."""
    Ws, bs, x, y = _problem()
    lr, (b1, b2), eps = 0.01, (0.9, 0.999), 1e-8
    run = train_many([W[None] for W in Ws], [b[None] for b in bs], x, y, lrs=np.array([lr]),
                     steps=6, batch=8, rng=np.random.default_rng(5), optimizer="adam")
    net = _net(Ws, bs)
    m = [np.zeros_like(p) for p in net.parameters()]
    v = [np.zeros_like(p) for p in net.parameters()]
    batches = np.random.default_rng(5)
    for t in range(1, 7):
        idx = batches.choice(len(x), size=8, replace=False)
        _, grad = nn.mse(net.forward(x[idx]), y[idx])
        net.backward(grad)
        for p, g, mi, vi in zip(net.parameters(), net.gradients(), m, v):
            mi[:] = b1 * mi + (1 - b1) * g
            vi[:] = b2 * vi + (1 - b2) * g * g
            p -= lr * (mi / (1 - b1**t)) / (np.sqrt(vi / (1 - b2**t)) + eps)
    for mine, theirs in zip(run.weights + run.biases, net.weights + net.biases):
        np.testing.assert_allclose(mine[0], theirs, rtol=1e-12, atol=1e-15)


def test_gradients_match_central_differences():
    """One full-batch SGD step with rate 1 moves every parameter by minus its gradient; the
    gradient of L = sum ||f(x) - y||^2 / (2N) by central differences (h = 1e-6) agrees to
    1e-6 relative (ReLU kinks are not crossed: no pre-activation is within 1e-3 of 0)."""
    Ws, bs, x, y = _problem(seed=4)
    net = _net(Ws, bs)
    net.forward(x)
    assert min(np.abs(z).min() for z in net.preactivations) > 1e-3
    run = train_many([W[None] for W in Ws], [b[None] for b in bs], x, y, lrs=np.array([1.0]),
                     steps=1, batch=len(x), rng=np.random.default_rng(0))
    moved = [p0 - p1[0] for p0, p1 in zip(Ws + bs, run.weights + run.biases)]

    def loss() -> float:
        return 0.5 * float(np.sum((net.forward(x) - y) ** 2)) / len(x)

    h = 1e-6
    for param, analytic in zip(net.weights + net.biases, moved):
        numeric = np.zeros_like(param)
        for i in np.ndindex(param.shape):
            old = param[i]
            param[i] = old + h
            up = loss()
            param[i] = old - h
            down = loss()
            param[i] = old
            numeric[i] = (up - down) / (2 * h)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


def test_evaluation_is_the_normalized_full_data_loss():
    """loss[:, 0] (before any step) is mean((f(x) - y)^2) / var(y) over all rows, to 1e-13;
    evaluations happen every eval_every steps and after the last."""
    Ws, bs, x, y = _problem()
    run = train_many(_stack(Ws, 2), _stack(bs, 2), x, y, lrs=np.array([0.01, 0.02]), steps=10,
                     batch=4, rng=np.random.default_rng(0), eval_every=4)
    out = _net(Ws, bs).forward(x)
    expected = np.mean((out - y) ** 2) / np.mean((y - y.mean(axis=0)) ** 2)
    np.testing.assert_allclose(run.loss[:, 0], expected, rtol=1e-13)
    np.testing.assert_array_equal(run.steps, [0, 4, 8, 10])
    assert run.loss.shape == (2, 4)


def test_a_diverging_copy_is_stopped_and_the_others_are_untouched():
    """Rate 50 blows up: the copy is marked diverged, its later losses are inf and its
    parameters are parked at 0; the copy at rate 0.01 ends as if trained alone (1e-15)."""
    Ws, bs, x, y = _problem()
    both = train_many(_stack(Ws, 2), _stack(bs, 2), x, y, lrs=np.array([0.01, 50.0]), steps=30,
                      batch=8, rng=np.random.default_rng(2), optimizer="momentum", eval_every=5)
    alone = train_many(_stack(Ws, 1), _stack(bs, 1), x, y, lrs=np.array([0.01]), steps=30,
                       batch=8, rng=np.random.default_rng(2), optimizer="momentum", eval_every=5)
    np.testing.assert_array_equal(both.diverged, [False, True])
    first_bad = int(np.argmax(~np.isfinite(both.loss[1])))
    assert first_bad > 0 and np.all(np.isinf(both.loss[1, first_bad:]))
    assert both.diverged_at[0] == -1 and both.diverged_at[1] == both.steps[first_bad]
    for W in both.weights + both.biases:
        np.testing.assert_array_equal(W[1], 0.0)
    for a, b in zip(both.weights, alone.weights):
        np.testing.assert_allclose(a[0], b[0], rtol=1e-15, atol=1e-17)


def test_float32_follows_float64():
    """The same 20 Adam steps in float32 stay within 1e-4 relative of float64 (float32
    rounding is 6e-8 per operation; 20 steps of a 3-layer net accumulate far less than 1e-4)."""
    Ws, bs, x, y = _problem()
    runs = [train_many([W[None] for W in Ws], [b[None] for b in bs], x, y, lrs=np.array([0.01]),
                       steps=20, batch=8, rng=np.random.default_rng(1), optimizer="adam",
                       dtype=dtype) for dtype in (np.float32, np.float64)]
    assert runs[0].weights[0].dtype == np.float32
    for a, b in zip(runs[0].weights, runs[1].weights):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_inputs_are_not_modified():
    """The weights passed in are copied: training leaves them as they were."""
    Ws, bs, x, y = _problem()
    stacked = _stack(Ws, 1)
    before = [W.copy() for W in stacked]
    train_many(stacked, _stack(bs, 1), x, y, lrs=np.array([0.1]), steps=3, batch=4,
               rng=np.random.default_rng(0))
    for a, b in zip(stacked, before):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("kwargs, match", [
    ({"optimizer": "rmsprop"}, r"optimizer must be one of \('sgd', 'momentum', 'adam'\), got 'rmsprop'"),
    ({"lrs": np.array([0.1, 0.1])}, r"lrs must have one entry per copy \(1\), got shape \(2,\)"),
    ({"lrs": np.array([math.nan])}, "every learning rate must be a finite number > 0, got nan"),
    ({"batch": 50}, r"batch must be at most the number of rows \(20\), got 50"),
    ({"eval_every": 0}, "eval_every must be a positive integer, got 0"),
    ({"x": np.ones((20, 4))}, r"x must be \(N, 5\) and y \(N, 2\), got \(20, 4\) and \(20, 2\)"),
])
def test_bad_arguments_are_named(kwargs, match):
    Ws, bs, x, y = _problem()
    args = dict(x=x, y=y, lrs=np.array([0.1]), steps=2, batch=4, rng=np.random.default_rng(0))
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        train_many([W[None] for W in Ws], [b[None] for b in bs], **args)


def test_layers_must_chain():
    Ws, bs, x, y = _problem()
    with pytest.raises(ValueError, match="layer 1 has fan_in 7, layer 0 fan_out 8"):
        train_many([np.ones((1, 8, 5)), Ws[1][None]], [np.ones((1, 8)), bs[1][None]], x, y,
                   lrs=np.array([0.1]), steps=1, batch=4, rng=np.random.default_rng(0))


def test_lr_scales_multiply_each_parameters_rate():
    """With ``lr_scales`` every parameter array takes its own rate: SGD with scales ``s_i``
    and rate ``lr`` moves parameter ``i`` exactly as SGD with rate ``s_i * lr`` alone would
    (one full-batch step, so the gradients are the same; to 1e-12)."""
    Ws, bs, x, y = _problem()
    n = len(x)
    scales = [2.0, 0.0, 1.0, 0.5, 3.0, 1.0]
    base = train_many(_stack(Ws, 1), _stack(bs, 1), x, y, lrs=np.array([0.1]), steps=1,
                      batch=n, rng=np.random.default_rng(0), eval_every=1, lr_scales=scales)
    params0 = [p for pair in zip(Ws, bs) for p in pair]
    params1 = [p[0] for pair in zip(base.weights, base.biases) for p in pair]
    one = train_many(_stack(Ws, 1), _stack(bs, 1), x, y, lrs=np.array([0.1]), steps=1,
                     batch=n, rng=np.random.default_rng(0), eval_every=1)
    grads = [(p0 - p[0]) / 0.1 for p0, p in zip(params0, [q for pair in zip(one.weights, one.biases) for q in pair])]
    for p0, p1, g, s in zip(params0, params1, grads, scales):
        np.testing.assert_allclose(p1, p0 - 0.1 * s * g, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("scales, match", [([1.0] * 5, "one entry per parameter array"),
                                           ([1.0, -1.0, 1.0, 1.0, 1.0, 1.0], "lr_scales entry")])
def test_bad_lr_scales_are_refused(scales, match):
    Ws, bs, x, y = _problem()
    with pytest.raises(ValueError, match=match):
        train_many(_stack(Ws, 1), _stack(bs, 1), x, y, lrs=np.array([0.1]), steps=1, batch=4,
                   rng=np.random.default_rng(0), lr_scales=scales)

"""He initialization: the experiments and the claims the He page makes about them.

The page's figures and numbers come from the runs of `initnotes.pages.he`; the claim tests
read the same memoised results. Expected values come from the
variance argument (2^(-1/2) per layer, 1/width), from closed forms (ReLU and leaky-ReLU
gains, SELU's fixed point) or from an independent implementation (`initnotes.nn`).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from initnotes import init, nn, trainer
from initnotes.experiments import he
from initnotes.pages import he as page

HALF = 2**-0.5


@pytest.fixture(scope="module")
def stats() -> he.LayerStats:
    return page.SIGNAL.result()


@pytest.fixture(scope="module", params=he.OPTIMIZERS)
def sweep(request) -> he.SweepResults:
    return page.SWEEPS[request.param].result()


# --- predictions ------------------------------------------------------------------------


def test_relu_prediction_by_hand():
    """c = n Var(w) = 2 keeps Var(z) = 2; c = 1 halves it per layer; std(h) = 0.5838 std(z)."""
    z, h = he.relu_std_prediction(4, weight_variance_times_fan_in=2.0)
    np.testing.assert_allclose(z, math.sqrt(2.0))
    z, h = he.relu_std_prediction(4, weight_variance_times_fan_in=1.0)
    np.testing.assert_allclose(z, [1, HALF, 0.5, HALF / 2])
    relu_std = math.sqrt(0.5 - 1 / (2 * math.pi))  # mean 1/sqrt(2 pi), second moment 1/2
    np.testing.assert_allclose(h, z * relu_std)
    g = he.relu_gradient_prediction(3, weight_variance_times_fan_in=1.0)
    np.testing.assert_allclose(g, [0.5, HALF, 1.0])


def test_fan_mode_prediction_by_hand():
    """Widths 4 -> 8 -> 2. fan_in: Var(z) = 2 everywhere, Var(dL/dh_l) = n_L / n_l;
    fan_out: Var(dL/dh) = 1 everywhere, Var(z_l) = 2 n_0 / n_l."""
    fwd, bwd = he.fan_mode_prediction((4, 8, 2), "fan_in")
    np.testing.assert_allclose(fwd**2, [2, 2])
    np.testing.assert_allclose(bwd**2, [2 / 4, 2 / 8])
    fwd, bwd = he.fan_mode_prediction((4, 8, 2), "fan_out")
    np.testing.assert_allclose(fwd**2, [2 * 4 / 8, 2 * 4 / 2])
    np.testing.assert_allclose(bwd**2, [1, 1])


# --- gains --------------------------------------------------------------------------------


@pytest.mark.parametrize("name, param", [("relu", None), ("leaky_relu", None),
                                         ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)),
                                         ("linear", None), ("conv2d", None)])
def test_derived_gains_agree_forward_and_backward(name, param):
    """For (leaky) ReLU and linear maps both one-layer gains equal sqrt(2 / (1 + a^2)),
    which is what gain() returns (to 1e-9: the quadrature is exact up to round-off)."""
    fwd, bwd = he.one_layer_gains(name, param)
    assert fwd == pytest.approx(init.gain(name, param), rel=1e-9)
    assert bwd == pytest.approx(init.gain(name, param), rel=1e-9)


def test_selu_keeps_unit_second_moment():
    """SELU's constants make E[selu(z)^2] = 1 and E[selu(z)] = 0 for z ~ N(0, 1)."""
    from initnotes.theory import gaussian_expectation

    f, _ = he.activation_and_derivative("selu")
    assert gaussian_expectation(lambda z: f(z) ** 2) == pytest.approx(1.0, abs=1e-6)
    assert gaussian_expectation(f) == pytest.approx(0.0, abs=1e-6)
    assert he.one_layer_gains("selu")[0] == pytest.approx(1.0, abs=1e-6)


def test_tanh_one_layer_gains_by_gauss_hermite():
    """An independent rule (Gauss-Hermite, 200 nodes) for the tanh row of the table."""
    x, w = np.polynomial.hermite_e.hermegauss(200)
    mean = lambda v: float(np.sum(w * v) / math.sqrt(2 * math.pi))  # noqa: E731
    fwd, bwd = he.one_layer_gains("tanh")
    assert fwd == pytest.approx(mean(np.tanh(x) ** 2) ** -0.5, rel=1e-9)
    assert bwd == pytest.approx(mean((1 - np.tanh(x) ** 2) ** 2) ** -0.5, rel=1e-9)
    assert fwd < 5 / 3 and bwd < 5 / 3  # PyTorch's 5/3 is larger than both


def test_unknown_nonlinearity_is_rejected():
    with pytest.raises(ValueError, match="nonlinearity must be one of .* got 'gelu'"):
        he.activation_and_derivative("gelu")


# --- the signal at initialization (the page's figure and numbers) ----------------------


def _geometric(std):
    return (std[-1] / std[0]) ** (1 / (len(std) - 1))


def test_xavier_relu_shrinks_by_sqrt_half_per_layer(stats):
    """Geometric mean of the per-layer ratio within 3 % of 2^(-1/2), forward and backward.
    The log-std wanders by about 0.05 per layer at width 256; over 29 layers the error of
    the mean ratio is about 1 %."""
    assert _geometric(stats.activation_std("xavier_normal")) == pytest.approx(HALF, rel=0.03)
    assert 1 / _geometric(stats.gradient_std("xavier_normal")) == pytest.approx(HALF, rel=0.03)


def test_xavier_relu_total_decay(stats):
    """std_30 / std_1 within a factor 2 of 2^(-29/2): four to five orders of magnitude."""
    a = stats.activation_std("xavier_normal")
    ratio = a[-1] / a[0]
    assert 0.5 < ratio / 2**-14.5 < 2
    assert 1e-5 < ratio < 1e-4


def test_he_relu_stays_flat(stats):
    """Every layer within a factor 2 of the prediction, forward and backward."""
    _, pred = he.relu_std_prediction(stats.config.depth, weight_variance_times_fan_in=2.0)
    a = stats.activation_std("he_normal")
    assert np.all((0.5 < a / pred) & (a / pred < 2)) and a.max() / a.min() < 2
    g = stats.gradient_std("he_normal")
    assert np.all((0.5 < g) & (g < 2))


def test_weight_gradients_under_xavier_are_2_to_the_minus_14_5_of_he(stats):
    """In every layer, within a factor 3 of 2^(-29/2): one forward and one backward product
    of 29 random layers each, both wandering by up to about 30 % at width 256."""
    r = stats.weight_gradient_std("xavier_normal") / stats.weight_gradient_std("he_normal")
    assert np.all((r / 2**-14.5 > 1 / 3) & (r / 2**-14.5 < 3))


def test_fan_modes_preserve_what_they_promise():
    """Measured within 10 % of the recursion (32 draws: about 7 % noise at 32 units), so
    fan_in keeps the forward variance and fan_out the backward one; the other direction
    follows 1/width and comes back."""
    r = page.FANS.result()
    for mode in r.config.modes:
        np.testing.assert_allclose(r.forward[mode], r.forward_predicted[mode], rtol=0.1)
        np.testing.assert_allclose(r.backward[mode], r.backward_predicted[mode], rtol=0.1)
    assert r.forward["fan_in"].max() / r.forward["fan_in"].min() < 1.2
    assert r.backward["fan_out"].max() / r.backward["fan_out"].min() < 1.2
    widest = int(np.argmax(r.config.widths[1:]))
    assert 0.3 < r.forward["fan_out"][widest] / r.forward["fan_out"][0] < 0.4  # "about a third"
    b = r.backward["fan_in"]
    assert 0.22 < b.min() / b[0] < 0.28  # "a quarter"


# --- training -------------------------------------------------------------------------


def _nets(seed=1, sizes=(5, 7, 6, 1)):
    rng = np.random.default_rng(seed)
    Ws = [rng.standard_normal((sizes[k + 1], sizes[k])) * 0.5 for k in range(len(sizes) - 1)]
    bs = [rng.standard_normal(sizes[k + 1]) * 0.1 for k in range(len(sizes) - 1)]
    x = rng.standard_normal((20, sizes[0]))
    y = rng.standard_normal((20, sizes[-1]))
    return Ws, bs, x, y


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_train_many_matches_nn_step_by_step(optimizer):
    """Three copies, three rates, 7 steps: the same weights as nn.MLP with the same
    minibatches and the textbook update, to 1e-12."""
    Ws, bs, x, y = _nets()
    lrs = np.array([0.05, 0.01, 0.2])
    run = trainer.train_many([np.stack([W] * 3) for W in Ws], [np.stack([b] * 3) for b in bs], x, y,
                        lrs=lrs, steps=7, batch=8, rng=np.random.default_rng(5),
                        optimizer=optimizer, momentum=0.9, eval_every=1)
    for r, lr in enumerate(lrs):
        net = nn.MLP.from_weights(Ws, bs, activation="relu", output_activation="identity")
        velocity = [np.zeros_like(p) for p in net.parameters()]
        batches = np.random.default_rng(5)
        losses = []
        for _ in range(7):
            out = net.forward(x)
            losses.append(np.mean((out - y) ** 2) / np.mean((y - y.mean()) ** 2))
            idx = batches.choice(20, size=8, replace=False)
            _, grad = nn.mse(net.forward(x[idx]), y[idx])
            net.backward(grad)
            for p, g, v in zip(net.parameters(), net.gradients(), velocity):
                if optimizer == "momentum":
                    v *= 0.9
                    v += g
                    p -= lr * v
                else:
                    p -= lr * g
        for mine, theirs in zip(run.weights, net.weights):
            np.testing.assert_allclose(mine[r], theirs, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(run.loss[r, :7], losses, rtol=1e-12)


def test_adam_first_step_is_the_learning_rate_times_the_sign():
    """After one Adam step every parameter whose gradient is well above eps moves by lr,
    whatever the gradient's size: the scale-invariance the page relies on."""
    Ws, bs, x, y = _nets()
    run = trainer.train_many([W[None] for W in Ws], [b[None] for b in bs], x, y,
                        lrs=np.array([1e-3]), steps=1, batch=20, rng=np.random.default_rng(0),
                        optimizer="adam")
    net = nn.MLP.from_weights(Ws, bs, activation="relu", output_activation="identity")
    _, grad = nn.mse(net.forward(x), y)
    net.backward(grad)
    for W0, W1, g in zip(Ws, run.weights, (layer.dW for layer in net.layers)):
        big = np.abs(g) > 1e-4
        np.testing.assert_allclose((W0 - W1[0])[big], 1e-3 * np.sign(g[big]), rtol=1e-3)


@pytest.mark.parametrize("kwargs, match", [
    ({"optimizer": "rmsprop"}, "optimizer must be one of .* got 'rmsprop'"),
    ({"lrs": np.array([0.1, 0.1])}, r"lrs must have one entry per copy \(1\)"),
    ({"lrs": np.array([-1.0])}, "every learning rate must be a finite number > 0, got -1.0"),
    ({"batch": 50}, r"batch must be at most the number of rows \(20\), got 50"),
    ({"steps": 0}, "steps must be a positive integer, got 0"),
])
def test_train_many_rejects_bad_input(kwargs, match):
    Ws, bs, x, y = _nets()
    args = dict(lrs=np.array([0.1]), steps=2, batch=4, rng=np.random.default_rng(0))
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        trainer.train_many([W[None] for W in Ws], [b[None] for b in bs], x, y, **args)


@pytest.mark.parametrize("kwargs, match", [
    ({"optimizer": "sgdm"}, "optimizer must be one of .* got 'sgdm'"),
    ({"depth": 1}, "depth must be at least 2"),
    ({"inits": ("kaiming",)}, "inits must be names in initnotes.init.PRESETS, got 'kaiming'"),
    ({"lrs": (0.1, 0.0)}, "every learning rate must be a finite number > 0, got 0.0"),
    ({"batch": 300}, r"batch must be at most n_train \(256\), got 300"),
    ({"dtype": "float16"}, "dtype must be 'float32' or 'float64', got 'float16'"),
])
def test_sweep_config_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        he.SweepConfig(**kwargs)


def test_default_grids():
    assert he.SweepConfig(optimizer="sgd").lrs == he.SGD_LRS
    assert he.SweepConfig(optimizer="adam").lrs == he.ADAM_LRS


def _index(res, init):
    return res.config.inits.index(init)


def test_every_sweep_is_bracketed(sweep):
    """A fair sweep: the largest rate diverges or fails for both inits, and He's best rate
    lies strictly inside the grid."""
    for init_name in sweep.config.inits:
        top = sweep.final_loss[_index(sweep, init_name), -1]
        assert not np.isfinite(top) or top > he.THRESHOLD
    assert 0 < sweep.best_index("he_normal") < len(sweep.config.lrs) - 1


def test_sgd_with_or_without_momentum_never_trains_the_xavier_start():
    """At every rate the Xavier start's loss stays at least 0.95 (1 = predicting the mean)
    or diverges, and it diverges only at the top of the grid; the He start gets below the
    threshold at its best rate and diverges at the largest rates."""
    for opt in ("sgd", "momentum"):
        res = page.SWEEPS[opt].result()
        i = _index(res, "xavier_normal")
        finite = np.isfinite(res.loss[i])
        assert np.all(res.loss[i][finite] >= 0.95)
        ok = ~res.diverged[i]
        assert np.all(res.final_loss[i][ok] < 1.25)
        assert list(res.diverged[i]) == [False] * (len(res.config.lrs) - 1) + [True]
        j = _index(res, "he_normal")
        assert res.final_loss[j].min() < he.THRESHOLD
        assert res.diverged[j][-1]


def test_adam_trains_both_starts():
    res = page.SWEEPS["adam"].result()
    for init_name in res.config.inits:
        assert res.final_loss[_index(res, init_name)].min() < he.THRESHOLD
        assert 0 < res.best_index(init_name) < len(res.config.lrs) - 1


def test_no_rate_in_the_grid_could_make_up_for_the_xavier_gradients():
    """Xavier diverges at a rate far below 2^14.5 times He's best (the factor its weight
    gradients are smaller by), and far above He's best (the page: hundreds of times)."""
    res = page.SWEEPS["momentum"].result()
    first = min(lr for lr, d in zip(res.config.lrs, res.diverged[_index(res, "xavier_normal")]) if d)
    best_he = res.best_lr("he_normal")
    assert 100 <= first / best_he < 2**14.5 / 10


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_depth_ten_xavier_trains(optimizer):
    """Exercise 5: at depth 10 the Xavier start gets below the threshold too, with and
    without momentum."""
    res = he.lr_sweep(he.SweepConfig(depth=10, optimizer=optimizer), np.random.default_rng(0))
    assert res.final_loss[_index(res, "xavier_normal")].min() < he.THRESHOLD

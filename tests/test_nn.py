"""Tests for initnotes.nn: backprop is checked against finite differences,
forward passes against hand-computed numbers, and training against XOR."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from initnotes import nn
from initnotes.data import xor
from initnotes.nn import (
    ACTIVATIONS,
    Dense,
    GELU,
    MLP,
    TrainHistory,
    binary_cross_entropy_with_logits,
    evaluate,
    get_activation,
    mse,
    softmax_cross_entropy,
    train,
)

EPS = 1e-6
REL_TOL = 1e-6


def glorot(shape, *, rng):
    """A local Xavier-uniform initializer, so these tests do not depend on initnotes.init."""
    a = math.sqrt(6.0 / (shape[0] + shape[1]))
    return rng.uniform(-a, a, size=shape)


def small_normal(shape, *, rng):
    return rng.normal(0.0, 0.5, size=shape)


def zeros(shape, *, rng=None):
    return np.zeros(shape)


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


# --------------------------------------------------------------------------- losses as closures

N_IN, N_OUT, BATCH = 3, 3, 5


def make_problem(loss_name: str, rng: np.random.Generator):
    x = rng.normal(size=(BATCH, N_IN))
    if loss_name == "mse":
        t = rng.normal(size=(BATCH, N_OUT))
        return x, lambda out: mse(out, t)
    if loss_name == "cross_entropy":
        labels = rng.integers(0, N_OUT, size=BATCH)
        return x, lambda out: softmax_cross_entropy(out, labels)
    t = rng.uniform(0, 1, size=(BATCH, N_OUT))
    return x, lambda out: binary_cross_entropy_with_logits(out, t)


def numeric_grad(f, arr: np.ndarray) -> np.ndarray:
    """Central differences of the scalar f() w.r.t. every entry of arr (modified in place, restored)."""
    g = np.zeros_like(arr)
    for i in np.ndindex(arr.shape):
        old = arr[i]
        arr[i] = old + EPS
        fp = f()
        arr[i] = old - EPS
        fm = f()
        arr[i] = old
        g[i] = (fp - fm) / (2 * EPS)
    return g


@pytest.mark.parametrize("loss_name", ["mse", "cross_entropy", "bce"])
@pytest.mark.parametrize("act", ACTIVATIONS)
def test_backprop_matches_central_differences_for_weights_biases_and_inputs(act, loss_name):
    """Analytic dL/dW, dL/db and dL/dx of a 3-layer net agree with central differences
    (eps=1e-6, float64) to relative error < 1e-6, for every activation (hidden and output) and loss."""
    rng = np.random.default_rng(1234)
    net = MLP([N_IN, 4, 4, N_OUT], activation=act, output_activation=act,
              weight_init=small_normal, bias_init=small_normal, rng=rng)
    x, loss_fn = make_problem(loss_name, rng)

    _, grad_out = loss_fn(net.forward(x))
    grads = net.backward(grad_out)
    dx = net.input_grad.copy()

    def f():
        return loss_fn(net.forward(x))[0]

    for layer, (dW, db) in zip(net.layers, grads):
        assert rel_error(numeric_grad(f, layer.W), dW) < REL_TOL
        assert rel_error(numeric_grad(f, layer.b), db) < REL_TOL
    assert rel_error(numeric_grad(f, x), dx) < REL_TOL


def test_leaky_relu_slope_is_configurable_and_gradient_checked():
    """leaky_slope=0.2 changes the forward pass and backprop still matches central differences."""
    act = get_activation("leaky_relu", leaky_slope=0.2)
    np.testing.assert_allclose(act.forward(np.array([-1.0, 2.0])), [-0.2, 2.0])
    rng = np.random.default_rng(7)
    net = MLP([2, 3, 1], activation="leaky_relu", leaky_slope=0.2, weight_init=small_normal, rng=rng)
    x = rng.normal(size=(4, 2))
    t = rng.normal(size=(4, 1))
    _, g = mse(net.forward(x), t)
    (dW1, _), _ = net.backward(g)
    num = numeric_grad(lambda: mse(net.forward(x), t)[0], net.layers[0].W)
    assert rel_error(num, dW1) < REL_TOL


# --------------------------------------------------------------------------- forward pass


def test_from_weights_identity_forward_matches_hand_computation():
    """x=(1,2), W=[[0.5,-0.3],[0.2,0.4]], identity: h = (0.5-0.6, 0.2+0.8) = (-0.1, 1.0)."""
    net = MLP.from_weights([[[0.5, -0.3], [0.2, 0.4]]], activation="identity", output_activation="identity")
    np.testing.assert_allclose(net.forward(np.array([[1.0, 2.0]])), [[-0.1, 1.0]], rtol=0, atol=1e-15)


def test_from_weights_two_layer_tanh_with_biases_matches_hand_computation():
    """Layer 1: z = (-0.1, 1.0) + (0.1, -0.5) = (0, 0.5), h = tanh(z); layer 2 (linear): 2*h1 - h2 + 0.25."""
    net = MLP.from_weights(
        [[[0.5, -0.3], [0.2, 0.4]], [[2.0, -1.0]]],
        [[0.1, -0.5], [0.25]],
        activation="tanh",
        output_activation="linear",
    )
    out = net.forward(np.array([[1.0, 2.0]]))
    np.testing.assert_allclose(net.preactivations[0], [[0.0, 0.5]], atol=1e-15)
    np.testing.assert_allclose(out, [[2 * math.tanh(0.0) - math.tanh(0.5) + 0.25]], rtol=1e-15)
    assert net.output_activation == "identity"  # "linear" is an alias


def test_from_weights_copies_arrays():
    """Mutating the arrays passed to from_weights does not change the net (and vice versa)."""
    W = np.array([[1.0, 2.0]])
    net = MLP.from_weights([W])
    W[0, 0] = 99.0
    assert net.weights[0][0, 0] == 1.0


def test_forward_records_activations_and_preactivations_with_expected_shapes():
    """After forward, activations = [x, h1, ..., out] and preactivations = [z1, ..., zL]."""
    rng = np.random.default_rng(0)
    net = MLP([3, 5, 4, 2], weight_init=glorot, rng=rng)
    x = rng.normal(size=(7, 3))
    out = net.forward(x)
    assert out.shape == (7, 2)
    assert [a.shape for a in net.activations] == [(7, 3), (7, 5), (7, 4), (7, 2)]
    assert [z.shape for z in net.preactivations] == [(7, 5), (7, 4), (7, 2)]
    np.testing.assert_array_equal(net.activations[0], x)
    np.testing.assert_allclose(net.activations[1], np.tanh(net.preactivations[0]))
    assert [W.shape for W in net.weights] == [(5, 3), (4, 5), (2, 4)]
    assert net.n_params == 5 * 3 + 5 + 4 * 5 + 4 + 2 * 4 + 2


def test_sigmoid_is_stable_for_huge_inputs():
    """The sigmoid activation gives exactly 0/1 at +-1000 without overflow warnings."""
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(get_activation("sigmoid").forward(np.array([-1000.0, 1000.0])), [0.0, 1.0])


# --------------------------------------------------------------------------- the activation table

# z avoids 0, where ReLU, leaky ReLU and SELU have a kink, and reaches |z| = 30
_Z = np.concatenate([-np.geomspace(30.0, 1e-3, 40), np.geomspace(1e-3, 30.0, 40)])


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_every_derivative_matches_central_differences(name):
    """f'(z) against (f(z + h) - f(z - h)) / 2h with h = 1e-6 on 80 points from -30 to 30,
    none within 1e-3 of a kink: to 1e-7 absolute plus 1e-7 relative (the quotient's error,
    about h^2 |f'''| + 1e-16 |f| / h, is below 1e-8 here)."""
    act = get_activation(name)
    h = 1e-6
    numeric = (act.forward(_Z + h) - act.forward(_Z - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(_Z, act.forward(_Z)), numeric, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("name, z, expected", [
    ("selu", 1.0, 1.0507009873554805),  # lambda
    ("selu", -50.0, -1.0507009873554805 * 1.6732632423543772),  # -lambda alpha
    ("gelu", 1.0, 0.8413447460685429),  # 1 * Phi(1)
    ("gelu", -1.0, -0.15865525393145707),  # -Phi(-1)
    ("gelu_tanh", 1.0, 0.8411919906082768),  # torch.nn.GELU(approximate="tanh")(1.0)
    ("silu", 1.0, 0.7310585786300049),  # sigmoid(1)
    ("silu", -1.0, -0.2689414213699951),
])
def test_new_activations_known_values(name, z, expected):
    """Values from the definitions (Phi and sigmoid to 16 digits), to 1e-15."""
    assert float(get_activation(name).forward(np.array(z))) == pytest.approx(expected, rel=1e-15)


def test_gelu_tanh_approximation_is_within_5e4_of_the_exact_form():
    """Hendrycks & Gimpel's tanh form stays within 5e-4 of z Phi(z) (max 4.7e-4 near |z| = 2)."""
    z = np.linspace(-10, 10, 20001)
    gap = np.abs(get_activation("gelu").forward(z) - get_activation("gelu_tanh").forward(z))
    assert 4e-4 < gap.max() < 5e-4
    with pytest.raises(ValueError, match=r"approximate must be one of \('none', 'tanh'\), got 'erf'"):
        GELU("erf")


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_no_activation_overflows_for_huge_inputs(name):
    """Forward and derivative at +-700 (where exp(-z) would overflow) neither overflow nor
    produce nan (underflow to 0 is fine)."""
    act = get_activation(name)
    z = np.array([-700.0, 700.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert np.all(np.isfinite(act.derivative(z, act.forward(z))))

# --------------------------------------------------------------------------- backward bookkeeping


def test_activation_grads_has_one_entry_per_layer_shaped_like_each_output():
    """activation_grads[k] is dL/dh_{k+1}, shaped like activations[k+1]; the last is grad_output itself."""
    rng = np.random.default_rng(0)
    net = MLP([3, 5, 4, 2], weight_init=glorot, rng=rng)
    out = net.forward(rng.normal(size=(6, 3)))
    g = rng.normal(size=out.shape)
    grads = net.backward(g)
    assert len(grads) == len(net.activation_grads) == len(net.layers) == 3
    assert [a.shape for a in net.activation_grads] == [(6, 5), (6, 4), (6, 2)]
    np.testing.assert_array_equal(net.activation_grads[-1], g)
    assert net.input_grad.shape == (6, 3)
    for layer, (dW, db) in zip(net.layers, grads):
        assert dW.shape == layer.W.shape and db.shape == layer.b.shape
        assert layer.dW is dW and layer.db is db


def test_sgd_step_moves_every_parameter_by_exactly_minus_lr_times_grad():
    """sgd_step(lr) sets W <- W - lr*dW and b <- b - lr*db, bit for bit, in place."""
    rng = np.random.default_rng(3)
    net = MLP([2, 4, 1], weight_init=glorot, bias_init=small_normal, rng=rng)
    _, g = mse(net.forward(rng.normal(size=(5, 2))), rng.normal(size=(5, 1)))
    net.backward(g)
    before = [p.copy() for p in net.parameters()]
    ids = [id(p) for p in net.parameters()]
    net.sgd_step(0.3)
    for old, new, grad in zip(before, net.parameters(), net.gradients()):
        np.testing.assert_array_equal(new, old - 0.3 * grad)
    assert [id(p) for p in net.parameters()] == ids


def test_backward_before_forward_and_step_before_backward_raise():
    """backward needs a forward pass first; sgd_step needs a backward pass first."""
    net = MLP.from_weights([np.eye(2)])
    with pytest.raises(RuntimeError, match="before forward"):
        net.backward(np.zeros((1, 2)))
    net.forward(np.ones((1, 2)))
    with pytest.raises(RuntimeError, match="before backward"):
        net.sgd_step(0.1)
    with pytest.raises(ValueError, match=r"grad_output has shape \(3, 2\)"):
        net.backward(np.zeros((3, 2)))


def test_copy_is_independent():
    """copy() gives equal parameters that do not share memory with the original."""
    rng = np.random.default_rng(0)
    net = MLP([2, 3, 1], weight_init=glorot, rng=rng)
    twin = net.copy()
    for a, b in zip(net.parameters(), twin.parameters()):
        np.testing.assert_array_equal(a, b)
        assert not np.shares_memory(a, b)
    twin.weights[0][:] = 0
    assert np.any(net.weights[0] != 0)


# --------------------------------------------------------------------------- initialization


def test_per_layer_weight_init_sequence_zeroes_only_the_last_layer():
    """A sequence of initializers is applied one per layer: [glorot, glorot, zeros]."""
    net = MLP([2, 6, 6, 1], weight_init=[glorot, glorot, zeros], rng=np.random.default_rng(0))
    assert np.all(net.weights[2] == 0)
    assert np.all(net.weights[0] != 0) and np.all(net.weights[1] != 0)
    assert all(np.all(b == 0) for b in net.biases)  # default bias init: zeros


def test_initializers_receive_fan_out_fan_in_shape_and_the_rng():
    """weight_init is called as f((fan_out, fan_in), rng=rng); bias_init as f((fan_out,), rng=rng)."""
    rng = np.random.default_rng(0)
    calls = []

    def spy(shape, *, rng):
        calls.append((shape, rng))
        return np.full(shape, 0.5)

    net = MLP([3, 4, 2], weight_init=spy, bias_init=spy, rng=rng)
    assert [c[0] for c in calls] == [(4, 3), (4,), (2, 4), (2,)]
    assert all(c[1] is rng for c in calls)
    assert np.all(net.biases[1] == 0.5)


def test_same_seed_gives_same_initial_weights():
    """Initialization draws only from the rng passed in."""
    a = MLP([2, 5, 1], weight_init=glorot, rng=np.random.default_rng(42))
    b = MLP([2, 5, 1], weight_init=glorot, rng=np.random.default_rng(42))
    for p, q in zip(a.parameters(), b.parameters()):
        np.testing.assert_array_equal(p, q)


def test_default_weight_init_is_xavier_uniform_from_initnotes_init():
    """With weight_init=None every weight lies within the Glorot bound sqrt(6/(fan_in+fan_out))
    and equals initnotes.init.xavier_uniform drawn from the same seed."""
    from initnotes import init
    net = MLP([4, 30, 2], rng=np.random.default_rng(5))
    for W in net.weights:
        assert np.all(np.abs(W) <= math.sqrt(6.0 / sum(W.shape)))
    rng = np.random.default_rng(5)
    expected = init.xavier_uniform((30, 4), rng=rng)
    np.testing.assert_array_equal(net.weights[0], expected)


# --------------------------------------------------------------------------- losses


def test_mse_value_and_gradient_by_hand():
    """mse = mean over batch of 0.5*sum of squares: rows (1,2),(3,4) vs 0 -> (2.5 + 12.5)/2 = 7.5; grad = out/N."""
    out = np.array([[1.0, 2.0], [3.0, 4.0]])
    loss, grad = mse(out, np.zeros((2, 2)))
    assert loss == 7.5
    np.testing.assert_array_equal(grad, out / 2)
    loss1, _ = mse(np.array([[3.0]]), np.array([1.0]))  # (N,) target accepted for 1 output
    assert loss1 == 2.0


def test_cross_entropy_values_and_stability():
    """Uniform logits over 4 classes give log 4; logits of +-1000 stay finite."""
    loss, grad = softmax_cross_entropy(np.zeros((3, 4)), np.array([0, 1, 3]))
    assert loss == pytest.approx(math.log(4))
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-15)
    loss, grad = softmax_cross_entropy(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert loss == pytest.approx(500.0)
    assert np.all(np.isfinite(grad))


def test_bce_with_logits_values_and_stability():
    """Logit 0 gives log 2; logits +-1000 on the wrong side give 1000 each without overflow."""
    loss, grad = binary_cross_entropy_with_logits(np.zeros((2, 1)), np.array([0, 1]))
    assert loss == pytest.approx(math.log(2))
    np.testing.assert_allclose(grad, [[0.25], [-0.25]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is harmless
        loss, _ = binary_cross_entropy_with_logits(np.array([[1000.0], [-1000.0]]), np.array([0.0, 1.0]))
    assert loss == pytest.approx(1000.0)


# --------------------------------------------------------------------------- training


def _xor_run(seed: int = 0, **kw) -> tuple[MLP, TrainHistory]:
    rng = np.random.default_rng(seed)
    x, y = xor(200, rng=rng)
    net = MLP([2, 8, 1], activation="tanh", weight_init=glorot, rng=rng)
    return net, train(net, x, y, loss="bce", lr=0.5, steps=500, **kw)


def test_train_solves_xor_with_a_2_8_1_tanh_net():
    """500 full-batch steps (lr 0.5, seed 0): BCE falls by more than 20x and held-out accuracy is >= 95%."""
    net, hist = _xor_run()
    assert hist.loss.shape == hist.accuracy.shape == (500,)
    assert hist.loss[-1] < hist.loss[0] / 20
    assert hist.accuracy[-1] >= 0.95
    x_test, y_test = xor(400, rng=np.random.default_rng(99))
    _, acc = evaluate(net, x_test, y_test, loss="bce")
    assert acc >= 0.95


def test_same_seed_gives_identical_history_including_minibatches():
    """Training is deterministic given the seeds: full-batch and minibatch histories repeat exactly."""
    _, h1 = _xor_run(seed=3)
    _, h2 = _xor_run(seed=3)
    np.testing.assert_array_equal(h1.loss, h2.loss)
    _, m1 = _xor_run(seed=3, batch_size=16, rng=np.random.default_rng(1))
    _, m2 = _xor_run(seed=3, batch_size=16, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(m1.loss, m2.loss)
    np.testing.assert_array_equal(m1.accuracy, m2.accuracy)
    assert not np.array_equal(m1.loss, h1.loss)


def test_train_with_cross_entropy_and_mse():
    """cross_entropy trains a 2-output net on integer labels; mse has accuracy None."""
    rng = np.random.default_rng(0)
    x, y = xor(100, rng=rng)
    net = MLP([2, 8, 2], weight_init=glorot, rng=rng)
    h = train(net, x, y, loss="cross_entropy", lr=0.5, steps=300)
    assert h.loss[-1] < h.loss[0] / 5 and h.accuracy[-1] >= 0.95
    net = MLP([2, 8, 1], weight_init=glorot, rng=rng)
    h = train(net, x, y.astype(float), loss="mse", lr=0.2, steps=200)
    assert h.accuracy is None and h.loss[-1] < h.loss[0]


def test_callback_is_called_after_every_update_with_the_step_index():
    """callback(step, net) sees steps 0..steps-1 and the weights after that step's update."""
    rng = np.random.default_rng(0)
    x, y = xor(40, rng=rng)
    net = MLP([2, 4, 1], weight_init=glorot, rng=rng)
    seen = []
    train(net, x, y, loss="bce", lr=0.1, steps=5, callback=lambda s, n: seen.append((s, n.weights[0].copy())))
    assert [s for s, _ in seen] == [0, 1, 2, 3, 4]
    np.testing.assert_array_equal(seen[-1][1], net.weights[0])
    assert not np.array_equal(seen[0][1], seen[1][1])


def test_train_2_16_16_1_for_2000_steps_is_fast():
    """2000 full-batch steps of a 2-16-16-1 net on 200 points take well under two seconds.

    Measured as CPU time of this process (about 0.2 s on a 2-core machine), so a busy
    machine does not make it flaky; the 10x margin still catches an accidental
    per-sample Python loop, which is over 100x slower.
    """
    import time

    rng = np.random.default_rng(0)
    x, y = xor(200, rng=rng)
    net = MLP([2, 16, 16, 1], weight_init=glorot, rng=rng)
    t0 = time.process_time()
    train(net, x, y, loss="bce", lr=0.1, steps=2000)
    assert time.process_time() - t0 < 2.0


def _diverging_run(**kwargs):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 2)) * 10
    net = MLP([2, 4, 1], activation="identity", weight_init=glorot, rng=rng)
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        return train(net, x, x[:, :1] * 3, loss="mse", lr=50.0, steps=200, **kwargs)


def test_diverging_training_warns_naming_the_step_and_the_learning_rate():
    """A huge learning rate blows up: one DivergenceWarning names the step and lr; no numpy warning."""
    with pytest.warns(nn.DivergenceWarning, match=r"training diverged at step \d+ with lr=50.0: "
                      r"the loss became inf at step \d+ \(it was .* at step \d+\)") as record:
        h = _diverging_run()
    assert len(record) == 1
    warning = record[0].message
    assert warning.step == h.diverged_at and warning.lr == 50.0
    assert f"at step {h.diverged_at} " in str(warning)


def test_history_marks_where_the_loss_stopped_being_finite():
    """diverged_at is the first non-finite loss; the losses before it are finite; all steps kept."""
    with pytest.warns(nn.DivergenceWarning):
        h = _diverging_run()
    assert h.diverged and h.steps == 200
    assert np.all(np.isfinite(h.loss[: h.diverged_at]))
    assert not np.isfinite(h.loss[h.diverged_at])


def test_sweeps_can_record_divergence_without_a_warning():
    """on_divergence="record" records the same history and warns nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = _diverging_run(on_divergence="record")
    with pytest.warns(nn.DivergenceWarning):
        h_warned = _diverging_run()
    assert h.diverged_at == h_warned.diverged_at
    np.testing.assert_array_equal(h.loss, h_warned.loss)
    with pytest.raises(ValueError, match=r"on_divergence must be one of \('warn', 'record'\), got 'ignore'"):
        _diverging_run(on_divergence="ignore")


def test_the_issue_example_lr_1e6_warns_instead_of_returning_silent_nans():
    """train(lr=1e6) on xor: the warning, and diverged_at where the nan losses begin."""
    rng = np.random.default_rng(0)
    x, y = xor(64, rng=rng)
    net = MLP([2, 8, 1], rng=rng)
    with pytest.warns(nn.DivergenceWarning, match=r"with lr=1000000.0"):
        h = train(net, x, y, lr=1e6, steps=50)
    assert h.diverged_at is not None and np.isfinite(h.loss[0])


def test_a_last_update_that_overflows_is_marked_at_steps():
    """Every recorded loss finite but the last update makes weights inf: diverged_at == steps."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 2))
    net = MLP([2, 3, 1], activation="identity", rng=rng)
    with pytest.warns(nn.DivergenceWarning, match=r"the update of the last step \(0\) made a parameter non-finite"):
        h = train(net, x, x[:, :1] + 1e3, lr=1e308, steps=1)
    assert np.isfinite(h.loss[0]) and h.diverged_at == 1


def test_a_stable_run_is_not_marked():
    """A converging run has diverged_at None and warns nothing."""
    rng = np.random.default_rng(0)
    x, y = xor(64, rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = train(MLP([2, 8, 1], rng=rng), x, y, loss="bce", lr=0.5, steps=50)
    assert h.diverged_at is None and not h.diverged


@pytest.mark.parametrize("name", ["MSE", "Cross_Entropy", "BCE", "Mse"])
def test_loss_names_are_case_insensitive_like_activations(name):
    """Loss names are matched case-insensitively; the history records the canonical name."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 2))
    y = (x[:, 0] > 0).astype(int) if name.lower() == "cross_entropy" else (x[:, :1] > 0).astype(float)
    net = MLP([2, 3, 2 if name.lower() == "cross_entropy" else 1], rng=rng)
    h = train(net, x, y, loss=name, lr=0.1, steps=2)
    assert h.loss_name == name.lower()
    assert evaluate(net, x, y, loss=name)[0] >= 0


def test_from_weights_refuses_nan_and_inf_weights():
    """NaN (or inf) weights are refused, naming the matrix and the index, as train names bad inputs."""
    W = np.ones((2, 3))
    W[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"weights\[1\] contains a non-finite value, nan at index \(1, 2\)"):
        MLP.from_weights([np.ones((3, 3)), W])
    with pytest.raises(ValueError, match=r"weights\[0\] contains a non-finite value, inf"):
        MLP.from_weights([np.full((2, 2), np.inf)])


def test_forward_refuses_nan_inputs_as_train_does():
    """MLP.forward raises on a nan or inf input, naming the index."""
    net = MLP([2, 3, 1], rng=np.random.default_rng(0))
    x = np.zeros((4, 2))
    x[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"input contains a non-finite value, nan at index \(3, 1\)"):
        net.forward(x)
    with pytest.raises(ValueError, match=r"x contains a non-finite value, nan"):
        train(net, x, np.zeros(4), lr=0.1, steps=1)


def test_dense_forward_with_a_wrong_shape_names_layer_and_shapes():
    """Dense.forward with the wrong width (or a 1-D input) names the layer and both shapes."""
    net = MLP([3, 4, 2], rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"Dense layer 2 \(4 -> 2, identity\) expects an input of shape "
                       r"\(batch, 4\), got shape \(5, 3\)"):
        net.layers[1].forward(np.zeros((5, 3)))
    layer = Dense(np.zeros((2, 3)), np.zeros(2), "tanh")
    with pytest.raises(ValueError, match=r"Dense \(3 -> 2, tanh\) expects an input of shape \(batch, 3\), got shape \(3,\)"):
        layer.forward(np.zeros(3))


def test_dense_backward_with_a_wrong_shape_names_layer_and_shapes():
    """Dense.backward with a gradient not shaped like the last output names the layer and shapes."""
    net = MLP([3, 4, 2], rng=np.random.default_rng(0))
    net.forward(np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"Dense layer 1 \(3 -> 4, tanh\) expects a gradient of the shape of "
                       r"its last output, \(5, 4\) \(batch, fan_out\), got shape \(5, 2\)"):
        net.layers[0].backward(np.zeros((5, 2)))


# --------------------------------------------------------------------------- validation messages


def test_unknown_activation_is_named_and_allowed_ones_listed():
    with pytest.raises(ValueError, match=r"unknown activation 'softplus'.*identity, tanh, relu, leaky_relu, sigmoid"):
        MLP([2, 2], activation="softplus", weight_init=glorot, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"unknown activation 'swish'"):
        MLP.from_weights([np.eye(2)], output_activation="swish")


def test_bad_leaky_slope_is_rejected():
    with pytest.raises(ValueError, match=r"leaky_slope .* got -0\.1"):
        get_activation("leaky_relu", leaky_slope=-0.1)


@pytest.mark.parametrize(
    ("sizes", "pattern"),
    [([3], r"at least 2 entries.*\[3\]"), ([2, 0, 1], r"positive ints, got 0"), ([2, 1.5], r"got 1\.5")],
)
def test_bad_sizes_are_rejected(sizes, pattern):
    with pytest.raises(ValueError, match=pattern):
        MLP(sizes, weight_init=glorot, rng=np.random.default_rng(0))


def test_initializer_returning_wrong_shape_names_layer_and_shape():
    bad = lambda shape, rng: np.zeros((shape[1], shape[0]))  # noqa: E731  (transposed layout)
    with pytest.raises(ValueError, match=r"layer 0 must have shape \(5, 2\), got shape \(2, 5\)"):
        MLP([2, 5, 1], weight_init=bad, rng=np.random.default_rng(0))


def test_wrong_number_of_per_layer_initializers_is_rejected():
    with pytest.raises(ValueError, match=r"weight_init sequence has 1 entries but the network has 2 layers"):
        MLP([2, 3, 1], weight_init=[glorot], rng=np.random.default_rng(0))


def test_from_weights_rejects_shapes_that_do_not_chain():
    with pytest.raises(ValueError, match=r"weights\[1\] has fan_in 3 but weights\[0\] has fan_out 2"):
        MLP.from_weights([np.ones((2, 2)), np.ones((1, 3))])
    with pytest.raises(ValueError, match=r"biases\[0\] must have shape \(2,\), got shape \(3,\)"):
        MLP.from_weights([np.ones((2, 2))], [np.ones(3)])


def test_wrong_input_width_reports_both_widths():
    net = MLP.from_weights([np.ones((2, 3))])
    with pytest.raises(ValueError, match=r"input has 2 features but the network expects 3"):
        net.forward(np.ones((4, 2)))
    with pytest.raises(ValueError, match=r"x has 2 features but the network expects 3"):
        train(net, np.ones((4, 2)), np.zeros((4, 2)), lr=0.1, steps=1)


@pytest.mark.parametrize("lr", [0.0, -1.0, float("nan"), float("inf")])
def test_non_finite_or_non_positive_lr_is_rejected(lr):
    net = MLP.from_weights([np.ones((1, 2))])
    with pytest.raises(ValueError, match=rf"lr must be a finite number > 0, got {lr!r}"):
        train(net, np.ones((3, 2)), np.zeros(3), lr=lr, steps=1)
    with pytest.raises(ValueError, match="lr must be"):
        net.sgd_step(lr)


def test_steps_below_one_is_rejected():
    net = MLP.from_weights([np.ones((1, 2))])
    with pytest.raises(ValueError, match=r"steps must be a positive integer, got 0"):
        train(net, np.ones((3, 2)), np.zeros(3), lr=0.1, steps=0)


def test_out_of_range_label_is_named():
    net = MLP.from_weights([np.ones((2, 2))])
    with pytest.raises(ValueError, match=r"label 2 out of range for 2 classes"):
        train(net, np.ones((3, 2)), np.array([0, 1, 2]), loss="cross_entropy", lr=0.1, steps=1)
    with pytest.raises(ValueError, match=r"label -1 out of range"):
        softmax_cross_entropy(np.zeros((2, 2)), np.array([0, -1]))
    with pytest.raises(ValueError, match=r"binary targets must lie in \[0, 1\], got 2\.0"):
        binary_cross_entropy_with_logits(np.zeros((2, 1)), np.array([0, 2]))


def test_other_train_arguments_are_validated():
    net = MLP.from_weights([np.ones((1, 2))])
    x, y = np.ones((3, 2)), np.zeros(3)
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'; allowed: mse, cross_entropy, bce"):
        train(net, x, y, loss="hinge", lr=0.1, steps=1)
    with pytest.raises(ValueError, match=r"batch_size must be an int in 1\.\.3 \(or None\), got 4"):
        train(net, x, y, lr=0.1, steps=1, batch_size=4, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"rng .* is required when batch_size is given"):
        train(net, x, y, lr=0.1, steps=1, batch_size=2)
    with pytest.raises(ValueError, match=r"x has 3 rows but y has shape \(4,\)"):
        train(net, x, np.zeros(4), lr=0.1, steps=1)
    with pytest.raises(ValueError, match=r"needs >= 2 outputs, the network has 1"):
        train(net, x, y.astype(int), loss="cross_entropy", lr=0.1, steps=1)

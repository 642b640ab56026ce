r"""Training many copies of one small ReLU network at once: SGD, momentum and Adam.

`initnotes.nn.train` trains one `initnotes.nn.MLP` with plain gradient descent; it is the
readable reference. `train_many` trains ``R`` copies of the same architecture in one loop,
each with its own learning rate, by stacking their weights along a leading axis: the
weights of layer ``k`` are one array of shape ``(R, fan_out, fan_in)`` (PyTorch layout per
copy), the biases ``(R, fan_out)``, and every matrix product is a batched `numpy.matmul`.
That is what makes a whole learning-rate grid (the He page's sweep: 2 inits x 7 rates, 30
layers) train in about two seconds.

The arithmetic per copy is the same as `initnotes.nn`'s: forward $z_k = h_{k-1} W_k^\top +
b_k$, $h_k = \mathrm{relu}(z_k)$ (the last layer linear), the half mean squared error of
`initnotes.nn.mse`, and the backward pass of `initnotes.nn.Dense.backward`
($\partial L/\partial W = (\partial L/\partial z)^\top h$, $\partial L/\partial b = \sum_n
\partial L/\partial z_n$, $\partial L/\partial h = (\partial L/\partial z)\,W$). The tests
check a single copy trained with SGD against `initnotes.nn.train` (to 1e-12), momentum and
Adam against the textbook updates on an `initnotes.nn.MLP`, and the gradients against
finite differences.

What it adds to `initnotes.nn.train`: momentum and Adam (`OPTIMIZERS`), per-copy learning
rates, a periodic evaluation on all the data, and divergence handling (a copy whose loss
exceeds `DIVERGED` stops training). Only ReLU hidden layers, a linear output and squared
error are implemented; every array of a step is allocated once and reused, because at these
sizes allocating costs more than computing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from initnotes import checks

__all__ = ["OPTIMIZERS", "DIVERGED", "TrainManyResult", "check_learning_rates", "train_many"]

#: Optimizers `train_many` knows.
OPTIMIZERS: tuple[str, ...] = ("sgd", "momentum", "adam")

#: A run whose normalized loss goes above this (or becomes inf/nan) counts as diverged:
#: a million times the loss of always predicting the mean.
DIVERGED = 1e6




@dataclass(frozen=True)
class TrainManyResult:
    """What `train_many` records; the leading axis of every array is the copy."""

    steps: np.ndarray  # (E,) number of updates done before each evaluation
    loss: np.ndarray  # (R, E) evaluation loss; inf once a copy diverged
    diverged: np.ndarray  # (R,) bool
    weights: list[np.ndarray] = field(repr=False)  # final (R, fan_out, fan_in) per layer
    biases: list[np.ndarray] = field(repr=False)  # final (R, fan_out) per layer
    #: (R,) int: the step of the evaluation that found the copy diverged (its first inf
    #: entry of ``loss`` is at that step), -1 for a copy that never diverged.
    diverged_at: np.ndarray | None = None


def check_learning_rates(lrs: np.ndarray, n_copies: int) -> np.ndarray:
    """``lrs`` as a float64 array of shape ``(n_copies,)``, every entry finite and > 0.

    Raises:
        ValueError: naming the expected shape, or the first bad rate.
    """
    lrs = np.asarray(lrs, dtype=np.float64)
    if lrs.shape != (n_copies,):
        raise ValueError(f"lrs must have one entry per copy ({n_copies}), got shape {lrs.shape}")
    for lr in lrs:
        checks.positive_float("every learning rate", float(lr))
    return lrs


def train_many(
    weights: Sequence[np.ndarray],
    biases: Sequence[np.ndarray],
    x: np.ndarray,
    y: np.ndarray,
    *,
    lrs: np.ndarray,
    steps: int,
    batch: int,
    rng: np.random.Generator,
    optimizer: str = "sgd",
    momentum: float = 0.9,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    eval_every: int = 10,
    dtype: type = np.float64,
    lr_scales: Sequence[float] | None = None,
) -> TrainManyResult:
    r"""Train ``R`` ReLU networks of one architecture at once on mean squared error.

    Copy ``r`` has weights ``weights[k][r]`` (shape ``(fan_out, fan_in)``, PyTorch layout)
    and biases ``biases[k][r]``; hidden layers use ReLU, the last layer is linear. Every
    step draws one minibatch of ``batch`` rows (shared by all copies), computes the loss
    $L = \frac{1}{2B}\sum_n \lVert f(x_n) - y_n\rVert^2$ (as `initnotes.nn.mse`) and its
    gradients by back-propagation, and updates each copy with its own learning rate:

    * ``"sgd"``: $\theta \leftarrow \theta - \eta g$;
    * ``"momentum"``: $v \leftarrow \mu v + g$, $\theta \leftarrow \theta - \eta v$
      (PyTorch's ``SGD(momentum=mu)``);
    * ``"adam"``: Kingma & Ba (2015), $m \leftarrow \beta_1 m + (1-\beta_1) g$,
      $s \leftarrow \beta_2 s + (1-\beta_2) g^2$,
      $\theta \leftarrow \theta - \eta\,\hat m/(\sqrt{\hat s} + \epsilon)$ with the bias
      corrections $\hat m = m/(1-\beta_1^t)$, $\hat s = s/(1-\beta_2^t)$.

    Every ``eval_every`` steps (and before the first) the loss on all of ``(x, y)`` is
    recorded as ``mean((f(x) - y)**2) / var(y)``: 1 is the loss of always predicting the
    mean. A copy whose loss exceeds `DIVERGED` or is not finite is marked diverged, its
    later losses are ``inf`` and it stops being updated.

    Args:
        weights: one array per layer, each ``(R, fan_out, fan_in)``; copied, not modified.
        biases: one array per layer, each ``(R, fan_out)``.
        x: inputs ``(N, fan_in of layer 1)``.
        y: targets ``(N, fan_out of the last layer)``.
        lrs: learning rate per copy, shape ``(R,)``.
        steps: number of updates.
        batch: minibatch size (rows drawn without replacement each step).
        rng: source of the minibatches.
        optimizer: one of `OPTIMIZERS`.
        momentum: the momentum constant $\mu$ (``"momentum"``).
        betas: Adam's $(\beta_1, \beta_2)$.
        eps: Adam's $\epsilon$.
        eval_every: evaluation period in steps.
        dtype: floating type of the computation (float32 halves the time of a sweep).
        lr_scales: one multiplier of the learning rate per parameter array, in the order
            ``W_1, b_1, W_2, b_2, ...`` (default: all 1). Per-layer rates are what
            parametrizations such as muP prescribe; parameter ``i`` of copy ``r`` is
            updated with rate ``lrs[r] * lr_scales[i]``.

    Raises:
        ValueError: on an unknown optimizer, mismatched shapes or bad numbers.
    """
    checks.one_of("optimizer", optimizer, OPTIMIZERS)
    if len(weights) < 1 or len(weights) != len(biases):
        raise ValueError(f"need one bias per weight, got {len(weights)} weights and {len(biases)} biases")
    Ws = [np.array(W, dtype=dtype) for W in weights]
    bs = [np.array(b, dtype=dtype) for b in biases]
    R = Ws[0].shape[0]
    for k, (W, b) in enumerate(zip(Ws, bs)):
        if W.ndim != 3 or W.shape[0] != R or b.shape != (R, W.shape[1]):
            raise ValueError(
                f"layer {k}: weights must be (R, fan_out, fan_in) and biases (R, fan_out) "
                f"with R = {R}, got {W.shape} and {b.shape}"
            )
        if k and W.shape[2] != Ws[k - 1].shape[1]:
            raise ValueError(f"layer {k} has fan_in {W.shape[2]}, layer {k - 1} fan_out {Ws[k - 1].shape[1]}")
    x = np.asarray(x, dtype=dtype)
    y = np.asarray(y, dtype=dtype)
    if x.ndim != 2 or x.shape[1] != Ws[0].shape[2] or y.shape != (x.shape[0], Ws[-1].shape[1]):
        raise ValueError(f"x must be (N, {Ws[0].shape[2]}) and y (N, {Ws[-1].shape[1]}), "
                         f"got {x.shape} and {y.shape}")
    lrs = check_learning_rates(lrs, R).astype(dtype)
    if lr_scales is None:
        scales = [1.0] * (2 * len(Ws))
    else:
        scales = [checks.nonnegative_float("every lr_scales entry", float(v)) for v in lr_scales]
        if len(scales) != 2 * len(Ws):
            raise ValueError(f"lr_scales must have one entry per parameter array "
                             f"({2 * len(Ws)}: W_1, b_1, ...), got {len(scales)}")
    n = x.shape[0]
    for name, v in (("steps", steps), ("batch", batch), ("eval_every", eval_every)):
        checks.positive_int(name, v)
    if batch > n:
        raise ValueError(f"batch must be at most the number of rows ({n}), got {batch}")

    n_layers = len(Ws)
    widths = [Ws[0].shape[2]] + [W.shape[1] for W in Ws]
    lr = lrs.copy()  # per copy; set to 0 when a copy diverges
    diverged_at = np.full(R, -1)
    var_y = float(np.mean((y - y.mean(axis=0)) ** 2))
    # Every array of a step is allocated once and reused: arrays of ~100 KB allocated anew
    # at every layer and step cost more time (page faults) than the arithmetic on them.
    xb = np.empty((R, batch, widths[0]), dtype)  # the minibatch, one copy per network
    Z = [np.empty((R, batch, w), dtype) for w in widths[1:]]  # pre-activations z_k
    H = [xb] + [np.empty_like(z) for z in Z[:-1]]  # inputs of each layer: x, h_1, ...
    G = [np.empty((R, batch, w), dtype) for w in widths[1:-1]]  # dL/dh_k for hidden layers
    params = [p for pair in zip(Ws, bs) for p in pair]  # W1, b1, W2, b2, ...
    grads = [np.empty_like(p) for p in params]  # dL/dW1, dL/db1, ...
    scratch = [np.empty_like(p) for p in params]
    state1 = [np.zeros_like(p) for p in params]  # velocity, or Adam's first moment
    state2 = [np.zeros_like(p) for p in params] if optimizer == "adam" else []
    b1, b2 = betas

    def evaluate() -> np.ndarray:
        # In chunks of `batch` rows: matrix products this small run on one BLAS thread,
        # which for these sizes is several times faster than OpenBLAS's threaded path.
        sq_err = np.zeros(R)
        for start in range(0, n, batch):
            h = x[start:start + batch]
            for k in range(n_layers):
                z = h @ Ws[k].transpose(0, 2, 1) + bs[k][:, None, :]
                h = np.maximum(z, 0.0) if k < n_layers - 1 else z
            sq_err += np.sum((h - y[start:start + batch]) ** 2, axis=(1, 2), dtype=np.float64)
        loss = sq_err / (n * y.shape[1]) / var_y
        return np.where(lr > 0, loss, np.inf)

    eval_steps, losses = [0], [evaluate()]
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, steps + 1):
            idx = rng.choice(n, size=batch, replace=False)
            xb[:] = x[idx]
            # forward: z_k = h_{k-1} W_k^T + b_k, h_k = relu(z_k), the last layer linear
            for k in range(n_layers):
                np.matmul(H[k], Ws[k].transpose(0, 2, 1), out=Z[k])
                Z[k] += bs[k][:, None, :]
                if k < n_layers - 1:
                    np.maximum(Z[k], 0.0, out=H[k + 1])
            # backward, as nn.Dense.backward; g is dL/dz_k
            g = (Z[-1] - y[idx]) / batch  # dL/d output for L = sum of squares / (2 batch)
            for k in reversed(range(n_layers)):
                np.matmul(g.transpose(0, 2, 1), H[k], out=grads[2 * k])  # dL/dW_k
                np.sum(g, axis=1, out=grads[2 * k + 1])  # dL/db_k
                if k:
                    g = np.matmul(g, Ws[k], out=G[k - 1])  # dL/dh_{k-1}
                    g *= Z[k - 1] > 0  # through the ReLU: dL/dz_{k-1}
            for i, (p, gr) in enumerate(zip(params, grads)):
                rate = lr.reshape((R,) + (1,) * (p.ndim - 1)) * scales[i]
                if optimizer == "sgd":
                    step = gr
                elif optimizer == "momentum":
                    state1[i] *= momentum
                    state1[i] += gr
                    step = state1[i]
                else:  # m_hat / (sqrt(s_hat) + eps), written with in-place operations
                    state1[i] *= b1
                    state1[i] += (1 - b1) * gr
                    np.multiply(gr, gr, out=scratch[i])
                    scratch[i] *= 1 - b2
                    state2[i] *= b2
                    state2[i] += scratch[i]
                    step = scratch[i]
                    np.sqrt(state2[i], out=step)
                    step *= 1 / math.sqrt(1 - b2**t)
                    step += eps
                    np.divide(state1[i], step, out=step)
                    step *= 1 / (1 - b1**t)
                np.multiply(step, rate, out=scratch[i])
                p -= scratch[i]
            if t % eval_every == 0 or t == steps:
                loss = evaluate()
                bad = (lr > 0) & ~(np.isfinite(loss) & (loss <= DIVERGED))
                if bad.any():  # stop a diverged copy and park it at zero (no overflow later)
                    diverged_at[bad] = t
                    lr[bad] = 0.0
                    loss[bad] = np.inf
                    for p in params + state1 + state2:
                        p[bad] = 0.0
                eval_steps.append(t)
                losses.append(loss)
    return TrainManyResult(
        steps=np.array(eval_steps),
        loss=np.stack(losses, axis=1),
        diverged=lr == 0,
        weights=Ws,
        biases=bs,
        diverged_at=diverged_at,
    )

r"""Standard parametrization against muP: a coordinate check and learning-rate sweeps over width.

The network is a ReLU MLP with widths ``(d_in, n, n, 1)``: an **input** layer
$W_1 \in \mathbb{R}^{n \times d_\text{in}}$ (finite fan_in, width fan_out), one **hidden**
layer $W_2 \in \mathbb{R}^{n \times n}$ and an **output** (readout) layer
$W_3 \in \mathbb{R}^{1 \times n}$; biases start at zero. Two parametrizations set, as a
function of the width $n$, each layer's initial variance and learning rate (Yang et al.
2022, Tensor Programs V, Table 3). With a base width $n_0$ and the width multiplier
$m = n / n_0$ (so that at $n = n_0$ both share their learning rates, the convention of the
``mup`` package):

| | input weights, all biases | hidden weights | output weights |
|---|---|---|---|
| initial variance, SP and muP | $2/\text{fan\_in}$ | $2/\text{fan\_in}$ | SP $1/\text{fan\_in}$; muP 0 |
| SGD learning rate, SP | $\eta$ | $\eta$ | $\eta$ |
| SGD learning rate, muP | $\eta\, m$ (output bias $\eta$) | $\eta$ | $\eta / m$ |
| Adam learning rate, SP | $\eta$ | $\eta$ | $\eta$ |
| Adam learning rate, muP | $\eta$ | $\eta / m$ | $\eta / m$ |

The factor 2 in the initial variances is the ReLU gain (He); Table 3 writes the scaling
$1/\text{fan\_in}$ and leaves constants to tuning. The muP readout starts at zero (the
``readout_zero_init`` option of the ``mup`` package; Table 3's $1/\text{fan\_in}^2$ tends
to it). The output bias has a finite fan_out, so its SGD rate stays $\eta$.

Two experiments:

* `coordinate_check`: train each width a few steps with one base learning rate and record,
  per layer, the mean absolute entry of the pre-activations and of the output, and of their
  change since initialization. Under SP the changes grow with the width; under muP they do
  not (the check of the ``mup`` package's README).
* `lr_sweep`: train each width at every learning rate of a grid and record the final loss;
  under SP the best rate shrinks as the width grows, under muP it stays put.

Both train with `initnotes.trainer.train_many` (its ``lr_scales`` are the per-layer rates
above) on a teacher task (`teacher_task`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from initnotes import checks
from initnotes.trainer import OPTIMIZERS, train_many
from initnotes.trainer import check_learning_rates as _check_lrs

#: The two parametrizations: standard ("sp") and maximal update ("mup").
PARAMETRIZATIONS: tuple[str, ...] = ("sp", "mup")
#: The optimizers whose muP rules the module implements.
MUP_OPTIMIZERS: tuple[str, ...] = ("sgd", "adam")


def lr_scales(parametrization: str, optimizer: str, width: int, base_width: int) -> list[float]:
    r"""The per-parameter learning-rate multipliers ``W_1, b_1, W_2, b_2, W_3, b_3``.

    SP: all 1. muP with $m = \text{width}/\text{base\_width}$: SGD ``[m, m, 1, m, 1/m, 1]``,
    Adam ``[1, 1, 1/m, 1, 1/m, 1]`` (see the module docstring's table).

    Raises:
        ValueError: on an unknown parametrization or optimizer, or a width < 1.
    """
    checks.one_of("parametrization", parametrization, PARAMETRIZATIONS)
    checks.one_of("optimizer", optimizer, MUP_OPTIMIZERS)
    m = checks.positive_int("width", width) / checks.positive_int("base_width", base_width)
    if parametrization == "sp":
        return [1.0] * 6
    if optimizer == "sgd":
        return [m, m, 1.0, m, 1.0 / m, 1.0]
    return [1.0, 1.0, 1.0 / m, 1.0, 1.0 / m, 1.0]


def initial_weights(parametrization: str, sizes: Sequence[int], copies: int,
                    rng: np.random.Generator) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights ``(copies, fan_out, fan_in)`` and zero biases of the MLP ``sizes``.

    Every copy is the same draw (a sweep compares learning rates from one start). Input and
    hidden layers: normal with variance ``2/fan_in``; the readout: variance ``1/fan_in``
    (SP) or zero (muP).
    """
    checks.one_of("parametrization", parametrization, PARAMETRIZATIONS)
    Ws, bs = [], []
    for k, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        last = k == len(sizes) - 2
        if last and parametrization == "mup":
            W = np.zeros((fan_out, fan_in))
        else:
            W = rng.standard_normal((fan_out, fan_in)) * np.sqrt((1.0 if last else 2.0) / fan_in)
        Ws.append(np.broadcast_to(W, (copies, fan_out, fan_in)).copy())
        bs.append(np.zeros((copies, fan_out)))
    return Ws, bs


def teacher_task(n_samples: int, d_in: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    r"""Inputs $x \sim \mathcal{N}(0, I)$ and targets from a random tanh teacher of width 64,
    standardized to mean 0 and variance 1."""
    x = rng.standard_normal((n_samples, d_in))
    A = rng.standard_normal((64, d_in)) * np.sqrt(2.0 / d_in)
    v = rng.standard_normal((1, 64)) / 8.0
    y = np.tanh(x @ A.T) @ v.T
    return x, (y - y.mean()) / y.std()


def forward_layers(Ws: Sequence[np.ndarray], bs: Sequence[np.ndarray], x: np.ndarray) -> list[np.ndarray]:
    """Pre-activations of each layer of copy 0 (the last one is the output), on ``x``."""
    out, h = [], x
    for k, (W, b) in enumerate(zip(Ws, bs)):
        a = h @ W[0].T + b[0]
        out.append(a)
        h = np.maximum(a, 0.0)
    return out


@dataclass(frozen=True)
class _Common:
    widths: tuple[int, ...]
    base_width: int
    d_in: int
    n_samples: int
    batch: int
    steps: int
    optimizer: str

    def _check(self) -> None:
        checks.non_empty("widths", self.widths)
        for n in self.widths:
            checks.positive_int("every width", n)
        for name in ("base_width", "d_in", "n_samples", "batch", "steps"):
            checks.positive_int(name, getattr(self, name))
        if self.batch > self.n_samples:
            raise ValueError(f"batch must be at most n_samples ({self.n_samples}), got {self.batch}")
        checks.one_of("optimizer", self.optimizer, MUP_OPTIMIZERS)


@dataclass(frozen=True)
class CoordCheckConfig(_Common):
    """Widths 32 to 1024, five Adam steps at ``lr`` (one copy per width: about 0.2 s)."""

    widths: tuple[int, ...] = (32, 64, 128, 256, 512, 1024)
    base_width: int = 32
    d_in: int = 16
    n_samples: int = 256
    batch: int = 64
    steps: int = 5
    optimizer: str = "adam"
    lr: float = 0.01

    def __post_init__(self) -> None:
        self._check()
        checks.positive_float("lr", self.lr)


@dataclass(frozen=True)
class CoordCheckResults:
    config: CoordCheckConfig
    #: (parametrization) -> (widths, layers) mean |entry| of each pre-activation at init.
    size_at_init: dict[str, np.ndarray]
    #: (parametrization) -> (widths, layers) mean |change| of each pre-activation after training.
    change: dict[str, np.ndarray]

    def growth(self, parametrization: str) -> np.ndarray:
        """Per layer: change at the widest width over change at the narrowest."""
        c = self.change[parametrization]
        return c[-1] / c[0]


def coordinate_check(config: CoordCheckConfig, rng: np.random.Generator) -> CoordCheckResults:
    """Train every width ``steps`` steps under SP and muP; per layer, the mean absolute
    pre-activation at init and its mean absolute change on all the data."""
    x, y = teacher_task(config.n_samples, config.d_in, rng)
    size, change = {}, {}
    for p in PARAMETRIZATIONS:
        s_rows, c_rows = [], []
        for n in config.widths:
            sizes = (config.d_in, n, n, 1)
            Ws, bs = initial_weights(p, sizes, 1, rng)
            before = forward_layers(Ws, bs, x)
            res = train_many(Ws, bs, x, y, lrs=np.array([config.lr]), steps=config.steps,
                             batch=config.batch, rng=rng, optimizer=config.optimizer,
                             eval_every=config.steps,
                             lr_scales=lr_scales(p, config.optimizer, n, config.base_width))
            after = forward_layers(res.weights, res.biases, x)
            s_rows.append([float(np.mean(np.abs(a))) for a in before])
            c_rows.append([float(np.mean(np.abs(a1 - a0))) for a0, a1 in zip(before, after)])
        size[p], change[p] = np.array(s_rows), np.array(c_rows)
    return CoordCheckResults(config, size, change)


@dataclass(frozen=True)
class MupSweepConfig(_Common):
    """Widths 32 to 256, ten learning rates an octave apart, 100 SGD steps of batch 32,
    the loss measured on all the data every 20 steps.

    Chosen for the build budget (about 0.7 s per parametrization and seed, in float32).
    The score of a run is its mean loss over the evaluations of the second half of
    training: the final loss alone is noisy near the best rate (minibatch noise, and a flat
    minimum), which moves the best rate of a single seed by an octave either way.
    """

    widths: tuple[int, ...] = (32, 64, 128, 256)
    base_width: int = 32
    d_in: int = 16
    n_samples: int = 1024
    batch: int = 32
    steps: int = 100
    optimizer: str = "sgd"
    lrs: tuple[float, ...] = tuple(2.0 ** k for k in range(-9, 1))
    eval_every: int = 20

    def __post_init__(self) -> None:
        self._check()
        _check_lrs(np.array(self.lrs), len(self.lrs))
        checks.positive_int("eval_every", self.eval_every)
        if self.steps % self.eval_every:
            raise ValueError(f"steps ({self.steps}) must be a multiple of eval_every, "
                             f"got {self.eval_every}")


@dataclass(frozen=True)
class MupSweepResults:
    config: MupSweepConfig
    #: (parametrization) -> (widths, lrs) mean training loss over the evaluations of the
    #: second half of training (normalized: 1 is the loss of predicting the mean; inf if the
    #: run diverged).
    loss: dict[str, np.ndarray]

    def best_lr(self, parametrization: str) -> np.ndarray:
        """Per width, the learning rate with the lowest final loss."""
        return np.array(self.config.lrs)[np.argmin(self.loss[parametrization], axis=1)]

    def best_shift_octaves(self, parametrization: str) -> float:
        """log2 of (best rate at the narrowest width / best rate at the widest)."""
        best = self.best_lr(parametrization)
        return float(np.log2(best[0] / best[-1]))

    def best_range_octaves(self, parametrization: str) -> float:
        """log2 of (largest best rate / smallest best rate) over the widths."""
        best = self.best_lr(parametrization)
        return float(np.log2(best.max() / best.min()))


def lr_sweep(config: MupSweepConfig, rng: np.random.Generator) -> MupSweepResults:
    """Training loss (mean over the second half of training) of every (parametrization,
    width, learning rate).

    One data set and, per width, one initial draw shared by SP and muP (their input and
    hidden layers start equal); every rate trains from that start on the same minibatches.
    """
    x, y = teacher_task(config.n_samples, config.d_in, rng)
    lrs = np.array(config.lrs)
    loss = {p: np.empty((len(config.widths), len(lrs))) for p in PARAMETRIZATIONS}
    for i, n in enumerate(config.widths):
        sizes = (config.d_in, n, n, 1)
        seed = int(rng.integers(2**32))
        for p in PARAMETRIZATIONS:
            init_rng = np.random.default_rng(seed)
            Ws, bs = initial_weights(p, sizes, len(lrs), init_rng)
            res = train_many(Ws, bs, x, y, lrs=lrs, steps=config.steps, batch=config.batch,
                             rng=init_rng, optimizer=config.optimizer,
                             eval_every=config.eval_every, dtype=np.float32,
                             lr_scales=lr_scales(p, config.optimizer, n, config.base_width))
            late = res.steps > config.steps // 2
            loss[p][i] = res.loss[:, late].mean(axis=1)
    return MupSweepResults(config, loss)


__all__ = ["PARAMETRIZATIONS", "MUP_OPTIMIZERS", "OPTIMIZERS", "lr_scales", "initial_weights",
           "teacher_task", "forward_layers", "CoordCheckConfig", "CoordCheckResults",
           "coordinate_check", "MupSweepConfig", "MupSweepResults", "lr_sweep"]

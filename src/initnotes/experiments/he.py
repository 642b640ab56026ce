r"""He/Kaiming initialization: deep ReLU networks under Xavier and He init, measured.

Three experiments back the He page:

* `layer_statistics`: the per-layer standard deviation of activations and gradients of a
  deep ReLU network at initialization, under Xavier and He init (it runs
  `initnotes.experiments.signal.propagate` once per init). With Xavier's
  $\operatorname{Var}(w) = 1/n$ each ReLU layer halves the second moment, so the std
  shrinks by $2^{-1/2}$ per layer; He's $2/n$ keeps it.
* `fan_modes`: a ReLU network whose widths grow and shrink, initialized with He init in
  ``mode="fan_in"`` or ``mode="fan_out"``: the first keeps the forward signal's variance,
  the second the backward gradient's, and the other one changes only by a ratio of widths.
* `lr_sweep`: a 30-layer ReLU network trained on a small regression task from a Xavier
  start and from a He start, at every learning rate of a grid, with plain SGD, SGD with
  momentum or Adam. As in He et al. (2015), Figure 3, the Xavier start does not train with
  SGD at any rate while the He start does; Adam, which divides each step by the gradient's
  own running scale, trains both.

The sweep trains the whole learning-rate grid at once with `initnotes.trainer.train_many`
(many copies of one network with stacked weights; SGD, momentum or Adam).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from initnotes import checks
from initnotes import init as initializers
from initnotes import nn, theory
from initnotes.experiments import signal
from initnotes.theory import gaussian_expectation
from initnotes.trainer import OPTIMIZERS, train_many
from initnotes.trainer import check_learning_rates as _check_lrs


#: The loss a run must reach to count as "trained": half of the target's variance explained
#: (1 is the loss of always predicting the mean, see `train_many`).
THRESHOLD = 0.5


# ---------------------------------------------------------------------------
# Per-layer statistics at initialization
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerStatsConfig:
    """A deep ReLU network at initialization.

    Width 256 and a batch of 256 give 65,536 values per layer, so each layer's std is
    measured to well under 1 %; the layer-to-layer randomness of the weights (about
    ``sqrt(5 / width)`` per layer in the second moment) is what remains.
    """

    depth: int = 30
    width: int = 256
    batch: int = 256
    inits: tuple[str, ...] = ("xavier_normal", "he_normal")


@dataclass(frozen=True)
class LayerStats:
    """Per-layer statistics for each init; index ``l`` is layer ``l + 1``."""

    config: LayerStatsConfig
    results: dict[str, signal.SignalResults] = field(repr=False)

    def activation_std(self, init: str) -> np.ndarray:
        """std of the ReLU outputs ``h_l`` per layer."""
        return self.results[init].activation_std

    def preactivation_std(self, init: str) -> np.ndarray:
        """std of ``z_l = W_l h_{l-1}`` per layer."""
        return self.results[init].preactivation_std

    def gradient_std(self, init: str) -> np.ndarray:
        """std of ``dL/dh_l`` per layer."""
        return self.results[init].gradient_std

    def weight_gradient_std(self, init: str) -> np.ndarray:
        """std of ``dL/dW_l`` per layer."""
        return self.results[init].weight_gradient_std


def layer_statistics(config: LayerStatsConfig, rng: np.random.Generator) -> LayerStats:
    """Propagate one batch forward and one random gradient backward, once per init."""
    results = {
        name: signal.propagate(
            signal.SignalConfig(init=name, activation="relu", depth=config.depth,
                                width=config.width, batch=config.batch, keep=1),
            rng,
        )
        for name in config.inits
    }
    return LayerStats(config=config, results=results)


def relu_std_prediction(depth: int, *, weight_variance_times_fan_in: float,
                        input_variance: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    r"""The std of ``z_l`` and ``h_l = relu(z_l)`` that the variance argument predicts.

    For square layers with $n \operatorname{Var}(w) = c$ and a zero-mean symmetric
    ``z``: $\operatorname{Var}(z_1) = c \operatorname{Var}(x)$ (the input is not
    rectified), $\operatorname{Var}(z_{l+1}) = c\,E[h_l^2] = \tfrac{c}{2}\operatorname{Var}(z_l)$,
    and $\operatorname{std}(h_l) = \operatorname{std}(z_l)\sqrt{\tfrac12 - \tfrac{1}{2\pi}}$
    (the mean of a rectified normal is $\sigma/\sqrt{2\pi}$, its second moment $\sigma^2/2$).

    Returns:
        ``(std_z, std_h)``, each of shape ``(depth,)``.
    """
    c = float(weight_variance_times_fan_in)
    var_z = c * input_variance * (c / 2) ** np.arange(depth)
    std_z = np.sqrt(var_z)
    return std_z, std_z * math.sqrt(0.5 - 0.5 / math.pi)


def relu_gradient_prediction(depth: int, *, weight_variance_times_fan_in: float,
                             output_gradient_variance: float = 1.0) -> np.ndarray:
    r"""The std of ``dL/dh_l`` per layer that the variance argument predicts (square layers).

    Going down through layer $l$: $\operatorname{Var}(\partial L/\partial z_l) =
    \tfrac12 \operatorname{Var}(\partial L/\partial h_l)$ (the ReLU passes half of the
    gradient) and $\operatorname{Var}(\partial L/\partial h_{l-1}) = c\,
    \operatorname{Var}(\partial L/\partial z_l)$ with $c = n\operatorname{Var}(w)$, so
    $\operatorname{std}(\partial L/\partial h_l) = (c/2)^{(L-l)/2}$ times the output's.
    """
    c = float(weight_variance_times_fan_in)
    return np.sqrt(output_gradient_variance * (c / 2) ** (depth - np.arange(1, depth + 1)))


# ---------------------------------------------------------------------------
# Gains
# ---------------------------------------------------------------------------

def activation_and_derivative(nonlinearity: str, param: float | None = None):
    """``(f, f')`` for a name accepted by `initnotes.init.gain`, from the table of `initnotes.nn`.

    ``"linear"`` and the convolutions are the identity; ``param`` is leaky ReLU's negative
    slope (default 0.01, as in `initnotes.init.gain`).
    """
    if nonlinearity not in initializers.NONLINEARITIES:
        raise ValueError(f"nonlinearity must be one of {initializers.NONLINEARITIES}, "
                         f"got {nonlinearity!r}")
    if nonlinearity == "linear" or nonlinearity.startswith("conv"):
        return theory.activation_functions("identity")
    if nonlinearity == "leaky_relu":
        return theory.activation_functions(nn.LeakyReLU(0.01 if param is None else param))
    return theory.activation_functions(nonlinearity)


def one_layer_gains(nonlinearity: str, param: float | None = None) -> tuple[float, float]:
    r"""The gains that keep the second moment through one layer, for $z \sim \mathcal N(0, 1)$.

    Forward, a layer with $\operatorname{Var}(w) = g^2/n$ after $h = f(z)$ gives the next
    pre-activation the variance $g^2 E[f(z)^2]$; backward, the gradient's variance is
    multiplied by $g^2 E[f'(z)^2]$. The gains that make these 1 are

    $$g_\text{fwd} = 1/\sqrt{E[f(z)^2]}, \qquad g_\text{bwd} = 1/\sqrt{E[f'(z)^2]}.$$

    For ReLU and leaky ReLU both equal $\sqrt{2/(1 + a^2)}$, He et al.'s value.
    """
    return _gains(*activation_and_derivative(nonlinearity, param))


def activation_gains(activation: str) -> tuple[float, float]:
    r"""`one_layer_gains` for any activation of `initnotes.nn.ACTIVATIONS`, by name.

    For the activations that `initnotes.init.gain` (like PyTorch's ``calculate_gain``) has no
    entry for, such as ``"gelu"`` (about 1.53 forward, 1.48 backward) and ``"silu"`` (about
    1.68 and 1.62).
    """
    if activation not in nn.ACTIVATIONS:
        raise ValueError(f"activation must be one of {tuple(nn.ACTIVATIONS)}, got {activation!r}")
    return _gains(*theory.activation_functions(activation))


def _gains(f, df) -> tuple[float, float]:
    """$1/\\sqrt{E[f(z)^2]}$ and $1/\\sqrt{E[f'(z)^2]}$ for $z \\sim \\mathcal N(0, 1)$."""
    fwd = gaussian_expectation(lambda z: f(z) ** 2)
    bwd = gaussian_expectation(lambda z: df(z) ** 2)
    return 1 / math.sqrt(fwd), 1 / math.sqrt(bwd)


# ---------------------------------------------------------------------------
# fan_in versus fan_out
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FanModeConfig:
    """A ReLU network whose widths change, so that fan_in and fan_out differ.

    ``widths[0]`` is the input; every layer, the last included, is followed by a ReLU
    (as in `signal.propagate`), and the backward pass starts from a standard-normal
    gradient at the last layer's output. The variances are averaged over ``repeats``
    independent draws of the weights: the prediction is an average over weights, and one
    draw of a 32-unit layer moves the variance by about ``sqrt(5 / 32)``, 40 %; 32 draws
    bring that to about 7 %.
    """

    widths: tuple[int, ...] = (32, 64, 128, 256, 512, 256, 128, 64, 32)
    batch: int = 64
    repeats: int = 32
    modes: tuple[str, ...] = ("fan_in", "fan_out")

    def __post_init__(self) -> None:
        checks.positive_int("repeats", self.repeats)
        if len(self.widths) < 2 or any(
            isinstance(w, bool) or not isinstance(w, int | np.integer) or w < 1 for w in self.widths
        ):
            raise ValueError(f"widths must be at least two positive integers, got {self.widths!r}")
        for mode in self.modes:
            checks.one_of("modes", mode, ("fan_in", "fan_out"))


@dataclass(frozen=True)
class FanModeResults:
    """Measured and predicted per-layer std for each mode.

    ``forward[mode][l]`` is the std of ``z_{l+1}`` (layer ``l + 1``'s pre-activations);
    ``backward[mode][l]`` is the std of ``dL/dh_l``, the gradient with respect to layer
    ``l + 1``'s *input* (``l = 0`` is the network input).
    """

    config: FanModeConfig
    forward: dict[str, np.ndarray]
    backward: dict[str, np.ndarray]
    forward_predicted: dict[str, np.ndarray]
    backward_predicted: dict[str, np.ndarray]


def fan_mode_prediction(widths: Sequence[int], mode: str) -> tuple[np.ndarray, np.ndarray]:
    r"""Predicted std of ``z_l`` and of ``dL/dh_{l-1}`` under He init in ``mode``.

    With $\operatorname{Var}(w_l) = 2/n$, $n$ = fan_in $= n_{l-1}$ or fan_out $= n_l$:

    * forward, $\operatorname{Var}(z_1) = n_0 \operatorname{Var}(w_1)$ (unit-variance,
      unrectified input) and $\operatorname{Var}(z_l) = n_{l-1}\operatorname{Var}(w_l)\,
      \operatorname{Var}(z_{l-1})/2$;
    * backward, the output gradient has unit variance, the ReLU halves it,
      $\operatorname{Var}(\partial L/\partial z_l) = \operatorname{Var}(\partial L/\partial h_l)/2$,
      and $\operatorname{Var}(\partial L/\partial h_{l-1}) = n_l \operatorname{Var}(w_l)\,
      \operatorname{Var}(\partial L/\partial z_l)$.
    """
    n = [int(w) for w in widths]
    depth = len(n) - 1
    var_w = [2.0 / (n[k] if mode == "fan_in" else n[k + 1]) for k in range(depth)]
    fwd = np.empty(depth)
    fwd[0] = n[0] * var_w[0]
    for k in range(1, depth):
        fwd[k] = n[k] * var_w[k] * fwd[k - 1] / 2
    bwd = np.empty(depth)
    g = 1.0  # Var(dL/dh_L)
    for k in reversed(range(depth)):
        g = n[k + 1] * var_w[k] * g / 2  # Var(dL/dh_k) from Var(dL/dh_{k+1})
        bwd[k] = g
    return np.sqrt(fwd), np.sqrt(bwd)


def fan_modes(config: FanModeConfig, rng: np.random.Generator) -> FanModeResults:
    """Forward a standard-normal batch and backward a standard-normal gradient per mode."""
    fwd, bwd, fwd_p, bwd_p = {}, {}, {}, {}
    widths = config.widths
    for mode in config.modes:
        var_f, var_b = 0.0, 0.0
        for _ in range(config.repeats):
            weights = [
                initializers.he_normal((widths[k + 1], widths[k]), mode=mode,
                                       nonlinearity="relu", rng=rng)
                for k in range(len(widths) - 1)
            ]
            net = nn.MLP.from_weights(weights, activation="relu", output_activation="relu")
            net.forward(rng.standard_normal((config.batch, widths[0])))
            net.backward(rng.standard_normal((config.batch, widths[-1])))
            var_f = var_f + np.array([z.var() for z in net.preactivations])
            var_b = var_b + np.array([net.input_grad.var()]
                                     + [g.var() for g in net.activation_grads[:-1]])
        fwd[mode] = np.sqrt(var_f / config.repeats)
        bwd[mode] = np.sqrt(var_b / config.repeats)
        fwd_p[mode], bwd_p[mode] = fan_mode_prediction(widths, mode)
    return FanModeResults(config, fwd, bwd, fwd_p, bwd_p)


# ---------------------------------------------------------------------------
# The learning-rate sweep
# ---------------------------------------------------------------------------

#: Learning rates of the SGD sweeps (with and without momentum): half-decades from 3e-3
#: to 3. At the top every run diverges, at the bottom the He start already trains slowly.
SGD_LRS: tuple[float, ...] = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
#: Learning rates of the Adam sweep: half-decades from 1e-4 to 0.1 (Adam's step is about
#: the learning rate itself, so its useful rates are smaller).
ADAM_LRS: tuple[float, ...] = (0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1)


@dataclass(frozen=True)
class SweepConfig:
    """Train a deep ReLU network on a random-teacher regression, per init and learning rate.

    The task: ``x ~ N(0, I)`` in ``input_dim`` dimensions and a fixed random "teacher"
    ``y = v . tanh(1.5 W x)`` with ``teacher_width`` hidden units, standardized to mean 0
    and variance 1, so a loss of 1 means "predicts the mean" (see `train_many`).
    The student has ``depth`` weight layers of ``width`` ReLU units and a linear output.

    Chosen for speed (He et al. trained a 30-layer convolutional network on ImageNet): width
    64, 256 training points, minibatches of 32, 120 steps and float32 arithmetic, so that a
    grid of 2 inits x 7 learning rates trains in about two seconds. ``lrs=None`` means
    `SGD_LRS` for SGD with or without momentum and `ADAM_LRS` for Adam. Momentum 0.9 is what
    He et al. used.
    """

    depth: int = 30
    width: int = 64
    input_dim: int = 16
    teacher_width: int = 32
    n_train: int = 256
    batch: int = 32
    steps: int = 120
    eval_every: int = 15
    optimizer: str = "sgd"
    momentum: float = 0.9
    inits: tuple[str, ...] = ("xavier_normal", "he_normal")
    lrs: tuple[float, ...] | None = None
    dtype: str = "float32"

    def __post_init__(self) -> None:
        checks.one_of("optimizer", self.optimizer, OPTIMIZERS)
        for name in ("depth", "width", "input_dim", "teacher_width", "n_train", "batch",
                     "steps", "eval_every"):
            checks.positive_int(name, getattr(self, name))
        if self.depth < 2:
            raise ValueError(f"depth must be at least 2 (hidden layers and an output), got {self.depth}")
        for name in self.inits:
            if name not in initializers.PRESETS:
                raise ValueError(f"inits must be names in initnotes.init.PRESETS, got {name!r}")
        if self.lrs is None:
            object.__setattr__(self, "lrs", ADAM_LRS if self.optimizer == "adam" else SGD_LRS)
        checks.non_empty("lrs", self.lrs)
        _check_lrs(np.array(self.lrs), len(self.lrs))
        if self.batch > self.n_train:
            raise ValueError(f"batch must be at most n_train ({self.n_train}), got {self.batch}")
        if self.dtype not in ("float32", "float64"):
            raise ValueError(f"dtype must be 'float32' or 'float64', got {self.dtype!r}")

    @property
    def sizes(self) -> tuple[int, ...]:
        """Layer widths of the student, input to output."""
        return (self.input_dim, *([self.width] * (self.depth - 1)), 1)


@dataclass(frozen=True)
class SweepResults:
    """Loss curves of every (init, learning rate) pair."""

    config: SweepConfig
    steps: np.ndarray  # (E,)
    loss: np.ndarray  # (n_inits, n_lrs, E) normalized training loss, inf after divergence
    diverged: np.ndarray  # (n_inits, n_lrs) bool

    @property
    def final_loss(self) -> np.ndarray:
        """``loss[..., -1]``: the loss after the last step (inf if diverged)."""
        return self.loss[..., -1]

    def best_index(self, init: str) -> int:
        """Index into ``config.lrs`` of the rate with the lowest final loss for ``init``."""
        return int(np.argmin(self.final_loss[self.config.inits.index(init)]))

    def best_lr(self, init: str) -> float:
        """The learning rate with the lowest final loss for ``init``."""
        return self.config.lrs[self.best_index(init)]

    def best_curve(self, init: str) -> np.ndarray:
        """The loss curve at `best_lr`."""
        return self.loss[self.config.inits.index(init), self.best_index(init)]


def teacher_task(config: SweepConfig, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The regression data ``(x, y)``: ``x`` is ``(n_train, input_dim)``, ``y`` ``(n_train, 1)``."""
    x = rng.standard_normal((config.n_train, config.input_dim))
    W = rng.standard_normal((config.teacher_width, config.input_dim)) / math.sqrt(config.input_dim)
    v = rng.standard_normal(config.teacher_width)
    y = np.tanh(1.5 * x @ W.T) @ v
    y = (y - y.mean()) / y.std()
    return x, y[:, None]


def lr_sweep(config: SweepConfig, rng: np.random.Generator) -> SweepResults:
    """Train from each init at each learning rate; all rates of an init share its start.

    The generator draws, in order: the data, one set of initial weights per init (shared by
    all of that init's learning rates, so rates are compared from the same start), then the
    minibatches (shared by every run).
    """
    x, y = teacher_task(config, rng)
    sizes = config.sizes
    n_lrs = len(config.lrs)
    stacked_W: list[list[np.ndarray]] = [[] for _ in range(len(sizes) - 1)]
    for name in config.inits:
        fn = initializers.PRESETS[name]
        for k in range(len(sizes) - 1):
            W = fn((sizes[k + 1], sizes[k]), rng=rng)
            stacked_W[k].append(np.broadcast_to(W, (n_lrs, *W.shape)))
    weights = [np.concatenate(ws) for ws in stacked_W]
    biases = [np.zeros((W.shape[0], W.shape[1])) for W in weights]
    lrs = np.tile(np.array(config.lrs), len(config.inits))
    run = train_many(weights, biases, x, y, lrs=lrs, steps=config.steps, batch=config.batch,
                     rng=rng, optimizer=config.optimizer, momentum=config.momentum,
                     eval_every=config.eval_every, dtype=np.dtype(config.dtype).type)
    shape = (len(config.inits), n_lrs)
    return SweepResults(
        config=config,
        steps=run.steps,
        loss=run.loss.reshape(*shape, -1),
        diverged=run.diverged.reshape(shape),
    )

r"""Why the scale of a random init matters: signal and gradients through a deep tanh net.

Wraps `initnotes.experiments.signal.propagate` for several weight scales and adds what the
scale page needs on top: the gradient with respect to each layer's pre-activations
(``dL/dz = dL/dh * tanh'(z)``, the quantity Glorot and Bengio plot), and the mean-field
prediction of every per-layer statistic, computed from the variance recursion

$$
q_l = n\,\sigma_w^2\, \mathbb E\big[\tanh^2(\sqrt{q_{l-1}}\,\xi)\big], \qquad
\xi \sim \mathcal N(0, 1),
$$

for the variance $q_l$ of the pre-activations $z_l$ (with $q_1 = n\sigma_w^2\,\mathbb E[x^2]$),
and its backward counterpart
$\operatorname{Var}(\partial L/\partial h_{l-1}) = n\sigma_w^2\,
\mathbb E[\tanh'(z_l)^2]\,\operatorname{Var}(\partial L/\partial h_l)$.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from initnotes import checks
from initnotes import theory
from initnotes.experiments.signal import SignalConfig, SignalResults, propagate

#: |h| above this counts as saturated (as in `signal.propagate`): tanh' = 1 - h^2 < 0.0199.
SATURATION = 0.99


@dataclass(frozen=True)
class Scale:
    """One weight distribution: a label for the page, the initializer and its arguments."""

    label: str
    init: str  # "normal" or "uniform" (any name `signal.INITS` accepts)
    init_kwargs: tuple[tuple[str, float], ...] = ()

    @property
    def std(self) -> float:
        """The standard deviation of one weight."""
        kw = dict(self.init_kwargs)
        if self.init == "normal":
            return float(kw.get("std", 0.01))
        if self.init == "uniform":
            low, high = kw.get("low", -0.01), kw.get("high", 0.01)
            return float((high - low) / math.sqrt(12.0))
        raise ValueError(f"std is known for 'normal' and 'uniform' only, got {self.init!r}")


def normal_scale(std: float, label: str | None = None) -> Scale:
    return Scale(label or f"N(0, {std:g}²)", "normal", (("std", float(std)),))


#: The scales the page compares. 1/16 = 1/sqrt(256) is the fan-in scale of the next pages.
SCALES: tuple[Scale, ...] = (
    normal_scale(0.01, "N(0, 0.01²)"),
    Scale("U(−0.01, 0.01)", "uniform", (("low", -0.01), ("high", 0.01))),
    normal_scale(0.05, "N(0, 0.05²)"),
    normal_scale(1 / 16, "N(0, 1/n)"),
    normal_scale(1.0, "N(0, 1)"),
)


@dataclass(frozen=True)
class ScaleConfig:
    """A ``depth``-layer tanh network of equal ``width`` (256 x 256 weights per layer).

    Width and batch 256 give 65,536 values per layer, so measured standard deviations
    carry well under 1 % sampling noise; one pass takes about 0.1 s.
    """

    depth: int = 10
    width: int = 256
    batch: int = 256
    activation: str = "tanh"
    scales: tuple[Scale, ...] = SCALES
    keep: int = 4096  # values per layer kept for histograms

    def __post_init__(self) -> None:
        if self.activation != "tanh":
            raise ValueError(f"the scale experiment is derived for tanh, got {self.activation!r}")
        checks.non_empty("scales", self.scales)


@dataclass(frozen=True)
class ScaleRun:
    """Measured per-layer statistics (index ``l`` is layer ``l + 1``) for one scale."""

    scale: Scale
    signal: SignalResults = field(repr=False)
    preactivation_gradient_std: np.ndarray  # (depth,) std of dL/dz_l
    activation_samples: np.ndarray = field(repr=False)  # (depth, keep)
    preactivation_gradient_samples: np.ndarray = field(repr=False)  # (depth, keep)


@dataclass(frozen=True)
class ScaleResults:
    config: ScaleConfig
    runs: dict[str, ScaleRun]


def run(config: ScaleConfig, rng: np.random.Generator) -> ScaleResults:
    """Propagate once per scale (in order, all from the one ``rng``)."""
    runs = {}
    n_values = config.batch * config.width
    for scale in config.scales:
        sc = SignalConfig(init=scale.init, activation=config.activation, depth=config.depth,
                          width=config.width, batch=config.batch,
                          init_kwargs=scale.init_kwargs, keep=n_values)
        res = propagate(sc, rng)
        h = res.activation_samples  # every value, (depth, batch*width)
        dz = res.preactivation_gradient_samples  # dL/dz = dL/dh * tanh'(z)
        keep = min(config.keep, n_values)
        runs[scale.label] = ScaleRun(
            scale=scale,
            signal=_thin(res, keep),
            preactivation_gradient_std=dz.std(axis=1),
            activation_samples=h[:, :keep].copy(),
            preactivation_gradient_samples=dz[:, :keep].copy(),
        )
    return ScaleResults(config, runs)


def _thin(res: SignalResults, keep: int) -> SignalResults:
    """The same results with only ``keep`` samples per layer (saves memory)."""
    from dataclasses import replace

    return replace(res, activation_samples=res.activation_samples[:, :keep].copy(),
                   gradient_samples=res.gradient_samples[:, :keep].copy())


# ---------------------------------------------------------------------------
# Theory
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class MeanField:
    """Predicted per-layer statistics (index ``l`` is layer ``l + 1``)."""

    preactivation_var: np.ndarray  # q_l
    activation_std: np.ndarray  # sqrt(E[tanh^2(z_l)])
    activation_gradient_std: np.ndarray  # std of dL/dh_l, with std 1 at the last layer
    preactivation_gradient_std: np.ndarray  # std of dL/dz_l
    saturated_fraction: np.ndarray  # P(|tanh z_l| > 0.99)


def mean_field(std: float, width: int, depth: int, *, input_var: float = 1.0,
               output_gradient_var: float = 1.0) -> MeanField:
    """The mean-field prediction for a tanh network with i.i.d. weights of std ``std``."""
    if depth < 1 or width < 1:
        raise ValueError(f"depth and width must be >= 1, got {depth!r} and {width!r}")
    rec = theory.variance_recursion(depth, width * std**2, activation="tanh",
                                    input_variance=input_var,
                                    output_gradient_variance=output_gradient_var)
    q = rec.preactivation_var
    a = math.atanh(SATURATION)
    sat = np.array([math.erfc(a / math.sqrt(2.0 * v)) if v > 0 else 0.0 for v in q])
    return MeanField(q, np.sqrt(rec.activation_second_moment),
                     np.sqrt(rec.activation_gradient_var),
                     np.sqrt(rec.preactivation_gradient_var), sat)


def small_scale_factor(std: float, width: int) -> float:
    r"""Per-layer factor of the signal's std while tanh is linear: $\sqrt{n}\,\sigma_w$."""
    return math.sqrt(width) * std


def uniform_std(a: float) -> float:
    r"""Std of $\mathcal U(-a, a)$: $a/\sqrt 3$."""
    return a / math.sqrt(3.0)


# ---------------------------------------------------------------------------
# A sweep over the scale
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResults:
    """Measured last-layer statistics for each weight std (index ``i`` is ``stds[i]``)."""

    config: ScaleConfig
    stds: np.ndarray
    last_activation_std: np.ndarray  # std of h_L
    first_gradient_std: np.ndarray  # std of dL/dz_1 (the gradient that reaches layer 1)
    last_saturated_fraction: np.ndarray  # share of |h_L| > 0.99


def sweep(stds: np.ndarray, config: ScaleConfig, rng: np.random.Generator) -> SweepResults:
    """Propagate once per weight std (normal init) and keep the far-end statistics."""
    stds = np.asarray(stds, dtype=float)
    if stds.ndim != 1 or stds.size == 0 or np.any(~np.isfinite(stds)) or np.any(stds <= 0):
        raise ValueError(f"stds must be a non-empty 1-D array of positive numbers, got {stds!r}")
    act, grad, sat = [], [], []
    n_values = config.batch * config.width
    for s in stds:
        sc = SignalConfig(init="normal", activation=config.activation, depth=config.depth,
                          width=config.width, batch=config.batch,
                          init_kwargs=(("std", float(s)),), keep=n_values)
        res = propagate(sc, rng)
        act.append(res.activation_std[-1])
        grad.append(float(res.preactivation_gradient_samples[0].std()))  # dL/dz_1
        sat.append(res.saturated_fraction[-1])
    return SweepResults(config, stds, np.array(act), np.array(grad), np.array(sat))


@dataclass(frozen=True)
class SweepConfig:
    r"""A sweep of `sweep`: ``points`` normal weight stds, log-spaced from ``low`` to ``high``
    times $1/\sqrt n$ (so ``low=0.1, high=16`` at $n = 256$ is std 0.00625 to 1), through
    the network of ``network`` (its ``scales`` are not used)."""

    network: ScaleConfig = ScaleConfig()
    low: float = 0.1
    high: float = 16.0
    points: int = 12

    def __post_init__(self) -> None:
        if not (0 < self.low < self.high and math.isfinite(self.high)):
            raise ValueError(f"need 0 < low < high, got low={self.low!r}, high={self.high!r}")
        if self.points < 2:
            raise ValueError(f"points must be at least 2, got {self.points!r}")

    @property
    def multiples(self) -> np.ndarray:
        r"""The swept $\sigma_w \sqrt n$."""
        return np.geomspace(self.low, self.high, self.points)

    @property
    def stds(self) -> np.ndarray:
        """The swept weight stds."""
        return self.multiples / np.sqrt(self.network.width)


def run_sweep(config: SweepConfig, rng: np.random.Generator) -> SweepResults:
    """`sweep` over the stds of ``config`` (a declared run's signature: config, rng)."""
    return sweep(config.stds, config.network, rng)


def tanh_rounds_to_one() -> float:
    """The smallest float64 ``z`` with ``tanh(z) == 1.0`` exactly (about 19.06).

    Beyond it ``1 - tanh(z)^2`` is exactly 0 in float64, so a unit there passes back no
    gradient at all, not merely a small one.
    """
    lo, hi = 1.0, 40.0  # tanh(1) < 1 and tanh(40) == 1 in float64
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if np.tanh(mid) == 1.0:
            hi = mid
        else:
            lo = mid
        if np.nextafter(lo, hi) >= hi:
            break
    return float(hi)


# ---------------------------------------------------------------------------
# Training from each scale: what the statistics at initialization predict
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainScaleConfig:
    r"""A deep tanh network trained from weight scales that differ only in $\sqrt n\,\sigma_w$.

    ``depth`` layers of width ``width`` (the last one has one output), biases starting at 0,
    learn the targets $y = \sin 2x_1 - x_2/2$ on ``n_points`` standard-normal inputs of
    dimension ``width`` by full-batch gradient descent on the half mean squared error.
    Every layer's weights are drawn $\mathcal N(0, \sigma_w^2)$ with
    $\sigma_w = $ ``multiple`` $/\sqrt{n}$ for each of ``multiples`` (0.16, 1 and 16 are the
    factors of the page's $\mathcal N(0, 0.01^2)$, $\mathcal N(0, 1/n)$ and $\mathcal N(0, 1)$
    at width 256), once per seed of ``seeds``. The narrow width keeps the 30 copies at about
    2 s for 500 steps.
    """

    depth: int = 10
    width: int = 16
    n_points: int = 64
    steps: int = 500
    lr: float = 0.05
    record_every: int = 5
    multiples: tuple[float, ...] = (0.16, 1.0, 16.0)
    seeds: tuple[int, ...] = tuple(range(10))
    data_seed: int = 0

    def __post_init__(self) -> None:
        for name in ("depth", "width", "n_points", "steps", "record_every"):
            checks.positive_int(name, getattr(self, name))
        if self.depth < 2 or self.width < 2:
            raise ValueError(f"depth and width must be at least 2, got {self.depth!r} and {self.width!r}")
        if not self.multiples or any(not (math.isfinite(m) and m > 0) for m in self.multiples):
            raise ValueError(f"multiples must be positive numbers, got {self.multiples!r}")
        if not self.seeds:
            raise ValueError(f"seeds must name at least one seed, got {self.seeds!r}")


@dataclass(frozen=True)
class TrainScaleResults:
    """The training loss over the steps, divided by the loss of predicting the mean target
    (1 = learned nothing), for each multiple: ``loss[m]`` has one row per seed."""

    config: TrainScaleConfig
    steps: np.ndarray  # (E,) recorded steps
    loss: dict[float, np.ndarray]  # multiple -> (seeds, E)


def train_scales(config: TrainScaleConfig) -> TrainScaleResults:
    """Train one copy per (multiple, seed); seed ``s`` draws the weights of every multiple
    from ``default_rng(s)`` (the same pattern, scaled), the data from ``data_seed``."""
    from initnotes.experiments.symmetry import train_tanh_copies

    n, depth = config.width, config.depth
    x = np.random.default_rng(config.data_seed).standard_normal((config.n_points, n))
    y = np.sin(2.0 * x[:, :1]) - 0.5 * x[:, 1:2]
    shapes = [(n, n)] * (depth - 1) + [(1, n)]
    patterns = {s: [np.random.default_rng(s).standard_normal(shape) for shape in shapes]
                for s in config.seeds}
    copies = [(m, s) for m in config.multiples for s in config.seeds]
    weights = [np.stack([m / math.sqrt(n) * patterns[s][k] for m, s in copies]) for k in range(depth)]
    loss, _ = train_tanh_copies(weights, x, y, lr=config.lr, steps=config.steps,
                                record_every=config.record_every)
    loss = loss / (0.5 * float(np.var(y)))
    rows = len(config.seeds)
    return TrainScaleResults(
        config=config,
        steps=np.arange(0, config.steps + 1, config.record_every),
        loss={m: loss[i * rows:(i + 1) * rows] for i, m in enumerate(config.multiples)},
    )

r"""The default initializations of PyTorch, Keras and Flax, reproduced with the package.

Each framework's dense and convolution layers initialize their weights, unless told
otherwise, with one variance-scaling rule. Read from the libraries' source:

* **PyTorch** `torch.nn.Linear` and `torch.nn.Conv*d`, `reset_parameters` in
  `torch/nn/modules/linear.py` and `torch/nn/modules/conv.py`:
  `init.kaiming_uniform_(self.weight, a=math.sqrt(5))`, and the bias from
  $\mathcal{U}(-1/\sqrt{\text{fan\_in}}, 1/\sqrt{\text{fan\_in}})$. With
  $a = \sqrt 5$ the leaky-ReLU gain is $\sqrt{2/(1 + 5)} = 1/\sqrt 3$, so the bound is
  $\sqrt{3} \cdot \frac{1}{\sqrt 3} \cdot \frac{1}{\sqrt{\text{fan\_in}}} = 1/\sqrt{\text{fan\_in}}$
  and $\operatorname{Var}(w) = 1/(3\,\text{fan\_in})$.
* **Keras** `keras.layers.Dense` (`keras/src/layers/core/dense.py`) and the convolution
  layers: `kernel_initializer="glorot_uniform"`, `bias_initializer="zeros"`.
  `GlorotUniform` is `VarianceScaling(scale=1.0, mode="fan_avg", distribution="uniform")`
  (`keras/src/initializers/random_initializers.py`).
* **Flax** `flax.linen.Dense` (`flax/linen/linear.py`) and `flax.nnx.Linear`
  (`flax/nnx/nn/linear.py`): `default_kernel_init = initializers.lecun_normal()`, bias
  `zeros_init()`. JAX's `lecun_normal` is `variance_scaling(1.0, "fan_in", "truncated_normal")`
  (`jax/_src/nn/initializers.py`): a normal truncated at two standard deviations and divided
  by $0.8796\ldots$, the standard deviation of a standard normal truncated to $(-2, 2)$, so
  that the variance is still $1/\text{fan\_in}$.

Keras and JAX store a dense kernel as `(fan_in, fan_out)` and compute $y = x W$; PyTorch
and this package store `(fan_out, fan_in)` and compute $y = x W^\top$. The fans are the
same numbers, read from the other axes; `to_package_shape` converts a Keras/JAX kernel
shape to the package's layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import numpy as np

from initnotes import checks
from initnotes import init as initializers
from initnotes.experiments import signal

#: Standard deviation of a standard normal truncated to (-2, 2) (the same constant as in
#: `initnotes.init`, Keras and JAX).
TRUNCATED_NORMAL_STD = 0.87962566103423978


@dataclass(frozen=True)
class FrameworkDefault:
    """A framework's default weight (and bias) initializer for dense layers.

    ``variance = scale / n`` with ``n`` given by ``mode``; ``distribution`` is one of
    ``"uniform"``, ``"truncated_normal"``.
    """

    key: str
    framework: str
    layers: str
    call: str
    scale: float
    mode: str
    distribution: str
    bias: str
    source: str


DEFAULTS: dict[str, FrameworkDefault] = {
    "pytorch": FrameworkDefault(
        "pytorch", "PyTorch", "nn.Linear, nn.Conv1d/2d/3d",
        "kaiming_uniform_(w, a=math.sqrt(5))", 1.0 / 3.0, "fan_in", "uniform",
        "uniform(-1/sqrt(fan_in), 1/sqrt(fan_in))",
        "torch/nn/modules/linear.py, torch/nn/modules/conv.py"),
    "keras": FrameworkDefault(
        "keras", "Keras", "layers.Dense, layers.Conv1D/2D/3D",
        'kernel_initializer="glorot_uniform"', 1.0, "fan_avg", "uniform", "zeros",
        "keras/src/layers/core/dense.py, keras/src/initializers/random_initializers.py"),
    "flax": FrameworkDefault(
        "flax", "Flax (JAX)", "linen.Dense, nnx.Linear, Conv",
        "initializers.lecun_normal()", 1.0, "fan_in", "truncated_normal", "zeros",
        "flax/linen/linear.py, flax/nnx/nn/linear.py, jax/_src/nn/initializers.py"),
}


def _check_key(key: str) -> FrameworkDefault:
    checks.one_of("framework", key, tuple(DEFAULTS))
    return DEFAULTS[key]


def _n(d: FrameworkDefault, fan_in: int, fan_out: int) -> float:
    return {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[d.mode]


def default_std(key: str, fan_in: int, fan_out: int) -> float:
    """Standard deviation of the framework's default weights for a layer with these fans."""
    d = _check_key(key)
    return math.sqrt(d.scale / _n(d, fan_in, fan_out))


def default_bound(key: str, fan_in: int, fan_out: int) -> float:
    """Largest possible |w|: sqrt(3) std for a uniform, 2 std / 0.8796 for a truncated normal."""
    d = _check_key(key)
    std = default_std(key, fan_in, fan_out)
    return math.sqrt(3.0) * std if d.distribution == "uniform" else 2.0 * std / TRUNCATED_NORMAL_STD


def package_initializer(key: str):
    """The package's initializer that draws exactly the framework's default distribution
    (in the package's ``(fan_out, fan_in)`` layout), as ``f(shape, rng=rng)``."""
    _check_key(key)
    return {
        "pytorch": partial(initializers.he_uniform, a=math.sqrt(5.0)),
        "keras": initializers.xavier_uniform,
        "flax": initializers.lecun_normal,
    }[key]


def sample_weights(key: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Draw a weight of the package-layout ``shape`` from the framework's default."""
    return package_initializer(key)(shape, rng=rng)


def sample_bias(key: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """The framework's default bias for a weight of package-layout ``shape``."""
    d = _check_key(key)
    fan_in, _ = initializers.fans(shape)
    if d.bias == "zeros":
        return np.zeros(shape[0])
    bound = 1.0 / math.sqrt(fan_in)
    return rng.uniform(-bound, bound, size=shape[0])


def to_package_shape(kernel_shape: tuple[int, ...]) -> tuple[int, ...]:
    """A Keras/JAX kernel shape, ``(*kernel, in, out)``, in the package's layout
    ``(out, in, *kernel)``; for a dense kernel ``(in, out)`` that is ``(out, in)``."""
    if len(kernel_shape) < 2:
        raise ValueError(f"a kernel needs at least 2 dimensions, got shape {tuple(kernel_shape)!r}")
    *spatial, n_in, n_out = kernel_shape
    return (n_out, n_in, *spatial)


def from_package_array(w: np.ndarray) -> np.ndarray:
    """A package-layout array ``(out, in, *kernel)`` rearranged as a Keras/JAX kernel
    ``(*kernel, in, out)`` (for a dense weight: the transpose)."""
    return np.moveaxis(np.moveaxis(w, 0, -1), 0, -2)


# ---------------------------------------------------------------------------
# Experiment: the defaults' standard deviation against the shape of the layer
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StdConfig:
    """Sampled standard deviations of each default.

    ``fan_ins``: square layers of these widths; ``ratios``: fan_out / fan_in at fixed
    ``fan_in_for_ratios``. Sizes keep every sample under 2**20 numbers (fast).
    """

    fan_ins: tuple[int, ...] = (16, 32, 64, 128, 256, 512, 1024)
    ratios: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)
    fan_in_for_ratios: int = 256


@dataclass(frozen=True)
class StdResults:
    config: StdConfig
    square_measured: dict[str, np.ndarray]  # key -> std per fan_in (square layers)
    ratio_measured: dict[str, np.ndarray]  # key -> std * sqrt(fan_in) per ratio


def default_stds(config: StdConfig, rng: np.random.Generator) -> StdResults:
    """Draw each default for square layers and for several fan_out / fan_in ratios."""
    square, ratio = {}, {}
    for key in DEFAULTS:
        square[key] = np.array([sample_weights(key, (n, n), rng).std() for n in config.fan_ins])
        n = config.fan_in_for_ratios
        ratio[key] = np.array([
            sample_weights(key, (max(1, round(r * n)), n), rng).std() * math.sqrt(n)
            for r in config.ratios
        ])
    return StdResults(config, square, ratio)


# ---------------------------------------------------------------------------
# Experiment: one example layer drawn from each default
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerConfig:
    """One dense layer with ``fan_in`` inputs and ``fan_out`` outputs (package layout
    ``(fan_out, fan_in)``; a Keras/Flax kernel ``(fan_in, fan_out)``)."""

    fan_in: int = 256
    fan_out: int = 128


@dataclass(frozen=True)
class LayerSamples:
    config: LayerConfig
    weights: dict[str, np.ndarray]  # key -> (fan_out, fan_in) weight
    biases: dict[str, np.ndarray]  # key -> (fan_out,) bias


def sample_defaults(config: LayerConfig, rng: np.random.Generator) -> LayerSamples:
    """Each default's weight and bias for the layer, drawn in `DEFAULTS` order (weight, then bias)."""
    shape = (config.fan_out, config.fan_in)
    weights, biases = {}, {}
    for key in DEFAULTS:
        weights[key] = sample_weights(key, shape, rng)
        biases[key] = sample_bias(key, shape, rng)
    return LayerSamples(config, weights, biases)


# ---------------------------------------------------------------------------
# Experiment: the defaults in a deep network
# ---------------------------------------------------------------------------

#: `signal.propagate` settings (initializer name and keyword arguments) that draw each
#: default's weights, and He initialization for reference; biases are zero.
PROPAGATE_INITS: dict[str, tuple[str, tuple]] = {
    "pytorch": ("he_uniform", (("a", math.sqrt(5.0)),)),
    "keras": ("xavier_uniform", ()),
    "flax": ("lecun_normal", ()),
    "he": ("he_normal", (("nonlinearity", "relu"),)),
}


@dataclass(frozen=True)
class PropagateConfig:
    """Deep fully connected networks, one per activation and per key of `PROPAGATE_INITS`:
    ``depth`` layers of ``width`` units, a batch of ``batch`` standard-normal inputs.
    20 layers of width 128 and a batch of 128 were chosen for speed."""

    depth: int = 20
    width: int = 128
    batch: int = 128
    activations: tuple[str, ...] = ("relu", "tanh")


@dataclass(frozen=True)
class PropagateResults:
    config: PropagateConfig
    runs: dict[tuple[str, str], signal.SignalResults]  # (activation, key) -> one network

    def rms(self, activation: str, key: str) -> np.ndarray:
        """RMS of the activations per layer of one network (see `rms_per_layer`)."""
        return rms_per_layer(self.runs[(activation, key)])


def rms_per_layer(res: signal.SignalResults) -> np.ndarray:
    """Root mean square of the activations per layer of a `signal.SignalResults` (for ReLU
    the std hides the mean)."""
    return np.sqrt(res.activation_std**2 + res.activation_mean**2)


def propagate_defaults(config: PropagateConfig, rng: np.random.Generator) -> PropagateResults:
    """`signal.propagate` for each activation and each default, in that order, all from
    the same generator."""
    runs = {}
    for activation in config.activations:
        for key, (init, kwargs) in PROPAGATE_INITS.items():
            cfg = signal.SignalConfig(init=init, activation=activation, depth=config.depth,
                                      width=config.width, batch=config.batch, init_kwargs=kwargs,
                                      keep=1)
            runs[(activation, key)] = signal.propagate(cfg, rng)
    return PropagateResults(config, runs)

r"""Weight initializers, written in NumPy, following PyTorch's `torch.nn.init`.

Every function returns a fresh `numpy.ndarray` of exactly the requested shape
(float64 unless `dtype=` says otherwise). Random initializers draw from the
`numpy.random.Generator` passed as `rng`, so the same seed gives the same array.

## Weight layout

The layout is PyTorch's:

* a dense (fully connected) weight has shape `(fan_out, fan_in)` and is applied
  as $y = x W^\top$, so `shape[1]` counts the inputs of one unit and `shape[0]`
  counts the units;
* a convolution weight has shape `(out_channels, in_channels, *kernel)`; each
  output unit sees `in_channels` times the kernel's number of positions, the
  *receptive field* $k = \prod_{i \ge 2} \text{shape}[i]$. So

$$
\begin{gathered}
\text{fan\_in} = \text{shape}[1] \cdot k, \\
\text{fan\_out} = \text{shape}[0] \cdot k .
\end{gathered}
$$

Keras and JAX (Flax) store a dense kernel the other way round, as
`(fan_in, fan_out)`, applied as $y = x W$. To reproduce one of their kernels
here, initialize the transposed shape and transpose the result:
`he_normal((fan_out, fan_in), rng=rng).T`.

## The one formula behind most of them

Xavier/Glorot, He/Kaiming and LeCun initialization are all *variance scaling*:
draw weights with mean 0 and variance

$$
\operatorname{Var}(w) = \frac{\text{scale}}{n},
$$

where $n$ is `fan_in`, `fan_out` or their average, from a normal, a truncated
normal or a uniform distribution. A uniform distribution on $[-b, b]$ has
variance $b^2/3$, so the bound that gives the variance above is
$b = \sqrt{3 \operatorname{Var}(w)}$. `variance_scaling` implements that
once; the named presets only pick `scale`, `mode` and `distribution`.

## Which shapes are accepted

`zeros`, `ones`, `constant`, `normal`, `uniform` and `trunc_normal` do not look
at fans, so they accept any shape with at least one dimension. Everything that
needs fan_in or fan_out (`fans`, `variance_scaling`, the Xavier, He and LeCun
presets) and `orthogonal` (which needs rows and columns) needs at least two
dimensions; `eye` and `sparse` exactly two; `dirac` and `delta_orthogonal`
(convolution kernels) three to five. Every dimension must be a non-negative
integer.

## Edges, as in PyTorch

* A shape with a zero dimension, such as `(0, 5)`, gives an empty array of that
  shape and an `EmptyShapeWarning` (PyTorch warns "Initializing zero-element
  tensors is a no-op" and leaves the tensor alone).
* Every result is C-contiguous, so `torch.from_numpy(w).view(-1)` works.
* The values are computed in float64 and then cast to `dtype`. A result that
  does not fit the dtype (`normal(std=1e5, dtype=np.float16)`, whose largest
  finite value is 65504) raises a `ValueError` naming the argument that made it
  too large, instead of returning `inf`; so does an argument whose square or
  product overflows float64 (`xavier_uniform(gain=1e200)`).
* `uniform` (and every uniform preset) returns values in $[\text{low},
  \text{high})$ *after* rounding to `dtype`: an entry that rounds up to `high`
  is drawn again.

## Where each PyTorch initializer is

| `torch.nn.init` | here |
|---|---|
| `calculate_gain` | `gain` |
| `uniform_`, `normal_`, `trunc_normal_` | `uniform`, `normal`, `trunc_normal` |
| `constant_`, `ones_`, `zeros_` | `constant`, `ones`, `zeros` |
| `eye_`, `dirac_` | `eye`, `dirac` |
| `xavier_uniform_`, `xavier_normal_` | `xavier_uniform`, `xavier_normal` |
| `kaiming_uniform_`, `kaiming_normal_` | `kaiming_uniform`, `kaiming_normal` |
| `orthogonal_`, `sparse_` | `orthogonal`, `sparse` |
| (none; JAX's `delta_orthogonal`) | `delta_orthogonal` |
"""

from __future__ import annotations

import math
import numbers
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Literal, get_args

import numpy as np
from numpy.typing import DTypeLike

from initnotes import checks

__all__ = [
    "DISTRIBUTIONS",
    "MODES",
    "NONLINEARITIES",
    "PRESETS",
    "EmptyShapeWarning",
    "constant",
    "delta_orthogonal",
    "dirac",
    "eye",
    "fans",
    "gain",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "kaiming_normal",
    "kaiming_uniform",
    "lecun_normal",
    "lecun_uniform",
    "normal",
    "ones",
    "orthogonal",
    "sparse",
    "trunc_normal",
    "uniform",
    "variance_scaling",
    "xavier_normal",
    "xavier_uniform",
    "zeros",
]

Mode = Literal["fan_in", "fan_out", "fan_avg"]
Distribution = Literal["normal", "truncated_normal", "uniform"]
Nonlinearity = Literal[
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "selu",
]

MODES: tuple[str, ...] = get_args(Mode)
"""The fan modes accepted by `variance_scaling`."""

DISTRIBUTIONS: tuple[str, ...] = get_args(Distribution)
"""The distributions accepted by `variance_scaling`."""

NONLINEARITIES: tuple[str, ...] = get_args(Nonlinearity)
"""The nonlinearity names accepted by `gain` (the same as `torch.nn.init.calculate_gain`)."""

_HE_MODES: tuple[str, ...] = ("fan_in", "fan_out")

# Standard deviation of a standard normal truncated to (-2, 2):
#   sqrt(1 - 4 * phi(2) / (Phi(2) - Phi(-2))) = 0.87962566103423978...,
# with phi/Phi the standard normal density/CDF. Dividing the wanted standard
# deviation by it makes the *truncated* samples have the wanted variance.
# Keras (VarianceScaling) and JAX (jax.nn.initializers.variance_scaling) use
# this same constant.
_TRUNCATED_NORMAL_STD = 0.87962566103423978

# ---------------------------------------------------------------------------
# Validation helpers
# ---------------------------------------------------------------------------


class EmptyShapeWarning(UserWarning):
    """Warned when a shape has a zero dimension: the result is an empty array.

    The message starts with PyTorch's own words, "Initializing zero-element
    tensors is a no-op", so code that filters that warning filters this one.
    """


def _check_shape(shape: Sequence[int], *, min_dims: int, max_dims: int | None = None,
                 what: str = "") -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        raise TypeError(
            f"shape must be a tuple of non-negative integers such as (64, 32), "
            f"got {shape!r} of type {type(shape).__name__}"
        )
    for dim in shape:
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, numbers.Integral):
            raise TypeError(
                f"every dimension of shape must be an integer, got {dim!r} "
                f"({type(dim).__name__}) in shape {tuple(shape)!r}"
            )
    dims = tuple(int(d) for d in shape)
    if what and not (min_dims <= len(dims) <= (max_dims or len(dims))):
        raise ValueError(f"{what}, got shape {dims!r}")
    if len(dims) < min_dims:
        if min_dims >= 2:
            raise ValueError(
                "fan_in and fan_out need a weight of at least 2 dimensions "
                f"(fan_out, fan_in, *kernel), got shape {dims!r}"
            )
        raise ValueError(f"shape must have at least 1 dimension, got shape {dims!r}")
    bad = [d for d in dims if d < 0]
    if bad:
        raise ValueError(
            f"every dimension of shape must be a non-negative integer, got {bad[0]} "
            f"in shape {dims!r}"
        )
    return dims


def _empty(dims: tuple[int, ...], dt: np.dtype) -> np.ndarray | None:
    """An empty array (and an `EmptyShapeWarning`) if `dims` has no elements, else None."""
    if math.prod(dims) != 0:
        return None
    warnings.warn(
        f"Initializing zero-element tensors is a no-op: shape {dims!r} has no elements, "
        "so the result is an empty array of that shape",
        EmptyShapeWarning,
        stacklevel=_caller_level(),
    )
    return np.zeros(dims, dtype=dt)


def _caller_level() -> int:
    """The `stacklevel` that points a warning at the first caller outside this module."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename == __file__:
        frame, level = frame.f_back, level + 1
    return level


def _finish(w: np.ndarray, dt: np.dtype, culprit: str) -> np.ndarray:
    """`w` (computed in float64) as a C-contiguous array of `dt`, refusing overflow.

    `culprit` names the argument that sets the size of the values, e.g. "std=1e+05".
    """
    with np.errstate(over="ignore"):
        out = np.ascontiguousarray(w, dtype=dt)
    if not np.all(np.isfinite(out)):
        raise ValueError(_overflow_message(culprit, dt.name if np.all(np.isfinite(w)) else "float64"))
    return out


def _overflow_message(culprit: str, dtype_name: str) -> str:
    name = culprit.split("=")[0]
    wider = "" if dtype_name == "float64" else " or a wider dtype"
    return (f"{culprit} makes the values overflow {dtype_name} (its largest finite value is "
            f"{float(np.finfo(dtype_name).max):.6g}): use a smaller {name}{wider}")


def _square(name: str, value: float) -> float:
    """value**2, refusing a square that overflows float64 (naming the argument)."""
    if abs(value) > 1e154:
        raise ValueError(
            f"{name}={value!r} is too large: {name}**2 overflows float64 (its largest finite "
            f"value is {float(np.finfo(np.float64).max):.6g}); {name} must be at most 1e+154"
        )
    return value * value


_check_rng = checks.generator


def _check_dtype(dtype: DTypeLike | None) -> np.dtype:
    if dtype is None:
        return np.dtype(np.float64)
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"dtype must be a NumPy floating dtype, got {dtype!r}") from exc
    if dt.kind != "f":
        raise TypeError(
            f"dtype must be a NumPy floating dtype such as np.float64 or np.float32, "
            f"got {dt}"
        )
    return dt


# The numeric and choice checks are `initnotes.checks`'s (same messages as before).
_check_real = checks.real
_check_positive = checks.positive
_check_choice = checks.one_of


# ---------------------------------------------------------------------------
# Fans and gains
# ---------------------------------------------------------------------------


def fans(shape: Sequence[int]) -> tuple[int, int]:
    r"""Return `(fan_in, fan_out)` of a weight of the given shape.

    The layout is PyTorch's: `(fan_out, fan_in)` for a dense weight and
    `(out_channels, in_channels, *kernel)` for a convolution. With the
    receptive field $k = \prod_{i \ge 2} \text{shape}[i]$ ($k = 1$ for a
    dense weight),

    $$
    \begin{gathered}
    \text{fan\_in} = \text{shape}[1] \cdot k, \\
    \text{fan\_out} = \text{shape}[0] \cdot k .
    \end{gathered}
    $$

    fan_in is the number of inputs that feed one output unit; fan_out is the
    number of outputs that one input feeds. This matches
    `torch.nn.init._calculate_fan_in_and_fan_out`. For a Keras or JAX dense
    kernel, stored as `(fan_in, fan_out)`, pass the reversed shape.

    Args:
        shape: Weight shape with at least two positive dimensions.

    Returns:
        The pair `(fan_in, fan_out)`.

    Raises:
        ValueError: If the shape has fewer than two dimensions (a vector has
            no separate input and output axes) or a dimension is not positive.
        TypeError: If a dimension is not an integer.

    Examples:
        >>> fans((64, 32))
        (32, 64)
        >>> fans((16, 8, 3, 3))
        (72, 144)
    """
    dims = _check_shape(shape, min_dims=2)
    receptive_field = math.prod(dims[2:])
    return dims[1] * receptive_field, dims[0] * receptive_field


def gain(nonlinearity: Nonlinearity, param: float | None = None) -> float:
    r"""Recommended gain for a nonlinearity, as `torch.nn.init.calculate_gain`.

    The gain $g$ multiplies the standard deviation of an initializer so that
    the activations keep their scale after the nonlinearity:

    | nonlinearity | gain |
    |---|---|
    | linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid | $1$ |
    | tanh | $5/3$ |
    | relu | $\sqrt{2}$ |
    | leaky_relu | $\sqrt{2 / (1 + \alpha^2)}$, $\alpha$ = `param` (default $0.01$) |
    | selu | $3/4$ |

    The $\sqrt{2}$ for ReLU is from He, Zhang, Ren and Sun (2015), "Delving
    Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet
    Classification": a ReLU zeroes half of a symmetric input, halving its
    second moment, and the factor 2 in the variance undoes that. `param` is
    only used by `leaky_relu` and ignored otherwise, as in PyTorch.

    Args:
        nonlinearity: One of `NONLINEARITIES`.
        param: Negative slope of `leaky_relu`; `None` means 0.01.

    Returns:
        The gain as a float.

    Raises:
        ValueError: If `nonlinearity` is unknown, or `param` is not a finite
            real number. A `param` of the wrong type (`True`, `[1]`, `"0.2"`)
            raises `initnotes.checks.ArgumentTypeError`, which is both a
            `ValueError` (what `calculate_gain` raises) and a `TypeError`.
    """
    _check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else _check_real("param (the negative slope of leaky_relu)", param)
        if abs(slope) > 1e150:  # slope**2 would overflow; the same value without squaring
            return math.sqrt(2.0) / math.hypot(1.0, slope)
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "selu":
        # Value found empirically by PyTorch (pytorch/pytorch#50664).
        return 3.0 / 4.0
    return 1.0  # linear, conv*, conv_transpose*, sigmoid


# ---------------------------------------------------------------------------
# The general rule
# ---------------------------------------------------------------------------


def _truncated_standard_normal(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal samples conditioned on (-2, 2), by rejection.

    Values outside the interval are redrawn until none remain; about 4.6% are
    redrawn per round, so a handful of rounds suffice. Deterministic given rng.
    """
    z = rng.standard_normal(shape)
    outside = np.abs(z) >= 2.0
    while np.any(outside):
        z[outside] = rng.standard_normal(int(np.count_nonzero(outside)))
        outside = np.abs(z) >= 2.0
    return z


def variance_scaling(
    shape: Sequence[int],
    *,
    scale: float,
    mode: Mode,
    distribution: Distribution,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""Zero-mean weights with variance `scale / n`: the rule behind the presets.

    With $n$ chosen by `mode` ($n = \text{fan\_in}$, $\text{fan\_out}$ or
    $(\text{fan\_in} + \text{fan\_out})/2$ for `"fan_avg"`; see `fans`), the
    weights have

    $$
    \operatorname{Var}(w) = \frac{\text{scale}}{n}.
    $$

    `distribution` picks how:

    * `"normal"`: $w \sim \mathcal{N}(0, \sigma^2)$ with
      $\sigma = \sqrt{\text{scale}/n}$ (untruncated, as PyTorch).
    * `"uniform"`: $w \sim \mathcal{U}(-b, b)$ with
      $b = \sqrt{3 \operatorname{Var}(w)} = \sqrt{3\,\text{scale}/n}$, because
      $\mathcal{U}(-b, b)$ has variance $b^2/3$.
    * `"truncated_normal"`: a normal cut at two of its standard deviations,
      $|w| < 2\sigma_0$, where
      $\sigma_0 = \sqrt{\text{scale}/n}\,/\,0.87962566\ldots$. The constant is
      the standard deviation of a standard normal truncated to $(-2, 2)$;
      dividing by it restores the variance lost by cutting the tails, so the
      samples still have variance $\text{scale}/n$. This is what Keras'
      `VarianceScaling` and JAX's `variance_scaling` do.

    Xavier/Glorot is `scale=gain**2, mode="fan_avg"`, He/Kaiming is
    `scale=gain**2, mode="fan_in"` (or `"fan_out"`), LeCun is
    `scale=1, mode="fan_in"`.

    Args:
        shape: Weight shape, at least two positive dimensions, PyTorch layout.
        scale: Positive, finite variance multiplier.
        mode: One of `MODES`.
        distribution: One of `DISTRIBUTIONS`.
        rng: Source of randomness, e.g. `np.random.default_rng(0)`.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.

    Raises:
        ValueError: For an unknown mode or distribution, a non-positive or
            non-finite scale, or a bad shape.
        TypeError: For a non-integer dimension, a non-Generator rng or a
            non-floating dtype.
    """
    scale = _check_positive("scale", scale)
    return _variance_scaling(shape, scale, mode, distribution, rng, dtype, f"scale={scale!r}")


def _variance_scaling(shape: Sequence[int], scale: float, mode: str, distribution: str,
                      rng: np.random.Generator, dtype: DTypeLike, culprit: str) -> np.ndarray:
    """`variance_scaling` once `scale` is checked; `culprit` names the argument behind it."""
    fan_in, fan_out = fans(shape)
    _check_choice("mode", mode, MODES)
    _check_choice("distribution", distribution, DISTRIBUTIONS)
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    dims = tuple(int(d) for d in shape)
    if (empty := _empty(dims, dt)) is not None:
        return empty

    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    variance = scale / n
    if distribution == "uniform":
        bound = math.sqrt(3.0 * variance) if variance < 1e307 else math.sqrt(3.0) * math.sqrt(variance)
        return _uniform_values(rng, -bound, bound, dims, dt, culprit)
    with np.errstate(over="ignore"):
        if distribution == "normal":
            w = math.sqrt(variance) * rng.standard_normal(dims)
        else:  # truncated_normal
            std = math.sqrt(variance) / _TRUNCATED_NORMAL_STD
            w = std * _truncated_standard_normal(rng, dims)
    return _finish(w, dt, culprit)


def _uniform_values(rng: np.random.Generator, low: float, high: float, dims: tuple[int, ...],
                    dt: np.dtype, culprit: str) -> np.ndarray:
    """U(low, high) cast to `dt`, every entry in [low, high) *after* the cast.

    Rounding to a narrow dtype sends the draws just below `high` to `high` itself
    (float16 has 11 significant bits); those entries are drawn again, so the
    result is the rounded uniform conditioned on being below `high`.
    """
    if not math.isfinite(high - low):
        raise ValueError(
            f"high - low must be finite, got low={low!r}, high={high!r} "
            "(their difference overflows float64)"
        )
    with np.errstate(over="ignore"):
        top, bottom = np.array([high, low]).astype(dt)
    if not (np.isfinite(top) and np.isfinite(bottom)):
        name = culprit.split("=")[0]
        raise ValueError(
            f"{culprit} puts the bounds at ({low:.6g}, {high:.6g}), beyond the largest finite "
            f"{dt.name} ({float(np.finfo(dt).max):.6g}): use a smaller {name} or a wider dtype")
    if not bottom < top:
        raise ValueError(
            f"low={low!r} and high={high!r} are the same number in {dt.name} ({float(top)!r}): "
            f"no {dt.name} value lies in [low, high); use a wider dtype"
        )
    w = _finish(rng.uniform(low, high, size=dims), dt, culprit)
    at_top = w >= top
    for _ in range(1000):  # rare: each round redraws only the top rounding bin's share
        if not at_top.any():
            return w
        w[at_top] = rng.uniform(low, high, size=int(np.count_nonzero(at_top))).astype(dt)
        at_top = w >= top
    raise ValueError(
        f"almost every draw of U({low!r}, {high!r}) rounds up to high in {dt.name}: "
        "widen the interval or use a wider dtype"
    )


# ---------------------------------------------------------------------------
# Presets that do not need fans
# ---------------------------------------------------------------------------


def zeros(
    shape: Sequence[int],
    *,
    rng: np.random.Generator | None = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """All zeros; the usual initializer for biases.

    Never use it for the weights of a hidden layer: every unit would compute
    the same function and receive the same gradient, so they would stay
    identical (the symmetry is never broken).

    Args:
        shape: Any shape with at least one positive dimension.
        rng: Accepted (and type-checked if given) but unused, so that every
            preset can be called as `f(shape, rng=rng)`.
        dtype: Floating dtype of the result.

    Returns:
        A new array of zeros of exactly `shape`.
    """
    return constant(shape, 0.0, rng=rng, dtype=dtype)


def ones(
    shape: Sequence[int],
    *,
    rng: np.random.Generator | None = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""All ones, as `torch.nn.init.ones_`; the usual start of a normalization's scale $\gamma$.

    Keras calls it `Ones`, JAX `jax.nn.initializers.ones`. Like `zeros` and
    `constant`, it does not break the symmetry between units.

    Args:
        shape: Any shape with at least one dimension.
        rng: Accepted (and type-checked if given) but unused.
        dtype: Floating dtype of the result.

    Returns:
        A new array of ones of exactly `shape`.
    """
    return constant(shape, 1.0, rng=rng, dtype=dtype)


def constant(
    shape: Sequence[int],
    value: float,
    *,
    rng: np.random.Generator | None = None,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    """Every entry equal to `value` (as `torch.nn.init.constant_`).

    Useful for biases (e.g. a small positive bias before a ReLU, or a forget-
    gate bias of 1 in an LSTM); as with `zeros`, it does not break symmetry.

    Args:
        shape: Any shape with at least one positive dimension.
        value: Finite fill value.
        rng: Accepted (and type-checked if given) but unused.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    dims = _check_shape(shape, min_dims=1)
    value = _check_real("value", value)
    if rng is not None:
        _check_rng(rng)
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    return _finish(np.full(dims, value), dt, f"value={value!r}")


def normal(
    shape: Sequence[int],
    *,
    mean: float = 0.0,
    std: float = 0.01,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""$w \sim \mathcal{N}(\text{mean}, \text{std}^2)$ with a fixed std, ignoring fans.

    The naive initializer (PyTorch's `normal_` uses `std=1` by default; 0.01 is
    the classic "small random numbers" choice). With a fixed std the signal
    shrinks or grows layer after layer by a factor that depends on the width,
    which is the problem the fan-based initializers solve.

    Args:
        shape: Any shape with at least one positive dimension.
        mean: Finite mean.
        std: Finite, non-negative standard deviation.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    dims = _check_shape(shape, min_dims=1)
    mean = _check_real("mean", mean)
    std = checks.nonnegative("std", std)
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    with np.errstate(over="ignore"):
        w = mean + std * rng.standard_normal(dims)
    return _finish(w, dt, f"mean={mean!r}" if abs(mean) > std else f"std={std!r}")


def uniform(
    shape: Sequence[int],
    *,
    low: float = -0.01,
    high: float = 0.01,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""$w \sim \mathcal{U}(\text{low}, \text{high})$ with fixed bounds, ignoring fans.

    The variance is $(\text{high} - \text{low})^2 / 12$. PyTorch's `uniform_`
    defaults to $\mathcal{U}(0, 1)$; here the default is the small symmetric
    interval $(-0.01, 0.01)$.

    The interval is half-open *in the result's dtype*: no entry equals `high`,
    even in float16, where rounding sends every draw within half a float16
    spacing of `high` to `high` itself (about one in $10^4$ for the default
    bounds); those entries are drawn again. Likewise `low` is compared after
    rounding: float16's nearest value to -0.01 is -0.0100021.

    Args:
        shape: Any shape with at least one dimension.
        low: Finite lower bound.
        high: Finite upper bound, greater than `low`.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.

    Raises:
        ValueError: If `low >= high`, a bound is not finite or does not fit
            `dtype`, or `low` and `high` round to the same `dtype` number.
    """
    dims = _check_shape(shape, min_dims=1)
    low = _check_real("low", low)
    high = _check_real("high", high)
    if not low < high:
        raise ValueError(f"low must be less than high, got low={low!r}, high={high!r}")
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    culprit = f"high={high!r}" if abs(high) >= abs(low) else f"low={low!r}"
    return _uniform_values(rng, low, high, dims, dt, culprit)


def trunc_normal(
    shape: Sequence[int],
    *,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    rng: np.random.Generator,
    dtype: DTypeLike | None = None,
) -> np.ndarray:
    r"""$\mathcal{N}(\text{mean}, \text{std}^2)$ conditioned on $[a, b]$, as `torch.nn.init.trunc_normal_`.

    The density is the normal one renormalized on the interval,

    $$
    \begin{gathered}
    p(w) = \frac{\varphi\big((w - \text{mean})/\text{std}\big)}
                {\text{std}\,\big(\Phi(\beta) - \Phi(\alpha)\big)}
    \quad (a \le w \le b), \\
    \alpha = \frac{a - \text{mean}}{\text{std}},\qquad
    \beta = \frac{b - \text{mean}}{\text{std}},
    \end{gathered}
    $$

    with $\varphi$, $\Phi$ the standard normal density and CDF. **`a` and `b`
    are absolute bounds, not multiples of `std`**, exactly as in PyTorch. So
    the common `trunc_normal(shape, std=0.02, rng=rng)` (the
    `trunc_normal_(w, std=.02)` of Vision Transformer code, with the default
    `a=-2, b=2`) cuts at $\pm 100$ standard deviations, which cuts nothing:
    to cut at two standard deviations pass `a=-2 * std, b=2 * std`.
    Unlike the presets' `"truncated_normal"` distribution (see
    `variance_scaling`), the variance is *not* restored after cutting: it is
    $\text{std}^2$ times the variance of a standard normal truncated to
    $[\alpha, \beta]$ (0.774 for $[-2, 2]$).

    The other libraries: Keras' `TruncatedNormal(mean, stddev)` and JAX's
    `jax.nn.initializers.truncated_normal(stddev, lower=-2.0, upper=2.0)` cut
    at two standard deviations (their bounds are in units of the std);
    `jax.random.truncated_normal(key, lower, upper)` is a standard normal on
    $[\text{lower}, \text{upper}]$.

    Sampling is exact for any interval, including one far in a tail (PyTorch
    uses the inverse CDF and warns when the mean is more than two standard
    deviations outside $[a, b]$; nothing here needs that warning). In float64
    the standardized value $z \in [\alpha, \beta]$ is drawn by rejection, from
    the normal itself when the interval holds at least 30% of the mass, from a
    uniform on the interval when it is narrow, and from Robert's (1995,
    "Simulation of truncated normal variables") shifted exponential proposal in
    a wide tail; then $w = \text{mean} + \text{std}\, z$, clipped to $[a, b]$
    against rounding.

    Args:
        shape: Any shape with at least one dimension.
        mean: Finite mean of the untruncated normal.
        std: Finite, positive standard deviation of the untruncated normal.
        a: Lower bound, a real number (``-math.inf`` allowed).
        b: Upper bound, greater than `a` (``math.inf`` allowed).
        rng: Source of randomness.
        dtype: Floating dtype of the result (`None`: float64).

    Returns:
        A new array of exactly `shape`, every entry in $[a, b]$ (in `dtype`'s
        rounding of `a` and `b`).

    Raises:
        ValueError: If `std <= 0`, `a >= b`, or a value does not fit `dtype`.
    """
    dims = _check_shape(shape, min_dims=1)
    mean = _check_real("mean", mean)
    std = _check_positive("std", std)
    a, b = _bound("a", a), _bound("b", b)
    if not a < b:
        raise ValueError(f"a must be less than b, got a={a!r}, b={b!r}")
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    with np.errstate(over="ignore"):
        alpha, beta = (a - mean) / std, (b - mean) / std
        z = _truncated_normal_z(rng, alpha, beta, math.prod(dims)).reshape(dims)
        w = np.clip(mean + std * z, a, b)
    return _finish(w, dt, f"mean={mean!r}" if abs(mean) > std else f"std={std!r}")


def _bound(name: str, value: float) -> float:
    """A truncation bound: a real number, infinities allowed, nan refused."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise checks.ArgumentTypeError(f"{name} must be a real number (inf allowed), got {value!r}")
    if math.isnan(value):
        raise ValueError(f"{name} must be a number (inf allowed), got nan")
    return float(value)


def _phi_cdf(x: float) -> float:
    """The standard normal CDF, accurate in both tails."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _truncated_normal_z(rng: np.random.Generator, alpha: float, beta: float, n: int) -> np.ndarray:
    """n standard normal draws conditioned on [alpha, beta], by rejection (see `trunc_normal`)."""
    mass = _phi_cdf(beta) - _phi_cdf(alpha) if alpha < 0 else _phi_cdf(-alpha) - _phi_cdf(-beta)
    if mass >= 0.3:
        def propose(k: int) -> np.ndarray:
            z = rng.standard_normal(k)
            return z[(z >= alpha) & (z <= beta)]
    elif alpha < 0 < beta:  # a narrow interval around the mean: uniform proposal
        def propose(k: int) -> np.ndarray:
            z = rng.uniform(alpha, beta, k)
            return z[rng.random(k) <= np.exp(-0.5 * z * z)]
    else:  # one tail; mirror it onto [lo, hi] with 0 <= lo
        sign, lo, hi = (1.0, alpha, beta) if alpha >= 0 else (-1.0, -beta, -alpha)
        if (hi - lo) * max(lo, 1.0) <= 1.0:  # narrow: uniform, accept phi(z) / phi(lo)
            def propose(k: int) -> np.ndarray:
                z = rng.uniform(lo, hi, k)
                return sign * z[rng.random(k) <= np.exp(-0.5 * (z - lo) * (z + lo))]
        else:  # wide: lo + Exp(rate) with Robert's optimal rate
            rate = 0.5 * (lo + math.sqrt(lo * lo + 4.0))
            def propose(k: int) -> np.ndarray:
                z = lo + rng.exponential(1.0 / rate, k)
                keep = (rng.random(k) <= np.exp(-0.5 * (z - rate) ** 2)) & (z <= hi)
                return sign * z[keep]
    out = np.empty(n)
    filled = 0
    while filled < n:  # each round accepts at least about 40% of its proposals
        got = propose(n - filled)
        out[filled:filled + got.size] = got
        filled += got.size
    return out


# ---------------------------------------------------------------------------
# Xavier / Glorot
# ---------------------------------------------------------------------------


def xavier_uniform(
    shape: Sequence[int],
    *,
    gain: float = 1.0,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""Xavier/Glorot uniform: $\mathcal{U}(-b, b)$, $b = g\sqrt{6/(n_{in} + n_{out})}$.

    Here $n_{in}$ = fan_in and $n_{out}$ = fan_out (see `fans`). From Glorot
    and Bengio (2010), "Understanding the difficulty of training deep
    feedforward neural networks". Keeping the variance of activations
    (forward) needs $\operatorname{Var}(w) = 1/\text{fan\_in}$, keeping that of
    gradients (backward) needs $1/\text{fan\_out}$; the compromise is

    $$
    \begin{gathered}
    \operatorname{Var}(w) = \frac{2 g^2}{\text{fan\_in} + \text{fan\_out}}, \\
    b = \sqrt{3 \operatorname{Var}(w)}.
    \end{gathered}
    $$

    Same as `torch.nn.init.xavier_uniform_` and (with `gain=1`, transposed
    layout) Keras' `GlorotUniform`. Equal to
    `variance_scaling(scale=gain**2, mode="fan_avg", distribution="uniform")`.

    Args:
        shape: PyTorch layout `(fan_out, fan_in, *kernel)`.
        gain: Positive, finite multiplier of the std (see `gain()`).
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    g = _check_positive("gain", gain)
    return _variance_scaling(shape, _square("gain", g), "fan_avg", "uniform", rng, dtype, f"gain={g!r}")


def xavier_normal(
    shape: Sequence[int],
    *,
    gain: float = 1.0,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""Xavier/Glorot normal: $\mathcal{N}(0, \sigma^2)$, $\sigma = g\sqrt{2/(n_{in} + n_{out})}$.

    Glorot and Bengio (2010), "Understanding the difficulty of training deep
    feedforward neural networks"; same variance as `xavier_uniform`.

    This is an *untruncated* normal, as `torch.nn.init.xavier_normal_`. Keras'
    `GlorotNormal` draws from a normal truncated at $\pm 2\sigma_0$ instead
    (rescaled to the same variance): use
    `variance_scaling(scale=1, mode="fan_avg", distribution="truncated_normal")`
    for that.

    Args:
        shape: PyTorch layout `(fan_out, fan_in, *kernel)`.
        gain: Positive, finite multiplier of the std.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    g = _check_positive("gain", gain)
    return _variance_scaling(shape, _square("gain", g), "fan_avg", "normal", rng, dtype, f"gain={g!r}")


# ---------------------------------------------------------------------------
# He / Kaiming
# ---------------------------------------------------------------------------


def _he_scale(a: float, mode: str, nonlinearity: str) -> float:
    _check_choice("mode", mode, _HE_MODES)
    _check_real("a", a)
    return gain(nonlinearity, a) ** 2  # type: ignore[arg-type]


def he_uniform(
    shape: Sequence[int],
    *,
    a: float = 0.0,
    mode: Literal["fan_in", "fan_out"] = "fan_in",
    nonlinearity: Nonlinearity = "leaky_relu",
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""He/Kaiming uniform: $\mathcal{U}(-b, b)$, $b = g\sqrt{3/\text{fan}}$.

    From He, Zhang, Ren and Sun (2015), "Delving Deep into Rectifiers:
    Surpassing Human-Level Performance on ImageNet Classification". With
    $g$ = `gain(nonlinearity, a)` and fan = fan_in (keeps the forward
    variance) or fan_out (keeps the backward variance),

    $$
    \sigma = \frac{g}{\sqrt{\text{fan}}}, \qquad b = \sqrt{3}\,\sigma .
    $$

    Exactly `torch.nn.init.kaiming_uniform_`, including its defaults
    (`a=0`, `nonlinearity="leaky_relu"`, which give $g = \sqrt{2}$, the same
    as `"relu"`). `a` is only used by `"leaky_relu"`. PyTorch's default
    for `nn.Linear` and `nn.Conv*` weights is this function with
    `a=math.sqrt(5)`, which gives $b = 1/\sqrt{\text{fan\_in}}$. Keras'
    `HeUniform` is this with `nonlinearity="relu"` on the transposed layout.

    Args:
        shape: PyTorch layout `(fan_out, fan_in, *kernel)`.
        a: Negative slope of the leaky ReLU that follows the layer.
        mode: `"fan_in"` or `"fan_out"`.
        nonlinearity: One of `NONLINEARITIES`.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    scale = _he_scale(a, mode, nonlinearity)
    return variance_scaling(
        shape, scale=scale, mode=mode, distribution="uniform", rng=rng, dtype=dtype
    )


def he_normal(
    shape: Sequence[int],
    *,
    a: float = 0.0,
    mode: Literal["fan_in", "fan_out"] = "fan_in",
    nonlinearity: Nonlinearity = "leaky_relu",
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""He/Kaiming normal: $\mathcal{N}(0, \sigma^2)$, $\sigma = g/\sqrt{\text{fan}}$.

    He, Zhang, Ren and Sun (2015), "Delving Deep into Rectifiers: Surpassing
    Human-Level Performance on ImageNet Classification". For ReLU, $g^2 = 2$
    so $\operatorname{Var}(w) = 2/\text{fan\_in}$.

    Exactly `torch.nn.init.kaiming_normal_`: an *untruncated* normal. Keras'
    `HeNormal` is a normal truncated at two standard deviations and rescaled
    to the same variance; get it with
    `variance_scaling(scale=2, mode="fan_in", distribution="truncated_normal")`.

    Args:
        shape: PyTorch layout `(fan_out, fan_in, *kernel)`.
        a: Negative slope of the leaky ReLU that follows the layer.
        mode: `"fan_in"` or `"fan_out"`.
        nonlinearity: One of `NONLINEARITIES`.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    scale = _he_scale(a, mode, nonlinearity)
    return variance_scaling(
        shape, scale=scale, mode=mode, distribution="normal", rng=rng, dtype=dtype
    )


# ---------------------------------------------------------------------------
# LeCun
# ---------------------------------------------------------------------------


def lecun_uniform(
    shape: Sequence[int],
    *,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""LeCun uniform: $\mathcal{U}(-b, b)$, $b = \sqrt{3/\text{fan\_in}}$.

    LeCun, Bottou, Orr and Müller (1998), "Efficient BackProp":
    $\operatorname{Var}(w) = 1/\text{fan\_in}$ keeps unit-variance inputs at
    unit variance through a linear layer. Same as Keras' `LecunUniform` and
    JAX's `lecun_uniform` (up to their transposed layout); PyTorch has no
    named equivalent (`kaiming_uniform_` with `nonlinearity="linear"` is it).

    Args:
        shape: PyTorch layout `(fan_out, fan_in, *kernel)`.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    return variance_scaling(
        shape, scale=1.0, mode="fan_in", distribution="uniform", rng=rng, dtype=dtype
    )


def lecun_normal(
    shape: Sequence[int],
    *,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""LeCun normal: truncated normal with $\operatorname{Var}(w) = 1/\text{fan\_in}$.

    LeCun, Bottou, Orr and Müller (1998), "Efficient BackProp". The default
    for SELU networks (Klambauer et al., 2017, "Self-Normalizing Neural
    Networks").

    Like Keras' `LecunNormal` and JAX's `lecun_normal`, this is a normal
    *truncated* at two standard deviations and rescaled so that the variance
    is still exactly $1/\text{fan\_in}$ (see `variance_scaling`). For the
    untruncated version use
    `variance_scaling(scale=1, mode="fan_in", distribution="normal")`, which
    is also PyTorch's `kaiming_normal_(w, nonlinearity="linear")`.

    Args:
        shape: PyTorch layout `(fan_out, fan_in, *kernel)`.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    return variance_scaling(
        shape, scale=1.0, mode="fan_in", distribution="truncated_normal", rng=rng, dtype=dtype
    )


# ---------------------------------------------------------------------------
# Orthogonal
# ---------------------------------------------------------------------------


def orthogonal(
    shape: Sequence[int],
    *,
    gain: float = 1.0,
    rng: np.random.Generator,
    dtype: DTypeLike = np.float64,
) -> np.ndarray:
    r"""A random (semi-)orthogonal matrix times `gain`, as `torch.nn.init.orthogonal_`.

    From Saxe, McClelland and Ganguli (2014), "Exact solutions to the
    nonlinear dynamics of learning in deep linear neural networks": with
    orthogonal weights every singular value is 1, so a deep linear network
    neither shrinks nor amplifies any direction of the signal.

    The weight is viewed as a matrix with `rows = shape[0]` and
    `cols = prod(shape[1:])` (a convolution's input channels and kernel are
    flattened). Then:

    1. draw $A$ of shape `(rows, cols)` with i.i.d. standard normal entries,
       transposed if `rows < cols` so that it is tall;
    2. factor $A = QR$;
    3. multiply each column of $Q$ by the sign of the matching diagonal entry
       of $R$ (a sign of 0 counts as $+1$);
    4. transpose back if needed, reshape to `shape` and multiply by `gain`.

    The result satisfies $W W^\top = g^2 I$ if `rows <= cols` and
    $W^\top W = g^2 I$ otherwise.

    Why step 3: $A = QR$ is only unique up to signs, $A = (QD)(DR)$ for any
    diagonal $D$ of $\pm 1$. A Householder QR such as `numpy.linalg.qr`
    (LAPACK) does not make $R$'s diagonal positive; it picks signs that depend
    on $A$, so $Q$ alone is *not* Haar-distributed (uniform over orthogonal
    matrices). For a 2×2 matrix, for instance, NumPy's $Q$ is always a
    reflection. Fixing the signs so that $R$'s diagonal is positive makes
    the factorization unique, and then $Q$ inherits the rotation invariance of
    the Gaussian $A$, hence is Haar-distributed: Mezzadri (2007), "How to
    generate random matrices from the classical compact groups".

    PyTorch uses `sign()`, which maps an exact 0 to 0; here 0 maps to $+1$ so
    a column can never be zeroed (an event of probability zero anyway).

    Args:
        shape: At least two positive dimensions; `shape[0]` is the rows.
        gain: Positive, finite multiplier.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    dims = _check_shape(shape, min_dims=2)
    g = _check_positive("gain", gain)
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    return _finish(g * _orthogonal_matrix(rng, dims[0], math.prod(dims[1:])).reshape(dims), dt,
                   f"gain={g!r}")


def _orthogonal_matrix(rng: np.random.Generator, rows: int, cols: int) -> np.ndarray:
    """A Haar-distributed (rows, cols) matrix with orthonormal rows or columns (see `orthogonal`)."""
    flattened = rng.standard_normal((rows, cols))
    if rows < cols:
        flattened = flattened.T
    q, r = np.linalg.qr(flattened)
    q *= np.where(np.diag(r) >= 0, 1.0, -1.0)
    # The transpose is a view in Fortran order; copy so that the result is C-contiguous.
    return np.ascontiguousarray(q.T) if rows < cols else q


# ---------------------------------------------------------------------------
# Structured: identity, Dirac, sparse, delta-orthogonal
# ---------------------------------------------------------------------------


def eye(shape: Sequence[int], *, dtype: DTypeLike | None = None) -> np.ndarray:
    r"""The identity matrix, $W_{ij} = [i = j]$, as `torch.nn.init.eye_`.

    For a non-square `(fan_out, fan_in)` weight the ones run down the main
    diagonal and the rest is zero, so a dense layer $y = x W^\top$ copies the
    first $\min(\text{fan\_in}, \text{fan\_out})$ inputs to the outputs and
    drops (or zero-pads) the rest. Keras calls it `Identity(gain=1.0)`; JAX
    has no named equivalent (`jax.numpy.eye`).

    Args:
        shape: Exactly two dimensions `(fan_out, fan_in)`.
        dtype: Floating dtype of the result (`None`: float64).

    Returns:
        A new C-contiguous array of exactly `shape`.

    Raises:
        ValueError: If `shape` does not have exactly two dimensions.
    """
    dims = _check_shape(shape, min_dims=2, max_dims=2,
                        what="eye needs a 2-D shape (fan_out, fan_in)")
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    return np.eye(dims[0], dims[1], dtype=dt)


def _kernel_shape(shape: Sequence[int], what: str) -> tuple[int, ...]:
    return _check_shape(shape, min_dims=3, max_dims=5, what=(
        f"{what} needs a convolution weight of 3 to 5 dimensions "
        "(out_channels, in_channels, *kernel) with 1 to 3 kernel dimensions"))


def dirac(shape: Sequence[int], *, groups: int = 1, dtype: DTypeLike | None = None) -> np.ndarray:
    r"""The Dirac delta kernel, as `torch.nn.init.dirac_`: a convolution that copies its input.

    The weight has shape `(out_channels, in_channels, *kernel)`. It is zero
    except, for each group $g$ and each channel $d < \min(\text{out\_channels}
    / \text{groups}, \text{in\_channels})$,

    $$
    W[g \cdot \tfrac{\text{out\_channels}}{\text{groups}} + d,\; d,\;
      k_1 /\!/ 2, \ldots] = 1,
    $$

    one 1 at the centre of the kernel ($k /\!/ 2$, integer division, for every
    kernel dimension $k$). A convolution with it passes input channel $d$
    through to output channel $d$ of every group unchanged (up to the border
    lost to an unpadded kernel) and sets the extra output channels to zero.
    With `groups > 1`, `in_channels` is the number of input channels *per
    group*, as in PyTorch's grouped convolution weights. Zagoruyko and
    Komodakis (2017), "DiracNets: Training Very Deep Neural Networks Without
    Skip-Connections", build such an identity term into the weights of every
    convolution of their plain networks.

    Args:
        shape: 3 to 5 dimensions `(out_channels, in_channels, *kernel)`.
        groups: Positive number of groups; must divide `out_channels`.
        dtype: Floating dtype of the result (`None`: float64).

    Returns:
        A new C-contiguous array of exactly `shape`.

    Raises:
        ValueError: If `shape` has fewer than 3 or more than 5 dimensions, or
            `groups` is not a positive divisor of `out_channels`.
    """
    dims = _kernel_shape(shape, "dirac")
    groups = checks.positive_int("groups", groups)
    if dims[0] % groups:
        raise ValueError(
            f"groups must divide out_channels (shape[0] = {dims[0]}), got groups={groups}"
        )
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    w = np.zeros(dims, dtype=dt)
    per_group = dims[0] // groups
    d = np.arange(min(per_group, dims[1]))
    centre = tuple(k // 2 for k in dims[2:])
    for g in range(groups):
        w[(g * per_group + d, d, *centre)] = 1.0
    return w


def sparse(
    shape: Sequence[int],
    *,
    sparsity: float,
    std: float = 0.01,
    rng: np.random.Generator,
    dtype: DTypeLike | None = None,
) -> np.ndarray:
    r"""Sparse normal weights, as `torch.nn.init.sparse_`: a fixed number of zeros per column.

    Every entry is drawn from $\mathcal{N}(0, \text{std}^2)$; then in every
    column (every input unit of a `(fan_out, fan_in)` weight) a random set of
    $\lceil \text{sparsity} \cdot \text{fan\_out} \rceil$ entries, chosen
    without replacement and independently per column, is set to zero. So each
    input feeds the same number of units. PyTorch attributes the scheme to
    Martens (2010), "Deep learning via Hessian-free optimization". Neither
    Keras nor JAX has a named equivalent.

    Args:
        shape: Exactly two dimensions `(fan_out, fan_in)`.
        sparsity: Fraction of each column set to zero, in $[0, 1]$.
        std: Finite, non-negative standard deviation of the nonzero entries.
        rng: Source of randomness.
        dtype: Floating dtype of the result (`None`: float64).

    Returns:
        A new array of exactly `shape`.

    Raises:
        ValueError: If `shape` does not have two dimensions, `sparsity` is
            outside $[0, 1]$ or `std` is negative or not finite.
    """
    dims = _check_shape(shape, min_dims=2, max_dims=2,
                        what="sparse needs a 2-D shape (fan_out, fan_in)")
    sparsity = checks.probability("sparsity", sparsity)
    std = checks.nonnegative("std", std)
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    rows, cols = dims
    with np.errstate(over="ignore"):
        w = std * rng.standard_normal(dims)
    n_zeros = math.ceil(sparsity * rows)
    # Per column, the first n_zeros rows of a random permutation (argsort of uniforms).
    zero_rows = np.argsort(rng.random(dims), axis=0, kind="stable")[:n_zeros]
    w[zero_rows, np.arange(cols)] = 0.0
    return _finish(w, dt, f"std={std!r}")


def delta_orthogonal(
    shape: Sequence[int],
    *,
    gain: float = 1.0,
    rng: np.random.Generator,
    dtype: DTypeLike | None = None,
) -> np.ndarray:
    r"""Delta-orthogonal convolution kernel (Xiao et al., 2018): zero except an orthogonal centre.

    From Xiao, Bahri, Sohl-Dickstein, Schoenholz and Pennington (2018),
    "Dynamical Isometry and a Mean Field Theory of CNNs: How to Train
    10,000-Layer Vanilla Convolutional Neural Networks". The weight of shape
    `(out_channels, in_channels, *kernel)` is zero except at the kernel's
    centre, where it is $g$ times a random matrix $H$ with orthonormal
    columns:

    $$
    \begin{gathered}
    W[:, :, c_1, \ldots] = g H, \qquad c_i = (k_i - 1) /\!/ 2, \\
    H^\top H = I_{\text{in\_channels}} .
    \end{gathered}
    $$

    A convolution with it is then a norm-preserving map of the channels at
    every position (for $g = 1$): every singular value of the layer's
    Jacobian is 1 at initialization, the convolutional form of `orthogonal`
    (with `gain=1` and `out_channels == in_channels` it is `dirac` rotated by a
    random orthogonal matrix). $H$ is drawn as in `orthogonal`
    (Haar-distributed). It needs `out_channels >= in_channels`, as JAX's
    `jax.nn.initializers.delta_orthogonal` (whose kernels are stored
    `(*kernel, in, out)`; its centre index is the same $(k - 1) /\!/ 2$, which
    for an even kernel is one below `dirac`'s $k /\!/ 2$). PyTorch and Keras
    have no named equivalent.

    Args:
        shape: 3 to 5 dimensions `(out_channels, in_channels, *kernel)` with
            `out_channels >= in_channels`.
        gain: Positive, finite multiplier.
        rng: Source of randomness.
        dtype: Floating dtype of the result (`None`: float64).

    Returns:
        A new C-contiguous array of exactly `shape`.

    Raises:
        ValueError: For a shape of fewer than 3 or more than 5 dimensions, or
            with fewer output than input channels.
    """
    dims = _kernel_shape(shape, "delta_orthogonal")
    if dims[0] < dims[1]:
        raise ValueError(
            "delta_orthogonal needs out_channels >= in_channels (an orthogonal map cannot "
            f"keep the norm of more inputs than it has outputs), got shape {dims!r}"
        )
    g = _check_positive("gain", gain)
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    if (empty := _empty(dims, dt)) is not None:
        return empty
    w = np.zeros(dims)
    w[(slice(None), slice(None), *((k - 1) // 2 for k in dims[2:]))] = (
        g * _orthogonal_matrix(rng, dims[0], dims[1]))
    return _finish(w, dt, f"gain={g!r}")


# ---------------------------------------------------------------------------
# Aliases and registry
# ---------------------------------------------------------------------------

glorot_uniform = xavier_uniform
glorot_normal = xavier_normal
kaiming_uniform = he_uniform
kaiming_normal = he_normal

PRESETS: dict[str, Callable[..., np.ndarray]] = {
    "zeros": zeros,
    "normal": normal,
    "uniform": uniform,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "lecun_uniform": lecun_uniform,
    "lecun_normal": lecun_normal,
    "orthogonal": orthogonal,
}
"""Named initializers, each callable as `f(shape, rng=rng)` (and `dtype=`).

`constant` is left out because it needs a `value`.
"""

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
\text{fan\_in} = \text{shape}[1] \cdot k, \qquad
\text{fan\_out} = \text{shape}[0] \cdot k .
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

`zeros`, `constant`, `normal` and `uniform` do not look at fans, so they accept
any shape with at least one dimension. Everything that needs fan_in or fan_out
(`fans`, `variance_scaling`, the Xavier, He and LeCun presets) and `orthogonal`
(which needs rows and columns) needs at least two dimensions. Every dimension
must be a positive integer.
"""

from __future__ import annotations

import math
import numbers
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
    "constant",
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
    "orthogonal",
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


def _check_shape(shape: Sequence[int], *, min_dims: int) -> tuple[int, ...]:
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Sequence):
        raise TypeError(
            f"shape must be a tuple of positive integers such as (64, 32), "
            f"got {shape!r} of type {type(shape).__name__}"
        )
    for dim in shape:
        if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, numbers.Integral):
            raise TypeError(
                f"every dimension of shape must be an integer, got {dim!r} "
                f"({type(dim).__name__}) in shape {tuple(shape)!r}"
            )
    dims = tuple(int(d) for d in shape)
    if len(dims) < min_dims:
        if min_dims >= 2:
            raise ValueError(
                "fan_in and fan_out need a weight of at least 2 dimensions "
                f"(fan_out, fan_in, *kernel), got shape {dims!r}"
            )
        raise ValueError(f"shape must have at least 1 dimension, got shape {dims!r}")
    bad = [d for d in dims if d <= 0]
    if bad:
        raise ValueError(
            f"every dimension of shape must be a positive integer, got {bad[0]} "
            f"in shape {dims!r}"
        )
    return dims


_check_rng = checks.generator


def _check_dtype(dtype: DTypeLike) -> np.dtype:
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
    \text{fan\_in} = \text{shape}[1] \cdot k, \qquad
    \text{fan\_out} = \text{shape}[0] \cdot k .
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
        ValueError: If `nonlinearity` is unknown or `param` is not finite.
        TypeError: If `param` is not a real number (`bool` is rejected).
    """
    _check_choice("nonlinearity", nonlinearity, NONLINEARITIES)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        else:
            if isinstance(param, (bool, np.bool_)) or not isinstance(param, numbers.Real):
                raise TypeError(
                    f"param (the negative slope of leaky_relu) must be a real number, "
                    f"got {param!r} ({type(param).__name__})"
                )
            slope = _check_real("param (the negative slope of leaky_relu)", param)
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
    fan_in, fan_out = fans(shape)
    scale = _check_positive("scale", scale)
    _check_choice("mode", mode, MODES)
    _check_choice("distribution", distribution, DISTRIBUTIONS)
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    dims = tuple(int(d) for d in shape)

    n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
    variance = scale / n
    if distribution == "uniform":
        bound = math.sqrt(3.0 * variance)
        w = rng.uniform(-bound, bound, size=dims)
    elif distribution == "normal":
        w = math.sqrt(variance) * rng.standard_normal(dims)
    else:  # truncated_normal
        std = math.sqrt(variance) / _TRUNCATED_NORMAL_STD
        w = std * _truncated_standard_normal(rng, dims)
    return w.astype(dt, copy=False)


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
    dims = _check_shape(shape, min_dims=1)
    if rng is not None:
        _check_rng(rng)
    return np.zeros(dims, dtype=_check_dtype(dtype))


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
    return np.full(dims, value, dtype=_check_dtype(dtype))


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
    return (mean + std * rng.standard_normal(dims)).astype(dt, copy=False)


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

    Args:
        shape: Any shape with at least one positive dimension.
        low: Finite lower bound.
        high: Finite upper bound, greater than `low`.
        rng: Source of randomness.
        dtype: Floating dtype of the result.

    Returns:
        A new array of exactly `shape`.
    """
    dims = _check_shape(shape, min_dims=1)
    low = _check_real("low", low)
    high = _check_real("high", high)
    if not low < high:
        raise ValueError(f"low must be less than high, got low={low!r}, high={high!r}")
    rng = _check_rng(rng)
    dt = _check_dtype(dtype)
    return rng.uniform(low, high, size=dims).astype(dt, copy=False)


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
    \operatorname{Var}(w) = \frac{2 g^2}{\text{fan\_in} + \text{fan\_out}},
    \qquad b = \sqrt{3 \operatorname{Var}(w)}.
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
    return variance_scaling(
        shape, scale=g**2, mode="fan_avg", distribution="uniform", rng=rng, dtype=dtype
    )


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
    return variance_scaling(
        shape, scale=g**2, mode="fan_avg", distribution="normal", rng=rng, dtype=dtype
    )


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

    rows = dims[0]
    cols = math.prod(dims) // rows
    flattened = rng.standard_normal((rows, cols))
    if rows < cols:
        flattened = flattened.T
    q, r = np.linalg.qr(flattened)
    q *= np.where(np.diag(r) >= 0, 1.0, -1.0)
    if rows < cols:
        q = q.T
    return (g * q.reshape(dims)).astype(dt, copy=False)


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

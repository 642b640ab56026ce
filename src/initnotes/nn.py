r"""A tiny multilayer perceptron in numpy that you can read in one sitting.

Everything the site trains is built from this module. It is written in the
spirit of micrograd: every piece of the forward pass has its backward pass
right next to it, so the chain rule is visible line by line.

Conventions (the same as PyTorch's ``nn.Linear``):

* inputs are row vectors stacked into a batch, shape ``(batch, features)``;
* a layer's weight matrix has shape ``(fan_out, fan_in)``;
* a dense layer computes $z = x W^\top + b$ and then $h = f(z)$.

Backpropagation through one dense layer, for a batch $x$ of shape
$(N, n_\text{in})$ and an upstream gradient $\partial L/\partial h$ of shape
$(N, n_\text{out})$:

$$
\frac{\partial L}{\partial z} = \frac{\partial L}{\partial h} \odot f'(z),\qquad
\frac{\partial L}{\partial W} = \Big(\frac{\partial L}{\partial z}\Big)^{\!\top} x,\qquad
\frac{\partial L}{\partial b} = \sum_{n=1}^{N} \frac{\partial L}{\partial z_n},\qquad
\frac{\partial L}{\partial x} = \frac{\partial L}{\partial z}\, W .
$$

The layer *sums* over the batch; the loss functions below already divide by
the batch size, so gradients come out as batch averages.

Examples:
    >>> import numpy as np
    >>> from initnotes.nn import MLP, train
    >>> from initnotes.data import xor
    >>> rng = np.random.default_rng(0)
    >>> x, y = xor(200, rng=rng)
    >>> net = MLP([2, 8, 1], activation="tanh", rng=rng)
    >>> history = train(net, x, y, loss="bce", lr=0.5, steps=500)
    >>> bool(history.loss[-1] < history.loss[0])
    True
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from initnotes import checks

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Activation",
    "Identity",
    "Tanh",
    "ReLU",
    "LeakyReLU",
    "Sigmoid",
    "SELU",
    "GELU",
    "SiLU",
    "SELU_ALPHA",
    "SELU_SCALE",
    "get_activation",
    "Dense",
    "MLP",
    "Initializer",
    "mse",
    "softmax_cross_entropy",
    "binary_cross_entropy_with_logits",
    "TrainHistory",
    "DivergenceWarning",
    "train",
    "evaluate",
]

#: Names accepted for ``activation`` / ``output_activation``
#: (``"linear"`` is also accepted as an alias of ``"identity"``).
#: This is the package's one table of activation formulas: experiments and
#: `initnotes.theory` look activations up here by name.
ACTIVATIONS: tuple[str, ...] = (
    "identity", "tanh", "relu", "leaky_relu", "sigmoid", "selu", "gelu", "gelu_tanh", "silu",
)

_ALIASES = {"linear": "identity"}

#: Names accepted for ``train(..., loss=...)``.
LOSSES: tuple[str, ...] = ("mse", "cross_entropy", "bce")

#: An initializer: ``f(shape, rng=rng) -> ndarray`` of exactly that shape
#: (every preset in `initnotes.init` has this form).
Initializer = Callable[..., np.ndarray]


# ---------------------------------------------------------------------------
# Activations: forward and derivative side by side
# ---------------------------------------------------------------------------


class Activation:
    r"""An elementwise nonlinearity $h = f(z)$ together with its derivative.

    Subclasses implement `forward` and `derivative`. The
    derivative receives both the pre-activation ``z`` and the already
    computed output ``h`` because some derivatives are cheapest in terms of
    the output (e.g. $\tanh'(z) = 1 - h^2$).
    """

    name: str = ""

    def forward(self, z: np.ndarray) -> np.ndarray:
        """Return $f(z)$ elementwise."""
        raise NotImplementedError

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        """Return $f'(z)$ elementwise, given ``z`` and ``h = f(z)``."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Identity(Activation):
    r"""$f(z) = z$, $f'(z) = 1$. Used for output layers producing logits."""

    name = "identity"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return z

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        return np.ones_like(z)


class Tanh(Activation):
    r"""$f(z) = \tanh z$, $f'(z) = 1 - \tanh^2 z = 1 - h^2$.

    Zero-centred with $f'(0) = 1$: near the origin it behaves like the
    identity, which is what Xavier/Glorot initialization assumes.
    """

    name = "tanh"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z)

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        return 1.0 - h * h


class ReLU(Activation):
    r"""$f(z) = \max(0, z)$, $f'(z) = [z > 0]$ (we take $f'(0) = 0$).

    It zeroes half of a symmetric input, halving the second moment; He
    initialization doubles the weight variance to compensate.
    """

    name = "relu"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0.0)

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        return (z > 0).astype(z.dtype)


class LeakyReLU(Activation):
    r"""$f(z) = z$ for $z > 0$ else $\alpha z$; $f'(z) = 1$ or $\alpha$.

    Args:
        slope: the negative-side slope $\alpha$ (finite, $\ge 0$).
    """

    name = "leaky_relu"

    def __init__(self, slope: float = 0.01) -> None:
        self.slope = _check_slope(slope)

    def forward(self, z: np.ndarray) -> np.ndarray:
        return np.where(z > 0, z, self.slope * z)

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        return np.where(z > 0, 1.0, self.slope)

    def __repr__(self) -> str:
        return f"LeakyReLU(slope={self.slope!r})"


class Sigmoid(Activation):
    r"""$f(z) = \sigma(z) = 1/(1 + e^{-z})$, $f'(z) = h(1 - h)$.

    Computed as $\tfrac12(1 + \tanh(z/2))$, which never overflows. Note
    $f'(0) = 1/4$ and $f(0) = 1/2$: it is neither zero-centred nor
    slope-one at the origin.
    """

    name = "sigmoid"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        return h * (1.0 - h)


#: SELU's constants, Klambauer, Unterthiner, Mayr and Hochreiter (2017),
#: "Self-Normalizing Neural Networks": the fixed point of mean 0 and variance 1
#: for standard-normal inputs (the values PyTorch and JAX use).
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class SELU(Activation):
    r"""$f(z) = \lambda z$ for $z > 0$ else $\lambda\alpha(e^z - 1)$;
    $f'(z) = \lambda$ or $\lambda\alpha e^z$ (we take $f'(0) = \lambda\alpha$).

    $\alpha$ = `SELU_ALPHA` $\approx 1.6733$ and $\lambda$ = `SELU_SCALE`
    $\approx 1.0507$ (Klambauer et al., 2017) make $E[f(z)] = 0$ and
    $E[f(z)^2] = 1$ for $z \sim \mathcal N(0, 1)$: a layer with
    $\operatorname{Var}(w) = 1/n$ (LeCun init) keeps mean 0 and variance 1.
    The exponential is evaluated at $\min(z, 0)$ only, so it never overflows.
    """

    name = "selu"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(np.minimum(z, 0.0)))

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        return SELU_SCALE * np.where(z > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(z, 0.0)))


#: ``erf`` elementwise. NumPy has none; `math.erf` is correctly rounded to
#: double precision but costs about 0.1 microseconds per element.
_erf = np.vectorize(math.erf, otypes=[np.float64])

_SQRT_2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715  # the cubic coefficient of Hendrycks & Gimpel's tanh approximation


class GELU(Activation):
    r"""$f(z) = z\,\Phi(z) = \tfrac12 z\,(1 + \operatorname{erf}(z/\sqrt2))$,
    $f'(z) = \Phi(z) + z\,\varphi(z)$, with $\Phi$, $\varphi$ the standard
    normal CDF and density (Hendrycks & Gimpel, 2016, "Gaussian Error Linear Units").

    Args:
        approximate: ``"none"`` for the exact erf form (PyTorch's default,
            ``torch.nn.GELU()``), or ``"tanh"`` for
            $\tfrac12 z\,\big(1 + \tanh\big(\sqrt{2/\pi}\,(z + 0.044715 z^3)\big)\big)$,
            which is ``torch.nn.GELU(approximate="tanh")`` and the default of
            ``jax.nn.gelu`` (``approximate=True``). The two differ by less than
            $10^{-3}$ everywhere. The exact form calls `math.erf` per element
            (about 0.1 µs each); the tanh form is plain NumPy.
    """

    def __init__(self, approximate: str = "none") -> None:
        if approximate not in ("none", "tanh"):
            raise ValueError(f"approximate must be one of ('none', 'tanh'), got {approximate!r}")
        self.approximate = approximate
        self.name = "gelu" if approximate == "none" else "gelu_tanh"

    def forward(self, z: np.ndarray) -> np.ndarray:
        if self.approximate == "tanh":
            return 0.5 * z * (1.0 + np.tanh(_SQRT_2_OVER_PI * (z + _GELU_CUBIC * z**3)))
        return 0.5 * z * (1.0 + _erf(z / _SQRT_2))

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        if self.approximate == "tanh":
            t = np.tanh(_SQRT_2_OVER_PI * (z + _GELU_CUBIC * z**3))
            return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * _SQRT_2_OVER_PI * (
                1.0 + 3.0 * _GELU_CUBIC * z * z)
        cdf = 0.5 * (1.0 + _erf(z / _SQRT_2))
        return cdf + z * _INV_SQRT_2PI * np.exp(-0.5 * z * z)

    def __repr__(self) -> str:
        return f"GELU(approximate={self.approximate!r})"


class SiLU(Activation):
    r"""$f(z) = z\,\sigma(z)$ (also called swish), $f'(z) = \sigma(z)\,(1 + z(1 - \sigma(z)))$.

    Elfwing, Uchibe and Doya (2018); Ramachandran, Zoph and Le (2017).
    $\sigma$ is computed as in `Sigmoid`, so large $|z|$ never overflow.
    """

    name = "silu"

    def forward(self, z: np.ndarray) -> np.ndarray:
        return z * (0.5 * (1.0 + np.tanh(0.5 * z)))

    def derivative(self, z: np.ndarray, h: np.ndarray) -> np.ndarray:
        s = 0.5 * (1.0 + np.tanh(0.5 * z))
        return s * (1.0 + z * (1.0 - s))


_ACTIVATION_CLASSES: dict[str, Callable[[], Activation]] = {
    "identity": Identity,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "sigmoid": Sigmoid,
    "selu": SELU,
    "gelu": GELU,
    "gelu_tanh": lambda: GELU("tanh"),
    "silu": SiLU,
}


def _check_slope(slope: float) -> float:
    return checks.nonnegative_float("leaky_slope", slope)


def _canonical_activation(name: str) -> str:
    if not isinstance(name, str):
        raise ValueError(
            f"activation must be a string, one of {', '.join(ACTIVATIONS)}; got {name!r}"
        )
    key = _ALIASES.get(name.lower(), name.lower())
    if key not in _ACTIVATION_CLASSES:
        raise ValueError(
            f"unknown activation {name!r}; allowed: {', '.join(ACTIVATIONS)} "
            "(or 'linear' for identity)"
        )
    return key


def get_activation(name: str, *, leaky_slope: float = 0.01) -> Activation:
    r"""Return the `Activation` object for a name.

    Args:
        name: one of :data:`ACTIVATIONS` (case-insensitive; ``"linear"`` means
            ``"identity"``).
        leaky_slope: negative-side slope, used only by ``"leaky_relu"``.

    Raises:
        ValueError: if the name is unknown (the message lists the allowed
            names) or the slope is not a finite number $\ge 0$.
    """
    key = _canonical_activation(name)
    slope = _check_slope(leaky_slope)
    if key == "leaky_relu":
        return LeakyReLU(slope)
    return _ACTIVATION_CLASSES[key]()


# ---------------------------------------------------------------------------
# Dense layer
# ---------------------------------------------------------------------------


class Dense:
    r"""One fully connected layer $h = f(x W^\top + b)$.

    Args:
        W: weights, shape ``(fan_out, fan_in)`` (copied).
        b: biases, shape ``(fan_out,)`` (copied).
        activation: one of :data:`ACTIVATIONS`.
        leaky_slope: negative slope of ``"leaky_relu"``.
        name: how error messages call the layer (`MLP` names its layers
            ``"layer 1"``, ``"layer 2"``, ...).

    Attributes:
        W: weights, shape ``(fan_out, fan_in)``.
        b: biases, shape ``(fan_out,)``.
        activation: canonical activation name (one of :data:`ACTIVATIONS`).
        act: the `Activation` object.
        x, z, h: input, pre-activation and output cached by the last
            `forward` (``None`` before).
        dW, db: gradients set by the last `backward` (``None`` before).
    """

    def __init__(
        self,
        W: np.ndarray,
        b: np.ndarray,
        activation: str = "tanh",
        *,
        leaky_slope: float = 0.01,
        name: str = "",
    ) -> None:
        W = np.array(W, dtype=np.float64)  # copy
        b = np.array(b, dtype=np.float64)
        checks.array_ndim("W", W, 2, "(fan_out, fan_in)")
        if b.shape != (W.shape[0],):
            raise ValueError(f"b must have shape ({W.shape[0]},) to match W {W.shape}, got {b.shape}")
        self.W = W
        self.b = b
        self.act = get_activation(activation, leaky_slope=leaky_slope)
        self.activation = self.act.name
        self.name = str(name)
        self.x: np.ndarray | None = None
        self.z: np.ndarray | None = None
        self.h: np.ndarray | None = None
        self.dW: np.ndarray | None = None
        self.db: np.ndarray | None = None

    @property
    def fan_in(self) -> int:
        """Number of inputs, ``W.shape[1]``."""
        return self.W.shape[1]

    @property
    def fan_out(self) -> int:
        """Number of outputs, ``W.shape[0]``."""
        return self.W.shape[0]

    def _describe(self) -> str:
        return f"Dense {self.name + ' ' if self.name else ''}({self.fan_in} -> {self.fan_out}, {self.activation})"

    def forward(self, x: np.ndarray) -> np.ndarray:
        r"""Compute $z = x W^\top + b$ and return $h = f(z)$; caches ``x`` and ``z``.

        Raises:
            ValueError: if ``x`` is not of shape ``(batch, fan_in)``; the message names
                the layer, the expected and the given shape.
        """
        if np.ndim(x) != 2 or np.shape(x)[1] != self.fan_in:
            raise ValueError(
                f"{self._describe()} expects an input of shape (batch, {self.fan_in}), "
                f"got shape {np.shape(x)}"
            )
        z = x @ self.W.T + self.b
        h = self.act.forward(z)
        self.x, self.z, self.h = x, z, h
        return h

    def backward(self, grad_h: np.ndarray) -> np.ndarray:
        r"""Backpropagate $\partial L/\partial h$ through this layer.

        Sets ``dW`` $= (\partial L/\partial z)^\top x$ and
        ``db`` $= \sum_n \partial L/\partial z_n$, where
        $\partial L/\partial z = \partial L/\partial h \odot f'(z)$, and returns
        $\partial L/\partial x = (\partial L/\partial z)\,W$.

        Raises:
            RuntimeError: if `forward` has not been called.
            ValueError: if ``grad_h`` does not have the shape of the last output,
                ``(batch, fan_out)``; the message names the layer and both shapes.
        """
        if self.x is None:
            raise RuntimeError("Dense.backward called before forward")
        if np.shape(grad_h) != self.h.shape:
            raise ValueError(
                f"{self._describe()} expects a gradient of the shape of its last output, "
                f"{self.h.shape} (batch, fan_out), got shape {np.shape(grad_h)}"
            )
        grad_z = grad_h * self.act.derivative(self.z, self.h)
        self.dW = grad_z.T @ self.x
        self.db = grad_z.sum(axis=0)
        return grad_z @ self.W

    def __repr__(self) -> str:
        return f"Dense({self.fan_in} -> {self.fan_out}, activation={self.activation!r})"


# ---------------------------------------------------------------------------
# MLP
# ---------------------------------------------------------------------------


def _is_int(v: object) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool)


def _check_sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence | np.ndarray):
        raise ValueError(f"sizes must be a sequence of positive ints [n_in, ..., n_out], got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least 2 entries [n_in, n_out], got {sizes!r}")
    for s in sizes:
        if not _is_int(s) or s < 1:
            raise ValueError(f"sizes must be positive ints, got {s!r} in {sizes!r}")
    return tuple(int(s) for s in sizes)


def _per_layer(spec: object, n_layers: int, what: str) -> list:
    """Turn a callable-or-sequence spec into one callable per layer."""
    if callable(spec):
        return [spec] * n_layers
    if isinstance(spec, Sequence) and not isinstance(spec, (str, bytes)):
        if len(spec) != n_layers:
            raise ValueError(
                f"{what} sequence has {len(spec)} entries but the network has {n_layers} layers"
            )
        for i, f in enumerate(spec):
            if not callable(f):
                raise ValueError(f"{what}[{i}] is not callable: {f!r}")
        return list(spec)
    raise ValueError(f"{what} must be a callable f(shape, rng=rng) or a sequence of them, got {spec!r}")


def _default_weight_init(shape: tuple[int, int], *, rng: np.random.Generator) -> np.ndarray:
    # Imported lazily so this module works on its own.
    from initnotes.init import xavier_uniform

    return xavier_uniform(shape, rng=rng)


def _default_bias_init(shape: tuple[int, ...], *, rng: np.random.Generator | None = None) -> np.ndarray:
    return np.zeros(shape)


def _checked_array(arr: object, shape: tuple[int, ...], what: str) -> np.ndarray:
    a = np.array(arr, dtype=np.float64)  # always a fresh copy
    checks.array_shape(what, a, shape)
    checks.finite_array(what, a)
    return a


class MLP:
    r"""A multilayer perceptron: a stack of `Dense` layers.

    Args:
        sizes: layer widths ``[n_in, h1, ..., n_out]`` (at least 2 positive
            ints); the net has ``len(sizes) - 1`` layers.
        activation: hidden-layer activation, one of :data:`ACTIVATIONS`.
        output_activation: activation of the last layer (``"identity"``
            gives logits / linear regression outputs).
        weight_init: ``f(shape, rng=rng)`` returning a ``(fan_out, fan_in)``
            array, or a sequence of such callables, one per layer. Default:
            Xavier/Glorot uniform from `initnotes.init`.
        bias_init: same for biases (shape ``(fan_out,)``). Default: zeros.
        rng: the random generator passed to every initializer.
        leaky_slope: negative slope of ``"leaky_relu"``.

    Attributes:
        layers: the `Dense` layers.
        sizes: the widths as a tuple.
        activations: after `forward`, ``[x, h1, ..., output]``.
        preactivations: after `forward`, ``[z1, ..., zL]``.
        activation_grads: after `backward`, ``[dL/dh1, ..., dL/dhL]``
            (one per layer; the last is the gradient w.r.t. the output).
        input_grad: after `backward`, $\partial L/\partial x$.

    Raises:
        ValueError: on bad sizes, unknown activations, a wrong number of
            initializers, or an initializer returning the wrong shape.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        activation: str = "tanh",
        output_activation: str = "identity",
        weight_init: Initializer | Sequence[Initializer] | None = None,
        bias_init: Initializer | Sequence[Initializer] | None = None,
        rng: np.random.Generator,
        leaky_slope: float = 0.01,
    ) -> None:
        sizes = _check_sizes(sizes)
        checks.generator(rng)
        n_layers = len(sizes) - 1
        w_inits = _per_layer(_default_weight_init if weight_init is None else weight_init, n_layers, "weight_init")
        b_inits = _per_layer(_default_bias_init if bias_init is None else bias_init, n_layers, "bias_init")
        weights, biases = [], []
        for k in range(n_layers):
            fan_in, fan_out = sizes[k], sizes[k + 1]
            W = w_inits[k]((fan_out, fan_in), rng=rng)
            b = b_inits[k]((fan_out,), rng=rng)
            weights.append(_checked_array(W, (fan_out, fan_in), f"weight_init for layer {k}"))
            biases.append(_checked_array(b, (fan_out,), f"bias_init for layer {k}"))
        self._build(weights, biases, activation, output_activation, leaky_slope)

    def _build(
        self,
        weights: list[np.ndarray],
        biases: list[np.ndarray],
        activation: str,
        output_activation: str,
        leaky_slope: float,
    ) -> None:
        hidden = _canonical_activation(activation)
        out = _canonical_activation(output_activation)
        self.leaky_slope = _check_slope(leaky_slope)
        self.activation = hidden
        self.output_activation = out
        n = len(weights)
        self.layers: list[Dense] = [
            Dense(W, b, out if k == n - 1 else hidden, leaky_slope=leaky_slope, name=f"layer {k + 1}")
            for k, (W, b) in enumerate(zip(weights, biases, strict=True))
        ]
        self.sizes: tuple[int, ...] = (weights[0].shape[1], *(W.shape[0] for W in weights))
        self.activations: list[np.ndarray] = []
        self.preactivations: list[np.ndarray] = []
        self.activation_grads: list[np.ndarray] = []
        self.input_grad: np.ndarray | None = None

    @classmethod
    def from_weights(
        cls,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray] | None = None,
        *,
        activation: str = "tanh",
        output_activation: str = "identity",
        leaky_slope: float = 0.01,
    ) -> MLP:
        """Build a net from explicit weight (and bias) arrays, copying them.

        Args:
            weights: one ``(fan_out, fan_in)`` array per layer; consecutive
                shapes must chain (``W[k].shape[1] == W[k-1].shape[0]``).
            biases: one ``(fan_out,)`` array per layer; default zeros.

        Raises:
            ValueError: if the shapes do not chain, a bias has the wrong shape, or
                an entry is nan or infinite (named by its index, as `train` names a
                bad input).
        """
        if len(weights) < 1:
            raise ValueError("from_weights needs at least one weight matrix")
        Ws = [np.array(W, dtype=np.float64) for W in weights]
        for k, W in enumerate(Ws):
            if W.ndim != 2 or W.size == 0:
                raise ValueError(f"weights[{k}] must be a non-empty 2-D (fan_out, fan_in) array, got shape {W.shape}")
            checks.finite_array(f"weights[{k}]", W)
            if k > 0 and W.shape[1] != Ws[k - 1].shape[0]:
                raise ValueError(
                    f"weights[{k}] has fan_in {W.shape[1]} but weights[{k - 1}] has "
                    f"fan_out {Ws[k - 1].shape[0]} (shapes {Ws[k - 1].shape} then {W.shape})"
                )
        if biases is None:
            bs = [np.zeros(W.shape[0]) for W in Ws]
        else:
            if len(biases) != len(Ws):
                raise ValueError(f"got {len(biases)} biases for {len(Ws)} weight matrices")
            bs = [_checked_array(b, (W.shape[0],), f"biases[{k}]") for k, (b, W) in enumerate(zip(biases, Ws))]
        net = cls.__new__(cls)
        net._build(Ws, bs, activation, output_activation, leaky_slope)
        return net

    # -- forward / backward ---------------------------------------------------

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Run the batch ``x`` of shape ``(batch, n_in)`` through every layer.

        Records ``activations = [x, h1, ..., output]`` and
        ``preactivations = [z1, ..., zL]``.

        Raises:
            ValueError: if ``x`` is not 2-D, its width is not ``sizes[0]``, or an
                entry is nan or infinite (as `train` refuses them).
        """
        x = checks.array_ndim("input", np.asarray(x, dtype=np.float64), 2, "(batch, features)")
        if x.shape[1] != self.sizes[0]:
            raise ValueError(
                f"input has {x.shape[1]} features but the network expects {self.sizes[0]}"
            )
        return self._forward(checks.finite_array("input", x))

    def _forward(self, x: np.ndarray) -> np.ndarray:
        """`forward` without the checks of ``x`` (for `train`, which checked it once)."""
        acts = [x]
        pres = []
        h = x
        for layer in self.layers:
            h = layer.forward(h)
            pres.append(layer.z)
            acts.append(h)
        self.activations = acts
        self.preactivations = pres
        return h

    __call__ = forward

    def backward(self, grad_output: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        r"""Backpropagate $\partial L/\partial\,\text{output}$ through all layers.

        Walks the layers last to first, each turning $\partial L/\partial h_k$
        into $\partial L/\partial h_{k-1}$ (see `Dense.backward`).

        Returns:
            ``[(dW1, db1), ..., (dWL, dbL)]``, also stored on the layers.

        Raises:
            RuntimeError: if `forward` has not been called.
            ValueError: if ``grad_output`` does not match the output's shape.
        """
        if not self.activations:
            raise RuntimeError("backward called before forward")
        g = np.array(grad_output, dtype=np.float64)
        out_shape = self.activations[-1].shape
        if g.shape != out_shape:
            raise ValueError(f"grad_output has shape {g.shape} but the output has shape {out_shape}")
        grads = [g]
        for layer in reversed(self.layers):
            g = layer.backward(g)
            grads.append(g)
        self.input_grad = grads.pop()
        grads.reverse()
        self.activation_grads = grads  # dL/dh1, ..., dL/dhL
        return [(layer.dW, layer.db) for layer in self.layers]

    def sgd_step(self, lr: float) -> None:
        r"""One plain gradient-descent update, in place: $W \leftarrow W - \eta\,\partial L/\partial W$.

        Raises:
            ValueError: if ``lr`` is not a finite number > 0.
            RuntimeError: if `backward` has not been called.
        """
        lr = _check_lr(lr)
        for layer in self.layers:
            if layer.dW is None:
                raise RuntimeError("sgd_step called before backward")
            layer.W -= lr * layer.dW
            layer.b -= lr * layer.db

    # -- helpers --------------------------------------------------------------

    @property
    def weights(self) -> list[np.ndarray]:
        """The weight matrices (live references, not copies)."""
        return [layer.W for layer in self.layers]

    @property
    def biases(self) -> list[np.ndarray]:
        """The bias vectors (live references, not copies)."""
        return [layer.b for layer in self.layers]

    @property
    def n_params(self) -> int:
        """Total number of trainable scalars."""
        return sum(layer.W.size + layer.b.size for layer in self.layers)

    def parameters(self) -> list[np.ndarray]:
        """``[W1, b1, W2, b2, ...]`` as live references (edit in place to change the net)."""
        return [p for layer in self.layers for p in (layer.W, layer.b)]

    def gradients(self) -> list[np.ndarray]:
        """``[dW1, db1, ...]`` from the last `backward`, matching `parameters`."""
        if any(layer.dW is None for layer in self.layers):
            raise RuntimeError("gradients requested before backward")
        return [g for layer in self.layers for g in (layer.dW, layer.db)]

    def copy(self) -> MLP:
        """An independent copy with the same parameters (no cached state)."""
        return MLP.from_weights(
            self.weights,
            self.biases,
            activation=self.activation,
            output_activation=self.output_activation,
            leaky_slope=self.leaky_slope,
        )

    def __len__(self) -> int:
        return len(self.layers)

    def __repr__(self) -> str:
        return (
            f"MLP({list(self.sizes)}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r})"
        )


# ---------------------------------------------------------------------------
# Losses: each returns (loss, dL/d output), averaged over the batch
# ---------------------------------------------------------------------------


def _as_2d_like(target: np.ndarray, output: np.ndarray, what: str) -> np.ndarray:
    t = np.asarray(target, dtype=np.float64)
    if t.ndim == 1 and output.ndim == 2 and output.shape[1] == 1:
        t = t[:, None]
    if t.shape != output.shape:
        raise ValueError(f"{what} has shape {np.shape(target)} but the output has shape {output.shape}")
    return t


def _mse(out: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    n = out.shape[0]
    diff = out - t
    return 0.5 * float(np.sum(diff * diff)) / n, diff / n


def mse(output: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Half squared error, summed over outputs and averaged over the batch.

    $$L = \frac{1}{N}\sum_{n=1}^{N} \tfrac12 \lVert y_n - t_n\rVert^2,\qquad
    \frac{\partial L}{\partial y_n} = \frac{y_n - t_n}{N}.$$

    Args:
        output: shape ``(N, K)``.
        target: shape ``(N, K)``; ``(N,)`` is accepted when ``K == 1``.

    Returns:
        ``(loss, grad)`` with ``grad.shape == output.shape``.
    """
    out = np.asarray(output, dtype=np.float64)
    checks.array_ndim("output", out, 2, "(batch, outputs)")
    return _mse(out, _as_2d_like(target, out, "target"))


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _softmax_ce(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    n = logits.shape[0]
    logp = _log_softmax(logits)
    rows = np.arange(n)
    loss = -float(logp[rows, labels].sum()) / n
    grad = np.exp(logp)
    grad[rows, labels] -= 1.0
    return loss, grad / n


def _check_labels(labels: object, n: int, n_classes: int) -> np.ndarray:
    y = np.asarray(labels)
    if y.shape != (n,):
        raise ValueError(f"labels must have shape ({n},), got {y.shape}")
    if y.dtype.kind not in "iu":
        if y.dtype.kind == "f" and np.all(np.isfinite(y)) and np.all(y == np.round(y)):
            y = y.astype(np.int64)
        else:
            raise ValueError(f"labels must be integers, got dtype {y.dtype}")
    if n and (y.min() < 0 or y.max() >= n_classes):
        bad = y[(y < 0) | (y >= n_classes)][0]
        raise ValueError(f"label {int(bad)} out of range for {n_classes} classes (allowed 0..{n_classes - 1})")
    return y.astype(np.intp)


def softmax_cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Softmax cross-entropy on integer labels, averaged over the batch.

    $$L = -\frac1N\sum_n \log \operatorname{softmax}(z_n)_{y_n},\qquad
    \frac{\partial L}{\partial z_n} = \frac{\operatorname{softmax}(z_n) - e_{y_n}}{N}.$$

    The log-softmax subtracts each row's maximum first, so huge logits do
    not overflow.

    Args:
        logits: shape ``(N, K)`` with ``K >= 2``.
        labels: integer class indices in ``0..K-1``, shape ``(N,)``.

    Raises:
        ValueError: on shape mismatch or a label outside ``0..K-1``.
    """
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 2 or z.shape[1] < 2:
        raise ValueError(f"logits must be 2-D (batch, classes) with >= 2 classes, got shape {z.shape}")
    return _softmax_ce(z, _check_labels(labels, z.shape[0], z.shape[1]))


def _bce_logits(z: np.ndarray, t: np.ndarray) -> tuple[float, np.ndarray]:
    n = z.shape[0]
    # log(1 + e^z) - t z, written so that exp never sees a large positive number
    per = np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))
    sig = 0.5 * (1.0 + np.tanh(0.5 * z))
    return float(per.sum()) / n, (sig - t) / n


def binary_cross_entropy_with_logits(logits: np.ndarray, targets: np.ndarray) -> tuple[float, np.ndarray]:
    r"""Binary cross-entropy on logits, summed over outputs, averaged over the batch.

    With $p = \sigma(z)$:

    $$
    \begin{aligned}
    L &= \frac1N\sum_n\sum_k \big[-t\log p - (1-t)\log(1-p)\big] \\
      &= \frac1N\sum \big[\max(z,0) - t z + \log(1 + e^{-|z|})\big],
    \end{aligned}
    $$

    $$
    \frac{\partial L}{\partial z} = \frac{\sigma(z) - t}{N}.
    $$

    Args:
        logits: shape ``(N, K)`` (usually ``K == 1``).
        targets: values in $[0, 1]$, shape ``(N, K)``; ``(N,)`` is accepted
            when ``K == 1``.

    Raises:
        ValueError: on shape mismatch or targets outside $[0, 1]$.
    """
    z = np.asarray(logits, dtype=np.float64)
    checks.array_ndim("logits", z, 2, "(batch, outputs)")
    t = _check_binary_targets(targets, z)
    return _bce_logits(z, t)


def _check_binary_targets(targets: object, z: np.ndarray) -> np.ndarray:
    t = _as_2d_like(targets, z, "targets")
    if not np.all((t >= 0) & (t <= 1)):
        bad = t[~((t >= 0) & (t <= 1))][0]
        raise ValueError(f"binary targets must lie in [0, 1], got {float(bad)!r}")
    return t


# ---------------------------------------------------------------------------
# Training loop
# ---------------------------------------------------------------------------


def _check_lr(lr: float) -> float:
    return checks.positive_float("lr", lr)


class DivergenceWarning(RuntimeWarning):
    """`train` diverged: the loss (or, after the last update, a weight) stopped being finite.

    Attributes:
        step: the first step whose loss is not finite (``steps`` if only the last
            update made a parameter non-finite), as `TrainHistory.diverged_at`.
        lr: the learning rate of the run.
    """

    def __init__(self, message: str, *, step: int, lr: float) -> None:
        super().__init__(message)
        self.step = step
        self.lr = lr


@dataclass(frozen=True)
class TrainHistory:
    """What `train` records.

    Attributes:
        loss: shape ``(steps,)``; ``loss[s]`` is the loss on the batch used
            at step ``s``, measured *before* that step's update. After a
            divergence the entries are ``inf`` or ``nan``.
        accuracy: same layout, fraction of that batch classified correctly,
            for ``"cross_entropy"`` and ``"bce"``; ``None`` for ``"mse"``.
        loss_name: the loss used.
        diverged_at: the first step ``s`` whose ``loss[s]`` is not finite;
            ``steps`` if every recorded loss is finite but the last update
            made a weight or bias non-finite; ``None`` if the run stayed finite.
    """

    loss: np.ndarray
    accuracy: np.ndarray | None
    loss_name: str = "mse"
    diverged_at: int | None = None

    @property
    def diverged(self) -> bool:
        """Whether the run diverged (``diverged_at is not None``)."""
        return self.diverged_at is not None

    @property
    def steps(self) -> int:
        """Number of steps taken."""
        return int(self.loss.shape[0])

    @property
    def final_loss(self) -> float:
        """``loss[-1]``."""
        return float(self.loss[-1])


def _prepare_targets(net: MLP, x: np.ndarray, y: object, loss: str) -> np.ndarray:
    """Validate ``(x, y)`` once and return targets in the form the fast loss wants."""
    n, n_out = x.shape[0], net.sizes[-1]
    y_arr = np.asarray(y)
    if y_arr.shape[:1] != (n,):
        raise ValueError(f"x has {n} rows but y has shape {y_arr.shape}")
    if loss == "cross_entropy":
        if n_out < 2:
            raise ValueError(f"loss 'cross_entropy' needs >= 2 outputs, the network has {n_out}; use 'bce'")
        return _check_labels(y_arr, n, n_out)
    checks.finite_array("y", y_arr)
    dummy = np.empty((n, n_out))
    if loss == "bce":
        return _check_binary_targets(y_arr, dummy)
    return _as_2d_like(y_arr, dummy, "y")


def _accuracy(out: np.ndarray, t: np.ndarray, loss: str) -> float:
    if loss == "cross_entropy":
        return float(np.mean(out.argmax(axis=1) == t))
    return float(np.mean((out > 0) == (t > 0.5)))


_FAST_LOSSES = {"mse": _mse, "cross_entropy": _softmax_ce, "bce": _bce_logits}


def _check_loss_name(loss: str) -> str:
    """The canonical (lower-case) loss name; case-insensitive, as activation names."""
    key = loss.lower() if isinstance(loss, str) else loss
    if key not in _FAST_LOSSES:
        raise ValueError(f"unknown loss {loss!r}; allowed: {', '.join(LOSSES)} (case-insensitive)")
    return key


def _check_x(net: MLP, x: object) -> np.ndarray:
    x = checks.array_ndim("x", np.asarray(x, dtype=np.float64), 2, "(batch, features)")
    if x.shape[1] != net.sizes[0]:
        raise ValueError(f"x has {x.shape[1]} features but the network expects {net.sizes[0]}")
    if x.shape[0] < 1:
        raise ValueError("x has no rows")
    return checks.finite_array("x", x)


def evaluate(net: MLP, x: np.ndarray, y: np.ndarray, *, loss: str = "mse") -> tuple[float, float | None]:
    """Loss and accuracy of ``net`` on ``(x, y)`` without changing it.

    Accuracy is argmax agreement for ``"cross_entropy"``, ``logit > 0`` vs
    ``target > 0.5`` for ``"bce"``, and ``None`` for ``"mse"``.
    """
    loss = _check_loss_name(loss)
    x = _check_x(net, x)
    t = _prepare_targets(net, x, y, loss)
    out = net._forward(x)
    value, _ = _FAST_LOSSES[loss](out, t)
    return value, (None if loss == "mse" else _accuracy(out, t, loss))


def train(
    net: MLP,
    x: np.ndarray,
    y: np.ndarray,
    *,
    loss: str = "mse",
    lr: float,
    steps: int,
    batch_size: int | None = None,
    rng: np.random.Generator | None = None,
    callback: Callable[[int, MLP], object] | None = None,
    on_divergence: Literal["warn", "record"] = "warn",
) -> TrainHistory:
    r"""Train ``net`` in place with plain gradient descent.

    Each step: forward the batch, compute the loss and its gradient, call
    `MLP.backward`, then `MLP.sgd_step`.

    Args:
        net: the network (modified in place).
        x: inputs, shape ``(N, n_in)``.
        y: targets: real ``(N, n_out)`` (or ``(N,)``) for ``"mse"``; integer
            labels ``(N,)`` for ``"cross_entropy"``; values in $[0,1]$ for
            ``"bce"`` (the net's output is read as logits for both
            classification losses).
        loss: ``"mse"``, ``"cross_entropy"`` or ``"bce"``.
        lr: learning rate, finite and $> 0$.
        steps: number of updates, $\ge 1$.
        batch_size: ``None`` for full-batch gradient descent; otherwise each
            step uses ``batch_size`` distinct rows drawn with ``rng``.
        rng: required when ``batch_size`` is given.
        callback: ``callback(step, net)`` after each update (``step`` counts
            from 0), e.g. to record weights through training.
        on_divergence: what a run whose loss stops being finite does besides
            recording it: ``"warn"`` (the default) issues one
            `DivergenceWarning` naming the step and the learning rate;
            ``"record"`` only records it, for sweeps that expect some rates
            to diverge.

    Returns:
        A `TrainHistory`. A diverging run keeps its ``steps`` entries: the
        losses from the divergence on are ``inf``/``nan``, and
        `TrainHistory.diverged_at` says where they start.

    Raises:
        ValueError: on an unknown loss (names are case-insensitive), bad
            ``lr``/``steps``/``batch_size``/``on_divergence``, mismatched
            shapes, non-finite inputs or out-of-range labels.
    """
    checks.one_of("on_divergence", on_divergence, ("warn", "record"))
    loss = _check_loss_name(loss)
    lr = _check_lr(lr)
    checks.positive_int("steps", steps)
    x = _check_x(net, x)
    t = _prepare_targets(net, x, y, loss)
    n = x.shape[0]
    if batch_size is not None:
        if not _is_int(batch_size) or not 1 <= batch_size <= n:
            raise ValueError(f"batch_size must be an int in 1..{n} (or None), got {batch_size!r}")
        if not isinstance(rng, np.random.Generator):
            raise ValueError("rng (a numpy.random.Generator) is required when batch_size is given")
    loss_fn = _FAST_LOSSES[loss]
    classify = loss != "mse"
    losses = np.empty(steps)
    accs = np.empty(steps) if classify else None
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            if batch_size is None:
                xb, tb = x, t
            else:
                idx = rng.choice(n, size=batch_size, replace=False)
                xb, tb = x[idx], t[idx]
            out = net._forward(xb)
            value, grad = loss_fn(out, tb)
            losses[step] = value
            if classify:
                accs[step] = _accuracy(out, tb, loss)
            net.backward(grad)
            for layer in net.layers:  # net.sgd_step(lr) without re-validating lr
                layer.W -= lr * layer.dW
                layer.b -= lr * layer.db
            if callback is not None:
                callback(step, net)
    diverged_at = _divergence_step(net, losses)
    if diverged_at is not None and on_divergence == "warn":
        message = _divergence_message(losses, diverged_at, lr)
        warnings.warn(DivergenceWarning(message, step=diverged_at, lr=lr), stacklevel=2)
    losses.flags.writeable = False
    if accs is not None:
        accs.flags.writeable = False
    return TrainHistory(loss=losses, accuracy=accs, loss_name=loss, diverged_at=diverged_at)


def _divergence_step(net: MLP, losses: np.ndarray) -> int | None:
    """The first step with a non-finite loss; len(losses) if only the parameters are; else None."""
    bad = np.flatnonzero(~np.isfinite(losses))
    if bad.size:
        return int(bad[0])
    if not all(np.all(np.isfinite(p)) for p in net.parameters()):
        return int(losses.size)
    return None


def _divergence_message(losses: np.ndarray, step: int, lr: float) -> str:
    if step == losses.size:
        what = f"the update of the last step ({step - 1}) made a parameter non-finite"
    elif step == 0:
        what = f"the loss at step 0, before any update, is {float(losses[0])!r}"
    else:
        what = (f"the loss became {float(losses[step])!r} at step {step} "
                f"(it was {float(losses[step - 1]):.6g} at step {step - 1})")
    return (f"training diverged at step {step} with lr={lr!r}: {what}; a smaller learning "
            "rate (or a smaller initial weight scale) keeps it finite")

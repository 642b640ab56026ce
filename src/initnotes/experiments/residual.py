r"""Signal growth in residual stacks, and the initializations that stop it.

A stack of $L$ residual blocks, each $h \leftarrow h + \alpha\, f(h)$ with a two-layer
branch $f(h) = W_2\, \mathrm{relu}(W_1\, \nu(h))$:

* $W_1$ is He-normal ($\operatorname{Var} = 2/n$) and $W_2$ LeCun-normal
  ($\operatorname{Var} = 1/n$), so a branch passes on the mean square of its input:
  $\mathbb{E}[f_i^2] = \lVert \nu(h) \rVert^2 / n$ (ReLU halves what He doubles).
* $\nu$ is the identity (no normalization, the setting of Fixup) or a per-sample RMS
  normalization $\nu(h) = h / \sqrt{\lVert h \rVert^2 / n}$ (the *pre-norm* placement of
  GPT-2, where each branch starts with a LayerNorm).

Because $W_2$ has mean zero, the branch output is uncorrelated with $h$, and the mean square
$q_l = \mathbb{E}[h_i^2]$ after block $l$ obeys, in expectation over the weights,

$$
q_{l} = q_{l-1} (1 + \alpha^2) \quad\text{(no normalization)}, \qquad
q_{l} = q_{l-1} + \alpha^2 \quad\text{(pre-norm)} .
$$

Schemes compared: ``"unscaled"`` ($\alpha = 1$: $q_L = 2^L q_0$, or $q_0 + L$),
``"scaled"`` ($\alpha = 1/\sqrt{L}$, the GPT-2 rule with $N = L$ residual branches:
$q_L = (1 + 1/L)^L q_0 < e\, q_0$, or $q_0 + 1$) and ``"zero"`` ($W_2 = 0$, the last layer of
each branch zero-initialized as in Fixup and in zero-$\gamma$ batch norm: $q_L = q_0$).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from initnotes import checks
from initnotes import init as initializers
from initnotes import nn

_RELU = nn.get_activation("relu")

SCHEMES: tuple[str, ...] = ("unscaled", "scaled", "zero")


@dataclass(frozen=True)
class ResidualConfig:
    """Width 128, a batch of 128 and 50 blocks were chosen for speed (about 0.2 s)."""

    depth: int = 50
    width: int = 128
    batch: int = 128
    schemes: tuple[str, ...] = SCHEMES
    norms: tuple[bool, ...] = (False, True)

    def __post_init__(self) -> None:
        for name in ("depth", "width", "batch"):
            checks.positive_int(name, getattr(self, name))
        for s in self.schemes:
            if s not in SCHEMES:
                raise ValueError(f"schemes must be among {SCHEMES}, got {s!r}")


def branch_scale(scheme: str, depth: int) -> float:
    """The multiplier alpha of the branch's last layer."""
    checks.one_of("scheme", scheme, SCHEMES)
    return {"unscaled": 1.0, "scaled": 1.0 / np.sqrt(depth), "zero": 0.0}[scheme]


def theory(scheme: str, depth: int, q0: float, *, prenorm: bool) -> np.ndarray:
    """Expected mean square after blocks 0..depth (index 0 is the input)."""
    a2 = branch_scale(scheme, depth) ** 2
    l = np.arange(depth + 1)
    return q0 + l * a2 if prenorm else q0 * (1.0 + a2) ** l


def _rms_normalize(h: np.ndarray) -> np.ndarray:
    return h / np.sqrt(np.mean(h * h, axis=1, keepdims=True))


def propagate(scheme: str, config: ResidualConfig, rng: np.random.Generator, *,
              prenorm: bool) -> np.ndarray:
    """Measured mean square of h after blocks 0..depth for one scheme (index 0: input)."""
    alpha = branch_scale(scheme, config.depth)
    n = config.width
    h = rng.standard_normal((config.batch, n))
    q = [float(np.mean(h * h))]
    for _ in range(config.depth):
        W1 = initializers.he_normal((n, n), nonlinearity="relu", rng=rng)
        W2 = alpha * initializers.variance_scaling((n, n), scale=1.0, mode="fan_in",
                                                   distribution="normal", rng=rng)
        u = _rms_normalize(h) if prenorm else h
        h = h + _RELU.forward(u @ W1.T) @ W2.T
        q.append(float(np.mean(h * h)))
    return np.array(q)


@dataclass(frozen=True)
class ResidualResults:
    config: ResidualConfig
    measured: dict[tuple[str, bool], np.ndarray]  # (scheme, prenorm) -> q per block
    expected: dict[tuple[str, bool], np.ndarray]


def residual_variance(config: ResidualConfig, rng: np.random.Generator) -> ResidualResults:
    """Measured and expected mean square through the stack for every scheme and placement."""
    measured, expected = {}, {}
    for prenorm in config.norms:
        for scheme in config.schemes:
            q = propagate(scheme, config, rng, prenorm=prenorm)
            measured[(scheme, prenorm)] = q
            expected[(scheme, prenorm)] = theory(scheme, config.depth, q[0], prenorm=prenorm)
    return ResidualResults(config, measured, expected)

r"""Layer-sequential unit-variance (LSUV) initialization, data-dependent.

Mishkin & Matas (2016), "All you need is a good init": instead of deriving the weight scale
from the activation function, *measure* it.

1. Pre-initialize every layer with an orthonormal matrix (Saxe et al., 2014).
2. For each layer $l = 1, \dots, L$ in turn: run a mini-batch forward to layer $l$, compute
   the variance $v$ of its output, and divide its weights by $\sqrt{v}$; repeat until
   $|v - 1| <$ `tol` or `max_iters` passes were made.

Because layers are done in order, layer $l$ is scaled only after the layers below it have
unit-variance outputs, so a few passes per layer suffice.

*Which* output is measured matters. The paper normalizes "the output of each convolution or
inner-product layer", i.e. the **pre-activation** $z = W h + b$, before the nonlinearity; the
authors' reference implementation stops the forward pass at the linear layer for this
reason. That is the default here (`measure="preactivation"`). Measuring *after* the
nonlinearity (`measure="activation"`) is a trap for bounded activations: $\tanh$ outputs lie
in $(-1, 1)$, so their variance is below 1 for every weight scale, the loop never converges,
and every pass makes the weights larger until the units saturate.

Each pass draws a fresh mini-batch from the data (as the reference implementation does), so
the scale is fitted to the data distribution rather than to one batch.

The defaults `tol=0.02` and `max_iters=20` are the margin and iteration limit of the
authors' reference implementation (`tools/extra/lsuv_init.py` in ducha-aiki/LSUVinit).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from initnotes import checks
from initnotes import init as initializers
from initnotes import nn

MEASURES: tuple[str, ...] = ("preactivation", "activation")


@dataclass(frozen=True)
class LSUVReport:
    """What `lsuv` did.

    Attributes:
        trace: for each layer, the variances measured on each pass (before rescaling).
        iterations: passes per layer (``len(trace[l])``).
        converged: whether ``|variance - target| < tol`` was reached within ``max_iters``.
        measure: which output was normalized.
    """

    trace: list[list[float]] = field(default_factory=list)
    iterations: list[int] = field(default_factory=list)
    converged: list[bool] = field(default_factory=list)
    measure: str = "preactivation"


_check_positive_int = checks.positive_int


def lsuv(
    net: nn.MLP,
    data: np.ndarray,
    *,
    rng: np.random.Generator,
    batch_size: int = 256,
    tol: float = 0.02,
    max_iters: int = 20,
    target: float = 1.0,
    measure: Literal["preactivation", "activation"] = "preactivation",
    orthonormal: bool = True,
) -> LSUVReport:
    r"""LSUV-initialize `net` in place, layer by layer, on mini-batches of `data`.

    Args:
        net: the network; its weights are overwritten (biases are kept).
        data: inputs, shape ``(n, net.sizes[0])``; each pass draws a fresh random batch of
            ``batch_size`` rows (without replacement within the batch).
        rng: source of the orthonormal matrices and of the batches.
        batch_size: rows per pass (at most ``n``).
        tol: stop a layer when ``|variance - target| < tol``.
        max_iters: at most this many passes per layer.
        target: the wanted variance (1 in the paper).
        measure: ``"preactivation"`` (the paper's choice: the linear layer's output) or
            ``"activation"`` (after the nonlinearity; see the module docstring).
        orthonormal: pre-initialize each weight with `initnotes.init.orthogonal` (gain 1)
            as the paper does; ``False`` keeps the current weights and only rescales them.

    Returns:
        An `LSUVReport` with the variance measured on every pass.

    Raises:
        ValueError: on a bad `measure`, non-positive sizes, tolerances or targets, or data
            whose width does not match the network.
        TypeError: if `net` is not an `initnotes.nn.MLP` or `rng` not a Generator.
    """
    if not isinstance(net, nn.MLP):
        raise TypeError(f"net must be an initnotes.nn.MLP, got {type(net).__name__}")
    checks.generator(rng)
    checks.one_of("measure", measure, MEASURES)
    batch_size = _check_positive_int("batch_size", batch_size)
    max_iters = _check_positive_int("max_iters", max_iters)
    tol = checks.positive_float("tol", tol)
    target = checks.positive_float("target", target)
    data = np.asarray(data, dtype=np.float64)
    if data.ndim != 2 or data.shape[1] != net.sizes[0]:
        raise ValueError(f"data must have shape (n, {net.sizes[0]}), got {data.shape}")
    if batch_size > data.shape[0]:
        raise ValueError(f"batch_size {batch_size} is larger than the {data.shape[0]} rows of data")

    report = LSUVReport(measure=measure)
    # Inputs of the current layer for every row of `data`. The layers below are final once
    # they are done, so a fresh batch's input to layer k is just a fresh choice of rows here:
    # the same numbers a forward pass from the raw batch would give, without recomputing the
    # lower layers on every pass.
    inputs = data
    for k, layer in enumerate(net.layers):
        if orthonormal:
            layer.W[...] = initializers.orthogonal(layer.W.shape, rng=rng)
        trace: list[float] = []
        converged = False
        for _ in range(max_iters):
            rows = rng.choice(data.shape[0], size=batch_size, replace=False)
            z = inputs[rows] @ layer.W.T + layer.b
            out = z if measure == "preactivation" else layer.act.forward(z)
            v = float(np.var(out))
            trace.append(v)
            if abs(v - target) < tol:
                converged = True
                break
            if v == 0 or not np.isfinite(v):  # a dead layer cannot be rescaled
                break
            layer.W *= np.sqrt(target / v)
        report.trace.append(trace)
        report.iterations.append(len(trace))
        report.converged.append(converged)
        inputs = layer.act.forward(inputs @ layer.W.T + layer.b)
    return report


def layer_variances(net: nn.MLP, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per layer: variance of the pre-activations, of the activations, and the share of
    saturated units (``|h| > 0.99``), for one batch ``x``."""
    net.forward(x)
    pre = np.array([float(np.var(z)) for z in net.preactivations])
    post = np.array([float(np.var(h)) for h in net.activations[1:]])
    sat = np.array([float(np.mean(np.abs(h) > 0.99)) for h in net.activations[1:]])
    return pre, post, sat


# ---------------------------------------------------------------------------
# The page's experiment
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LSUVConfig:
    """A deep MLP on inputs whose features have very different scales.

    The raw features have standard deviations spread log-uniformly over
    ``feature_scales`` (like unnormalized measurements), which a fixed formula cannot know
    about. Width 64, depth 20 and a pool of 2,048 inputs were chosen for speed. Batches
    of 512: in a ReLU network each sample's scale passes through unchanged (ReLU is
    positively homogeneous), so the batch-to-batch spread of the variance is set by the
    spread of the input norms; 512 rows keep it to a few percent.
    """

    depth: int = 20
    width: int = 64
    n_features: int = 32
    n_pool: int = 2048
    batch_size: int = 512
    feature_scales: tuple[float, float] = (0.5, 5.0)
    activations: tuple[str, ...] = ("relu", "tanh")
    tol: float = 0.02
    max_iters: int = 20

    def __post_init__(self) -> None:
        for name in ("depth", "width", "n_features", "n_pool", "batch_size", "max_iters"):
            _check_positive_int(name, getattr(self, name))
        lo, hi = self.feature_scales
        if not 0 < lo <= hi:
            raise ValueError(f"feature_scales must satisfy 0 < low <= high, got {self.feature_scales!r}")
        for a in self.activations:
            if a not in ("relu", "tanh", "leaky_relu", "sigmoid", "identity"):
                raise ValueError(f"activations must be hidden activations of initnotes.nn, got {a!r}")


@dataclass(frozen=True)
class LSUVRun:
    """Per-layer statistics over all the data, before (orthonormal only) and after LSUV."""

    activation: str
    measure: str
    pre_before: np.ndarray
    pre_after: np.ndarray
    post_after: np.ndarray
    saturated_after: np.ndarray
    report: LSUVReport


@dataclass(frozen=True)
class LSUVResults:
    config: LSUVConfig
    runs: dict[tuple[str, str], LSUVRun]  # (activation, measure) -> run


def feature_data(config: LSUVConfig, rng: np.random.Generator) -> np.ndarray:
    """``n_pool`` inputs whose features have standard deviations from ``feature_scales``."""
    scales = np.geomspace(*config.feature_scales, config.n_features)
    return rng.standard_normal((config.n_pool, config.n_features)) * scales


def run_lsuv(config: LSUVConfig, rng: np.random.Generator) -> LSUVResults:
    """For each activation: orthonormal init, then LSUV measured before the nonlinearity;
    for tanh also LSUV measured after it (the trap)."""
    data = feature_data(config, rng)
    sizes = [config.n_features] + [config.width] * config.depth
    runs = {}
    cases = [(a, "preactivation") for a in config.activations]
    cases += [(a, "activation") for a in config.activations if a == "tanh"]
    for activation, measure in cases:
        net = nn.MLP(sizes, activation=activation, output_activation=activation,
                     weight_init=initializers.orthogonal, rng=rng)
        pre_before, _, _ = layer_variances(net, data)
        report = lsuv(net, data, rng=rng, batch_size=config.batch_size, tol=config.tol,
                      max_iters=config.max_iters, measure=measure, orthonormal=True)
        pre, post, sat = layer_variances(net, data)
        runs[(activation, measure)] = LSUVRun(activation, measure, pre_before, pre, post, sat, report)
    return LSUVResults(config, runs)

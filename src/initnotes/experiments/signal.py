"""How a signal travels through a deep network at initialization.

A stack of ``depth`` dense layers of equal ``width``, all with the same activation, gets
a batch of standard-normal inputs. Forward, we record each layer's activations; backward,
we start from a standard-normal gradient at the last layer's output (as if the loss were
``sum(g * h_L)`` for a random ``g``) and record the gradient with respect to every layer's
activations and weights. Their standard deviations per layer show at a glance whether an
initialization keeps the signal's scale (flat lines), shrinks it (vanishing) or grows it
(exploding).

This is the experiment behind the scale, Xavier and He pages and the explorer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from initnotes import checks
from initnotes import init as initializers
from initnotes import nn

#: Initializers the experiment accepts by name: every preset plus "zeros" and "constant".
INITS: tuple[str, ...] = tuple(dict.fromkeys(("zeros", "constant", *initializers.PRESETS)))


@dataclass(frozen=True)
class SignalConfig:
    """What to propagate.

    Attributes:
        init: name of an initializer in `initnotes.init` (see `INITS`).
        activation: hidden activation, one of `initnotes.nn.ACTIVATIONS`.
        depth: number of layers.
        width: units per layer (also the input width).
        batch: number of input samples.
        scale: multiplier applied to every weight after initialization.
        init_kwargs: extra keyword arguments for the initializer, e.g.
            ``(("std", 0.05),)`` for `normal`; a tuple of pairs so the config stays hashable.
        keep: how many values per layer to keep for histograms.
        stack_depth: how many weight matrices to draw (at least ``depth``; default
            ``depth``); the network uses the first ``depth`` of them. Networks that share
            ``stack_depth`` and the seed share their first layers *and* their inputs (the
            generator draws all weights before the inputs), so a shallower one is exactly
            the beginning of a deeper one: its activations are the deeper network's first
            ``depth`` layers. The explorer page uses this to compare depths.
    """

    init: str = "xavier_normal"
    activation: str = "tanh"
    depth: int = 10
    width: int = 256
    batch: int = 256
    scale: float = 1.0
    init_kwargs: tuple[tuple[str, Any], ...] = ()
    keep: int = 2048
    stack_depth: int | None = None

    def __post_init__(self) -> None:
        checks.one_of("init", self.init, INITS)
        checks.one_of("activation", self.activation, (*nn.ACTIVATIONS, "linear"))
        for name in ("depth", "width", "batch", "keep"):
            checks.positive_int(name, getattr(self, name))
        checks.nonnegative_float("scale", self.scale)
        if self.stack_depth is not None:
            v = self.stack_depth
            if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < self.depth:
                raise ValueError(f"stack_depth must be an integer >= depth ({self.depth}) "
                                 f"or None, got {v!r}")


@dataclass(frozen=True)
class SignalResults:
    """Per-layer statistics; index ``l`` is layer ``l + 1`` (the input is not included)."""

    config: SignalConfig
    input_std: float
    activation_mean: np.ndarray  # (depth,)
    activation_std: np.ndarray  # (depth,) std of h_l over batch and units
    preactivation_std: np.ndarray  # (depth,)
    gradient_std: np.ndarray  # (depth,) std of dL/dh_l
    weight_gradient_std: np.ndarray  # (depth,) std of dL/dW_l
    saturated_fraction: np.ndarray  # (depth,) share of |h| > 0.99 (tanh/sigmoid saturation)
    activation_samples: np.ndarray = field(repr=False)  # (depth, keep)
    gradient_samples: np.ndarray = field(repr=False)  # (depth, keep)
    # dL/dz_l = dL/dh_l * f'(z_l): the "back-propagated gradient" of Glorot & Bengio (2010),
    # equal to the gradient of the loss with respect to layer l's biases.
    preactivation_gradient_std: np.ndarray | None = None  # (depth,)
    preactivation_gradient_samples: np.ndarray | None = field(default=None, repr=False)  # (depth, keep)


def make_weights(config: SignalConfig, rng: np.random.Generator) -> list[np.ndarray]:
    """The ``depth`` weight matrices, each ``(width, width)``, times ``config.scale``.

    Draws ``config.stack_depth`` matrices (default ``depth``) and returns the first ``depth``.
    """
    fn = getattr(initializers, config.init)
    kwargs = dict(config.init_kwargs)
    shape = (config.width, config.width)
    if config.init == "constant":
        kwargs.setdefault("value", 0.5)
    drawn = config.depth if config.stack_depth is None else config.stack_depth
    weights = [fn(shape, rng=rng, **kwargs) * config.scale for _ in range(drawn)]
    return weights[:config.depth]


def propagate(config: SignalConfig, rng: np.random.Generator) -> SignalResults:
    """Run the forward and backward pass once and return per-layer statistics.

    Args:
        config: the network and the initializer.
        rng: the only source of randomness (weights, inputs, output gradient, in that order).
    """
    weights = make_weights(config, rng)
    net = nn.MLP.from_weights(weights, [np.zeros(config.width)] * config.depth,
                              activation=config.activation, output_activation=config.activation)
    x = rng.standard_normal((config.batch, config.width))
    with np.errstate(over="ignore", invalid="ignore"):
        net.forward(x)
        g = rng.standard_normal((config.batch, config.width))
        grads = net.backward(g)
    hs = net.activations[1:]
    dhs = net.activation_grads
    dzs = [d * layer.act.derivative(layer.z, layer.h) for d, layer in zip(dhs, net.layers)]
    keep = min(config.keep, config.batch * config.width)
    return SignalResults(
        config=config,
        input_std=float(x.std()),
        activation_mean=np.array([h.mean() for h in hs]),
        activation_std=np.array([h.std() for h in hs]),
        preactivation_std=np.array([z.std() for z in net.preactivations]),
        gradient_std=np.array([d.std() for d in dhs]),
        weight_gradient_std=np.array([dW.std() for dW, _ in grads]),
        saturated_fraction=np.array([(np.abs(h) > 0.99).mean() for h in hs]),
        activation_samples=np.stack([h.ravel()[:keep] for h in hs]),
        gradient_samples=np.stack([d.ravel()[:keep] for d in dhs]),
        preactivation_gradient_std=np.array([d.std() for d in dzs]),
        preactivation_gradient_samples=np.stack([d.ravel()[:keep] for d in dzs]),
    )

"""Numbers and tables of the He/Kaiming page, computed from the page's experiments."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from initnotes import init
from initnotes.experiments import he
from initnotes.figures.he import INIT_NAMES, OPTIMIZER_TITLES, SEED
from initnotes.registry import value
from initnotes.values.xavier import num

#: The rows of the gain table: (nonlinearity, param).
GAIN_ROWS: tuple[tuple[str, float | None], ...] = (
    ("linear", None),
    ("conv2d", None),
    ("sigmoid", None),
    ("tanh", None),
    ("relu", None),
    ("leaky_relu", None),
    ("leaky_relu", 0.2),
    ("leaky_relu", math.sqrt(5)),
    ("selu", None),
)


@lru_cache(maxsize=1)
def layer_stats() -> he.LayerStats:
    """The experiment behind the `he-layer-std` figure (same configuration and seed)."""
    return he.layer_statistics(he.LayerStatsConfig(), np.random.default_rng(SEED))


@lru_cache(maxsize=None)
def sweep(optimizer: str) -> he.SweepResults:
    """The sweep behind the `he-training-*` figures (same configuration and seed)."""
    return he.lr_sweep(he.SweepConfig(optimizer=optimizer), np.random.default_rng(SEED))


def sci(x: float, digits: int = 2) -> str:
    """``x`` in LaTeX scientific notation, ``4.3 \\times 10^{-5}``."""
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


@value("he-gain-table", description="gain() per nonlinearity next to the one-layer second-moment gains.")
def gain_table() -> str:
    lines = [
        "| nonlinearity | `gain(...)` | $g^2 = \\text{fan\\_in} \\cdot \\operatorname{Var}(w)$ "
        "| $1/\\sqrt{E[f(z)^2]}$ (forward) | $1/\\sqrt{E[f'(z)^2]}$ (backward) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, param in GAIN_ROWS:
        g = init.gain(name, param)
        fwd, bwd = he.one_layer_gains(name, param)
        if param is None:
            call = f'`"{name}"`' + (" (slope 0.01)" if name == "leaky_relu" else "")
        elif name == "leaky_relu" and math.isclose(param, math.sqrt(5)):
            call = '`"leaky_relu", math.sqrt(5)`'
        else:
            call = f'`"{name}", {param:g}`'
        lines.append(f"| {call} | {g:.4f} | {g * g:.4f} | {fwd:.4f} | {bwd:.4f} |")
    return "\n".join(lines)


@value("he-tanh-gains", description="The one-layer gains of tanh, forward and backward.")
def tanh_gains() -> str:
    fwd, bwd = he.one_layer_gains("tanh")
    return f"{fwd:.3f} forward and {bwd:.3f} backward"


def _geometric_ratio(std: np.ndarray) -> float:
    return float((std[-1] / std[0]) ** (1 / (len(std) - 1)))


@value("he-xavier-ratio", description="Xavier init, ReLU: measured per-layer shrink factor of the std.")
def xavier_ratio() -> str:
    s = layer_stats()
    fwd = _geometric_ratio(s.activation_std("xavier_normal"))
    bwd = 1 / _geometric_ratio(s.gradient_std("xavier_normal"))
    return (f"{fwd:.3f} forward and {bwd:.3f} backward per layer "
            f"(prediction $2^{{-1/2}} = {2 ** -0.5:.3f}$)")


@value("he-xavier-total", description="Xavier init, ReLU: std at layer 30 over std at layer 1.")
def xavier_total() -> str:
    s = layer_stats()
    a = s.activation_std("xavier_normal")
    depth = s.config.depth
    return (f"${sci(a[-1] / a[0])}$ (prediction $2^{{-{depth - 1}/2}} = "
            f"{sci(2 ** (-(depth - 1) / 2))}$)")


@value("he-he-band", description="He init, ReLU: smallest and largest per-layer activation std.")
def he_band() -> str:
    a = layer_stats().activation_std("he_normal")
    _, pred = he.relu_std_prediction(len(a), weight_variance_times_fan_in=2.0)
    return (f"between {num(a.min(), 2)} and {num(a.max(), 2)} "
            f"(prediction {num(pred[0], 2)} at every layer)")


@value("he-weight-gradient-ratio",
       description="Per-layer std of dL/dW under Xavier divided by that under He: range over layers.")
def weight_gradient_ratio() -> str:
    s = layer_stats()
    r = s.weight_gradient_std("xavier_normal") / s.weight_gradient_std("he_normal")
    depth = s.config.depth
    return (f"between ${sci(r.min())}$ and ${sci(r.max())}$ in every layer "
            f"($2^{{-{depth - 1}/2}} = {sci(2 ** (-(depth - 1) / 2))}$)")


@value("he-sweep-setup", description="The training task and network of the sweeps.")
def sweep_setup() -> str:
    c = he.SweepConfig()
    return (f"{c.depth} layers of {c.width} ReLU units and a linear output, trained for "
            f"{c.steps} steps with minibatches of {c.batch} on {c.n_train} points")


@value("he-sweep-table", description="Best learning rate and loss of each init and optimizer.")
def sweep_table() -> str:
    lines = [
        "| optimizer | init | learning rates tried | best rate | loss at the best rate "
        f"| reaches {he.THRESHOLD:g}? | diverged at |",
        "|---|---|---|---:|---:|---|---|",
    ]
    for opt in he.OPTIMIZERS:
        res = sweep(opt)
        lrs = res.config.lrs
        grid = f"{lrs[0]:g} to {lrs[-1]:g}"
        for i, name in enumerate(res.config.inits):
            best = res.best_index(name)
            final = res.final_loss[i, best]
            diverged = [f"{lr:g}" for lr, d in zip(lrs, res.diverged[i]) if d]
            reached = "yes" if final < he.THRESHOLD else "no"
            lines.append(
                f"| {OPTIMIZER_TITLES[opt]} | {INIT_NAMES[name]} | {grid} | {lrs[best]:g} "
                f"| {num(final, 2)} | {reached} | {', '.join(diverged) or 'none'} |"
            )
    return "\n".join(lines)


@value("he-lr-gap",
       description="Smallest rate at which the Xavier start diverged, relative to He's best rate (momentum).")
def lr_gap() -> str:
    res = sweep("momentum")
    lrs = res.config.lrs
    i_x = res.config.inits.index("xavier_normal")
    first = min(lr for lr, d in zip(lrs, res.diverged[i_x]) if d)
    best_he = res.best_lr("he_normal")
    return (f"from a rate of {first:g}, {first / best_he:g} times the He start's best rate "
            f"({best_he:g})")


@value("he-steps-to-threshold",
       description="Steps the He start needs, at its best rate with momentum, to get below the threshold.")
def steps_to_threshold() -> str:
    res = sweep("momentum")
    curve = res.best_curve("he_normal")
    below = np.nonzero(curve < he.THRESHOLD)[0]
    return f"{int(res.steps[below[0]])} steps" if below.size else "no step of the run"

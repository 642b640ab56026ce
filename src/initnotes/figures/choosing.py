"""Figures of the "Choosing an initializer" page: the frameworks' defaults side by side."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from initnotes.experiments import frameworks, signal
from initnotes.figures import style
from initnotes.registry import figure

SEED = 0
STD = frameworks.StdConfig()
#: Deep-network comparison: 20 layers of width 128, a batch of 128 (chosen for speed).
DEPTH, WIDTH, BATCH = 20, 128, 128

LOOKS = {
    "pytorch": (style.VERMILLION, "--", "s", "PyTorch default"),
    "keras": (style.ORANGE, "-.", "^", "Keras default"),
    "flax": (style.BLUE, "-", "o", "Flax default"),
    "he": (style.GREEN, ":", "D", "He (ReLU)"),
}


def _he_std(fan_in: float) -> float:
    return math.sqrt(2.0 / fan_in)


def default_std_figure(res: frameworks.StdResults) -> Figure:
    """Left: std against fan_in for square layers. Right: std * sqrt(fan_in) against
    fan_out / fan_in. Lines: formulas; markers: sampled weights."""
    cfg = res.config
    fig, (ax1, ax2) = style.new_figure(1, 2, width=7.2, height=3.4)
    n = np.array(cfg.fan_ins, dtype=float)
    dense = np.geomspace(n[0], n[-1], 100)
    for key in frameworks.DEFAULTS:
        colour, ls, marker, label = LOOKS[key]
        ax1.plot(dense, [frameworks.default_std(key, x, x) for x in dense],
                 color=colour, ls=ls, lw=1.6)
        ax1.plot(n, res.square_measured[key], color=colour, ls="none", marker=marker, ms=6,
                 markerfacecolor="none", markeredgewidth=1.5)
    ax1.plot(dense, [_he_std(x) for x in dense], color=LOOKS["he"][0], ls=":", lw=1.6)
    ax1.set_xscale("log", base=2)
    ax1.set_yscale("log")
    ax1.set_xlabel("fan_in = fan_out (square layer)")
    ax1.set_ylabel("std of the weights")
    ax1.set_title("all scale as 1/sqrt(fan_in)")

    r = np.array(cfg.ratios)
    dense_r = np.geomspace(r[0], r[-1], 100)
    m = cfg.fan_in_for_ratios
    for key in frameworks.DEFAULTS:
        colour, ls, marker, label = LOOKS[key]
        ax2.plot(dense_r, [frameworks.default_std(key, m, x * m) * math.sqrt(m) for x in dense_r],
                 color=colour, ls=ls, lw=1.6, label=label)
        ax2.plot(r, res.ratio_measured[key], color=colour, ls="none", marker=marker, ms=6,
                 markerfacecolor="none", markeredgewidth=1.5)
    ax2.axhline(math.sqrt(2.0), color=LOOKS["he"][0], ls=":", lw=1.6, label=LOOKS["he"][3])
    ax2.set_xscale("log", base=2)
    ax2.set_xticks(r, [f"{x:g}" for x in r])
    ax2.set_xlabel(f"fan_out / fan_in (fan_in = {m})")
    ax2.set_ylabel(r"std $\times\sqrt{\mathrm{fan\_in}}$")
    ax2.set_ylim(0, 1.6)
    ax2.set_title("the constant in front")
    fig.legend(*ax2.get_legend_handles_labels(), loc="outside lower center", ncols=4)
    return fig


@figure(
    "choosing-default-std",
    alt=(
        "Two plots of the standard deviation of the default weights of PyTorch, Keras and "
        "Flax dense layers, with He initialization for reference; lines are formulas and "
        "open markers are sampled weights, which lie on the lines. Left, for square layers on "
        "log axes: four parallel lines falling as one over the square root of fan_in; "
        "PyTorch's is the lowest, He's the highest, Keras' and Flax's coincide. Right, the "
        "standard deviation times the square root of fan_in against the ratio fan_out over "
        "fan_in: flat for PyTorch (0.58), Flax (1) and He (1.41); Keras' falls as fan_out "
        "grows because it averages the two fans."
    ),
    caption=(
        "Default weight scales of the frameworks' dense layers, as the package reproduces "
        "them (markers: standard deviation of one sampled weight matrix; lines: formulas). "
        "PyTorch draws $\\mathcal{U}(\\pm 1/\\sqrt{\\text{fan\\_in}})$, "
        "$\\operatorname{Var} = 1/(3\\,\\text{fan\\_in})$; Keras draws Glorot-uniform, "
        "$\\operatorname{Var} = 2/(\\text{fan\\_in} + \\text{fan\\_out})$; Flax draws "
        "LeCun-normal, truncated, $\\operatorname{Var} = 1/\\text{fan\\_in}$. None of them "
        "is He's $2/\\text{fan\\_in}$."
    ),
)
def _default_std() -> Figure:
    return default_std_figure(frameworks.default_stds(STD, np.random.default_rng(SEED)))


#: signal.propagate settings for each framework default (weights only; biases are zero).
PROPAGATE_INITS: dict[str, tuple[str, tuple]] = {
    "pytorch": ("he_uniform", (("a", math.sqrt(5.0)),)),
    "keras": ("xavier_uniform", ()),
    "flax": ("lecun_normal", ()),
    "he": ("he_normal", (("nonlinearity", "relu"),)),
}


def depth_runs(rng: np.random.Generator) -> dict[tuple[str, str], signal.SignalResults]:
    """signal.propagate for each default and each activation (same rng, in order)."""
    out = {}
    for activation in ("relu", "tanh"):
        for key, (init, kwargs) in PROPAGATE_INITS.items():
            cfg = signal.SignalConfig(init=init, activation=activation, depth=DEPTH, width=WIDTH,
                                      batch=BATCH, init_kwargs=kwargs, keep=1)
            out[(activation, key)] = signal.propagate(cfg, rng)
    return out


def rms_per_layer(res: signal.SignalResults) -> np.ndarray:
    """Root mean square of the activations per layer (for ReLU the std hides the mean)."""
    return np.sqrt(res.activation_std**2 + res.activation_mean**2)


def default_depth_figure(runs: dict[tuple[str, str], signal.SignalResults]) -> Figure:
    """RMS of the activations per layer, ReLU and tanh, one line per default."""
    fig, axes = style.new_figure(1, 2, width=7.2, height=3.4, sharey=True)
    for ax, activation in zip(axes, ("relu", "tanh")):
        for (act, key), res in runs.items():
            if act != activation:
                continue
            colour, ls, marker, label = LOOKS[key]
            layers = np.arange(1, DEPTH + 1)
            ax.plot(layers, rms_per_layer(res), color=colour, ls=ls, marker=marker, ms=4,
                    markevery=2, label=label)
        ax.set_yscale("log")
        ax.set_xlabel("layer")
        ax.set_xticks([1, 5, 10, 15, 20])
        ax.set_title(f"{DEPTH}-layer {activation} MLP, width {WIDTH}")
    axes[0].set_ylabel("RMS of the activations")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=4)
    return fig


@figure(
    "choosing-default-depth",
    alt=(
        f"Two log-scale line charts of the root mean square of the activations in each layer "
        f"of a {DEPTH}-layer network of width {WIDTH} with unit-variance inputs. ReLU: under "
        "He initialization the line is nearly flat; under the Keras and Flax defaults it "
        "falls steadily, by a factor of about the square root of 2 per layer; under the "
        "PyTorch default it falls fastest, by about the square root of 6 per layer, more "
        "than seven orders of magnitude in all. Tanh: the Keras and Flax defaults decay slowly, the "
        "PyTorch default fast, and He keeps a constant level."
    ),
    caption=(
        "The frameworks' default weight initializations in deep fully connected networks "
        "(weights only, zero biases; the package's `signal.propagate`). Every default keeps "
        "a *single* layer at a sensible scale, but none of them is He initialization: "
        "stacked with ReLU, each layer multiplies the second moment by $1/2$ (Keras, Flax) or "
        "$1/6$ (PyTorch). For a deep ReLU network, ask for He initialization explicitly."
    ),
)
def _default_depth() -> Figure:
    return default_depth_figure(depth_runs(np.random.default_rng(SEED)))

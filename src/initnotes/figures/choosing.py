"""Figures of the "Choosing an initializer" page: results in, `Figure` out (bound to runs in
`initnotes.pages.choosing`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments import frameworks

LOOKS = {
    "pytorch": (style.VERMILLION, "--", "s", "PyTorch default"),
    "keras": (style.ORANGE, "-.", "^", "Keras default"),
    "flax": (style.BLUE, "-", "o", "Flax default"),
    "he": (style.GREEN, ":", "D", "He (ReLU)"),
}


def _he_std(fan_in: float) -> float:
    return math.sqrt(2.0 / fan_in)


def default_std_figure(res: frameworks.StdResults, *,
                       formula: Callable[[str, float, float], float]) -> Figure:
    """Left: std against fan_in for square layers. Right: std * sqrt(fan_in) against
    fan_out / fan_in. Lines: ``formula(key, fan_in, fan_out)`` (`frameworks.default_std`);
    markers: sampled weights."""
    cfg = res.config
    fig, (ax1, ax2) = style.new_figure(1, 2, width=7.2, height=3.4)
    n = np.array(cfg.fan_ins, dtype=float)
    dense = np.geomspace(n[0], n[-1], 100)
    for key in res.square_measured:
        colour, ls, marker, label = LOOKS[key]
        ax1.plot(dense, [formula(key, x, x) for x in dense],
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
    for key in res.ratio_measured:
        colour, ls, marker, label = LOOKS[key]
        ax2.plot(dense_r, [formula(key, m, x * m) * math.sqrt(m) for x in dense_r],
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


def default_depth_figure(*results: frameworks.PropagateResults) -> Figure:
    """RMS of the activations per layer, one panel per activation, one line per default.

    One result: its networks. Several (one per seed): the median over them, with a band from
    the smallest to the largest."""
    res = results[0]
    depth, width = res.config.depth, res.config.width
    fig, axes = style.new_figure(1, 2, width=7.2, height=3.4, sharey=True)
    layers = np.arange(1, depth + 1)
    for ax, activation in zip(axes, res.config.activations):
        for act, key in res.runs:
            if act != activation:
                continue
            colour, ls, marker, label = LOOKS[key]
            rms = np.array([r.rms(act, key) for r in results])
            if len(results) > 1:  # the caption says that the lines are medians
                ax.fill_between(layers, rms.min(axis=0), rms.max(axis=0), color=colour, alpha=0.18,
                                lw=0)
            ax.plot(layers, np.median(rms, axis=0), color=colour, ls=ls, marker=marker, ms=4,
                    markevery=2, label=label)
        ax.set_yscale("log")
        ax.set_xlabel("layer")
        ax.set_xticks([1, *range(5, depth + 1, 5)])
        ax.set_title(f"{depth}-layer {activation} MLP, width {width}")
    axes[0].set_ylabel("RMS of the activations")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=4)
    return fig

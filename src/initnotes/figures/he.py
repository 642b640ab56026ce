"""Figures of the He/Kaiming page: signal through deep ReLU stacks, fan modes, training.

Results in, `Figure` out; the runs they draw are bound in `initnotes.pages.he`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure

from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments import he

#: Colour, line style and marker of each init, used in every figure of the page.
INIT_STYLE = {
    "xavier_normal": {"color": style.VERMILLION, "ls": "-", "marker": "o"},
    "he_normal": {"color": style.BLUE, "ls": "--", "marker": "s"},
}
INIT_LABELS = {"xavier_normal": "Xavier, Var(w) = 1/n", "he_normal": "He, Var(w) = 2/n"}
MODE_STYLE = {
    "fan_in": {"color": style.BLUE, "ls": "-", "marker": "o"},
    "fan_out": {"color": style.ORANGE, "ls": "--", "marker": "s"},
}
#: Panel titles per optimizer (``{momentum}``: the sweep's momentum constant).
OPTIMIZER_TITLES = {
    "sgd": "SGD",
    "momentum": "SGD with momentum {momentum:g}",
    "adam": "Adam",
}


def _plain_log_ticks(ax) -> None:
    """Log axis labelled 0.1, 0.2, 0.3, 0.5, 1, 2, ... in plain numbers, no minor labels."""
    ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 3.0, 5.0)))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


#: $n \operatorname{Var}(w)$ of each init, for the predictions drawn beside the measurements.
WEIGHT_VARIANCE_TIMES_N = {"xavier_normal": 1.0, "he_normal": 2.0}


def _relu_prediction(depth: int, c: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Predicted std of $h_l$ and of $\partial L/\partial h_l$ per layer of a square ReLU
    stack with $n\operatorname{Var}(w) = c$, unit input and output gradient: the formulas of
    `he.relu_std_prediction` and `he.relu_gradient_prediction`."""
    c = float(c)
    std_z = np.sqrt(c * (c / 2) ** np.arange(depth))
    std_h = std_z * math.sqrt(0.5 - 0.5 / math.pi)
    std_g = np.sqrt((c / 2) ** (depth - np.arange(1, depth + 1)))
    return std_h, std_g


def layer_std(stats: he.LayerStats) -> Figure:
    """Forward std of the activations and backward std of dL/dh per layer, with predictions."""
    cfg = stats.config
    layers = np.arange(1, cfg.depth + 1)
    fig, axes = style.new_figure(1, 2, width=7.0, height=3.4, sharex=True, sharey=True)
    for init in cfg.inits:
        st = INIT_STYLE[init]
        pred_h, pred_g = _relu_prediction(cfg.depth, WEIGHT_VARIANCE_TIMES_N[init])
        for ax, measured, pred in ((axes[0], stats.activation_std(init), pred_h),
                                   (axes[1], stats.gradient_std(init), pred_g)):
            ax.plot(layers, measured, color=st["color"], ls=st["ls"], marker=st["marker"], ms=3.5,
                    label=f"{INIT_LABELS[init]}, measured")
            ax.plot(layers, pred, color=style.BLACK, ls=":", lw=1.3,
                    label="prediction" if init == cfg.inits[-1] else None)
    axes[0].set_title("forward: std of activations $h_l$")
    axes[1].set_title(r"backward: std of $\partial L/\partial h_l$")
    for ax in axes:
        ax.set_yscale("log")
        ax.set_xlabel("layer")
    axes[0].set_ylabel("standard deviation")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3)
    return fig


def fan_modes(results: he.FanModeResults) -> Figure:
    """Forward and backward std per layer under He init in fan_in and fan_out mode."""
    widths = results.config.widths
    depth = len(widths) - 1
    fig, axes = style.new_figure(1, 2, width=7.0, height=3.5, sharey=True)
    x = np.arange(1, depth + 1)
    for mode in results.config.modes:
        st = MODE_STYLE[mode]
        axes[0].plot(x, results.forward[mode], color=st["color"], ls=st["ls"], marker=st["marker"],
                     label=f"mode={mode!r}, measured")
        axes[0].plot(x, results.forward_predicted[mode], color=st["color"], ls=":", lw=1.3,
                     label=f"mode={mode!r}, prediction")
        axes[1].plot(x - 1, results.backward[mode], color=st["color"], ls=st["ls"],
                     marker=st["marker"])
        axes[1].plot(x - 1, results.backward_predicted[mode], color=st["color"], ls=":", lw=1.3)
    axes[0].set_title("forward: std of $a_l$")
    axes[0].set_xticks(x)
    axes[0].set_xlabel("layer $l$")
    axes[1].set_title(r"backward: std of $\partial L/\partial h_l$")
    axes[1].set_xticks(x - 1)
    axes[1].set_xlabel("$l$ ($h_0$ is the input)")
    for ax in axes:
        ax.set_yscale("log")
        _plain_log_ticks(ax)
        ax.yaxis.set_major_locator(ticker.FixedLocator([0.25, 0.5, 1, 2]))
    fig.suptitle("widths " + " → ".join(str(w) for w in widths), fontsize=10)
    axes[0].set_ylabel("standard deviation")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    return fig


def training(results: he.SweepResults, *, threshold: float) -> Figure:
    """Left: loss after training against learning rate. Right: curves at each init's best rate.

    ``threshold`` is the loss that counts as trained (`he.THRESHOLD`), drawn dotted.
    """
    cfg = results.config
    fig, axes = style.new_figure(1, 2, width=7.0, height=3.6)
    lrs = np.array(cfg.lrs)
    top = 3.0  # diverged runs are drawn on this line
    for i, init in enumerate(cfg.inits):
        st = INIT_STYLE[init]
        final = results.final_loss[i]
        ok = np.isfinite(final)
        axes[0].plot(lrs[ok], final[ok], color=st["color"], ls=st["ls"], marker=st["marker"],
                     label=INIT_LABELS[init])
        # diverged runs as crosses on the "diverged" line, one init slightly above the other
        axes[0].plot(lrs[~ok], np.full((~ok).sum(), top * 1.12**i), ls="none", marker="x", ms=8,
                     mew=2, color=st["color"])
        best = results.best_index(init)
        axes[1].plot(results.steps, results.best_curve(init), color=st["color"], ls=st["ls"],
                     marker=st["marker"], ms=4, label=f"{INIT_LABELS[init]}, lr = {lrs[best]:g}")
    for ax in axes:
        ax.axhline(threshold, color=style.BLACK, ls=":", lw=1.2)
        ax.set_yscale("log")
        _plain_log_ticks(ax)
    # no tick labels at or above the "diverged" line, so it does not read as a loss value
    axes[0].yaxis.set_major_locator(ticker.FixedLocator(
        [k * 10.0**e for e in range(-4, 1) for k in (1, 2, 3, 5) if k * 10.0**e < top * 0.8]))
    axes[0].axhline(top, color="#999999", lw=0.8)
    axes[0].text(lrs[0], top * 1.08, "diverged (×)", fontsize=9, va="bottom")
    axes[0].text(lrs[-1], threshold * 0.92, f"threshold {threshold:g}", fontsize=9,
                 va="top", ha="right")
    axes[0].set_xscale("log")
    axes[0].xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axes[0].set_xlabel("learning rate")
    axes[0].set_ylabel(f"loss after {cfg.steps} steps")
    axes[0].set_ylim(top=top * 2)
    title = OPTIMIZER_TITLES[cfg.optimizer].format(momentum=cfg.momentum)
    axes[0].set_title(f"{title}: learning-rate sweep")
    axes[1].set_xlabel("step")
    axes[1].set_ylabel("loss (1 = predicting the mean)")
    axes[1].set_title("at each init's best learning rate")
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    return fig

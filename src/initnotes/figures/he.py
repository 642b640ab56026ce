"""Figures of the He/Kaiming page: signal through 30 ReLU layers, fan modes, training."""

from __future__ import annotations

import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure

from initnotes.experiments import he
from initnotes.figures import style
from initnotes.registry import figure

SEED = 2015
#: Colour, line style and marker of each init, used in every figure of the page.
INIT_STYLE = {
    "xavier_normal": {"color": style.VERMILLION, "ls": "-", "marker": "o"},
    "he_normal": {"color": style.BLUE, "ls": "--", "marker": "s"},
}
INIT_LABELS = {"xavier_normal": "Xavier, Var(w) = 1/n", "he_normal": "He, Var(w) = 2/n"}
INIT_NAMES = {"xavier_normal": "Xavier", "he_normal": "He"}
MODE_STYLE = {
    "fan_in": {"color": style.BLUE, "ls": "-", "marker": "o"},
    "fan_out": {"color": style.ORANGE, "ls": "--", "marker": "s"},
}
OPTIMIZER_TITLES = {
    "sgd": "SGD",
    "momentum": "SGD with momentum 0.9",
    "adam": "Adam",
}


def _plain_log_ticks(ax) -> None:
    """Log axis labelled 0.1, 0.2, 0.3, 0.5, 1, 2, ... in plain numbers, no minor labels."""
    ax.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 3.0, 5.0)))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def layer_std(stats: he.LayerStats) -> Figure:
    """Forward std of the activations and backward std of dL/dh per layer, with predictions."""
    cfg = stats.config
    layers = np.arange(1, cfg.depth + 1)
    fig, axes = style.new_figure(1, 2, width=7.0, height=3.4, sharex=True, sharey=True)
    c_of = {"xavier_normal": 1.0, "he_normal": 2.0}
    for init in cfg.inits:
        st = INIT_STYLE[init]
        c = c_of[init]
        _, pred_h = he.relu_std_prediction(cfg.depth, weight_variance_times_fan_in=c)
        pred_g = he.relu_gradient_prediction(cfg.depth, weight_variance_times_fan_in=c)
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
    axes[0].set_title("forward: std of $z_l$")
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


def training(results: he.SweepResults) -> Figure:
    """Left: loss after training against learning rate. Right: curves at each init's best rate."""
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
        ax.axhline(he.THRESHOLD, color=style.BLACK, ls=":", lw=1.2)
        ax.set_yscale("log")
        _plain_log_ticks(ax)
    # no tick labels at or above the "diverged" line, so it does not read as a loss value
    axes[0].yaxis.set_major_locator(ticker.FixedLocator(
        [k * 10.0**e for e in range(-4, 1) for k in (1, 2, 3, 5) if k * 10.0**e < top * 0.8]))
    axes[0].axhline(top, color="#999999", lw=0.8)
    axes[0].text(lrs[0], top * 1.08, "diverged (×)", fontsize=9, va="bottom")
    axes[0].text(lrs[-1], he.THRESHOLD * 0.92, f"threshold {he.THRESHOLD:g}", fontsize=9,
                 va="top", ha="right")
    axes[0].set_xscale("log")
    axes[0].xaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
    axes[0].set_xlabel("learning rate")
    axes[0].set_ylabel(f"loss after {cfg.steps} steps")
    axes[0].set_ylim(top=top * 2)
    axes[0].set_title(f"{OPTIMIZER_TITLES[cfg.optimizer]}: learning-rate sweep")
    axes[1].set_xlabel("step")
    axes[1].set_ylabel("loss (1 = predicting the mean)")
    axes[1].set_title("at each init's best learning rate")
    handles, labels = axes[1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    return fig


def _sweep(optimizer: str) -> he.SweepResults:
    # The same seed for every optimizer: same data, same initial weights, same minibatches.
    return he.lr_sweep(he.SweepConfig(optimizer=optimizer), np.random.default_rng(SEED))


_LS = he.LayerStatsConfig()
_FAN = he.FanModeConfig()
_SGD = he.SweepConfig(optimizer="sgd")
_ADAM = he.SweepConfig(optimizer="adam")


@figure(
    "he-layer-std",
    alt=(
        f"Two line charts on a log scale against layer 1 to {_LS.depth} of a ReLU network of "
        f"width {_LS.width}. Left, forward std of the activations: under Xavier init "
        "(vermillion circles) it falls on a straight line on the log scale, by four to five "
        "orders of magnitude, following the dotted prediction; under He init (blue squares) it "
        "stays within a factor of 2 of the flat prediction. Right, backward std of the "
        "gradients: under Xavier init it falls the same way from the top layer down to layer 1; "
        "under He init it stays flat near 1."
    ),
    caption=(
        f"A {_LS.depth}-layer ReLU network at initialization. With Xavier's "
        "$\\operatorname{Var}(w) = 1/n$ each layer halves the second moment, so the std shrinks "
        "by $2^{-1/2}$ per layer, forward and backward (dotted: the prediction "
        "$\\propto 2^{-l/2}$); He's $2/n$ keeps both flat. "
        f"Widths {_LS.width}, a batch of {_LS.batch} standard-normal inputs."
    ),
)
def layer_std_figure() -> Figure:
    return layer_std(he.layer_statistics(_LS, np.random.default_rng(SEED)))


@figure(
    "he-fan-modes",
    alt=(
        f"Two line charts on a log scale for a ReLU network of {len(_FAN.widths) - 1} layers "
        "whose widths go " + ", ".join(str(w) for w in _FAN.widths) + ". Left, forward std of "
        "the pre-activations: fan_in mode (blue circles) is flat; fan_out mode (orange squares) "
        "falls as the layers widen, to about a third of its first value at the widest layer, "
        "and comes back. Right, backward std of the gradients: fan_out mode is flat; fan_in "
        "mode falls to a quarter at the widest layer and comes back. Dotted predictions lie on "
        "the measured lines."
    ),
    caption=(
        "He init in `mode=\"fan_in\"` keeps the forward signal's variance; `mode=\"fan_out\"` "
        "keeps the backward gradient's. The other direction is not lost exponentially: its "
        "variance is proportional to $1/n_l$, the inverse width of the layer, so it comes back "
        "when the widths do. Dotted: the variance recursion; measured values are averages over "
        f"{_FAN.repeats} draws of the weights."
    ),
)
def fan_modes_figure() -> Figure:
    return fan_modes(he.fan_modes(_FAN, np.random.default_rng(SEED)))


def _sgd_alt(name: str) -> str:
    return (
        f"Left: loss after {_SGD.steps} steps of {name} against learning rates from "
        f"{_SGD.lrs[0]:g} to {_SGD.lrs[-1]:g}, log scales. The He start (blue squares) ends "
        f"below the {he.THRESHOLD:g} threshold at its best rate and diverges (crosses at the "
        "top) at the largest rates. The Xavier start (vermillion circles) stays at 1, the loss "
        "of predicting the mean, at every rate that does not diverge, and diverges at "
        f"{_SGD.lrs[-1]:g}. Right: loss against step at each start's best rate: He's falls "
        f"below {he.THRESHOLD:g}, Xavier's stays flat at 1."
    )


@figure(
    "he-training-momentum",
    alt=_sgd_alt("SGD with momentum 0.9"),
    caption=(
        f"A {_SGD.depth}-layer ReLU network (width {_SGD.width}) trained with SGD and momentum "
        "0.9, the optimizer of He et al., on a regression task, from a Xavier and a He start, at "
        f"every learning rate of the grid. Dotted: the threshold {he.THRESHOLD:g} (half of the "
        "target's variance explained). The Xavier start does not move at any rate; the He start "
        "trains."
    ),
)
def training_momentum_figure() -> Figure:
    return training(_sweep("momentum"))


@figure(
    "he-training-sgd",
    alt=_sgd_alt("plain SGD"),
    caption=(
        "The same sweep with plain SGD (no momentum): again no learning rate trains the Xavier "
        "start."
    ),
)
def training_sgd_figure() -> Figure:
    return training(_sweep("sgd"))


@figure(
    "he-training-adam",
    alt=(
        f"Left: loss after {_ADAM.steps} steps of Adam against learning rates from "
        f"{_ADAM.lrs[0]:g} to {_ADAM.lrs[-1]:g}. Both starts reach a loss below the "
        f"{he.THRESHOLD:g} threshold at their best rates, which lie in the middle of the grid; "
        "the largest rates fail for both. Right: at the best rates both losses fall below the "
        "threshold."
    ),
    caption=(
        "The same network and task trained with Adam: both starts train. Adam divides each "
        "step by a running estimate of the gradient's own magnitude, so gradients that are "
        "uniformly small, as under Xavier init here, still give steps of the size the learning "
        "rate asks for."
    ),
)
def training_adam_figure() -> Figure:
    return training(_sweep("adam"))

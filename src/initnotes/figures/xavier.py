"""Figures of the Xavier/Glorot page: Glorot & Bengio's (2010) Figures 6 and 7, redone."""

from __future__ import annotations

import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure

from initnotes.experiments import xavier
from initnotes.figures import style
from initnotes.registry import figure

SEED = 2010
TITLES = {
    "standard": r"Standard init  $U[-1/\sqrt{n},\,1/\sqrt{n}]$",
    "normalized": r"Normalized (Xavier) init  $U[\pm\sqrt{6/(n_{in}+n_{out})}]$",
}
#: One colour and line style per scheme, used in every figure of the page.
SCHEME_STYLE = {
    "standard": {"color": style.VERMILLION, "ls": "-", "marker": "o"},
    "normalized": {"color": style.BLUE, "ls": "--", "marker": "s"},
}
LABELS = {"standard": "standard", "normalized": "normalized (Xavier)"}
_CFG = xavier.GlorotConfig()  # the configuration every figure here uses


#: Colours for up to seven layers (the palette without yellow, too light for thin lines).
LAYER_COLOURS = tuple(c for c in style.PALETTE if c != style.YELLOW)


def _layer_style(k: int) -> dict:
    return {"color": LAYER_COLOURS[k % len(LAYER_COLOURS)],
            "ls": style.LINESTYLES[k % len(style.LINESTYLES)]}


def layer_histograms(results: xavier.GlorotResults, which: str) -> Figure:
    """Per-layer normalized histograms, standard init on top, normalized below.

    Args:
        results: output of `xavier.glorot_experiment`.
        which: ``"activation"`` (values of ``tanh(z)``) or ``"gradient"`` (``dL/dz``).
    """
    if which not in ("activation", "gradient"):
        raise ValueError(f"which must be 'activation' or 'gradient', got {which!r}")
    hists = results.activation_hist if which == "activation" else results.gradient_hist
    fig, axes = style.new_figure(2, 1, width=6.8, height=5.4, sharex=True, sharey=True)
    for ax, scheme in zip(axes, xavier.SCHEMES):
        h = hists[scheme]
        for k, row in enumerate(h.density):
            ax.plot(h.centers, row, lw=1.7, label=f"layer {k + 1}", **_layer_style(k))
        ax.set_title(TITLES[scheme])
        ax.set_ylabel("density")
        ax.set_ylim(bottom=0)
    axes[-1].set_xlabel("activation value  tanh(z)" if which == "activation"
                        else "back-propagated gradient  ∂L/∂z")
    axes[0].legend(loc="upper right", ncols=1)
    return fig


def layer_std(results: xavier.GlorotResults) -> Figure:
    """Per-layer std of activations, of dL/dz and of dL/dW, with the linear-regime prediction."""
    cfg = results.config
    layers = np.arange(1, cfg.depth + 1)
    fig, axes = style.new_figure(1, 3, width=7.2, height=3.2, sharex=True)
    panels = [
        ("activations h", results.activation_std, "activation_std"),
        ("gradients ∂L/∂z", results.gradient_std, "gradient_std"),
        ("weight gradients ∂L/∂W", results.weight_gradient_std, None),
    ]
    for ax, (title, getter, pred_field) in zip(axes, panels):
        for scheme in xavier.SCHEMES:
            st = SCHEME_STYLE[scheme]
            ax.plot(layers, getter(scheme), color=st["color"], ls=st["ls"], marker=st["marker"],
                    ms=5, label=f"{LABELS[scheme]}, measured")
            if pred_field:
                pred = xavier.linear_prediction(cfg.depth, cfg.weight_variance_times_n(scheme))
                ax.plot(layers, getattr(pred, pred_field), color=st["color"], ls=":", lw=1.4,
                        label=f"{LABELS[scheme]}, linear theory")
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_title(title)
        ax.set_xlabel("layer")
        ax.set_xticks(layers)
    axes[0].set_ylabel("standard deviation")
    lo, hi = axes[2].get_ylim()
    axes[2].set_ylim(min(lo, 1.0), max(hi, 10.0))  # a decade at least, so "flat" reads as flat
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    return fig


def _results() -> xavier.GlorotResults:
    return xavier.glorot_experiment(_CFG, np.random.default_rng(SEED))


@figure(
    "xavier-activation-histograms",
    alt=(
        "Two panels of histogram curves, one curve per hidden layer 1 to 5 of a tanh network "
        f"with {_CFG.width} units per layer. Top, standard init: the curves get narrower and taller "
        "around 0 from layer 1 to layer 5, so deeper layers' activations collapse towards 0. "
        "Bottom, normalized init: the curves are wide and overlap, spread over most of -1 to 1, "
        "narrowing only slowly with depth."
    ),
    caption=(
        "Activation values $h_l = \\tanh(z_l)$ of the five hidden layers at initialization "
        f"(normalized histograms of {_CFG.batch} inputs × {_CFG.width} units per layer), as in "
        "Glorot & Bengio's Figure 6. With the standard init each layer shrinks the signal (peak at 0 grows with "
        "depth); with the normalized init the distributions stay wide."
    ),
)
def activation_histograms_figure() -> Figure:
    return layer_histograms(_results(), "activation")


@figure(
    "xavier-gradient-histograms",
    alt=(
        "Two panels of histogram curves of the back-propagated gradient with respect to the "
        "pre-activations, one curve per layer 1 to 5. Top, standard init: layer 1's curve is a "
        "tall narrow spike at 0 and each higher layer's curve is wider and lower, up to layer 5. "
        "Bottom, normalized init: the five curves are much closer to each other, layer 1 only "
        "somewhat narrower than layer 5."
    ),
    caption=(
        "Back-propagated gradients $\\partial L/\\partial z_l$ at initialization, per layer, as in "
        "Glorot & Bengio's Figure 7. With the standard init the gradient shrinks on its way down "
        "(the peak at 0 is highest for layer 1); with the normalized init it shrinks much less, "
        "and what remains comes from $\\tanh'$ being below 1, not from the weights."
    ),
)
def gradient_histograms_figure() -> Figure:
    return layer_histograms(_results(), "gradient")


@figure(
    "xavier-layer-std",
    alt=(
        "Three line charts on a log scale against layer 1 to 5, standard init in vermillion "
        "circles, normalized init in blue squares, dotted lines for the linear theory. Left, "
        "activation std: standard falls from about 0.46 to 0.05, close to its dotted line; "
        "normalized falls from 0.63 to 0.32 while its linear prediction stays at 1. Middle, "
        "gradient std: standard rises from about 0.08 at layer 1 to 1 at layer 5, normalized "
        "from 0.37 to 0.9. Right, weight-gradient std: both lines are flat."
    ),
    caption=(
        "Standard deviation per layer of the activations, of the back-propagated gradients "
        "$\\partial L/\\partial z_l$ and of the weight gradients $\\partial L/\\partial W_l$ "
        "(solid/dashed, measured; dotted, the linear-regime theory). The standard init shrinks "
        "activations going up and gradients going down by $1/\\sqrt3$ per layer, as the "
        "theory says; the weight gradients, products of the two, stay flat under both inits."
    ),
)
def layer_std_figure() -> Figure:
    return layer_std(_results())

"""Figures of the Xavier/Glorot page: Glorot & Bengio's (2010) Figures 6 and 7, redone.

Results in, `Figure` out; the runs they draw are bound in `initnotes.pages.xavier`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib import ticker
from matplotlib.figure import Figure

from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments import xavier

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


#: Colours for up to seven layers (the palette without yellow, too light for thin lines).
LAYER_COLOURS = tuple(c for c in style.PALETTE if c != style.YELLOW)


def _layer_style(k: int) -> dict:
    return {"color": LAYER_COLOURS[k % len(LAYER_COLOURS)],
            "ls": style.LINESTYLES[k % len(style.LINESTYLES)]}


def layer_histograms(results: xavier.GlorotResults, which: str) -> Figure:
    """Per-layer normalized histograms, standard init on top, normalized below.

    Args:
        results: output of `xavier.glorot_experiment`.
        which: ``"activation"`` (values of ``tanh(a)``) or ``"gradient"`` (``dL/da``).
    """
    if which not in ("activation", "gradient"):
        raise ValueError(f"which must be 'activation' or 'gradient', got {which!r}")
    hists = results.activation_hist if which == "activation" else results.gradient_hist
    fig, axes = style.new_figure(2, 1, width=6.8, height=5.4, sharex=True, sharey=True)
    for ax, (scheme, h) in zip(axes, hists.items()):
        for k, row in enumerate(h.density):
            ax.plot(h.centers, row, lw=1.7, label=f"layer {k + 1}", **_layer_style(k))
        ax.set_title(TITLES[scheme])
        ax.set_ylabel("density")
        ax.set_ylim(bottom=0)
    axes[-1].set_xlabel("activation value  tanh(a)" if which == "activation"
                        else "back-propagated gradient  ∂L/∂a")
    axes[0].legend(loc="upper right", ncols=1)
    return fig


def _linear_theory(depth: int, weight_variance_times_n: float) -> dict[str, np.ndarray]:
    r"""The linear-regime std per layer (`xavier.linear_prediction`, unit input and output
    gradient): activations $c^{l/2}$, gradients $c^{(L-l)/2}$ with $c = n\operatorname{Var}(w)$."""
    c = float(weight_variance_times_n)
    layers = np.arange(1, depth + 1)
    return {"activation_std": np.sqrt(c**layers), "gradient_std": np.sqrt(c ** (depth - layers))}


def layer_std(results: xavier.GlorotResults) -> Figure:
    """Per-layer std of activations, of dL/da and of dL/dW, with the linear-regime prediction."""
    cfg = results.config
    layers = np.arange(1, cfg.depth + 1)
    fig, axes = style.new_figure(1, 3, width=7.2, height=3.2, sharex=True)
    panels = [
        ("activations h", results.activation_std, "activation_std"),
        ("gradients ∂L/∂a", results.gradient_std, "gradient_std"),
        ("weight gradients ∂L/∂W", results.weight_gradient_std, None),
    ]
    for ax, (title, getter, pred_field) in zip(axes, panels):
        for scheme in results.stats:
            st = SCHEME_STYLE[scheme]
            ax.plot(layers, getter(scheme), color=st["color"], ls=st["ls"], marker=st["marker"],
                    ms=5, label=f"{LABELS[scheme]}, measured")
            if pred_field:
                pred = _linear_theory(cfg.depth, cfg.weight_variance_times_n(scheme))
                ax.plot(layers, pred[pred_field], color=st["color"], ls=":", lw=1.4,
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

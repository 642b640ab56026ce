"""The explorer page's static figure: its first view, for readers without JavaScript.

The interactive page draws the same two panels in the browser from the same numbers,
with the same colours, markers and labels (`initnotes.explorer.LABELS`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from initnotes import explorer
from initnotes.figures import style
from initnotes.registry import figure

#: How each series is drawn, here and on the page: colour, line style, marker.
SERIES = {
    "activations": {"color": style.BLUE, "ls": "-", "marker": "o"},
    "gradients": {"color": style.VERMILLION, "ls": "--", "marker": "s"},
}


def explorer_panels(shown: explorer.Shown, layer: int) -> Figure:
    """Per-layer std of activations and gradients (log axis), and the histogram at `layer`."""
    depth = len(shown.activation_std)
    if layer not in shown.histograms:
        raise ValueError(f"layer must be one of {sorted(shown.histograms)}, got {layer!r}")
    fig, (ax, hx) = style.new_figure(1, 2, width=7.0, height=3.0)
    layers = np.arange(1, depth + 1)
    for key, values in (("activations", shown.activation_std), ("gradients", shown.gradient_std)):
        v = np.where(values > 0, values, np.nan)  # a std of 0 has no place on a log axis
        ax.plot(layers, v, ms=3.5, label=explorer.LABELS[key], **SERIES[key])
    ax.set_yscale("log")
    ax.set_xlabel(explorer.LABELS["layer"])
    ax.set_ylabel(explorer.LABELS["std"])
    fig.legend(*ax.get_legend_handles_labels(), loc="outside upper left", ncols=2)

    h = shown.histograms[layer]
    share = h.counts / h.counts.sum()
    edges = h.edges
    hx.bar(edges[:-1], share, width=np.diff(edges), align="edge", color=style.BLUE,
           edgecolor="white", linewidth=0.4)
    hx.set_xlim(edges[0], edges[-1])
    hx.set_xlabel(f"{explorer.LABELS['value']} at layer {layer}")
    hx.set_ylabel(explorer.LABELS["share"])
    hx.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    hx.yaxis.set_major_formatter(PercentFormatter(1.0))
    return fig


_D = explorer.DEFAULT


@figure(
    "explore-default",
    alt=(
        f"Two charts for a {_D['depth']}-layer {explorer.ACTIVATIONS[_D['activation']]} network "
        f"of width {explorer.WIDTH} with {explorer.INITS[_D['init']]} weights. Left: the "
        "standard deviation of the activations (blue, solid, circles) and of the "
        "back-propagated gradients (vermillion, dashed, squares) at each layer, on a log "
        f"scale. Right: a histogram of the activations at layer {_D['layer']}. The sentence "
        "below the figure gives the numbers."
    ),
    caption=(
        "The explorer's first view, drawn by the package: one random network at its "
        "initialization, a batch of standard-normal inputs forward, a standard-normal "
        "gradient backward from the last layer. The interactive page shows the same two "
        "panels for every setting of the controls."
    ),
)
def explore_default_figure() -> Figure:
    return explorer_panels(explorer.default_shown(), _D["layer"])

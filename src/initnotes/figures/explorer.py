"""The explorer page's static figure: its first view, for readers without JavaScript.

The interactive page draws the same two panels in the browser from the same numbers,
with the same colours, markers and labels (`initnotes.explorer.LABELS`). Bound to the
page's run in `initnotes.pages.explorer`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from initnotes import explorer
from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments.signal import SignalResults

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


def explore_default(results: SignalResults, layer: int) -> Figure:
    """The page's first view: `explorer_panels` of one grid point's `propagate` results,
    at the precision of the page's files (`initnotes.explorer.shown`)."""
    return explorer_panels(explorer.shown(results), layer)

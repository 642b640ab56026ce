"""Figures of the zero and constant initialization page: results in, `Figure` out (bound to
runs in `initnotes.pages.zero_constant`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments import zero_constant as zc

#: How each case is named and drawn; colour, line style and marker differ together.
LABELS = {
    "zero": "zero",
    "zero weights, bias": "zero weights, biases 0.1",
    "constant": "constant 0.5",
    "zero last layer": "zero last layer only",
    "random": "random (Xavier)",
}
STYLES = {
    "zero": dict(color=style.BLACK, ls="-", lw=3.6, marker="s"),
    "zero weights, bias": dict(color=style.VERMILLION, ls="--", lw=2.0, marker="v"),
    "constant": dict(color=style.ORANGE, ls="-.", lw=2.0, marker="o"),
    "zero last layer": dict(color=style.GREEN, ls=":", lw=2.4, marker="^"),
    "random": dict(color=style.BLUE, ls="-", lw=1.6, marker="D"),
}
#: Class colours and markers for the data and the decision regions.
CLASS_COLOURS = (style.BLUE, style.ORANGE)
CLASS_MARKERS = ("o", "^")
REGION_COLOURS = ("#cfe3f1", "#fbe5bf")  # light blue and light orange, behind the points
HATCH_COLOUR = "#c98a00"  # a darker orange: the hatching marks class 1 without colour


def training_curves(res: zc.ZeroConstantResults) -> Figure:
    """Loss and training accuracy per step, one line per start."""
    fig, (ax_loss, ax_acc) = style.new_figure(1, 2, width=7.4, height=3.4)
    steps = res.config.steps
    every = max(1, steps // 8)
    for i, (case, run) in enumerate(res.runs.items()):
        st = STYLES[case]
        t = np.arange(1, steps + 1)
        kw = dict(color=st["color"], ls=st["ls"], lw=st["lw"], marker=st["marker"], ms=6,
                  markevery=(i * every // len(res.runs), every), label=LABELS[case])
        ax_loss.plot(t, run.loss, **kw)
        ax_acc.plot(t, run.accuracy, **kw)
    ax_loss.set_yscale("log")
    ax_loss.set_xlabel("training step")
    ax_loss.set_ylabel("cross-entropy loss")
    ax_loss.axhline(np.log(2.0), color="#777777", lw=0.8, zorder=0)
    ax_loss.annotate("ln 2: a coin flip", (steps, np.log(2.0)), xytext=(0, 4),
                     textcoords="offset points", ha="right", va="bottom", fontsize=9, color="#444444")
    ax_acc.set_ylim(0.4, 1.02)
    ax_acc.set_xlabel("training step")
    ax_acc.set_ylabel("training accuracy")
    handles, labels = ax_loss.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3)
    return fig


def decision_regions(res: zc.ZeroConstantResults) -> Figure:
    """Predicted class over the plane for each start, with the training points."""
    cases = list(res.runs)
    ncols = 3
    nrows = -(-len(cases) // ncols)
    fig, axes = style.new_figure(nrows, ncols, width=7.4, height=2.55 * nrows + 0.2,
                                 sharex=True, sharey=True)
    axes = np.atleast_1d(axes).ravel()
    a = res.grid_axis
    for ax, case in zip(axes, cases):
        run = res.runs[case]
        positive = (run.grid_logits > 0).astype(float)
        regions = ax.contourf(a, a, positive, levels=[-0.5, 0.5, 1.5], colors=REGION_COLOURS,
                              hatches=[None, "//"])
        regions.set_hatchcolor(HATCH_COLOUR)
        regions.set_hatch_linewidth(0.8)
        # Stored as an image inside the SVG: as vector paths the hatched regions of six
        # panels weigh over 250 KB; the boundary line and the points stay vectors.
        regions.set_rasterized(True)
        if 0 < positive.mean() < 1:
            ax.contour(a, a, run.grid_logits, levels=[0.0], colors=style.BLACK, linewidths=1.0)
        for label in (0, 1):
            pts = res.x[res.y == label]
            ax.scatter(pts[:, 0], pts[:, 1], s=12, marker=CLASS_MARKERS[label],
                       facecolor=CLASS_COLOURS[label], edgecolor=style.BLACK, linewidth=0.4,
                       zorder=3)
        ax.set_title(f"{LABELS[case]}\n{100 * run.final_accuracy:.1f} % right", fontsize=10)
        ax.set_aspect("equal")
        ax.set_xlim(a[0], a[-1])
        ax.set_ylim(a[0], a[-1])
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])
        ax.grid(False)
    # the spare panel holds the legend
    for ax in axes[len(cases):]:
        ax.axis("off")
        handles = [
            Line2D([], [], ls="none", marker=CLASS_MARKERS[0], markerfacecolor=CLASS_COLOURS[0],
                   markeredgecolor=style.BLACK, ms=7, label="points of class 0"),
            Line2D([], [], ls="none", marker=CLASS_MARKERS[1], markerfacecolor=CLASS_COLOURS[1],
                   markeredgecolor=style.BLACK, ms=7, label="points of class 1"),
            Patch(facecolor=REGION_COLOURS[0], edgecolor="#999999", label="predicted class 0"),
            Patch(facecolor=REGION_COLOURS[1], edgecolor=HATCH_COLOUR, hatch="//",
                  label="predicted class 1"),
            Line2D([], [], color=style.BLACK, lw=1.0, label="decision boundary"),
        ]
        ax.legend(handles=handles, loc="center", frameon=False)
        break
    return fig

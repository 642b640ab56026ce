"""Figures of the symmetry page: results in, `Figure` out (bound to runs in `initnotes.pages.symmetry`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments import symmetry

TITLES = {"zero": "Zero init", "constant": "Constant init (0.5)", "random": "Random init"}


def symmetry_weights(results: symmetry.SymmetryResults) -> Figure:
    """Each hidden unit's two incoming weights over training, one panel per start.

    Colour says the input (blue from input 1, orange from input 2), line style the unit
    (thick pale solid: unit 1, thin dashed: unit 2), so a dashed line drawn on a solid one
    of its colour shows two units with equal weights."""
    starts = list(results.runs)
    fig, axes = style.new_figure(1, len(starts), width=3.0 * len(starts) + 0.6, height=3.1,
                                 sharey=True)
    for ax, start in zip(np.atleast_1d(axes), starts):
        run = results.runs[start]
        t = np.arange(run.W.shape[0])
        for j, colour in enumerate((style.BLUE, style.ORANGE)):
            ax.plot(t, run.W[:, 0, j], color=colour, lw=4.0, ls="-", alpha=0.45,
                    label=f"unit 1, from input {j + 1}")
            ax.plot(t, run.W[:, 1, j], color=colour, lw=1.6, ls=(0, (4, 2)),
                    label=f"unit 2, from input {j + 1}")
        ax.set_title(TITLES.get(start, start))
        ax.set_xlabel("training step")
    np.atleast_1d(axes)[0].set_ylabel("weight into the hidden unit")
    handles, labels = np.atleast_1d(axes)[-1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=4)
    return fig


# ---------------------------------------------------------------------------
# The wider network: equal units and the rank of the layer
# ---------------------------------------------------------------------------

#: How each start is drawn (colour, line style, marker), so the series differ without colour.
WIDE_STYLE = {
    "zero": dict(color=style.BLACK, ls="-", lw=3.4, marker="s"),
    "constant": dict(color=style.ORANGE, ls="--", lw=1.8, marker="o"),
    "nearly constant": dict(color=style.GREEN, ls="-.", lw=1.8, marker="^"),
    "random": dict(color=style.BLUE, ls="-", lw=1.8, marker="D"),
}
WIDE_LABELS = {
    "zero": "zero",
    "constant": "constant 0.3",
    "nearly constant": "0.3 + N(0, (10⁻⁴)²)",
    "random": "random N(0, 0.5²)",
}


def _split_axes(fig, spec):
    """A log axis on top and a thin strip under it for the values a log axis cannot show."""
    sub = spec.subgridspec(2, 1, height_ratios=(6, 1), hspace=0.0)
    top = fig.add_subplot(sub[0])
    strip = fig.add_subplot(sub[1], sharex=top)
    top.set_yscale("log")
    top.tick_params(labelbottom=False, bottom=False)
    top.spines["bottom"].set_visible(False)
    strip.set_ylim(-1, 1)
    strip.set_yticks([0])
    strip.grid(False, axis="y")
    strip.spines["top"].set_visible(False)
    # diagonal break marks between the two axes
    kw = dict(transform=top.transAxes, color=style.BLACK, clip_on=False, lw=1.0)
    top.plot([-0.02, 0.02], [-0.01, 0.03], **kw)
    return top, strip


def symmetry_rank(results: symmetry.WideSymmetryResults) -> Figure:
    """Max pairwise difference over training, and the final singular values of layer 2."""
    fig = Figure(figsize=(7.4, 3.6), layout="constrained")
    gs = fig.add_gridspec(1, 2, width_ratios=(1.25, 1.0))
    top, strip = _split_axes(fig, gs[0])
    starts = list(results.runs)
    for start in starts:
        run = results.runs[start]
        d = run.max_difference[:, -1]  # the last hidden layer (8 x 8)
        t = np.arange(d.size)
        st = WIDE_STYLE.get(start, dict(color=style.PURPLE, ls=":", lw=1.8, marker="x"))
        every = max(1, d.size // 6)
        offset = (starts.index(start) * every) // len(starts)  # markers of equal lines interleave
        pos = d > 0
        kw = dict(color=st["color"], ls=st["ls"], lw=st["lw"], marker=st["marker"],
                  markevery=(offset, every), ms=6, label=WIDE_LABELS.get(start, start))
        top.plot(np.where(pos, t, np.nan), np.where(pos, d, np.nan), **kw)
        strip.plot(np.where(~pos, t, np.nan), np.where(~pos, 0.0, np.nan), **kw)
    strip.set_yticklabels(["exactly 0"])
    strip.set_xlabel("training step")
    top.set_ylim(1e-5, 1e1)
    top.set_ylabel("max difference between\nunits' incoming weights")
    top.set_title("Do the 8 units stay equal?", loc="left")

    top2, strip2 = _split_axes(fig, gs[1])
    for i, start in enumerate(starts):
        run = results.runs[start]
        W = run.weights[-2]  # last hidden layer
        s = np.linalg.svd(W, compute_uv=False)
        tol = s.max() * max(W.shape) * np.finfo(float).eps
        k = np.arange(1, s.size + 1) + (i - (len(starts) - 1) / 2) * 0.12
        st = WIDE_STYLE.get(start, dict(color=style.PURPLE, ls=":", lw=1.8, marker="x"))
        kw = dict(color=st["color"], marker=st["marker"], ls="none", ms=6)
        big = s > tol
        top2.plot(k[big], s[big], **kw, label=WIDE_LABELS.get(start, start))
        strip2.plot(k[~big], np.zeros((~big).sum()), **kw)
    strip2.set_yticklabels(["≤ round-off"])
    strip2.set_xticks(np.arange(1, 9))
    strip2.set_xlabel("singular value index")
    top2.set_ylim(1e-5, 1e1)
    top2.set_ylabel("singular value of $W_2$")
    top2.set_title("Spectrum of $W_2$ after training", loc="left")
    handles, labels = top.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=4)
    return fig


# ---------------------------------------------------------------------------
# Run longer: the nearly constant start leaves its plateau
# ---------------------------------------------------------------------------

#: Start -> (label, colour, line style) of the escape figure.
ESCAPE_STYLE = {
    "constant": ("constant 0.3 (one run)", style.ORANGE, "--"),
    "nearly constant": ("0.3 + N(0, (10⁻⁴)²)", style.GREEN, "-"),
    "random": ("random N(0, 0.5²)", style.BLUE, "-."),
}


def _median_band(ax, t, rows, label, colour, ls, lw=2.0):
    """The median over seeds as a line, the range (min to max) as a band."""
    ax.plot(t, np.median(rows, axis=0), color=colour, ls=ls, lw=lw, label=label)
    if rows.shape[0] > 1:
        ax.fill_between(t, rows.min(axis=0), rows.max(axis=0), color=colour, alpha=0.25, lw=0)


def symmetry_escape(results: symmetry.EscapeResults) -> Figure:
    """Loss over a long run (top), and how far apart the units grow (bottom)."""
    fig, (top, bottom) = style.new_figure(2, 1, width=5.2, height=5.4, sharex=True)
    t = results.steps
    for start, rows in results.loss.items():
        label, colour, ls = ESCAPE_STYLE.get(start, (start, style.PURPLE, ":"))
        _median_band(top, t, rows, label, colour, ls)
    top.set_yscale("log")
    top.set_ylabel("training loss")
    top.set_title("Loss: the nearly constant start\nleaves the plateau", loc="left")
    top.legend(loc="upper right")
    diff = results.difference["nearly constant"]
    for layer, ls in zip(range(diff.shape[2]), ("-", ":")):
        _median_band(bottom, t, diff[:, :, layer], f"hidden layer {layer + 1}", style.GREEN, ls,
                     lw=2.0 if layer == 0 else 2.6)
    bottom.set_yscale("log")
    bottom.set_ylabel("max difference between\nunits' incoming weights")
    bottom.set_xlabel("training step")
    bottom.set_title("Nearly constant start:\nhow far apart its units are", loc="left")
    bottom.legend(loc="center right")
    return fig

"""Figures of the "Hello, initializer" tutorial."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from initnotes.figures import style

#: Distributions `weight_histograms` can draw as the expected density.
DISTRIBUTIONS = ("normal", "truncated_normal", "uniform")
#: Standard deviation of a standard normal truncated to (-2, 2), and the probability mass
#: of (-2, 2) under a standard normal, erf(2 / sqrt(2)).
_TRUNCATED_STD = 0.87962566103423978
_MASS_2 = math.erf(2.0 / math.sqrt(2.0))


def weight_histograms(
    weights: Mapping[str, np.ndarray],
    expected: Mapping[str, tuple[str, float]],
    *,
    ncols: int = 3,
    bins: int = 60,
) -> Figure:
    """One histogram per weight array, with the density its initializer promises.

    Args:
        weights: name -> weight array (any shape; all entries are counted).
        expected: name -> ``(distribution, std)``, the distribution (``"normal"`` or
            ``"truncated_normal"`` or ``"uniform"``) and standard deviation the formula
            gives. A uniform with standard deviation ``s`` lives on ``[-b, b]`` with
            ``b = sqrt(3) s``; a truncated normal is a normal of std ``s / 0.8796``
            cut at two of its own standard deviations (as `initnotes.init` draws it).
        ncols: panels per row.
        bins: histogram bins per panel.

    Each panel spans four expected standard deviations either side of zero.
    """
    names = list(weights)
    if not names:
        raise ValueError("weights must name at least one array, got none")
    missing = [n for n in names if n not in expected]
    if missing:
        raise ValueError(f"expected has no (distribution, std) for {missing}")
    for name in names:
        dist, std = expected[name]
        if dist not in DISTRIBUTIONS:
            raise ValueError(f"distribution must be one of {DISTRIBUTIONS}, got {dist!r} for {name!r}")
        if not std > 0:
            raise ValueError(f"std must be positive, got {std!r} for {name!r}")
    ncols = min(ncols, len(names))
    nrows = math.ceil(len(names) / ncols)
    fig, axes = style.new_figure(nrows, ncols, width=2.45 * ncols + 0.2, height=2.15 * nrows + 0.5)
    axes = np.atleast_1d(axes).ravel()
    for ax, name in zip(axes, names):
        w = np.asarray(weights[name], dtype=float).ravel()
        dist, std = expected[name]
        lim = 4.0 * std
        ax.hist(w, bins=bins, range=(-lim, lim), density=True, color=style.SKY,
                edgecolor="white", linewidth=0.3, label="drawn weights")
        t = np.linspace(-lim, lim, 401)
        if dist == "normal":
            pdf = np.exp(-0.5 * (t / std) ** 2) / (std * math.sqrt(2.0 * math.pi))
        elif dist == "truncated_normal":
            s0 = std / _TRUNCATED_STD
            pdf = np.exp(-0.5 * (t / s0) ** 2) / (s0 * math.sqrt(2.0 * math.pi) * _MASS_2)
            pdf = np.where(np.abs(t) < 2.0 * s0, pdf, 0.0)
        else:
            b = math.sqrt(3.0) * std
            pdf = np.where(np.abs(t) <= b, 1.0 / (2.0 * b), 0.0)
        ax.plot(t, pdf, color=style.VERMILLION, ls="--", lw=1.6, label="density the formula gives")
        ax.set_title(f"{name}\nstd {w.std():.4f}, formula {std:.4f}", fontsize=9.5)
        ax.set_yticks([])
        ax.grid(False)
        ax.set_xlim(-lim, lim)
        ax.tick_params(axis="x", labelsize=8.5)
    for ax in axes[len(names):]:
        ax.set_visible(False)
    for ax in axes[(nrows - 1) * ncols:len(names)]:
        ax.set_xlabel("weight value")
    for ax in axes[:len(names):ncols]:
        ax.set_ylabel("density")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=2)
    return fig

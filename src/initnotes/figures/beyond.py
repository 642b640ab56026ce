"""Figures of the "Beyond" page (LSUV, residual scaling, the edge of chaos): results in,
`Figure` out (bound to runs in `initnotes.pages.beyond`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments import edge_of_chaos, lsuv, residual


# ---------------------------------------------------------------------------
# LSUV
# ---------------------------------------------------------------------------


def lsuv_figure(res: lsuv.LSUVResults) -> Figure:
    """Per-layer pre-activation variance before and after LSUV, one panel per activation."""
    acts = [a for a in res.config.activations]
    fig, axes = style.new_figure(1, len(acts), width=7.0, height=3.2, sharey=True)
    axes = np.atleast_1d(axes)
    for ax, act in zip(axes, acts):
        run = res.runs[(act, "preactivation")]
        layers = np.arange(1, len(run.pre_after) + 1)
        ax.plot(layers, run.pre_before, color=style.VERMILLION, ls="--", marker="s", ms=4,
                label="orthonormal only")
        ax.plot(layers, run.pre_after, color=style.BLUE, ls="-", marker="o", ms=4,
                label="after LSUV")
        ax.axhline(1.0, color=style.BLACK, lw=1.0, ls=":")
        ax.set_yscale("log")
        ax.set_title(f"{act} network")
        ax.set_xlabel("layer")
        ax.set_xticks([1, 5, 10, 15, 20])
    axes[0].set_ylabel("variance of the pre-activations")
    axes[0].legend(loc="lower left")
    return fig


def lsuv_trap_figure(res: lsuv.LSUVResults) -> Figure:
    """Tanh: normalizing after the nonlinearity never converges and saturates the units."""
    fig, (ax1, ax2) = style.new_figure(1, 2, width=7.0, height=3.2)
    trap = res.runs[("tanh", "activation")]
    good = res.runs[("tanh", "preactivation")]
    trace = np.asarray(trap.report.trace[0])
    ax1.plot(np.arange(1, trace.size + 1), trace, color=style.VERMILLION, marker="o", ms=4)
    ax1.axhspan(1 - res.config.tol, 1 + res.config.tol, color=style.GREEN, alpha=0.25, lw=0,
                label="target 1 ± tol")
    ax1.set_ylim(0, 1.1)
    ax1.set_xlabel("LSUV pass on layer 1")
    ax1.set_ylabel("variance of tanh(a)")
    ax1.set_title("measured after tanh: never reaches 1")
    ax1.legend(loc="lower right")
    layers = np.arange(1, len(good.saturated_after) + 1)
    ax2.plot(layers, good.saturated_after, color=style.BLUE, marker="o", ms=4,
             label="LSUV before tanh")
    ax2.plot(layers, trap.saturated_after, color=style.VERMILLION, ls="--", marker="s", ms=4,
             label="LSUV after tanh")
    ax2.set_ylim(0, 1)
    ax2.set_xticks([1, 5, 10, 15, 20])
    ax2.set_xlabel("layer")
    ax2.set_ylabel("share of units with |h| > 0.99")
    ax2.set_title("saturated units")
    ax2.legend(loc="center right")
    return fig


# ---------------------------------------------------------------------------
# Residual stacks
# ---------------------------------------------------------------------------

SCHEME_LOOKS = {
    "unscaled": (style.VERMILLION, "--", "s", "unscaled branches"),
    "scaled": (style.ORANGE, "-.", "^", r"last layer $\times\,1/\sqrt{N}$"),
    "zero": (style.BLUE, "-", "o", "last layer zero"),
}


def residual_figure(res: residual.ResidualResults) -> Figure:
    """Mean square of the residual stream against depth, measured and expected."""
    norms = list(res.config.norms)
    fig, axes = style.new_figure(1, len(norms), width=7.0, height=3.4)
    axes = np.atleast_1d(axes)
    titles = {False: "no normalization", True: "pre-norm branches"}
    for ax, prenorm in zip(axes, norms):
        for scheme in res.config.schemes:
            colour, ls, marker, label = SCHEME_LOOKS[scheme]
            q = res.measured[(scheme, prenorm)]
            blocks = np.arange(q.size)
            ax.plot(blocks, q, color=colour, ls=ls, marker=marker, ms=3.5, markevery=5, label=label)
            ax.plot(blocks, res.expected[(scheme, prenorm)], color=style.BLACK, ls=":", lw=1.0)
        if not prenorm:  # geometric growth: log scale; linear growth reads best on a linear one
            ax.set_yscale("log")
        ax.set_xlabel("residual block")
        ax.set_title(titles[prenorm])
    axes[0].set_ylabel("mean square of h")
    handles, labels = axes[0].get_legend_handles_labels()
    handles.append(axes[0].lines[1])
    labels.append("expected (theory)")
    fig.legend(handles, labels, loc="outside lower center", ncols=4)
    return fig


# ---------------------------------------------------------------------------
# Edge of chaos
# ---------------------------------------------------------------------------


def phase_figure(res: edge_of_chaos.PhaseResults, sigma_b2_line: float) -> Figure:
    """chi_1 over (sigma_w^2, sigma_b^2) with the critical line chi_1 = 1."""
    fig, ax = style.new_figure(1, 1, width=6.4, height=4.0)
    norm = TwoSlopeNorm(vmin=float(res.chi1.min()), vcenter=1.0, vmax=float(res.chi1.max()))
    mesh = ax.pcolormesh(res.sigma_w2, res.sigma_b2, res.chi1, cmap="PuOr_r", norm=norm,
                         shading="nearest", rasterized=True)
    cbar = fig.colorbar(mesh, ax=ax)
    cbar.set_label(r"$\chi_1$")
    ax.plot(res.line_sigma_w2, res.line_sigma_b2, color=style.BLACK, lw=2.5,
            label=r"critical line $\chi_1 = 1$")
    ax.axhline(sigma_b2_line, color=style.BLACK, ls=":", lw=1.2,
               label=rf"$\sigma_b^2 = {sigma_b2_line:g}$ (next figure)")
    ax.text(0.09, 0.55, "ordered\n" + r"$\chi_1 < 1$", transform=ax.transAxes, fontsize=11,
            ha="left", va="center", color=style.BLACK,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    ax.text(0.93, 0.3, "chaotic\n" + r"$\chi_1 > 1$", transform=ax.transAxes, fontsize=11,
            ha="right", va="center", color=style.BLACK,
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})
    ax.set_xlabel(r"weight variance $\sigma_w^2$")
    ax.set_ylabel(r"bias variance $\sigma_b^2$")
    ax.grid(False)
    ax.legend(loc="upper right", framealpha=0.9, frameon=True)
    return fig


def depth_scale_figure(res: edge_of_chaos.DepthScaleResults) -> Figure:
    """xi_q and xi_c against sigma_w^2, log y, the critical point marked."""
    fig, ax = style.new_figure(1, 1, width=6.2, height=3.4)
    ax.plot(res.sigma_w2, res.xi_c, color=style.BLUE, lw=2.0,
            label=r"$\xi_c$ (correlations between inputs)")
    ax.plot(res.sigma_w2, res.xi_q, color=style.ORANGE, ls="--", lw=2.0,
            label=r"$\xi_q$ (length of one input)")
    ax.axvline(res.critical_sigma_w2, color=style.BLACK, ls=":", lw=1.2,
               label=rf"critical $\sigma_w^2 = {res.critical_sigma_w2:.3f}$")
    ax.set_yscale("log")
    ax.set_xlabel(r"weight variance $\sigma_w^2$" + rf"  ($\sigma_b^2 = {res.config.sigma_b2:g}$)")
    ax.set_ylabel("depth scale (layers)")
    ax.legend(loc="upper right")
    return fig


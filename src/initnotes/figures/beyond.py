"""Figures of the "Beyond" page: LSUV, residual scaling, the edge of chaos."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import TwoSlopeNorm
from matplotlib.figure import Figure

from initnotes.experiments import edge_of_chaos, lsuv, residual
from initnotes.figures import style
from initnotes.registry import figure

SEED = 0
LSUV = lsuv.LSUVConfig()
RESIDUAL = residual.ResidualConfig()
PHASE = edge_of_chaos.PhaseConfig()
DEPTH_SCALES = edge_of_chaos.DepthScaleConfig()


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


@figure(
    "beyond-lsuv",
    alt=(
        f"Two log-scale line charts of the variance of the pre-activations in each of the "
        f"{LSUV.depth} layers of a ReLU and a tanh network of width {LSUV.width}, on inputs "
        "whose features have very different scales. With orthonormal weights alone the "
        "variance starts above 1 in the first layer and falls layer after layer, by many "
        "orders of magnitude for ReLU. After LSUV every layer sits on the line at 1."
    ),
    caption=(
        f"LSUV (Mishkin & Matas, 2016) on {LSUV.depth}-layer networks of width {LSUV.width}, "
        f"measured on all {LSUV.n_pool:,} inputs. Orthonormal weights with gain 1 lose the "
        "signal layer by layer (ReLU halves the second moment, tanh squeezes it); LSUV "
        "rescales each layer in turn, on fresh mini-batches, until the variance of its "
        "pre-activations is 1."
    ),
)
def _lsuv() -> Figure:
    return lsuv_figure(lsuv.run_lsuv(LSUV, np.random.default_rng(SEED)))


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
    ax1.set_ylabel("variance of tanh(z)")
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


@figure(
    "beyond-lsuv-trap",
    alt=(
        "Left: the variance of tanh outputs in the first layer over the LSUV passes; it rises "
        f"with every pass but levels off below 1 and never enters the band around 1, so "
        f"the loop stops after its {LSUV.max_iters} passes. Right: the share of saturated "
        "units per layer; near zero when the pre-activations are normalized, around four in "
        "five units when the tanh outputs are."
    ),
    caption=(
        "Where LSUV measures matters. The output of tanh lies in $(-1, 1)$, so its variance is "
        "below 1 for any weight scale: asking for 1 there makes every pass enlarge the weights "
        "until most units saturate, where their gradient $1 - \\tanh^2 z$ is nearly 0. "
        "Measuring the pre-activations, as the paper does, avoids this."
    ),
)
def _lsuv_trap() -> Figure:
    return lsuv_trap_figure(lsuv.run_lsuv(LSUV, np.random.default_rng(SEED)))


# ---------------------------------------------------------------------------
# Residual stacks
# ---------------------------------------------------------------------------

SCHEME_LOOKS = {
    "unscaled": (style.VERMILLION, "--", "s", "unscaled branches"),
    "scaled": (style.ORANGE, "-.", "^", r"last layer $\times\,1/\sqrt{L}$"),
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


@figure(
    "beyond-residual",
    alt=(
        f"Two line charts, the first on a log scale, of the mean square of the residual stream over "
        f"{RESIDUAL.depth} residual blocks of width {RESIDUAL.width}. Without normalization, "
        "unscaled branches double it every block, about fifteen orders of magnitude in all; "
        "branches scaled by one over the square root of the depth end below three times the "
        "start; zero-initialized last layers keep it exactly flat. With pre-norm branches the "
        "unscaled stack grows linearly, to about fifty times the start, the scaled one ends at "
        "twice the start and the zero-initialized one stays flat. Dotted theory curves lie on "
        "the measured ones."
    ),
    caption=(
        f"A stack of {RESIDUAL.depth} blocks $h \\leftarrow h + \\alpha W_2\\,"
        "\\mathrm{relu}(W_1 \\nu(h))$ at initialization (He-normal $W_1$, LeCun-normal $W_2$). "
        "Each branch adds its own variance to the stream, so the stream's mean square grows "
        "with depth: geometrically without normalization, linearly when $\\nu$ normalizes "
        "the branch input (GPT-2's pre-norm). Scaling the branch's last layer by "
        "$1/\\sqrt{L}$ (GPT-2) bounds the growth; initializing it to zero (Fixup, "
        "zero-$\\gamma$) removes it. Dotted: the expectation $q_l = q_{l-1}(1 + \\alpha^2)$ or "
        "$q_{l-1} + \\alpha^2$."
    ),
)
def _residual() -> Figure:
    return residual_figure(residual.residual_variance(RESIDUAL, np.random.default_rng(SEED)))


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


@figure(
    "beyond-phase-diagram",
    alt=(
        "Heat map of chi_1, the slope of the correlation map of a deep tanh network, over the "
        f"weight variance from {PHASE.sigma_w2_range[0]:g} to {PHASE.sigma_w2_range[1]:g} "
        f"(horizontal) and the bias variance from {PHASE.sigma_b2_range[0]:g} to "
        f"{PHASE.sigma_b2_range[1]:g} (vertical). A thick black critical line where chi_1 "
        "equals 1 starts at weight variance 1 with no bias and bends to the right as the "
        "bias variance grows. Left of it (purple) the network is ordered, right of it "
        "(orange) chaotic."
    ),
    caption=(
        "Phase diagram of wide tanh networks (Poole et al., 2016; Schoenholz et al., 2017), "
        "computed by the package: $q^*$ by bisection on the length map, "
        "$\\chi_1 = \\sigma_w^2\\,\\mathbb{E}[\\tanh'(\\sqrt{q^*} z)^2]$ by Gauss-Hermite "
        "quadrature. The critical line is traced by its fixed point: for each $q^*$, "
        "$\\sigma_w^2 = 1/\\mathbb{E}[\\tanh'(\\sqrt{q^*} z)^2]$ and "
        "$\\sigma_b^2 = q^* - \\sigma_w^2\\,\\mathbb{E}[\\tanh(\\sqrt{q^*} z)^2]$ (the tests "
        "check $\\chi_1 = 1$ on it independently). Initializations on the line, the edge of "
        "chaos, let signals and gradients travel deepest."
    ),
)
def _phase() -> Figure:
    return phase_figure(edge_of_chaos.phase_diagram(PHASE), DEPTH_SCALES.sigma_b2)


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


@figure(
    "beyond-depth-scales",
    alt=(
        f"Log-scale plot of two depth scales against the weight variance at bias variance "
        f"{DEPTH_SCALES.sigma_b2:g}. The correlation depth scale xi_c rises steeply from a few "
        "layers on both sides to a sharp peak of hundreds of layers at the critical weight "
        "variance, marked by a dotted vertical line. The length depth scale xi_q stays at one "
        "to two layers everywhere."
    ),
    caption=(
        "Depth scales of Schoenholz et al. (2017): perturbations of a signal's length die out "
        "over $\\xi_q$ layers, differences between two inputs over $\\xi_c$ layers, "
        "$\\xi_c^{-1} = -\\ln \\chi_c$. Only $\\xi_c$ diverges at the edge of chaos. "
        "Schoenholz et al. found that networks train only when information about the input "
        "reaches the output, so $\\xi_c$ bounds the trainable depth, and arbitrarily deep "
        "networks train only close to the critical line."
    ),
)
def _depth_scales() -> Figure:
    return depth_scale_figure(edge_of_chaos.depth_scale_curve(DEPTH_SCALES))

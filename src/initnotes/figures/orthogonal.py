"""Figures of the orthogonal-initialization page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from initnotes import init as initializers
from initnotes.experiments import orthogonal
from initnotes.figures import style
from initnotes.registry import figure

SEED = 0
#: Sizes used by the page's figures (and values): chosen so each figure builds in < 3 s.
SINGLE_LAYER_WIDTH = 256
SIGN_FIX_SAMPLES = 20_000
SAXE = orthogonal.SaxeConfig()
JACOBIAN = orthogonal.JacobianConfig(n_networks=2)  # 2 networks x 128 singular values per case


def single_layer_singular_values(width: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Singular values of one width x width orthogonal matrix and one N(0, 1/width) matrix."""
    return {
        "orthogonal": np.linalg.svd(initializers.orthogonal((width, width), rng=rng), compute_uv=False),
        "gaussian": np.linalg.svd(rng.standard_normal((width, width)) / np.sqrt(width),
                                  compute_uv=False),
    }


def single_layer_figure(svs: dict[str, np.ndarray]) -> Figure:
    """Histogram of the singular values of one layer, Gaussian versus orthogonal."""
    fig, ax = style.new_figure(1, 1, width=6.2, height=3.0)
    bins = np.linspace(-0.025, 2.225, 46)  # 1.0 sits in the middle of a bin
    ax.hist(svs["gaussian"], bins=bins, color=style.VERMILLION, alpha=0.55, edgecolor=style.VERMILLION,
            hatch="//", label=r"Gaussian $\mathcal{N}(0, 1/n)$")
    ax.hist(svs["orthogonal"], bins=bins, color=style.BLUE, alpha=0.9, edgecolor=style.BLACK,
            label="orthogonal")
    ax.set_yscale("log")
    ax.set_xlabel("singular value")
    ax.set_ylabel("count (log scale)")
    ax.legend(loc="upper right")
    return fig


@figure(
    "orthogonal-single-layer",
    alt=(
        f"Histogram, log count scale, of the singular values of one {SINGLE_LAYER_WIDTH} by "
        f"{SINGLE_LAYER_WIDTH} weight matrix. Gaussian weights with variance 1/{SINGLE_LAYER_WIDTH}: "
        "singular values spread from near 0 to about 2. Orthogonal weights: all of them fall "
        "in the single bin at 1."
    ),
    caption=(
        f"Singular values of one ${SINGLE_LAYER_WIDTH} \\times {SINGLE_LAYER_WIDTH}$ layer. A Gaussian matrix with "
        "$\\operatorname{Var}(w) = 1/n$ keeps the *average* squared length of a vector, but "
        "stretches some directions by up to 2 and nearly erases others; an orthogonal matrix "
        "stretches every direction by exactly 1."
    ),
)
def _single_layer() -> Figure:
    return single_layer_figure(single_layer_singular_values(SINGLE_LAYER_WIDTH, np.random.default_rng(SEED)))


def sign_fix_figure(res: orthogonal.SignFixResults) -> Figure:
    """Angle histograms of 2x2 Q with and without the sign fix."""
    fig, axes = style.new_figure(1, 2, width=6.8, height=3.0, sharey=True)
    bins = np.linspace(-180, 180, 37)
    panels = (
        (res.angle_fixed, res.det_fixed, "QR + sign fix", style.BLUE, None),
        (res.angle_raw, res.det_raw, "numpy.linalg.qr alone", style.VERMILLION, "//"),
    )
    for ax, (angle, det, title, colour, hatch) in zip(axes, panels):
        ax.hist(np.degrees(angle), bins=bins, density=True, color=colour, alpha=0.8,
                edgecolor=style.BLACK, linewidth=0.5, hatch=hatch)
        ax.axhline(1 / 360, color=style.BLACK, ls="--", lw=1.2, label="uniform")
        ax.set_title(f"{title}\nrotations: {np.mean(det > 0):.0%}")
        ax.set_xlabel("angle of the first column (degrees)")
        ax.set_xticks([-180, -90, 0, 90, 180])
    axes[0].set_ylabel("density")
    axes[0].legend(loc="lower center")
    return fig


@figure(
    "orthogonal-sign-fix",
    alt=(
        f"Two histograms of the angle of the first column of {SIGN_FIX_SAMPLES:,} random 2 by 2 orthogonal "
        "matrices. With the sign fix the angles fill the whole range from -180 to 180 degrees "
        "evenly, and half of the matrices are rotations. From numpy.linalg.qr alone the "
        "angles fill only the two outer quarters, beyond plus or minus 90 degrees, at twice "
        "the height, and none of the matrices is a rotation."
    ),
    caption=(
        f"The same {SIGN_FIX_SAMPLES:,} Gaussian $2 \\times 2$ matrices, orthogonalized by QR. Left: with each "
        "column of $Q$ multiplied by the sign of $R$'s diagonal entry, $Q$ is uniform over "
        "all orthogonal matrices (Haar measure). Right: LAPACK's Householder QR alone always "
        "returns a first column pointing left and a reflection; half of the orthogonal "
        "matrices can never come out."
    ),
)
def _sign_fix() -> Figure:
    return sign_fix_figure(orthogonal.sign_fix_angles(SIGN_FIX_SAMPLES, np.random.default_rng(SEED)))


def learning_time_figure(res: orthogonal.SaxeResults) -> Figure:
    """Steps to threshold against depth; capped runs drawn at the cap with open markers."""
    cfg = res.config
    fig, ax = style.new_figure(1, 1, width=6.2, height=4.4)
    depths = np.asarray(cfg.depths)
    looks = {
        "orthogonal": (style.BLUE, "-", "o", "orthogonal"),
        "gaussian": (style.VERMILLION, "--", "s", r"scaled Gaussian $\mathcal{N}(0, 1/n)$"),
    }
    for name in cfg.inits:
        colour, ls, marker, label = looks[name]
        steps = res.steps[name]
        ok = np.isfinite(steps)
        ax.plot(depths[ok], steps[ok], color=colour, ls=ls, marker=marker, label=label)
        if (~ok).any():
            ax.plot(depths[~ok], np.full((~ok).sum(), cfg.max_steps), ls="none", marker="^",
                    markersize=9, markerfacecolor="white", markeredgecolor=colour,
                    markeredgewidth=1.8,
                    label=f"{label}: not reached within {cfg.max_steps} steps (capped)")
    ax.axhline(cfg.max_steps, color=style.BLACK, ls=":", lw=1.0)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(depths, [str(d) for d in depths])
    ax.set_xlabel("depth (number of weight matrices)")
    ticks = [t for t in (10, 20, 50, 100, 200, 500, 1000) if t < cfg.max_steps] + [cfg.max_steps]
    ax.set_yticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    ax.set_ylabel("steps to threshold\n(best learning rate per depth)")
    fig.legend(loc="outside lower center", ncols=1)
    return fig


@figure(
    "orthogonal-learning-time",
    alt=(
        "Log-log plot of the gradient-descent steps a deep linear network needs to bring its "
        f"loss below {SAXE.threshold:g} of the gap between the zero map and the optimum, "
        f"against depth from {SAXE.depths[0]} to {SAXE.depths[-1]}. The orthogonal curve stays "
        "nearly flat, within a factor of about two, at every depth. The scaled Gaussian curve "
        "starts at the same place for the shallowest nets and rises steeply with depth; the "
        f"deepest Gaussian nets do not reach the threshold within the {SAXE.max_steps}-step "
        "budget and are drawn as open triangles at the cap."
    ),
    caption=(
        f"Learning time of deep linear networks (hidden width {SAXE.width}, {SAXE.d_in} inputs "
        f"and {SAXE.d_out} outputs, full-batch gradient descent), after Saxe, McClelland & "
        f"Ganguli (2014). Each point uses the best of {len(SAXE.lr_factors)} learning rates "
        "$\\eta = c/\\text{depth}$. Orthogonal weights "
        "learn in a number of steps that does not grow with depth; scaled Gaussian weights "
        "slow down with depth until the deepest nets miss the budget (open triangles: capped, "
        "not measured)."
    ),
)
def _learning_time() -> Figure:
    return learning_time_figure(orthogonal.time_to_threshold(SAXE, np.random.default_rng(SEED)))


def _cdf(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = np.sort(values)
    return np.repeat(v, 2)[1:], np.repeat(np.arange(1, v.size + 1) / v.size, 2)[:-1]


def jacobian_figure(res: orthogonal.JacobianResults) -> Figure:
    """Empirical CDFs of the Jacobian's singular values, log x axis floored at 1e-16."""
    fig, axes = style.new_figure(1, 2, width=7.0, height=3.3, sharey=True)
    q_small = res.config.q_star
    looks = {
        ("linear", "gaussian", "-"): (style.VERMILLION, "--", "Gaussian"),
        ("linear", "orthogonal", "-"): (style.BLUE, "-", "orthogonal"),
        ("tanh", "gaussian", "small"): (style.VERMILLION, "--", f"Gaussian, $q^* = 1/{1 / q_small:.0f}$"),
        ("tanh", "orthogonal", "small"): (style.BLUE, "-", f"orthogonal, $q^* = 1/{1 / q_small:.0f}$"),
        ("tanh", "orthogonal", "large"): (style.GREEN, "-.", f"orthogonal, $q^* = {res.config.q_star_large:g}$"),
    }
    for ax, activation in zip(axes, ("linear", "tanh")):
        for case, svs in res.singular_values.items():
            if case[0] != activation:
                continue
            colour, ls, label = looks[case]
            x, y = _cdf(svs)
            ax.plot(x, y, color=colour, ls=ls, lw=2.0, label=label)
        ax.axvspan(orthogonal.SINGULAR_VALUE_FLOOR / 3, orthogonal.SINGULAR_VALUE_FLOOR * 3,
                   color="#bbbbbb", alpha=0.5, lw=0)
        ax.set_xscale("log")
        ax.set_xlim(orthogonal.SINGULAR_VALUE_FLOOR / 3, 1e2)
        ax.set_xticks([1e-16, 1e-12, 1e-8, 1e-4, 1, 1e2])
        ax.set_xlabel("singular value of the Jacobian")
        ax.legend(loc="upper left", fontsize=8.5 if activation == "tanh" else 9)
    axes[0].set_title(f"deep linear, depth {res.config.depth}")
    axes[1].set_title(f"deep tanh at the critical point, depth {res.config.depth}")
    axes[0].set_ylabel("fraction of singular values ≤ x")
    return fig


@figure(
    "orthogonal-jacobian-spectra",
    alt=(
        "Two plots of the cumulative distribution of the singular values of the input-output "
        f"Jacobian of {JACOBIAN.depth}-layer networks of width {JACOBIAN.width}, on a log axis "
        "from 1e-16 to 100. Deep "
        "linear: with Gaussian weights the singular values spread over more than 16 orders "
        "of magnitude, many down at the 1e-16 round-off floor; with orthogonal weights all of them "
        "equal 1, a vertical step. Deep tanh at the critical point: with Gaussian weights "
        f"they again spread down to the floor; orthogonal weights with q* = 1/{1 / JACOBIAN.q_star:.0f} "
        "keep them in a narrow band around 1; orthogonal weights with "
        f"q* = {JACOBIAN.q_star_large:g} spread them over many orders of magnitude."
    ),
    caption=(
        "Dynamical isometry (Pennington, Schoenholz & Ganguli, 2017). Singular values of "
        f"$\\partial h^{{L}}/\\partial h^{{0}}$ for {JACOBIAN.depth}-layer networks of width "
        f"{JACOBIAN.width} ({JACOBIAN.n_networks} networks per curve, float64). "
        "Values below $10^{-16}$ are round-off and are drawn at the floor (grey band). Orthogonal weights make a linear network an exact isometry; a "
        "tanh network comes close only at a critical point with a small $q^*$, where its "
        "units stay in the linear part of tanh."
    ),
)
def _jacobian() -> Figure:
    return jacobian_figure(orthogonal.jacobian_spectra(JACOBIAN, np.random.default_rng(SEED)))

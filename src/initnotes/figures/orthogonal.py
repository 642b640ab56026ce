"""Figures of the orthogonal page: results in, `Figure` out (bound to runs in `initnotes.pages.orthogonal`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments import orthogonal


def single_layer_figure(svs: dict[str, np.ndarray]) -> Figure:
    """Histogram (density, linear axis) of the singular values of one square layer: the
    Gaussian layer's against the quarter-circle law $\\sqrt{4 - s^2}/\\pi$, the orthogonal
    layer's as one line at 1 (all of them are 1)."""
    fig, ax = style.new_figure(1, 1, width=6.2, height=3.0)
    bins = np.linspace(-0.025, 2.225, 46)  # 1.0 sits in the middle of a bin
    ax.hist(svs["gaussian"], bins=bins, density=True, color=style.VERMILLION, alpha=0.55,
            edgecolor=style.VERMILLION, hatch="//", label=r"Gaussian $\mathcal{N}(0, 1/n)$")
    s = np.linspace(0, 2, 401)
    ax.plot(s, np.sqrt(4 - s ** 2) / np.pi, color=style.BLACK, ls="--", lw=1.4,
            label=r"quarter-circle law $\sqrt{4 - s^2}/\pi$")
    top = 1.05 * max(np.histogram(svs["gaussian"], bins=bins, density=True)[0].max(), 2 / np.pi)
    ax.axvline(1.0, color=style.BLUE, lw=3, label=f"orthogonal: all {svs['orthogonal'].size} at 1")
    ax.set_ylim(0, top * 1.35)
    ax.set_xlabel("singular value")
    ax.set_ylabel("density")
    ax.legend(loc="upper right", fontsize="small")
    return fig


def single_layer(res: orthogonal.SingleLayerResults) -> Figure:
    """`single_layer_figure` of an `orthogonal.single_layer_spectra` run."""
    return single_layer_figure(res.singular_values)


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
        ax.set_title(f"{title}\nrotations: {np.mean(det > 0):.1%}")
        ax.set_xlabel("angle of the first column (degrees)")
        ax.set_xticks([-180, -90, 0, 90, 180])
    axes[0].set_ylabel("density")
    axes[0].legend(loc="lower center")
    return fig


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


def _cdf(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    v = np.sort(values)
    return np.repeat(v, 2)[1:], np.repeat(np.arange(1, v.size + 1) / v.size, 2)[:-1]


def jacobian_figure(res: orthogonal.JacobianSpectrumResults, *, floor: float) -> Figure:
    """Empirical CDFs of the Jacobian's singular values, log x axis from the round-off
    `floor` the values were clipped at (`orthogonal.SINGULAR_VALUE_FLOOR`), drawn as a band."""
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
        ax.axvspan(floor / 3, floor * 3,
                   color="#bbbbbb", alpha=0.5, lw=0)
        ax.set_xscale("log")
        ax.set_xlim(floor / 3, 1e2)
        ax.set_xticks([1e-16, 1e-12, 1e-8, 1e-4, 1, 1e2])
        ax.set_xlabel("singular value of the Jacobian")
        ax.legend(loc="upper left", fontsize=8.5 if activation == "tanh" else 9)
    axes[0].set_title(f"deep linear, depth {res.config.depth}")
    axes[1].set_title(f"deep tanh at the critical point, depth {res.config.depth}")
    axes[0].set_ylabel("fraction of singular values ≤ x")
    return fig


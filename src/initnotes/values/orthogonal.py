"""Numbers of the orthogonal-initialization page, computed with the figures' settings."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from initnotes import init as initializers
from initnotes.experiments import edge_of_chaos, orthogonal
from initnotes.figures import orthogonal as figs
from initnotes.registry import value


def sci(x: float, digits: int = 1) -> str:
    """A number as LaTeX scientific notation, e.g. ``2.2 \\times 10^{-15}``."""
    if x == 0:
        return "0"
    exp = int(np.floor(np.log10(abs(x))))
    mant = x / 10**exp
    if round(mant, digits) >= 10:
        mant, exp = mant / 10, exp + 1
    if f"{mant:.{digits}f}" in ("1", "-1"):
        return f"{'-' if mant < 0 else ''}10^{{{exp}}}"
    return f"{mant:.{digits}f} \\times 10^{{{exp}}}"


@lru_cache(maxsize=1)
def _saxe() -> orthogonal.SaxeResults:
    return orthogonal.time_to_threshold(figs.SAXE, np.random.default_rng(figs.SEED))


@lru_cache(maxsize=1)
def _jacobian() -> orthogonal.JacobianResults:
    return orthogonal.jacobian_spectra(figs.JACOBIAN, np.random.default_rng(figs.SEED))


@value("orthogonal-isometry-check", description="Norm and singular values of one orthogonal and one Gaussian layer.")
def isometry_check() -> str:
    n = figs.SINGLE_LAYER_WIDTH
    rng = np.random.default_rng(figs.SEED)
    svs = figs.single_layer_singular_values(n, rng)
    W = initializers.orthogonal((n, n), rng=rng)
    x = rng.standard_normal((1000, n))
    ratio = np.linalg.norm(x @ W.T, axis=1) / np.linalg.norm(x, axis=1)
    g = svs["gaussian"]
    return (
        f"For one ${n} \\times {n}$ orthogonal matrix drawn by the package, the largest "
        f"$|\\sigma_i - 1|$ is ${sci(np.abs(svs['orthogonal'] - 1).max())}$, and over 1,000 "
        f"random vectors $\\lVert Wx \\rVert / \\lVert x \\rVert$ differs from 1 by at most "
        f"${sci(np.abs(ratio - 1).max())}$: round-off. A Gaussian matrix of the same size "
        f"with variance $1/{n}$ has singular values from ${g.min():.3f}$ to ${g.max():.2f}$."
    )


@value("orthogonal-sign-fix-numbers", description="Share of rotations among 2x2 Q with and without the sign fix.")
def sign_fix_numbers() -> str:
    res = orthogonal.sign_fix_angles(figs.SIGN_FIX_SAMPLES, np.random.default_rng(figs.SEED))
    left = np.mean(np.abs(res.angle_raw) > np.pi / 2)
    return (
        f"Of {figs.SIGN_FIX_SAMPLES:,} samples, {np.mean(res.det_fixed > 0):.1%} of the "
        f"sign-fixed matrices are rotations ($\\det Q = +1$), against "
        f"{np.mean(res.det_raw > 0):.1%} of the raw ones; {left:.1%} of the raw first columns "
        "point into the left half-plane."
    )


@value("orthogonal-saxe-table", description="Steps to threshold and best learning-rate factor per depth.")
def saxe_table() -> str:
    res = _saxe()
    cfg = res.config
    lines = [
        "| depth | orthogonal: steps | best $c$ | scaled Gaussian: steps | best $c$ |",
        "|---:|---:|---:|---:|---:|",
    ]

    def cell(steps: float, c: float) -> tuple[str, str]:
        if not np.isfinite(steps):
            return f"> {cfg.max_steps} (capped)", "—"
        return f"{steps:.0f}", f"{c:.3g}"

    for i, d in enumerate(cfg.depths):
        o = cell(res.steps["orthogonal"][i], res.best_factor["orthogonal"][i])
        g = cell(res.steps["gaussian"][i], res.best_factor["gaussian"][i])
        lines.append(f"| {d} | {o[0]} | {o[1]} | {g[0]} | {g[1]} |")
    return "\n".join(lines)


@value("orthogonal-saxe-summary", description="One sentence with the measured spread of the learning times.")
def saxe_summary() -> str:
    res = _saxe()
    o = res.steps["orthogonal"]
    g = res.steps["gaussian"]
    finite = np.isfinite(g)
    deepest = res.config.depths[int(np.flatnonzero(finite)[-1])]
    n_capped = int((~finite).sum())
    return (
        f"Orthogonal nets need between {o.min():.0f} and {o.max():.0f} steps at every depth "
        f"from {res.config.depths[0]} to {res.config.depths[-1]} (a factor of "
        f"{o.max() / o.min():.1f}); scaled Gaussian nets go from {g[0]:.0f} steps at depth "
        f"{res.config.depths[0]} to {g[finite][-1]:.0f} at depth {deepest}, and the "
        f"{n_capped} deepest miss the {res.config.max_steps}-step budget"
    )


@value("orthogonal-critical-points", description="Critical (sigma_w^2, sigma_b^2) of tanh for the two q* used.")
def critical_points() -> str:
    cfg = figs.JACOBIAN
    (w1, b1), (w2, b2) = (edge_of_chaos.critical_point(cfg.q_star),
                          edge_of_chaos.critical_point(cfg.q_star_large))
    chi_a = float(edge_of_chaos.chi_1(w1, b1))
    chi_b = float(edge_of_chaos.chi_1(w2, b2))
    return (
        f"$q^* = 1/{1 / cfg.q_star:.0f}$ gives $\\sigma_w^2 = {w1:.4f}$, "
        f"$\\sigma_b^2 = {sci(b1, 2)}$, and $q^* = {cfg.q_star_large:g}$ gives "
        f"$\\sigma_w^2 = {w2:.4f}$, $\\sigma_b^2 = {b2:.4f}$ (check: $\\chi_1 = {chi_a:.6f}$ "
        f"and ${chi_b:.6f}$)"
    )


@value("orthogonal-jacobian-table", description="Spread of the Jacobian singular values per case.")
def jacobian_table() -> str:
    res = _jacobian()
    floor = orthogonal.SINGULAR_VALUE_FLOOR
    names = {"linear": "linear", "tanh": "tanh"}
    lines = [
        "| network | weights | $q^*$ | smallest | median | largest | share in $[1/2, 2]$ |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for case, s in res.singular_values.items():
        activation, weights, which = case
        q = {"small": f"1/{1 / res.config.q_star:.0f}", "large": f"{res.config.q_star_large:g}",
             "-": "—"}[which]
        smallest = "floor" if s.min() <= floor else f"${s.min():.3g}$"
        share = np.mean((s >= 0.5) & (s <= 2.0))
        med = np.median(s)
        med_s = f"${med:.3g}$" if med > 1e-3 else f"${sci(med)}$"
        lines.append(f"| {names[activation]} | {weights} | {q} | {smallest} | {med_s} | "
                     f"${s.max():.3g}$ | {share:.0%} |")
    return "\n".join(lines)


def _power_of_two(x: float) -> str:
    e = float(np.log2(x))
    return f"2^{{{e:g}}}"


@value("orthogonal-saxe-setup", description="The learning-time experiment's settings, from its config.")
def saxe_setup() -> str:
    c = figs.SAXE
    f = c.lr_factors
    return (
        f"{c.d_in} correlated input features, targets $y = Ax$ for a random "
        f"${c.d_out} \\times {c.d_in}$ matrix $A$, networks with hidden width {c.width} and "
        f"depth {c.depths[0]} to {c.depths[-1]}, no biases and no nonlinearity, trained by "
        "full-batch gradient descent on the half mean squared error. For each depth and each "
        f"initialization we try {len(f)} learning rates $\\eta = c/\\text{{depth}}$, "
        f"$c = {_power_of_two(f[0])}, {_power_of_two(f[1])}, \\dots, {_power_of_two(f[-1])}$, "
        "as Saxe et al. did (they chose the best rate per depth), and count the steps until "
        f"the loss has closed all but ${sci(c.threshold, 0)}$ of the gap between the zero map "
        f"and the best linear fit. Runs get at most {c.max_steps} steps"
    )

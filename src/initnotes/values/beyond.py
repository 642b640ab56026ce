"""Numbers of the "Beyond" page, computed with the figures' settings."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from initnotes.experiments import edge_of_chaos, lsuv, residual
from initnotes.figures import beyond as figs
from initnotes.registry import value


def sci(x: float, digits: int = 1) -> str:
    """A number as LaTeX scientific notation, e.g. ``2.2 \\times 10^{-15}`` (was imported
    from the orthogonal page's values, which moved onto the page layer)."""
    if x == 0:
        return "0"
    exp = int(np.floor(np.log10(abs(x))))
    mant = x / 10**exp
    if round(mant, digits) >= 10:
        mant, exp = mant / 10, exp + 1
    if f"{mant:.{digits}f}" in ("1", "-1"):
        return f"{'-' if mant < 0 else ''}10^{{{exp}}}"
    return f"{mant:.{digits}f} \\times 10^{{{exp}}}"


#: Bias variances listed in the table of critical points.
TABLE_SIGMA_B2: tuple[float, ...] = (0.0, 0.01, 0.05, 0.1, 0.2, 0.5)


@lru_cache(maxsize=1)
def _lsuv() -> lsuv.LSUVResults:
    return lsuv.run_lsuv(figs.LSUV, np.random.default_rng(figs.SEED))


@lru_cache(maxsize=1)
def _residual() -> residual.ResidualResults:
    return residual.residual_variance(figs.RESIDUAL, np.random.default_rng(figs.SEED))


@value("beyond-lsuv-summary", description="What LSUV did to the ReLU and tanh networks.")
def lsuv_summary() -> str:
    res = _lsuv()
    relu = res.runs[("relu", "preactivation")]
    tanh = res.runs[("tanh", "preactivation")]
    dev = max(np.abs(relu.pre_after - 1).max(), np.abs(tanh.pre_after - 1).max())
    passes = relu.report.iterations + tanh.report.iterations
    return (
        f"With orthonormal weights alone, the ReLU network's pre-activation variance goes from "
        f"${relu.pre_before[0]:.2f}$ in layer 1 to ${sci(relu.pre_before[-1])}$ in layer "
        f"{res.config.depth}, the tanh network's to ${tanh.pre_before[-1]:.3f}$. After LSUV every "
        f"layer of both is within ${dev:.3f}$ of 1 on all {res.config.n_pool:,} inputs, after "
        f"{min(passes)} to {max(passes)} passes per layer (median "
        f"{np.median(passes):g})"
    )


@value("beyond-lsuv-trap-numbers", description="Where LSUV measured after tanh ends up.")
def lsuv_trap_numbers() -> str:
    res = _lsuv()
    trap = res.runs[("tanh", "activation")]
    good = res.runs[("tanh", "preactivation")]
    best = max(max(t) for t in trap.report.trace)
    return (
        f"after {res.config.max_iters} passes on every layer the variance of the tanh outputs "
        f"has reached at most ${best:.3f}$, no layer converged, the pre-activations have "
        f"variance up to ${trap.pre_after.max():.0f}$, and "
        f"{trap.saturated_after.mean():.0%} of the units are saturated "
        f"($|h| > 0.99$), against {good.saturated_after.mean():.1%} when the pre-activations "
        "are normalized"
    )


@value("beyond-residual-table", description="Mean square of the residual stream after L blocks.")
def residual_table() -> str:
    res = _residual()
    L = res.config.depth
    names = {"unscaled": "unscaled ($\\alpha = 1$)",
             "scaled": f"scaled ($\\alpha = 1/\\sqrt{{{L}}}$)",
             "zero": "last layer zero ($\\alpha = 0$)"}
    lines = [
        "| branches | no normalization: $q_L / q_0$ | expected | pre-norm: $q_L / q_0$ | expected |",
        "|---|---:|---:|---:|---:|",
    ]

    def show(x: float) -> str:
        return f"${sci(x, 2)}$" if x >= 1e4 else f"${x:.3f}$"

    for scheme in res.config.schemes:
        cells = []
        for prenorm in (False, True):
            q = res.measured[(scheme, prenorm)]
            e = res.expected[(scheme, prenorm)]
            cells += [show(q[-1] / q[0]), show(e[-1] / e[0])]
        lines.append(f"| {names[scheme]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


@value("beyond-critical-table", description="Critical sigma_w^2 of tanh networks for several sigma_b^2.")
def critical_table() -> str:
    sb = np.array(TABLE_SIGMA_B2)
    sw = edge_of_chaos.critical_sigma_w2(sb)
    q = edge_of_chaos.q_star(sw, sb)
    chi = edge_of_chaos.chi_1(sw, sb)
    lines = ["| $\\sigma_b^2$ | critical $\\sigma_w^2$ | $q^*$ there | $\\lvert\\chi_1 - 1\\rvert$ |",
             "|---:|---:|---:|---:|"]
    for b, w, qq, c in zip(sb, sw, q, chi):
        err = abs(c - 1)
        lines.append(f"| {b:g} | {w:.4f} | {qq:.4f} | "
                     f"{'< $10^{-12}$' if err < 1e-12 else f'${sci(err)}$'} |")
    return "\n".join(lines)


@value("beyond-depth-scale-numbers", description="Depth scales at the edge and away from it.")
def depth_scale_numbers() -> str:
    res = edge_of_chaos.depth_scale_curve(figs.DEPTH_SCALES)
    i = int(np.argmax(res.xi_c))
    return (
        f"at $\\sigma_b^2 = {res.config.sigma_b2:g}$ the critical point is "
        f"$\\sigma_w^2 = {res.critical_sigma_w2:.4f}$; on the plotted grid $\\xi_c$ peaks at "
        f"{res.xi_c[i]:.0f} layers (at $\\sigma_w^2 = {res.sigma_w2[i]:.3f}$, "
        f"$\\chi_1 = {res.chi1[i]:.4f}$) and is {res.xi_c[0]:.1f} and {res.xi_c[-1]:.1f} layers "
        f"at the ends, while $\\xi_q$ never exceeds {np.nanmax(res.xi_q):.1f}"
    )


@value("beyond-lsuv-setup", description="The LSUV experiment's settings, from its config.")
def lsuv_setup() -> str:
    c = figs.LSUV
    lo, hi = c.feature_scales
    return (
        f"take inputs whose {c.n_features} features have very different scales (standard "
        f"deviations from {lo:g} to {hi:g}, like unnormalized measurements), a pool of "
        f"{c.n_pool:,} of them, batches of {c.batch_size}, and {c.depth}-layer networks of "
        f"width {c.width}"
    )


@value("beyond-lsuv-defaults", description="The package's LSUV defaults.")
def lsuv_defaults() -> str:
    import inspect

    p = inspect.signature(lsuv.lsuv).parameters
    return f"`tol={p['tol'].default}` and at most {p['max_iters'].default} passes per layer"


@value("beyond-residual-setup", description="The residual experiment's size.")
def residual_setup() -> str:
    c = figs.RESIDUAL
    return f"A numpy stack of {c.depth} blocks of width {c.width} (a batch of {c.batch} inputs)"

"""The "Beyond variance scaling" page (``docs/concepts/beyond.md``): LSUV, residual
scaling, the edge of chaos.

Runs: LSUV on a ReLU and a tanh network (one run, shared by two figures and three
values), the residual stack under three branch scalings, and two deterministic mean-field
computations (the phase diagram and the depth scales along one bias variance). The table
of critical points is computed from `edge_of_chaos` directly at the bias variances of
`TABLE_SIGMA_B2` (no random draw).
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from initnotes import theory
from initnotes.experiments import edge_of_chaos as eoc
from initnotes.experiments import lsuv, residual
from initnotes.format import fixed, num, pct, sci, short, spelled, table, times
from initnotes.pages import Page

page = Page("beyond", "concepts/beyond.md")

LSUV = page.run("beyond-lsuv", lsuv.run_lsuv, lsuv.LSUVConfig(), seed=0)
RESIDUAL = page.run("beyond-residual", residual.residual_variance, residual.ResidualConfig(), seed=0)
PHASE = page.run("beyond-phase", eoc.phase_diagram, eoc.PhaseConfig(), seed=None)
DEPTH_SCALES = page.run("beyond-depth-scales", eoc.depth_scale_curve, eoc.DepthScaleConfig(), seed=None)

#: Bias variances listed in the table of critical points.
TABLE_SIGMA_B2: tuple[float, ...] = (0.0, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.2, 0.5)
#: The rows of the table where the fixed-point iteration converges quickly (the prose quotes them).
QUOTED_SIGMA_B2: tuple[float, ...] = (0.01, 0.05, 0.2, 0.5)


def fixed_point_ratio(sigma_b2) -> np.ndarray:
    """F'(q*) on the critical line: the ratio by which the plain iteration q <- F(q) closes the
    gap to q* per layer (``e^{-1/xi_q}``), at each bias variance."""
    sb = np.asarray(sigma_b2, dtype=float)
    sw = eoc.critical_sigma_w2(sb)
    return np.asarray(theory.q_map_slope(eoc.q_star(sw, sb), sw, "tanh"))









def growth(res: residual.ResidualResults, scheme: str, prenorm: bool) -> float:
    """q_L / q_0, the measured growth of the stream's mean square over the stack."""
    q = res.measured[(scheme, prenorm)]
    return float(q[-1] / q[0])


# --------------------------------------------------------------------------- figures: LSUV

page.figure(
    "beyond-lsuv", "beyond:lsuv_figure", LSUV,
    alt=lambda res: (
        f"Two log-scale line charts of the variance of the pre-activations in each of the "
        f"{res.config.depth} layers of a ReLU and a tanh network of width {res.config.width}, "
        "on inputs whose features have very different scales. With orthonormal weights alone the "
        "variance starts above 1 in the first layer and falls layer after layer, by many "
        "orders of magnitude for ReLU. After LSUV every layer sits on the line at 1."
    ),
    caption=lambda res: (
        f"LSUV (Mishkin & Matas, 2016) on {res.config.depth}-layer networks of width "
        f"{res.config.width}, measured on all {res.config.n_pool:,} inputs. Orthonormal weights "
        "with gain 1 lose the signal layer by layer (ReLU halves the second moment, tanh "
        "squeezes it); LSUV rescales each layer in turn, on fresh mini-batches, until the "
        "variance of its pre-activations is 1."
    ),
)


def _trap_alt(res: lsuv.LSUVResults) -> str:
    trap = res.runs[("tanh", "activation")]
    return (
        "Left: the variance of tanh outputs in the first layer over the LSUV passes; it rises "
        "with every pass but levels off below 1 and never enters the band around 1, so "
        f"the loop stops after its {len(trap.report.trace[0])} passes. Right: the share of "
        "saturated units per layer; near zero when the pre-activations are normalized, around "
        f"{spelled(round(5 * trap.saturated_after.mean()))} in five units when the tanh outputs are."
    )


page.figure(
    "beyond-lsuv-trap", "beyond:lsuv_trap_figure", LSUV,
    alt=_trap_alt,
    caption=(
        "Where LSUV measures matters. The output of tanh lies in $(-1, 1)$, so its variance is "
        "below 1 for any weight scale: asking for 1 there makes every pass enlarge the weights "
        "until most units saturate, where their gradient $1 - \\tanh^2 z$ is nearly 0. "
        "Measuring the pre-activations, as the paper does, avoids this."
    ),
)


# --------------------------------------------------------------------------- figures: residual

def _residual_alt(res: residual.ResidualResults) -> str:
    cfg = res.config
    orders = round(math.log10(growth(res, "unscaled", False)))
    scaled_bound = math.ceil(growth(res, "scaled", False))
    return (
        f"Two line charts, the first on a log scale, of the mean square of the residual stream "
        f"over {cfg.depth} residual blocks of width {cfg.width}. Without normalization, "
        f"unscaled branches double it every block, about {spelled(orders)} orders of magnitude in "
        "all; branches scaled by one over the square root of the depth end below "
        f"{times(scaled_bound)} the start; zero-initialized last layers keep it exactly flat. "
        "With pre-norm branches the unscaled stack grows linearly, to about "
        f"{times(float(num(growth(res, 'unscaled', True), 1)))} the start, the scaled one ends at "
        f"{times(growth(res, 'scaled', True))} the start and the zero-initialized one stays "
        "flat. Dotted theory curves lie on the measured ones."
    )


page.figure(
    "beyond-residual", "beyond:residual_figure", RESIDUAL,
    alt=_residual_alt,
    caption=lambda res: (
        f"A stack of {res.config.depth} blocks $h \\leftarrow h + \\alpha W_2\\,"
        "\\mathrm{relu}(W_1 \\nu(h))$ at initialization (He-normal $W_1$, LeCun-normal $W_2$). "
        "Each branch adds its own variance to the stream, so the stream's mean square grows "
        "with depth: geometrically without normalization, linearly when $\\nu$ normalizes "
        "the branch input (GPT-2's pre-norm). Scaling the branch's last layer by "
        f"$1/\\sqrt{{N}}$, $N = {res.config.depth}$ (GPT-2), bounds the growth; initializing it to zero (Fixup, "
        "zero-$\\gamma$) removes it. Dotted: the expectation $q_l = q_{l-1}(1 + \\alpha^2)$ or "
        "$q_{l-1} + \\alpha^2$."
    ),
)


# --------------------------------------------------------------------------- figures: edge of chaos

def _phase_alt(res: eoc.PhaseResults) -> str:
    cfg = res.config
    (w_lo, w_hi), (b_lo, b_hi) = cfg.sigma_w2_range, cfg.sigma_b2_range
    return (
        "Heat map of chi_1, the slope of the correlation map of a deep tanh network, over the "
        f"weight variance from {short(w_lo)} to {short(w_hi)} (horizontal) and the bias "
        f"variance from {short(b_lo)} to {short(b_hi)} (vertical). A thick black critical line "
        f"where chi_1 equals 1 starts at weight variance {num(res.line_sigma_w2[0], 3)} with no "
        "bias and bends to the right as the bias variance grows. Left of it (purple) the network "
        "is ordered, right of it (orange) chaotic."
    )


page.figure(
    "beyond-phase-diagram", "beyond:phase_figure", PHASE,
    alt=_phase_alt,
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
    sigma_b2_line=DEPTH_SCALES.config.sigma_b2,  # the line the depth-scale figure follows
)

#: How a depth scale's order of magnitude is said, by its number of digits before the point.
_MAGNITUDE = {1: "a few", 2: "tens of", 3: "hundreds of", 4: "thousands of"}


def _depth_scales_alt(res: eoc.DepthScaleResults) -> str:
    peak = float(np.nanmax(res.xi_c))
    return (
        "Log-scale plot of two depth scales against the weight variance at bias variance "
        f"{short(res.config.sigma_b2)}. The correlation depth scale xi_c rises steeply from a few "
        f"layers on both sides to a sharp peak of {_MAGNITUDE[len(str(int(peak)))]} layers at the "
        "critical weight variance, marked by a dotted vertical line. The length depth scale "
        f"xi_q stays at {spelled(round(np.nanmin(res.xi_q)))} to {spelled(round(np.nanmax(res.xi_q)))} "
        "layers everywhere."
    )


page.figure(
    "beyond-depth-scales", "beyond:depth_scale_figure", DEPTH_SCALES,
    alt=_depth_scales_alt,
    caption=(
        "Depth scales of Schoenholz et al. (2017): perturbations of a signal's length die out "
        "over $\\xi_q$ layers, differences between two inputs over $\\xi_c$ layers, "
        "$\\xi_c^{-1} = -\\ln \\chi_c$. Only $\\xi_c$ diverges at the edge of chaos. "
        "Schoenholz et al. found that networks train only when information about the input "
        "reaches the output, so $\\xi_c$ bounds the trainable depth, and arbitrarily deep "
        "networks train only close to the critical line."
    ),
)


# --------------------------------------------------------------------------- values: LSUV

@page.value("beyond-lsuv-setup", "The LSUV experiment's settings, from its config.", LSUV)
def lsuv_setup(res: lsuv.LSUVResults) -> str:
    c = res.config
    lo, hi = c.feature_scales
    return (
        f"take inputs whose {c.n_features} features have very different scales (standard "
        f"deviations from {short(lo)} to {short(hi)}, like unnormalized measurements), a pool of "
        f"{c.n_pool:,} of them, batches of {c.batch_size}, and {c.depth}-layer networks of "
        f"width {c.width}"
    )


@page.value("beyond-lsuv-defaults", "The package's LSUV defaults.")
def lsuv_defaults() -> str:
    p = inspect.signature(lsuv.lsuv).parameters
    return f"`tol={p['tol'].default}` and at most {p['max_iters'].default} passes per layer"


@page.value("beyond-lsuv-summary", "What LSUV did to the ReLU and tanh networks.", LSUV)
def lsuv_summary(res: lsuv.LSUVResults) -> str:
    relu = res.runs[("relu", "preactivation")]
    tanh = res.runs[("tanh", "preactivation")]
    dev = max(np.abs(relu.pre_after - 1).max(), np.abs(tanh.pre_after - 1).max())
    passes = relu.report.iterations + tanh.report.iterations
    return (
        f"With orthonormal weights alone, the ReLU network's pre-activation variance goes from "
        f"${fixed(relu.pre_before[0], 2)}$ in layer 1 to ${sci(relu.pre_before[-1])}$ in layer "
        f"{res.config.depth}, the tanh network's to ${fixed(tanh.pre_before[-1], 3)}$. After "
        f"LSUV every layer of both is within ${fixed(dev, 3)}$ of 1 on all {res.config.n_pool:,} "
        f"inputs, after {min(passes)} to {max(passes)} passes per layer (median "
        f"{num(np.median(passes), 3)})"
    )


@page.value("beyond-lsuv-trap-numbers", "Where LSUV measured after tanh ends up.", LSUV)
def lsuv_trap_numbers(res: lsuv.LSUVResults) -> str:
    trap = res.runs[("tanh", "activation")]
    good = res.runs[("tanh", "preactivation")]
    best = max(max(t) for t in trap.report.trace)
    lo, hi = min(trap.report.iterations), max(trap.report.iterations)
    passes = f"{hi} passes on every layer" if lo == hi else f"{lo} to {hi} passes per layer"
    converged = sum(trap.report.converged)
    which = "no layer" if converged == 0 else f"only {converged} of {res.config.depth} layers"
    return (
        f"after {passes} the variance of the tanh outputs has reached at most ${fixed(best, 3)}$, "
        f"{which} converged, the "
        f"pre-activations have variance up to ${fixed(trap.pre_after.max(), 0)}$, and "
        f"{pct(trap.saturated_after.mean(), 0)} of the units are saturated "
        f"($|h| > 0.99$), against {pct(good.saturated_after.mean())} when the pre-activations "
        "are normalized"
    )


# --------------------------------------------------------------------------- values: residual

@page.value("beyond-residual-setup", "The residual experiment's size.", RESIDUAL)
def residual_setup(res: residual.ResidualResults) -> str:
    c = res.config
    return f"A numpy stack of {c.depth} blocks of width {c.width} (a batch of {c.batch} inputs)"


@page.value("beyond-residual-table", "Mean square of the residual stream after N blocks.", RESIDUAL)
def residual_table(res: residual.ResidualResults) -> str:
    n = res.config.depth
    names = {"unscaled": "unscaled ($\\alpha = 1$)",
             "scaled": f"scaled ($\\alpha = 1/\\sqrt{{N}} = 1/\\sqrt{{{n}}}$)",
             "zero": "last layer zero ($\\alpha = 0$)"}

    def show(x: float) -> str:
        return f"${sci(x, 3)}$" if x >= 1e4 else f"${fixed(x, 3)}$"

    rows = []
    for scheme in res.config.schemes:
        cells = [names[scheme]]
        for prenorm in (False, True):
            q, e = res.measured[(scheme, prenorm)], res.expected[(scheme, prenorm)]
            cells += [show(q[-1] / q[0]), show(e[-1] / e[0])]
        rows.append(cells)
    return table(["branches", "no normalization: $q_N / q_0$", "expected",
                  "pre-norm: $q_N / q_0$", "expected"], rows, ["---"] + ["---:"] * 4)


# --------------------------------------------------------------------------- values: edge of chaos

@page.value("beyond-critical-table", "Critical sigma_w^2 of tanh networks for several sigma_b^2.")
def critical_table() -> str:
    sb = np.array(TABLE_SIGMA_B2)
    sw = eoc.critical_sigma_w2(sb)
    q = eoc.q_star(sw, sb)
    chi = eoc.chi_1(sw, sb)
    ratio = fixed_point_ratio(sb)
    rows = []
    for b, w, qq, c, r in zip(sb, sw, q, chi, ratio):
        err = abs(c - 1)
        xi_q = "$\\infty$" if r >= 1 - 1e-9 else fixed(-1 / math.log(r), 1)
        q_cell = "0" if qq < 1e-9 else (f"${sci(qq)}$" if qq < 1e-3 else fixed(qq, 4))
        rows.append([_power(b) if 0 < b < 1e-2 else short(b), fixed(w, 4), q_cell,
                     "< $10^{-12}$" if err < 1e-12 else f"${sci(err)}$", fixed(r, 2), xi_q])
    return table(["$\\sigma_b^2$", "critical $\\sigma_w^2$", "$q^*$ there",
                  "$\\lvert\\chi_1 - 1\\rvert$", "$F'(q^*)$", "$\\xi_q$"], rows, "---:")


@page.value("beyond-fixed-point-ratios", "F'(q*) along the critical line, at the quoted bias variances.")
def fixed_point_ratios() -> str:
    sb = np.array(QUOTED_SIGMA_B2)
    ratio = fixed_point_ratio(sb)
    return ", ".join(f"{fixed(r, 2)} at $\\sigma_b^2 = {short(b)}$" for b, r in zip(sb, ratio))


@page.value("beyond-fixed-point-near-origin", "F'(q*) on the critical line for tiny bias variances.")
def fixed_point_near_origin() -> str:
    sb = np.array([b for b in TABLE_SIGMA_B2 if 0 < b < 1e-2])
    ratio = fixed_point_ratio(sb)
    return " and ".join(f"{fixed(r, 2)} at $\\sigma_b^2 = {_power(b)[1:-1]}$" for b, r in zip(sb, ratio))


def _power(x: float) -> str:
    """A power of ten as LaTeX, ``$10^{-4}$`` (anything else as ``sci``)."""
    e = round(math.log10(x))
    return f"$10^{{{e}}}$" if math.isclose(x, 10.0 ** e) else f"${sci(x)}$"


@page.value("beyond-depth-scale-numbers", "Depth scales at the edge and away from it.", DEPTH_SCALES)
def depth_scale_numbers(res: eoc.DepthScaleResults) -> str:
    i = int(np.argmax(res.xi_c))
    return (
        f"at $\\sigma_b^2 = {short(res.config.sigma_b2)}$ the critical point is "
        f"$\\sigma_w^2 = {fixed(res.critical_sigma_w2, 4)}$; on the plotted grid $\\xi_c$ peaks at "
        f"{fixed(res.xi_c[i], 0)} layers (at $\\sigma_w^2 = {fixed(res.sigma_w2[i], 3)}$, "
        f"$\\chi_1 = {fixed(res.chi1[i], 5)}$) and is {fixed(res.xi_c[0], 1)} and "
        f"{fixed(res.xi_c[-1], 1)} layers at the ends, while $\\xi_q$ never exceeds "
        f"{fixed(np.nanmax(res.xi_q), 1)}"
    )

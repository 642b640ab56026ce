"""The orthogonal page (``docs/concepts/orthogonal.md``): what orthogonal weights preserve,
how to sample them, and what they buy in deep networks.

Runs: one square layer (singular values and norms), the sign fix on 2 x 2 matrices, products
of Gaussian matrices over `PRODUCT_SEEDS` (their spectra, against the Lyapunov exponents), Saxe
et al.'s learning times against depth, and the Jacobian spectra of Pennington et al.
"""

from __future__ import annotations

import math

import numpy as np

from initnotes import theory
from initnotes.experiments import edge_of_chaos, orthogonal
from initnotes.format import and_list, fixed, num, sci, short, table, word
from initnotes.pages import Page

page = Page("orthogonal", "concepts/orthogonal.md")

SINGLE = page.run("orthogonal-single-layer", orthogonal.single_layer_spectra,
                  orthogonal.SingleLayerConfig(), seed=0)
#: `sign_fix_angles` takes the number of 2 x 2 samples as its config.
SIGN_FIX = page.run("orthogonal-sign-fix", orthogonal.sign_fix_angles, 20_000, seed=0)
SAXE = page.run("orthogonal-saxe", orthogonal.time_to_threshold, orthogonal.SaxeConfig(), seed=0)
#: Two networks per case instead of four, for speed.
JACOBIAN = page.run("orthogonal-jacobian", orthogonal.jacobian_spectra,
                    orthogonal.JacobianConfig(n_networks=2), seed=0)

#: One product of Gaussian matrices per seed: the claims about their spectra hold over all.
PRODUCT_SEEDS = tuple(range(10))
PRODUCTS = tuple(page.run(f"orthogonal-gaussian-product-seed-{s}", orthogonal.gaussian_product_spectra,
                          orthogonal.ProductConfig(), seed=s) for s in PRODUCT_SEEDS)

#: "Equally fast" on the page: steps to threshold within this factor of each other.
EQUALLY_FAST = 1.5


def decades(s: np.ndarray) -> int:
    """Whole orders of magnitude between the largest and the smallest of `s`."""
    return int(np.floor(np.log10(s.max() / s.min())))


def equally_fast_depths(res: orthogonal.SaxeResults) -> list[int]:
    """Depths at which both inits reach the threshold within `EQUALLY_FAST` of each other."""
    o, g = res.steps["orthogonal"], res.steps["gaussian"]
    with np.errstate(invalid="ignore"):
        ratio = g / o
    return [d for d, r in zip(res.config.depths, ratio) if 1 / EQUALLY_FAST <= r <= EQUALLY_FAST]


# --------------------------------------------------------------------------- figures

def _single_alt(res: orthogonal.SingleLayerResults) -> str:
    n, g = res.config.width, res.singular_values["gaussian"]
    return (
        f"Histogram, density on a linear axis, of the singular values of one {n} by {n} weight "
        f"matrix. Gaussian weights with variance 1/{n}: singular values spread from near "
        f"{short(g.min(), 1)} to about {num(g.max(), 1)}, following the dashed quarter-circle "
        "curve, highest near 0 and falling to 0 at 2. Orthogonal weights: all of them equal 1, "
        "drawn as one vertical line at 1."
    )


page.figure(
    "orthogonal-single-layer", "orthogonal:single_layer", SINGLE,
    alt=_single_alt,
    caption=lambda res: (
        f"Singular values of one ${res.config.width} \\times {res.config.width}$ layer. A Gaussian "
        "matrix with $\\sigma_w^2 = 1/n$ keeps the *average* squared length of a "
        f"vector, but stretches some directions by up to {num(res.singular_values['gaussian'].max(), 1)} "
        "and nearly erases others; an orthogonal matrix stretches every direction by exactly 1."
    ),
)

page.figure(
    "orthogonal-sign-fix", "orthogonal:sign_fix_figure", SIGN_FIX,
    alt=lambda res: (
        f"Two histograms of the angle of the first column of {res.angle_fixed.size:,} random 2 by 2 "
        "orthogonal matrices. With the sign fix the angles fill the whole range from -180 to 180 "
        "degrees evenly, and half of the matrices are rotations. From numpy.linalg.qr alone the "
        "angles fill only the two outer quarters, beyond plus or minus 90 degrees, at twice "
        "the height, and none of the matrices is a rotation."
    ),
    caption=lambda res: (
        f"The same {res.angle_fixed.size:,} Gaussian $2 \\times 2$ matrices, orthogonalized by QR. "
        "Left: with each column of $Q$ multiplied by the sign of $R$'s diagonal entry, $Q$ is "
        "uniform over all orthogonal matrices (Haar measure). Right: LAPACK's Householder QR "
        "alone always returns a first column pointing left and a reflection; half of the "
        "orthogonal matrices can never come out."
    ),
)


def _learning_alt(res: orthogonal.SaxeResults) -> str:
    cfg, o = res.config, res.steps["orthogonal"]
    return (
        "Log-log plot of the gradient-descent steps a deep linear network needs to bring its "
        f"loss below {cfg.threshold:g} of the gap between the zero map and the optimum, "
        f"against depth from {cfg.depths[0]} to {cfg.depths[-1]}. The orthogonal curve stays "
        f"nearly flat, within a factor of about {word(round(o.max() / o.min()))}, at every "
        "depth. The scaled Gaussian curve starts at the same place for the shallowest nets and "
        "rises steeply with depth; the deepest Gaussian nets do not reach the threshold within "
        f"the {cfg.max_steps}-step budget and are drawn as open triangles at the cap."
    )


page.figure(
    "orthogonal-learning-time", "orthogonal:learning_time_figure", SAXE,
    alt=_learning_alt,
    caption=lambda res: (
        f"Learning time of deep linear networks (hidden width {res.config.width}, "
        f"{res.config.d_in} inputs and {res.config.d_out} outputs, full-batch gradient descent), "
        "after Saxe, McClelland & Ganguli (2014). Each point uses the best of "
        f"{len(res.config.lr_factors)} learning rates $\\eta = c/\\text{{depth}}$. Orthogonal "
        f"weights learn in a number of steps that grows only slowly with depth ({saxe_growth(res)}); "
        "scaled Gaussian weights slow down with depth until the deepest nets miss the budget (open "
        "triangles: capped, not measured)."
    ),
)


def _jacobian_alt(res: orthogonal.JacobianSpectrumResults) -> str:
    cfg, floor = res.config, orthogonal.SINGULAR_VALUE_FLOOR
    spread = decades(res.singular_values[("linear", "gaussian", "-")])
    return (
        "Two plots of the cumulative distribution of the singular values of the input-output "
        f"Jacobian of {cfg.depth}-layer networks of width {cfg.width}, on a log axis from "
        f"{floor:g} to 100. Deep linear: with Gaussian weights the singular values spread over "
        f"more than {word(spread)} orders of magnitude, many down at the {floor:g} round-off "
        "floor; with orthogonal weights all of them equal 1, a vertical step. Deep tanh at the "
        "critical point: with Gaussian weights they again spread down to the floor; orthogonal "
        f"weights with q* = 1/{1 / cfg.q_star:.0f} keep them in a narrow band around 1; "
        f"orthogonal weights with q* = {cfg.q_star_large:g} spread them over many orders of "
        "magnitude."
    )


page.figure(
    "orthogonal-jacobian-spectra", "orthogonal:jacobian_figure", JACOBIAN,
    alt=_jacobian_alt,
    caption=lambda res: (
        "Dynamical isometry (Pennington, Schoenholz & Ganguli, 2017). Singular values of "
        f"$\\partial h_D/\\partial h_0$ for {res.config.depth}-layer networks of width "
        f"{res.config.width} ({res.config.n_networks} networks per curve, float64). Values below "
        f"${sci(orthogonal.SINGULAR_VALUE_FLOOR, 1)}$ are round-off and are drawn at the floor "
        "(grey band). Orthogonal weights make a linear network an exact isometry; a tanh network "
        "comes close only at a critical point with a small $q^*$, where its units stay in the "
        "linear part of tanh."
    ),
    floor=orthogonal.SINGULAR_VALUE_FLOOR,
)


# --------------------------------------------------------------------------- values

@page.value("orthogonal-isometry-check",
            "Norm and singular values of one orthogonal and one Gaussian layer.", SINGLE)
def isometry_check(res: orthogonal.SingleLayerResults) -> str:
    n, svs = res.config.width, res.singular_values
    g = svs["gaussian"]
    return (
        f"For one ${n} \\times {n}$ orthogonal matrix drawn by the package, the largest "
        f"$|\\sigma_i - 1|$ is ${sci(np.abs(svs['orthogonal'] - 1).max())}$, and over "
        f"{res.config.n_vectors:,} random vectors $\\lVert Wx \\rVert / \\lVert x \\rVert$ "
        f"differs from 1 by at most ${sci(np.abs(res.norm_ratio - 1).max())}$: round-off. A "
        f"Gaussian matrix of the same size with variance $1/{n}$ has singular values from "
        f"${fixed(g.min(), 3)}$ to ${fixed(g.max(), 2)}$."
    )


@page.value("orthogonal-sign-fix-numbers",
            "Share of rotations among 2x2 Q with and without the sign fix.", SIGN_FIX)
def sign_fix_numbers(res: orthogonal.SignFixResults) -> str:
    left = np.mean(np.abs(res.angle_raw) > np.pi / 2)
    return (
        f"Of {res.angle_fixed.size:,} samples, {np.mean(res.det_fixed > 0):.1%} of the "
        f"sign-fixed matrices are rotations ($\\det Q = +1$), against "
        f"{np.mean(res.det_raw > 0):.1%} of the raw ones; {left:.1%} of the raw first columns "
        "point into the left half-plane."
    )


@page.value("orthogonal-saxe-table", "Steps to threshold and best learning-rate factor per depth.", SAXE)
def saxe_table(res: orthogonal.SaxeResults) -> str:
    cfg = res.config

    def cell(steps: float, c: float) -> list[str]:
        if not np.isfinite(steps):
            return [f"> {cfg.max_steps} (capped)", "—"]
        return [fixed(steps, 0), num(c, 3)]

    rows = [[d, *cell(res.steps["orthogonal"][i], res.best_factor["orthogonal"][i]),
             *cell(res.steps["gaussian"][i], res.best_factor["gaussian"][i])]
            for i, d in enumerate(cfg.depths)]
    return table(["depth", "orthogonal: steps", "best $c$", "scaled Gaussian: steps", "best $c$"],
                 rows, "---:")


@page.value("orthogonal-saxe-summary", "One sentence with the measured spread of the learning times.", SAXE)
def saxe_summary(res: orthogonal.SaxeResults) -> str:
    o, g = res.steps["orthogonal"], res.steps["gaussian"]
    depths = res.config.depths
    finite = np.isfinite(g)
    deepest = depths[int(np.flatnonzero(finite)[-1])]
    return (
        f"Orthogonal nets need between {fixed(o.min(), 0)} and {fixed(o.max(), 0)} steps at every "
        f"depth from {depths[0]} to {depths[-1]} (a factor of {fixed(o.max() / o.min(), 1)}); "
        f"scaled Gaussian nets go from {fixed(g[0], 0)} steps at depth {depths[0]} to "
        f"{fixed(g[finite][-1], 0)} at depth {deepest}, and the {int((~finite).sum())} deepest "
        f"miss the {res.config.max_steps}-step budget"
    )


@page.value("orthogonal-saxe-equal-depths",
            f"The depths at which both inits learn equally fast (within a factor {EQUALLY_FAST:g}).", SAXE)
def saxe_equal_depths(res: orthogonal.SaxeResults) -> str:
    return and_list(equally_fast_depths(res))


@page.value("orthogonal-critical-points",
            "Critical (sigma_w^2, sigma_b^2) of tanh for the two q* used.", JACOBIAN)
def critical_points(res: orthogonal.JacobianSpectrumResults) -> str:
    cfg = res.config
    (w1, b1), (w2, b2) = res.critical_small, res.critical_large
    chi_a = float(edge_of_chaos.chi_1(w1, b1))
    chi_b = float(edge_of_chaos.chi_1(w2, b2))
    return (
        f"$q^* = 1/{1 / cfg.q_star:.0f}$ gives $\\sigma_w^2 = {fixed(w1, 4)}$, "
        f"$\\sigma_b^2 = {sci(b1, 3)}$, and $q^* = {cfg.q_star_large:g}$ gives "
        f"$\\sigma_w^2 = {fixed(w2, 4)}$, $\\sigma_b^2 = {fixed(b2, 4)}$ (check: "
        f"$\\chi_1 = {fixed(chi_a, 6)}$ and ${fixed(chi_b, 6)}$)"
    )


@page.value("orthogonal-q-star-large", "The large fixed point q* of the tanh comparison.", JACOBIAN)
def q_star_large(res: orthogonal.JacobianSpectrumResults) -> str:
    return f"$q^* = {res.config.q_star_large:g}$"


@page.value("orthogonal-jacobian-table", "Spread of the Jacobian singular values per case.", JACOBIAN)
def jacobian_table(res: orthogonal.JacobianSpectrumResults) -> str:
    floor = orthogonal.SINGULAR_VALUE_FLOOR
    rows = []
    for (activation, weights, which), s in res.singular_values.items():
        q = {"small": f"1/{1 / res.config.q_star:.0f}", "large": f"{res.config.q_star_large:g}",
             "-": "—"}[which]
        smallest = "floor" if s.min() <= floor else f"${num(s.min(), 3)}$"
        share = np.mean((s >= 0.5) & (s <= 2.0))
        med = np.median(s)
        med_s = f"${num(med, 3)}$" if med > 1e-3 else f"${sci(med)}$"
        lo, hi = np.percentile(s, [5, 95])
        band = ("floor" if lo <= 10 * floor else _sv(lo)) + " to " + _sv(hi)
        rows.append([activation, weights, q, smallest, band, med_s, f"${num(s.max(), 3)}$",
                     f"{share:.0%}"])
    return table(["network", "weights", "$q^*$", "smallest", "5 % to 95 %", "median", "largest",
                  "share in $[1/2, 2]$"], rows, ["---"] * 3 + ["---:"] * 5)


def _sv(x: float) -> str:
    return f"${num(x, 3)}$" if x > 1e-3 else f"${sci(x)}$"


def radial_prediction(res: orthogonal.JacobianSpectrumResults) -> float:
    """F'(q*)^depth at the small-q* critical point: how much the length map contracts a change
    of the input's own length over the network (the Jacobian's radial singular value)."""
    w, _ = res.critical_small
    return float(theory.q_map_slope(res.config.q_star, w, "tanh")) ** res.config.depth


@page.value("orthogonal-radial-outlier", "The tanh-orthogonal row's smallest values: the radial direction.",
            JACOBIAN)
def radial_outlier(res: orthogonal.JacobianSpectrumResults) -> str:
    s = np.sort(res.singular_values[("tanh", "orthogonal", "small")])
    k = res.config.n_networks
    w, _ = res.critical_small
    slope = float(theory.q_map_slope(res.config.q_star, w, "tanh"))
    return (f"its {word(k)} smallest values ({and_list(fixed(x, 2) for x in s[:k])}, one per network) "
            f"are the radial direction, a change of the input's own length, which the length map "
            f"contracts by $F'(q^*) = {fixed(slope, 3)}$ per layer: "
            f"${fixed(slope, 3)}^{{{res.config.depth}}} = {fixed(radial_prediction(res), 2)}$. The "
            f"rest lie between {fixed(s[k], 2)} and {fixed(s[-1], 2)}")


def saxe_growth(res: orthogonal.SaxeResults) -> str:
    """How much the orthogonal nets' learning time grows from the shallowest to the deepest."""
    o, d = res.steps["orthogonal"], res.config.depths
    return f"$\\times${fixed(o.max() / o.min(), 1)} from depth {d[0]} to {d[-1]}"


@page.value("orthogonal-saxe-growth", "Growth of the orthogonal nets' learning time over the depths.", SAXE)
def saxe_growth_value(res: orthogonal.SaxeResults) -> str:
    return saxe_growth(res)


def product_stats(results) -> dict:
    """Median and range over the seeds of the Gaussian products' largest and median singular
    values, and of the number below round-off, at each depth."""
    depths = results[0].config.depths
    out = {}
    for d in depths:
        top = np.array([r.singular_values[d][0] for r in results])
        med = np.array([np.median(r.singular_values[d]) for r in results])
        below = np.array([r.below_floor[d] for r in results])
        out[d] = {"top": top, "median": med, "below": below}
    return out


@page.value("orthogonal-gaussian-products",
            "Spectra of products of Gaussian matrices over seeds, against the Lyapunov exponents.",
            PRODUCTS)
def gaussian_products(*results: orthogonal.ProductResults) -> str:
    cfg = results[0].config
    n, (d1, d2) = cfg.width, cfg.depths[:2]
    stats = product_stats(results)
    lam = orthogonal.lyapunov_exponents(n)
    lam_med = float(np.median(lam))

    def rng_(x, f):
        return f"{f(np.median(x))} ({f(x.min())} to {f(x.max())})"

    def s(x):
        return f"${sci(x)}$"

    return (
        f"Over {word(len(results))} seeds, each one draw of {n} $\\times$ {n} matrices with $\\sigma_w^2 = 1/{n}$, "
        f"the product of {d1} of them stretches its top direction by a median "
        f"{rng_(stats[d1]['top'], lambda x: fixed(x, 1))}, and of {d2} by "
        f"{rng_(stats[d2]['top'], lambda x: fixed(x, 1))}: a few directions are stretched "
        "several-fold. Most shrink by orders of magnitude: the median singular value is "
        f"{rng_(stats[d1]['median'], s)} at depth {d1} and {rng_(stats[d2]['median'], s)} at "
        f"depth {d2}, and {rng_(stats[d1]['below'], lambda x: f'{x:g}')} of the {n} at depth "
        f"{d1}, {rng_(stats[d2]['below'], lambda x: f'{x:g}')} at depth {d2}, fall below "
        "round-off (medians over the draws, with their range). "
        "The logarithms of the singular values do not spread like a random walk (which would "
        "grow like $\\sqrt{\\text{depth}}$): they separate *linearly* in depth, each at its own "
        "rate, the Lyapunov exponents $\\lambda_i = \\tfrac12\\big[\\psi\\big(\\tfrac{n - i + 1}{2}\\big) "
        "+ \\ln\\tfrac{2}{n}\\big]$ ($\\psi$ the digamma function). For $n = "
        f"{n}$ the median exponent is ${fixed(lam_med, 3)}$ per layer, and "
        f"$e^{{{fixed(lam_med, 3)} \\cdot {d1}}} = {sci(math.exp(lam_med * d1))}$ and "
        f"$e^{{{fixed(lam_med, 3)} \\cdot {d2}}} = {sci(math.exp(lam_med * d2))}$ match the medians over the "
        "draws; the top exponent is close to 0, which is why the largest values stay of order 1 "
        "to 10"
    )


def _power_of_two(x: float) -> str:
    return f"2^{{{float(np.log2(x)):g}}}"


@page.value("orthogonal-saxe-setup", "The learning-time experiment's settings, from its config.", SAXE)
def saxe_setup(res: orthogonal.SaxeResults) -> str:
    c = res.config
    f = c.lr_factors
    return (
        f"{c.d_in} correlated input features, targets $y = Ax$ for a random "
        f"${c.d_out} \\times {c.d_in}$ matrix $A$, networks with hidden width {c.width} and "
        f"depth {c.depths[0]} to {c.depths[-1]}, no biases and no nonlinearity, trained by "
        "full-batch gradient descent on the half mean squared error. For each depth and each "
        f"initialization we try {len(f)} learning rates $\\eta = c/\\text{{depth}}$, "
        f"$c = {_power_of_two(f[0])}, {_power_of_two(f[1])}, \\dots, {_power_of_two(f[-1])}$, "
        "as Saxe et al. did (they chose the best rate per depth), and count the steps until "
        f"the loss has closed all but ${sci(c.threshold, 1)}$ of the gap between the zero map "
        f"and the best linear fit. Runs get at most {c.max_steps} steps"
    )

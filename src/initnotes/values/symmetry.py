"""Numbers of the symmetry page: the worked 2-2-1 example, computed."""

from __future__ import annotations

import functools

import numpy as np

from initnotes.experiments import symmetry
from initnotes.registry import value


def fmt(x: float, digits: int = 4) -> str:
    """A number as a page shows it inside math: rounded, no trailing zeros, no "-0"."""
    if abs(x) < 0.5 * 10**-digits:
        return "0"
    return f"{x:.{digits}f}".rstrip("0").rstrip(".")


def matrix(a: np.ndarray, digits: int = 4) -> str:
    """A matrix as LaTeX (for arithmatex), rows separated by \\\\."""
    rows = [" & ".join(fmt(v, digits) for v in row) for row in np.atleast_2d(a)]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def _case_table() -> str:
    lines = [
        "| start | $W$ | $z = Wx$ | $h = \\tanh z$ | $\\partial L/\\partial W$ | rows of $\\partial L/\\partial W$ equal? |",
        "|---|---|---|---|---|---|",
    ]
    for name, (W, v) in symmetry.STARTS.items():
        ex = symmetry.worked_example(W, v)
        equal = "yes" if np.array_equal(ex.dW[0], ex.dW[1]) else "no"
        lines.append(
            f"| {name} ($v = {matrix(v)}$) | ${matrix(W)}$ | ${matrix(ex.z[:, None])}$ "
            f"| ${matrix(ex.h[:, None])}$ | ${matrix(ex.dW)}$ | {equal} |"
        )
    return "\n".join(lines)


@value("symmetry-worked-table", description="Forward and backward pass of the 2-2-1 example from each start.")
def worked_table() -> str:
    return _case_table()


@value("symmetry-random-z", description="Pre-activations of the two units under the random start.")
def random_z() -> str:
    ex = symmetry.worked_example(*symmetry.STARTS["random"])
    return f"$z_1 = {fmt(ex.z[0])}$ and $z_2 = {fmt(ex.z[1])}$"


# ---------------------------------------------------------------------------
# The wider 2-8-8-1 network
# ---------------------------------------------------------------------------

WIDE_SEED = 0  # the same seed as the figure `symmetry-rank`


@functools.cache
def wide_results() -> symmetry.WideSymmetryResults:
    return symmetry.train_wide(symmetry.WideSymmetryConfig(), np.random.default_rng(WIDE_SEED))


def sci(x: float, digits: int = 2) -> str:
    """A number as LaTeX in scientific notation, e.g. ``3.1 \\times 10^{-4}``; 0 as ``0``."""
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    if exponent == 0:
        return mantissa
    if mantissa in ("1", "-1"):
        return f"{mantissa[:-1]}10^{{{exponent}}}"
    return f"{mantissa} \\times 10^{{{exponent}}}"


def _span(a: np.ndarray) -> str:
    lo, hi = int(a.min()), int(a.max())
    return f"{lo}" if lo == hi else f"{lo} to {hi}"


def _wide_table() -> str:
    res = wide_results()
    cfg = res.config
    lines = [
        f"| start | largest difference between two units, layer 1 / layer 2 (all {cfg.steps + 1} steps) "
        f"| numerical rank of $W_1$ / $W_2$ (all steps) | loss after {cfg.steps} steps |",
        "|---|---|---|---|",
    ]
    names = {
        "zero": "zero",
        "constant": f"constant {fmt(cfg.constant)}",
        "nearly constant": f"{fmt(cfg.constant)} + $\\mathcal N(0, ({sci(cfg.perturbation, 1)})^2)$",
        "random": f"random $\\mathcal N(0, {fmt(cfg.random_std)}^2)$",
    }
    for start, run in res.runs.items():
        d = run.max_difference.max(axis=0)
        lines.append(
            f"| {names.get(start, start)} | ${sci(d[0])}$ / ${sci(d[1])}$ "
            f"| {_span(run.rank[:, 0])} / {_span(run.rank[:, 1])} | ${sci(run.loss[-1])}$ |"
        )
    return "\n".join(lines)


@value("symmetry-wide-table", description="Equal units and ranks of the 2-8-8-1 network from four starts.")
def wide_table() -> str:
    return _wide_table()


def _final_singular_values(start: str) -> np.ndarray:
    return np.linalg.svd(wide_results().runs[start].weights[1], compute_uv=False)


@value("symmetry-constant-sigma", description="Singular values of W2 after training from the constant start.")
def constant_sigma() -> str:
    s = _final_singular_values("constant")
    tol = s.max() * 8 * np.finfo(float).eps
    return (f"$\\sigma_1 = {fmt(s[0], 2)}$ and $\\sigma_2 = {sci(s[1])}$, far below the "
            f"round-off tolerance ${sci(tol)}$")


@value("symmetry-nearly-constant", description="Spread of the nearly constant start before and after training.")
def nearly_constant() -> str:
    run = wide_results().runs["nearly constant"]
    s = _final_singular_values("nearly constant")
    return (f"the largest difference between two units of layer 2 is ${sci(run.max_difference[0, 1])}$ "
            f"at the start and ${sci(run.max_difference[-1, 1])}$ after "
            f"{wide_results().config.steps} steps, and $\\sigma_2/\\sigma_1 = {sci(s[1] / s[0])}$")


@value("symmetry-wide-losses", description="Final losses of the constant, nearly constant and random starts.")
def wide_losses() -> str:
    runs = wide_results().runs
    ratio = runs["constant"].loss[-1] / runs["random"].loss[-1]
    return (f"${sci(runs['constant'].loss[-1], 4)}$ (constant), "
            f"${sci(runs['nearly constant'].loss[-1], 4)}$ (nearly constant) and "
            f"${sci(runs['random'].loss[-1])}$ (random, {ratio:.0f} times lower)")

"""Numbers of the symmetry page: the worked 2-2-1 example, computed."""

from __future__ import annotations

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

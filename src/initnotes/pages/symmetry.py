"""The symmetry page (``docs/concepts/symmetry.md``): why symmetry must be broken.

Runs: the 2-2-1 tanh network trained from three starts, the wider 2-8-8-1 network from
four, and the 2-8-8-1 network trained 32 times longer over ten seeds (one batched run). The worked example's numbers are computed from `symmetry.STARTS` directly
(no random draw).
"""

from __future__ import annotations

import numpy as np

from initnotes.experiments import symmetry as sym
from initnotes.format import about, and_list, matrix, num, sci, short, span, table, upper_bound, word
from initnotes.pages import Page

page = Page("symmetry", "concepts/symmetry.md")

SMALL = page.run("symmetry-small", sym.train_from_starts, sym.SymmetryConfig(), seed=0)
WIDE = page.run("symmetry-wide", sym.train_wide, sym.WideSymmetryConfig(), seed=0)
ESCAPE = page.run("symmetry-escape", sym.escape_plateau, sym.EscapeConfig(), seed=None)


def wide_labels(cfg: sym.WideSymmetryConfig) -> dict[str, str]:
    """How each start of the wide network is named in the table (Markdown with math)."""
    return {
        "zero": "zero",
        "constant": f"constant {short(cfg.constant)}",
        "nearly constant": f"{short(cfg.constant)} + $\\mathcal N(0, ({sci(cfg.perturbation, 1)})^2)$",
        "random": f"random $\\mathcal N(0, {short(cfg.random_std)}^2)$",
    }


def singular_values(res: sym.WideSymmetryResults, start: str) -> np.ndarray:
    """Singular values of the second hidden layer's weights W_2 after training."""
    return np.linalg.svd(res.runs[start].weights[1], compute_uv=False)


# --------------------------------------------------------------------------- figures

def _weights_alt(res: sym.SymmetryResults) -> str:
    return (
        f"Three line charts of the hidden weights of a two-unit network over "
        f"{res.config.steps} training steps. "
        "Zero init: all four weights stay flat at 0, on top of each other. Constant init: "
        "unit 2's dashed lines lie exactly on unit 1's solid lines, so the two units keep "
        "identical weights while they move; each unit's weight from input 1 rises to "
        f"{short(res.runs['constant'].W[-1, 0, 0], 2)} and its weight from input 2 falls to "
        f"{short(res.runs['constant'].W[-1, 0, 1], 2)}. Random init: the four weights start "
        "apart and follow different paths."
    )


page.figure(
    "symmetry-weights", "symmetry:symmetry_weights", SMALL,
    alt=_weights_alt,
    caption=(
        "The incoming weights of the two hidden units of a 2-2-1 tanh network trained by "
        "gradient descent on the same data from three starts. Colour: the input (blue from "
        "input 1, orange from input 2); thick solid lines: unit 1, thin dashed lines: unit 2. "
        "Under zero init nothing in the hidden layer moves (all four lines overlap at 0); "
        "under constant init the units move but stay identical, each unit's two weights "
        "moving apart; only random init lets the units differ."
    ),
)


def _rank_alt(res: sym.WideSymmetryResults) -> str:
    cfg, runs = res.config, res.runs
    n = cfg.sizes[2]
    d_nc = runs["nearly constant"].max_difference[:, 1]
    d_r = runs["random"].max_difference[:, 1]
    s_c, s_nc, s_r = (singular_values(res, k) for k in ("constant", "nearly constant", "random"))
    return (
        f"Two panels for a {'-'.join(map(str, cfg.sizes))} tanh network trained from four starts. "
        f"Left: the largest difference between two units' incoming weights in the second hidden "
        f"layer over {cfg.steps} steps, on a log axis with a strip for exact zeros. Zero and "
        f"constant starts lie on the 'exactly 0' strip for all {cfg.steps} steps; the start "
        f"{short(cfg.constant)} plus noise of size {about(cfg.perturbation)} stays near "
        f"{about(float(np.median(d_nc)))}; the random start stays near {about(float(np.median(d_r)))}. "
        f"Right: the {n} singular values of the second layer's {n} by {n} weight matrix after "
        f"training. Zero start: all {n} are 0. Constant start: one singular value near "
        f"{s_c[0]:.1f}, the other {n - 1} at round-off level. Nearly constant: one near "
        f"{s_nc[0]:.1f} and {n - 1} between about {about(s_nc[1:].min())} and "
        f"{about(s_nc[1:].max())}. Random: {n} between {s_r.min():.1f} and {s_r.max():.0f}."
    )


page.figure(
    "symmetry-rank", "symmetry:symmetry_rank", WIDE,
    alt=_rank_alt,
    caption=lambda res: (
        f"Left: how far apart the {res.config.sizes[2]} units of the second hidden layer are (the "
        "largest difference between two rows of $W_2$) during training. Zero and constant starts "
        "stay *exactly* equal, drawn on the strip under the log axis, which cannot show 0. "
        "Right: the singular values of $W_2$ after training. Equal rows make a matrix of rank "
        "1 (rank 0 if the rows are 0): one singular value, the others 0 up to round-off "
        "(below the tolerance of `numpy.linalg.matrix_rank`, shown on the strip)."
    ),
)


# --------------------------------------------------------------------------- values: worked example

@page.value("symmetry-worked-table", "Forward and backward pass of the 2-2-1 example from each start.")
def worked_table() -> str:
    rows = []
    for name, (W, v) in sym.STARTS.items():
        ex = sym.worked_example(W, v)
        equal = "yes" if np.array_equal(ex.dW[0], ex.dW[1]) else "no"
        rows.append([name, f"${matrix(W)}$", f"${matrix(v)}$", f"${matrix(ex.z[:, None])}$",
                     f"${matrix(ex.h[:, None])}$", f"${matrix(ex.dW)}$", equal])
    return table(["start", "$W$", "$v$", "$a = Wx$", "$h = \\tanh a$", "$\\partial L/\\partial W$",
                  "rows equal?"], rows)


@page.value("symmetry-random-z", "Pre-activations of the two units under the random start.")
def random_z() -> str:
    ex = sym.worked_example(*sym.STARTS["random"])
    return f"$a_1 = {short(ex.z[0])}$ and $a_2 = {short(ex.z[1])}$"


# --------------------------------------------------------------------------- values: 2-8-8-1

@page.value("symmetry-wide-table", "Equal units and ranks of the 2-8-8-1 network from four starts.", WIDE)
def wide_table(res: sym.WideSymmetryResults) -> str:
    cfg = res.config
    names = wide_labels(cfg)
    rows = []
    for start, run in res.runs.items():
        d = run.max_difference.max(axis=0)
        rows.append([names.get(start, start), f"${sci(d[0])}$ / ${sci(d[1])}$",
                     f"{span(run.rank[:, 0])} / {span(run.rank[:, 1])}", f"${sci(run.loss[-1])}$"])
    return table(["start", f"largest difference between two units, layer 1 / layer 2 (maximum "
                  f"over all {cfg.steps + 1} steps)", "numerical rank of $W_1$ / $W_2$ (all steps)",
                  f"loss after {cfg.steps} steps"], rows)


@page.value("symmetry-constant-sigma", "Singular values of W2 after training from the constant start.", WIDE)
def constant_sigma(res: sym.WideSymmetryResults) -> str:
    s = singular_values(res, "constant")
    tol = s.max() * res.config.sizes[2] * np.finfo(float).eps
    return (f"$\\sigma_1 = {short(s[0], 2)}$ and $\\sigma_2 = {sci(s[1])}$, far below the "
            f"round-off tolerance ${sci(tol)}$")


@page.value("symmetry-nearly-constant", "Spread of the nearly constant start before and after training.", WIDE)
def nearly_constant(res: sym.WideSymmetryResults) -> str:
    run = res.runs["nearly constant"]
    s = singular_values(res, "nearly constant")
    return (f"the largest difference between two units of layer 2 is ${sci(run.max_difference[0, 1])}$ "
            f"at the start and ${sci(run.max_difference[-1, 1])}$ after "
            f"{res.config.steps} steps, and $\\sigma_2/\\sigma_1 = {sci(s[1] / s[0])}$")


@page.value("symmetry-wide-losses", "Final losses of the constant, nearly constant and random starts.", WIDE)
def wide_losses(res: sym.WideSymmetryResults) -> str:
    runs = res.runs
    ratio = runs["constant"].loss[-1] / runs["random"].loss[-1]
    return (f"${sci(runs['constant'].loss[-1], 4)}$ (constant), "
            f"${sci(runs['nearly constant'].loss[-1], 4)}$ (nearly constant) and "
            f"${sci(runs['random'].loss[-1])}$ (random, {ratio:.0f} times lower)")


# --------------------------------------------------------------------------- values: 2-2-1 training

@page.value("symmetry-small-setup", "The regression task and training of the 2-2-1 network.", SMALL)
def small_setup(res: sym.SymmetryResults) -> str:
    cfg = res.config
    return (f"the targets $y = \\sin 2x_1 - x_2/2$ at {cfg.n_points} points drawn uniformly from "
            f"$[-1, 1]^2$, {cfg.steps} steps of full-batch gradient descent with learning rate "
            f"{short(cfg.lr)}, biases starting at 0")


@page.value("symmetry-small-losses", "Final losses of the 2-2-1 network from its three starts.", SMALL)
def small_losses(res: sym.SymmetryResults) -> str:
    return and_list(f"{short(run.loss[-1], 3) if run.loss[-1] >= 0.01 else short(run.loss[-1], 4)} "
                    f"({start})" for start, run in res.runs.items())


@page.value("symmetry-constant-unit-moves", "How one constant-start unit's two weights move apart.", SMALL)
def constant_unit_moves(res: sym.SymmetryResults) -> str:
    W = res.runs["constant"].W
    return (f"from {short(W[0, 0, 0], 2)} and {short(W[0, 0, 1], 2)} to "
            f"{short(W[-1, 0, 0], 2)} and {short(W[-1, 0, 1], 2)}")


# --------------------------------------------------------------------------- the escape, over seeds


def _escape_alt(res: sym.EscapeResults) -> str:
    cfg, steps = res.config, res.escape_steps()
    plateau = float(res.loss["constant"][0, -1])
    d1 = res.difference["nearly constant"][:, :, 0]
    return (
        f"Two panels sharing a step axis from 0 to {cfg.steps}, for the "
        f"{'-'.join(map(str, cfg.wide.sizes))} tanh network, {word(len(cfg.seeds))} seeds, median "
        f"line and min-to-max band. Top, loss on a log axis: the constant start stays on a "
        f"plateau near {about(plateau)}; the nearly constant start follows it until about "
        f"step {about(float(np.median(steps)))}, then drops to near "
        f"{about(float(np.median(res.loss['nearly constant'][:, -1])))}; the random start is "
        f"below {about(float(res.loss['random'][:, 10:].max()))} from step {res.steps[10]} on. "
        f"Bottom, log axis: the largest difference between the nearly constant start's units "
        f"in hidden layer 1 grows steadily from about {about(float(np.median(d1[:, 0])))} to "
        f"about {about(float(np.median(d1[:, -1])))}; in hidden layer 2 it stays near "
        f"{about(float(np.median(res.difference['nearly constant'][:, :, 1])))}."
    )


page.figure(
    "symmetry-escape", "symmetry:symmetry_escape", ESCAPE,
    alt=_escape_alt,
    caption=lambda res: (
        f"The 2-8-8-1 network of the table, trained {res.config.steps // res.config.wide.steps} "
        f"times longer ({res.config.steps} steps, same data and learning rate). Lines: median "
        f"over {word(len(res.config.seeds))} seeds (draws of the noise or of the random start); "
        "bands: the smallest to the largest of them. The exactly constant start is one run (it "
        "draws nothing). Top: the loss. Bottom: the largest difference between two units' "
        "incoming weights, for the nearly constant start."
    ),
)


@page.value("symmetry-escape-summary", "When the nearly constant start leaves its plateau, over seeds.", ESCAPE)
def escape_summary(res: sym.EscapeResults) -> str:
    cfg, steps = res.config, res.escape_steps()
    near, rand = res.loss["nearly constant"][:, -1], res.loss["random"][:, -1]
    return (
        f"In all {word(len(cfg.seeds))} draws of the noise the loss stays on the constant start's "
        f"plateau (${sci(res.loss['constant'][0, -1], 3)}$) for thousands of steps, then halves "
        f"at step {int(np.median(steps))} (median; {int(steps.min())} to {int(steps.max())}) "
        f"and is ${sci(float(np.median(near)))}$ after {cfg.steps} steps (median; "
        f"${sci(near.min())}$ to ${sci(near.max())}$), within a factor of two of the random "
        f"start's ${sci(float(np.median(rand)))}$"
    )


@page.value("symmetry-escape-units", "How far apart the nearly constant start's units grow.", ESCAPE)
def escape_units(res: sym.EscapeResults) -> str:
    d = res.difference["nearly constant"]
    t_mid = res.steps.size // 2
    return (
        f"from ${sci(float(np.median(d[:, 0, 0])), 1)}$ at the start to "
        f"{num(float(np.median(d[:, t_mid, 0])), 1)} at step {res.steps[t_mid]} and "
        f"{num(float(np.median(d[:, -1, 0])), 1)} at step {res.steps[-1]} (medians over the seeds), "
        f"while in hidden layer 2 it stays below ${sci(upper_bound(float(d[:, :, 1].max())), 1)}$"
    )

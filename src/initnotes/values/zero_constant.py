"""Numbers and tables of the page on zero and constant initialization."""

from __future__ import annotations

import numpy as np

from initnotes.experiments import zero_constant as zc
from initnotes.experiments.symmetry import max_pairwise_difference
from initnotes.figures.zero_constant import LABELS, results
from initnotes.registry import value
from initnotes.format import sci
from initnotes.format import short as fmt


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


@value("zero-constant-setup", description="The network, data and training run of the page.")
def setup() -> str:
    c = results().config
    sizes = "-".join(str(s) for s in c.sizes)
    return (f"a {sizes} {c.activation} network learns to separate two spirals of "
            f"{c.n_points} points ({c.n_points // 2} per class) by {c.steps} steps of full-batch "
            f"gradient descent on the cross-entropy, learning rate {fmt(c.lr)}")


@value("zero-constant-gradient-table", description="Gradient norms at step 0 and the first update that moves each layer.")
def gradient_table() -> str:
    res = results()
    n = len(res.config.sizes) - 1
    head = " / ".join(f"$W_{k + 1}$" for k in range(n))
    lines = [
        f"| start | $\\lVert\\partial L/\\partial W\\rVert$ at step 0: {head} "
        f"| first update that moves {head} |",
        "|---|---|---|",
    ]
    for case, run in res.runs.items():
        norms = " / ".join(f"${sci(float(np.linalg.norm(dW)))}$" for dW, _ in run.first_gradients)
        moves = " / ".join("never" if m is None else str(m) for m in run.first_move)
        lines.append(f"| {LABELS[case]} | {norms} | {moves} |")
    return "\n".join(lines)


@value("zero-constant-table", description="Final loss, accuracy and unit symmetry per start.")
def final_table() -> str:
    res = results()
    c = res.config
    lines = [
        f"| start | largest difference between two hidden units, layer 1 / layer 2 "
        f"| loss after {c.steps} steps | training accuracy |",
        "|---|---|---|---|",
    ]
    for case, run in res.runs.items():
        diffs = " / ".join(f"${sci(max_pairwise_difference(W))}$" for W in run.weights[:-1])
        lines.append(f"| {LABELS[case]} | {diffs} | ${fmt(run.final_loss, 4)}$ "
                     f"| {_pct(run.final_accuracy)} |")
    return "\n".join(lines)


@value("zero-constant-best-line", description="Best accuracy of a straight-line boundary on the spirals.")
def best_line() -> str:
    res = results()
    directions = 720
    best = zc.best_linear_accuracy(res.x, res.y, directions=directions)
    return f"{_pct(best)} right (searched over {directions} directions)"


def _accuracy(case: str) -> str:
    return _pct(results().runs[case].final_accuracy)


@value("zero-constant-accuracy-constant", description="Training accuracy of the constant start.")
def acc_constant() -> str:
    return _accuracy("constant")


@value("zero-constant-accuracy-zero-last", description="Training accuracy of the zero-last-layer start.")
def acc_zero_last() -> str:
    return _accuracy("zero last layer")


@value("zero-constant-accuracy-random", description="Training accuracy of the random start.")
def acc_random() -> str:
    return _accuracy("random")


@value("zero-constant-constant-bound", description="Best threshold accuracy along the constant network's own direction.")
def constant_bound() -> str:
    res = results()
    w = res.runs["constant"].weights[0][0]
    return _pct(zc.best_threshold_accuracy(res.x @ w, res.y))


@value("zero-constant-zero-bias", description="Output bias of the zero start after training.")
def zero_output_bias() -> str:
    return f"${sci(float(results().runs['zero'].biases[-1][0]))}$"


@value("zero-constant-plateau", description="How far the zero-weights-with-biases start moved.")
def plateau() -> str:
    res = results()
    run = res.runs["zero weights, bias"]
    moved = [float(np.abs(W - W0).max()) for W, W0 in zip(run.weights, run.initial_weights)]
    gap = np.log(2.0) - run.final_loss
    return (f"after {res.config.steps} steps its loss is $\\ln 2 - {sci(gap)}$, and no weight of "
            f"the first layer has moved by more than ${sci(moved[0])}$")

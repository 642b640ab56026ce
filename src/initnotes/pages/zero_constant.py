"""The zero and constant initialization page (``docs/concepts/zero-constant.md``).

Run: one tanh network trained on two spirals from each start the page compares (one
seeded run: the data, and the random weights that "zero last layer" and "random" share).
"""

from __future__ import annotations

import math

import numpy as np

from initnotes.experiments import zero_constant as zc
from initnotes.experiments.symmetry import max_pairwise_difference
from initnotes.format import fixed, pct, sci, short, table, word
from initnotes.pages import Page

page = Page("zero-constant", "concepts/zero-constant.md")

SPIRALS = page.run("zero-constant-spirals", zc.run, zc.ZeroConstantConfig(), seed=0)

#: Straight-line boundaries searched by `zc.best_linear_accuracy` (steps of 0.25 degrees).
DIRECTIONS = 720


def case_labels(cfg: zc.ZeroConstantConfig) -> dict[str, str]:
    """How each start is named in the tables (the figures' legends say the same)."""
    return {
        "zero": "zero",
        "zero weights, bias": f"zero weights, biases {short(cfg.bias)}",
        "constant": f"constant {short(cfg.constant)}",
        "zero last layer": "zero last layer only",
        "random": "random (Xavier)",
    }


def _percent(share: float) -> str:
    """A share as a whole percentage without the sign, for alt text: ``70``."""
    return fixed(100 * share, 0)


def _accuracies(res: zc.ZeroConstantResults) -> tuple[str, str, str]:
    """Accuracy in percent of the stuck starts, of the constant one, and of the two that
    learn (their mean): what the alt texts round to."""
    runs = res.runs
    good = np.mean([runs["zero last layer"].final_accuracy, runs["random"].final_accuracy])
    return (_percent(runs["zero"].final_accuracy), _percent(runs["constant"].final_accuracy),
            _percent(good))


# --------------------------------------------------------------------------- figures

def _next_tenth(x: float) -> float:
    """The smallest multiple of 0.1 above ``x`` (0.547 -> 0.6, 0.0994 -> 0.1)."""
    return (math.floor(10 * x) + 1) / 10


def _training_alt(res: zc.ZeroConstantResults) -> str:
    runs = res.runs
    constant = runs["constant"]
    # the constant start: the next tenth above the level it settles at, and the first
    # hundred steps (rounded up) within which it gets below it
    level = _next_tenth(constant.final_loss)
    below = np.flatnonzero(constant.loss < level)
    window = 100 * math.ceil((below[0] + 1) / 100) if below.size else res.config.steps
    within = "the first hundred steps" if window == 100 else f"the first {window} steps"
    good = _next_tenth(max(runs["zero last layer"].final_loss, runs["random"].final_loss))
    stuck, const, learned = _accuracies(res)
    return (
        f"Two line charts over {res.config.steps} steps of gradient descent on two spirals. "
        "Left, the loss on a log axis: the zero start and the zero-weights-with-biases start "
        "stay flat at ln 2 (0.693) throughout; the constant start drops below "
        f"{short(level, 1)} within {within} and levels off near {fixed(constant.final_loss, 2)}; "
        f"the zero-last-layer and random starts fall below {short(good, 1)}. Right, training "
        f"accuracy: zero and zero weights with biases stay at {stuck} percent{_blips(res)}, "
        f"constant levels off near {const} percent, zero last layer and random climb to about "
        f"{learned} percent."
    )


def _blips(res: zc.ZeroConstantResults) -> str:
    """The steps at which a stuck start's accuracy leaves 50 % (its outputs, all near 0,
    straddle the threshold for a moment), as a clause of the alt text; empty if none."""
    parts = []
    for case, name in (("zero", "zero"), ("zero weights, bias", "zero weights with biases")):
        run = res.runs[case]
        steps = np.flatnonzero(run.accuracy != run.final_accuracy)
        if steps.size == 1:
            parts.append(f"{name} jumps to {_percent(run.accuracy[steps[0]])} percent for one "
                         f"step, step {steps[0]}")
        elif steps.size:
            parts.append(f"{name} leaves it on {steps.size} steps, at most "
                         f"{_percent(run.accuracy[steps].max())} percent")
    return f" (except that {' and '.join(parts)})" if parts else ""


def _training_caption(res: zc.ZeroConstantResults) -> str:
    cfg = res.config
    return (
        f"Loss and training accuracy of the same {'-'.join(map(str, cfg.sizes))} "
        f"{cfg.activation} network learning two spirals from {word(len(cfg.cases))} starts "
        f"(full-batch gradient descent, learning rate {short(cfg.lr)}). The zero start never "
        f"moves; zero weights with biases {short(cfg.bias)} stays on the plateau at ln 2; the "
        "constant start learns quickly but stalls near the best a straight line can do; only "
        "the starts whose hidden units differ learn the spirals. " + _training_caveats(res)
    )


def loss_spike(run: zc.ZeroConstantRun, after: int = 100) -> tuple[int, float, int]:
    """The largest loss after step ``after``: ``(step, loss, steps above 1.5 x the lowest
    loss so far)``, the last being how long the spike lasts (0 if the curve never jumps)."""
    step = after + int(np.argmax(run.loss[after:]))
    above = run.loss > 1.5 * np.minimum.accumulate(run.loss)
    return step, float(run.loss[step]), int(above.sum())


def _training_caveats(res: zc.ZeroConstantResults) -> str:
    """Caption sentences on what the curves show that is not learning."""
    cfg, runs = res.config, res.runs
    spikes = []
    for case, name in (("random", "random"), ("zero last layer", "zero last layer")):
        step, loss, steps = loss_spike(runs[case])
        if steps:
            spikes.append(f"the {name} start's to {fixed(loss, 2)} at step {step} "
                          f"(above 1.5 times its lowest loss so far for {steps} steps)")
    parts = []
    if spikes:
        parts.append("The loss spikes are brief instabilities of full-batch gradient descent at "
                     f"this learning rate, not the start of learning: {' and '.join(spikes)}.")
    blips = res.runs["zero weights, bias"]
    odd = np.flatnonzero(blips.accuracy != blips.final_accuracy)
    if odd.size == 1:
        parts.append(f"The zero-weights-with-biases start's accuracy jumps to "
                     f"{pct(blips.accuracy[odd[0]])} for one step ({odd[0]}): its output is close "
                     "to 0 for every point, and tiny input-dependent differences decide the class.")
    const = runs["constant"]
    parts.append(f"The constant start's loss begins at {fixed(const.loss[0], 2)}, far above ln 2: "
                 f"its {cfg.sizes[-2]} equal units, each with outgoing weight {short(cfg.constant)}, "
                 f"add up to outputs of up to ±{short(cfg.sizes[-2] * cfg.constant)}, confidently "
                 "wrong on about half the points.")
    return " ".join(parts)


page.figure("zero-constant-training", "zero_constant:training_curves", SPIRALS,
            alt=_training_alt, caption=_training_caption)


def _regions_alt(res: zc.ZeroConstantResults) -> str:
    cfg = res.config
    stuck, const, learned = _accuracies(res)
    return (
        f"{word(len(res.runs), capital=True)} square panels of the plane from "
        f"{short(-cfg.extent)} to {short(cfg.extent)}, each with the {len(res.x)} training "
        "points of two interleaved spirals (class 0 as blue circles, class 1 as orange "
        "triangles) over the class the trained network predicts (light blue plain, or light "
        "orange hatched). Zero start and zero weights with biases "
        f"{short(cfg.bias)}: the whole plane is one class, {stuck} percent right. Constant "
        f"start: the plane is split by one straight line, about {const} percent right. Zero "
        "last layer only, and random: the boundary winds between the two spiral arms, about "
        f"{learned} percent right."
    )


page.figure(
    "zero-constant-regions", "zero_constant:decision_regions", SPIRALS,
    alt=_regions_alt,
    caption=(
        "Decision regions after training: the predicted class at each point of the plane "
        "(hatched: class 1), with the training points. Equal hidden units can at best draw a "
        "straight line; networks whose hidden units differ follow the spirals."
    ),
)


# --------------------------------------------------------------------------- values: set-up and prose

@page.value("zero-constant-setup", "The network, data and training run of the page.", SPIRALS)
def setup(res: zc.ZeroConstantResults) -> str:
    c = res.config
    sizes = "-".join(str(s) for s in c.sizes)
    return (f"a {sizes} {c.activation} network learns to separate two spirals of "
            f"{c.n_points} points ({c.n_points // 2} per class) by {c.steps} steps of full-batch "
            f"gradient descent on the cross-entropy, learning rate {short(c.lr)}")


@page.value("zero-constant-starts", "How many starts the page compares, in words.", SPIRALS)
def starts(res: zc.ZeroConstantResults) -> str:
    return word(len(res.runs))


@page.value("zero-constant-bias", "The bias of the zero-weights-with-biases start.", SPIRALS)
def bias(res: zc.ZeroConstantResults) -> str:
    return short(res.config.bias)


@page.value("zero-constant-constant", "The weight of the constant start.", SPIRALS)
def constant(res: zc.ZeroConstantResults) -> str:
    return short(res.config.constant)


@page.value("zero-constant-first-moves",
            "The update at which each layer of the zero-weights-with-biases start first moves.", SPIRALS)
def first_moves(res: zc.ZeroConstantResults) -> str:
    moves = res.runs["zero weights, bias"].first_move
    order = sorted((m, k) for k, m in enumerate(moves) if m is not None)
    parts = [f"$W_{k + 1}$ at {'update ' if i == 0 else ''}{m}" for i, (m, k) in enumerate(order)]
    return ", ".join(parts)


# --------------------------------------------------------------------------- values: tables

@page.value("zero-constant-gradient-table",
            "Gradient norms at step 0 and the first update that moves each layer.", SPIRALS)
def gradient_table(res: zc.ZeroConstantResults) -> str:
    labels = case_labels(res.config)
    n = len(res.config.sizes) - 1
    head = " / ".join(f"$W_{k + 1}$" for k in range(n))
    rows = []
    for case, run in res.runs.items():
        norms = " / ".join(f"${sci(float(np.linalg.norm(dW)))}$" for dW, _ in run.first_gradients)
        moves = " / ".join("never" if m is None else str(m) for m in run.first_move)
        rows.append([labels[case], norms, moves])
    return table(["start", f"$\\lVert\\partial L/\\partial W\\rVert$ at step 0: {head}",
                  f"first update that moves {head}"], rows)


@page.value("zero-constant-table", "Final loss, accuracy and unit symmetry per start.", SPIRALS)
def final_table(res: zc.ZeroConstantResults) -> str:
    labels = case_labels(res.config)
    rows = []
    for case, run in res.runs.items():
        diffs = " / ".join(f"${sci(max_pairwise_difference(W))}$" for W in run.weights[:-1])
        rows.append([labels[case], diffs, f"${short(run.final_loss, 4)}$", pct(run.final_accuracy)])
    return table(["start", "largest difference between two hidden units, layer 1 / layer 2",
                  f"loss after {res.config.steps} steps", "training accuracy"], rows)


# --------------------------------------------------------------------------- values: sentences

@page.value("zero-constant-best-line", "Best accuracy of a straight-line boundary on the spirals.", SPIRALS)
def best_line(res: zc.ZeroConstantResults) -> str:
    best = zc.best_linear_accuracy(res.x, res.y, directions=DIRECTIONS)
    return f"{pct(best)} right (searched over {DIRECTIONS} directions)"


@page.value("zero-constant-accuracy-constant", "Training accuracy of the constant start.", SPIRALS)
def acc_constant(res: zc.ZeroConstantResults) -> str:
    return pct(res.runs["constant"].final_accuracy)


@page.value("zero-constant-accuracy-zero-last", "Training accuracy of the zero-last-layer start.", SPIRALS)
def acc_zero_last(res: zc.ZeroConstantResults) -> str:
    return pct(res.runs["zero last layer"].final_accuracy)


@page.value("zero-constant-accuracy-random", "Training accuracy of the random start.", SPIRALS)
def acc_random(res: zc.ZeroConstantResults) -> str:
    return pct(res.runs["random"].final_accuracy)


@page.value("zero-constant-constant-bound",
            "Best threshold accuracy along the constant network's own direction.", SPIRALS)
def constant_bound(res: zc.ZeroConstantResults) -> str:
    w = res.runs["constant"].weights[0][0]
    return pct(zc.best_threshold_accuracy(res.x @ w, res.y))


@page.value("zero-constant-zero-bias", "Output bias of the zero start after training.", SPIRALS)
def zero_output_bias(res: zc.ZeroConstantResults) -> str:
    return f"${sci(float(res.runs['zero'].biases[-1][0]))}$"


@page.value("zero-constant-plateau", "How far the zero-weights-with-biases start moved.", SPIRALS)
def plateau(res: zc.ZeroConstantResults) -> str:
    run = res.runs["zero weights, bias"]
    moved = [float(np.abs(W - W0).max()) for W, W0 in zip(run.weights, run.initial_weights)]
    gap = np.log(2.0) - run.final_loss
    return (f"after {res.config.steps} steps its loss is $\\ln 2 - {sci(gap)}$, and no weight of "
            f"the first layer has moved by more than ${sci(moved[0])}$")

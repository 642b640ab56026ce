"""The Xavier/Glorot page (``docs/concepts/xavier.md``): Glorot & Bengio's (2010) experiment.

Runs: the deep tanh network at initialization under the paper's "standard" and
"normalized" inits (every figure and every table of the page), and the singular values of
the same network's layer Jacobians. The worked example is one draw of `init.xavier_uniform`
and `init.xavier_normal` for one layer (`EXAMPLE_SHAPE`, `EXAMPLE_SEED`), not a run.
"""

from __future__ import annotations

import math

import numpy as np

from initnotes import init
from initnotes.experiments import xavier
from initnotes.format import fixed, num, pct, short, table, word
from initnotes.pages import Page

page = Page("xavier", "concepts/xavier.md")

#: Seed of the worked example's draw and of the Jacobian run.
EXAMPLE_SEED = 1
#: Shape of the worked example, PyTorch layout (fan_out, fan_in): a 784 -> 256 layer.
EXAMPLE_SHAPE = (256, 784)
#: The first layer (1-based) whose shrink factor under the standard init the page quotes:
#: from here up, tanh is close to linear and the factor close to 1/sqrt(3).
FIRST_LINEAR_LAYER = 3
#: Input variance of exercise 4, small enough to keep every tanh layer linear.
SMALL_INPUT_VARIANCE = 0.01

GLOROT = page.run("xavier-glorot", xavier.glorot_experiment, xavier.GlorotConfig(), seed=2010)
JACOBIANS = page.run("xavier-jacobians", xavier.jacobian_singular_values, xavier.GlorotConfig(),
                     seed=EXAMPLE_SEED)





def predictions(cfg: xavier.GlorotConfig, scheme: str) -> tuple[xavier.Prediction, xavier.Prediction]:
    """(linear theory, mean field) for the configuration ``cfg``."""
    c = cfg.weight_variance_times_n(scheme)
    return xavier.linear_prediction(cfg.depth, c), xavier.mean_field_prediction(cfg.depth, c)


def mean_field_deviation(res: xavier.GlorotResults) -> float:
    """Largest relative difference between a measured std (activations or dL/dz, any layer,
    either scheme) and the mean-field recursion."""
    worst = 0.0
    for scheme in res.stats:
        _, mf = predictions(res.config, scheme)
        for measured, predicted in ((res.activation_std(scheme), mf.activation_std),
                                    (res.gradient_std(scheme), mf.gradient_std)):
            worst = max(worst, float(np.max(np.abs(measured / predicted - 1))))
    return worst


# --------------------------------------------------------------------------- figures

page.figure(
    "xavier-activation-histograms", "xavier:layer_histograms", GLOROT, which="activation",
    alt=lambda res: (
        f"Two panels of histogram curves, one curve per hidden layer 1 to {res.config.depth} of a "
        f"tanh network with {res.config.width} units per layer. Top, standard init: the curves "
        f"get narrower and taller around 0 from layer 1 to layer {res.config.depth}, so deeper "
        "layers' activations collapse towards 0. Bottom, normalized init: the curves are wide "
        "and overlap, spread over most of -1 to 1, narrowing only slowly with depth."
    ),
    caption=lambda res: (
        f"Activation values $h_l = \\tanh(a_l)$ of the {word(res.config.depth)} hidden layers at "
        f"initialization (normalized histograms of {res.config.batch} inputs × {res.config.width} "
        "units per layer), as in Glorot & Bengio's Figure 6. With the standard init each layer "
        "shrinks the signal (peak at 0 grows with depth); with the normalized init the "
        "distributions stay wide."
    ),
)

page.figure(
    "xavier-gradient-histograms", "xavier:layer_histograms", GLOROT, which="gradient",
    alt=lambda res: (
        "Two panels of histogram curves of the back-propagated gradient with respect to the "
        f"pre-activations, one curve per layer 1 to {res.config.depth}. Top, standard init: layer "
        "1's curve is a tall narrow spike at 0 and each higher layer's curve is wider and lower, "
        f"up to layer {res.config.depth}. Bottom, normalized init: the {word(res.config.depth)} "
        "curves are much closer to each other, layer 1 only somewhat narrower than layer "
        f"{res.config.depth}."
    ),
    caption=(
        "Back-propagated gradients $\\partial L/\\partial a_l$ at initialization, per layer, as in "
        "Glorot & Bengio's Figure 7. With the standard init the gradient shrinks on its way down "
        "(the peak at 0 is highest for layer 1); with the normalized init it shrinks much less, "
        "and what remains comes from $\\tanh'$ being below 1, not from the weights."
    ),
)


def _layer_std_alt(res: xavier.GlorotResults) -> str:
    depth = res.config.depth
    a_s, a_n = res.activation_std("standard"), res.activation_std("normalized")
    g_s, g_n = res.gradient_std("standard"), res.gradient_std("normalized")
    linear_n, _ = predictions(res.config, "normalized")

    return (
        f"Three line charts on a log scale against layer 1 to {depth}, standard init in "
        "vermillion circles, normalized init in blue squares, dotted lines for the linear "
        f"theory. Left, activation std: standard falls from about {short(a_s[0], 2)} to "
        f"{short(a_s[-1], 2)}, close to its dotted line; normalized falls from {short(a_n[0], 2)} to "
        f"{short(a_n[-1], 2)} while its linear prediction stays at "
        f"{short(linear_n.activation_std[0], 2)}. Middle, gradient std: standard rises from about "
        f"{short(g_s[0], 2)} at layer 1 to {short(g_s[-1], 2)} at layer {depth}, normalized from "
        f"{short(g_n[0], 2)} to {short(g_n[-1], 2)}. Right, weight-gradient std: both lines are flat."
    )


page.figure(
    "xavier-layer-std", "xavier:layer_std", GLOROT,
    alt=_layer_std_alt,
    caption=(
        "Standard deviation per layer of the activations, of the back-propagated gradients "
        "$\\partial L/\\partial a_l$ and of the weight gradients $\\partial L/\\partial W_l$ "
        "(solid/dashed, measured; dotted, the linear-regime theory). The standard init shrinks "
        "activations going up and gradients going down by $1/\\sqrt3$ per layer, as the "
        "theory says; the weight gradients, products of the two, stay flat under both inits."
    ),
)


# --------------------------------------------------------------------------- values: the setting

@page.value("xavier-setup", "Width, depth and batch of the Glorot experiment.")
def setup() -> str:
    cfg = GLOROT.config
    return (f"{cfg.depth} hidden layers of {cfg.width} tanh units, fed a batch of "
            f"{cfg.batch} standard-normal inputs")


@page.value("xavier-width", "Units per layer of the Glorot experiment.")
def width() -> str:
    return str(GLOROT.config.width)


@page.value("xavier-depth", "Hidden layers of the Glorot experiment (the top layer's number).")
def depth() -> str:
    return str(GLOROT.config.depth)


@page.value("xavier-example-layer", "Inputs and units of the worked example's layer.")
def example_layer() -> str:
    fan_in, fan_out = init.fans(EXAMPLE_SHAPE)
    return f"{fan_in} inputs and {fan_out} units"


# --------------------------------------------------------------------------- values: the worked example

@page.value("xavier-worked-example",
            "Forward, backward and compromise variances for a {1} -> {0} layer, with a draw."
            .format(*EXAMPLE_SHAPE))
def worked_example() -> str:
    fan_in, fan_out = init.fans(EXAMPLE_SHAPE)
    rng = np.random.default_rng(EXAMPLE_SEED)
    wu = init.xavier_uniform(EXAMPLE_SHAPE, rng=rng)
    wn = init.xavier_normal(EXAMPLE_SHAPE, rng=rng)
    var = 2 / (fan_in + fan_out)
    rows = [
        ("forward condition", "$1/\\text{fan\\_in}$", 1 / fan_in, ""),
        ("backward condition", "$1/\\text{fan\\_out}$", 1 / fan_out, ""),
        ("compromise $\\operatorname{Var}(w)$", "$2/(\\text{fan\\_in} + \\text{fan\\_out})$", var, ""),
        ("normal: std", "$\\sqrt{2/(\\text{fan\\_in} + \\text{fan\\_out})}$", math.sqrt(var),
         fixed(wn.std(), 5)),
        ("uniform: bound $b$", "$\\sqrt{6/(\\text{fan\\_in} + \\text{fan\\_out})}$",
         math.sqrt(3 * var), f"{fixed(np.abs(wu).max(), 5)} (largest $\\lvert w\\rvert$)"),
        ("uniform: std", "$b/\\sqrt3$", math.sqrt(var), fixed(wu.std(), 5)),
    ]
    return table(["quantity", "formula", f"value for fan_in = {fan_in}, fan_out = {fan_out}",
                  f"one draw of `xavier_*(({fan_out}, {fan_in}))`"],
                 [(name, formula, fixed(v, 5), measured) for name, formula, v, measured in rows],
                 ["---", "---", "---:", "---:"])


# --------------------------------------------------------------------------- values: the experiment

def _std_table(res: xavier.GlorotResults, kind: str) -> str:
    cols = []
    for scheme in res.stats:
        lin, mf = predictions(res.config, scheme)
        if kind == "activation":
            cols += [res.activation_std(scheme), lin.activation_std, mf.activation_std]
        else:
            cols += [res.gradient_std(scheme), lin.gradient_std, mf.gradient_std]
    rows = [[k + 1] + [fixed(c[k]) for c in cols] for k in range(res.config.depth)]
    return table(["layer", "standard: measured", "linear theory", "with $\\tanh$",
                  "normalized: measured", "linear theory", "with $\\tanh$"], rows, "---:")


@page.value("xavier-activation-table",
            "std of the activations per layer: measured, linear theory, mean field.", GLOROT)
def activation_table(res: xavier.GlorotResults) -> str:
    return _std_table(res, "activation")


@page.value("xavier-gradient-table",
            "std of dL/dz per layer: measured, linear theory, mean field.", GLOROT)
def gradient_table(res: xavier.GlorotResults) -> str:
    return _std_table(res, "gradient")


@page.value("xavier-mean-field-match",
            "Largest relative difference between the measured stds and the mean-field recursion.",
            GLOROT)
def mean_field_match(res: xavier.GlorotResults) -> str:
    return pct(mean_field_deviation(res), 0)


@page.value("xavier-gradient-shrink",
            "std of dL/dz at layer 1 divided by that at the top layer, per scheme.", GLOROT)
def gradient_shrink(res: xavier.GlorotResults) -> str:
    r = {s: res.gradient_std(s)[0] / res.gradient_std(s)[-1] for s in res.stats}
    return f"{num(r['standard'])} with the standard init and {num(r['normalized'])} with the normalized one"


@page.value("xavier-weight-gradient-spread",
            "Largest over smallest per-layer std of dL/dW, per scheme.", GLOROT)
def weight_gradient_spread(res: xavier.GlorotResults) -> str:
    r = {s: res.weight_gradient_std(s).max() / res.weight_gradient_std(s).min() for s in res.stats}
    return f"{num(r['standard'], 3)} (standard) and {num(r['normalized'], 3)} (normalized)"


def standard_ratios(res: xavier.GlorotResults) -> np.ndarray:
    """std of the activations of each layer from `FIRST_LINEAR_LAYER` up over the layer below,
    standard init."""
    a = res.activation_std("standard")
    return a[FIRST_LINEAR_LAYER - 1:] / a[FIRST_LINEAR_LAYER - 2:-1]


@page.value("xavier-standard-ratio-layers",
            "The layers whose shrink factor xavier-standard-ratio lists.")
def standard_ratio_layers() -> str:
    return f"layers {FIRST_LINEAR_LAYER} to {GLOROT.config.depth}"


@page.value("xavier-standard-ratio",
            f"Measured per-layer shrink factor of the activations, standard init, layers "
            f"{FIRST_LINEAR_LAYER}-{GLOROT.config.depth}.", GLOROT)
def standard_ratio(res: xavier.GlorotResults) -> str:
    return ", ".join(fixed(r, 3) for r in standard_ratios(res))


@page.value("xavier-layer1-std",
            "std of tanh(z) for z ~ N(0, 1): layer 1 under the normalized init.", GLOROT)
def layer1_std(res: xavier.GlorotResults) -> str:
    _, mf = predictions(res.config, "normalized")
    pred = mf.activation_std[0]
    meas = res.activation_std("normalized")[0]
    return f"$\\sqrt{{\\mathbb E[\\tanh(a)^2]}} = {fixed(pred, 3)}$ (measured: {fixed(meas, 3)})"


@page.value("xavier-jacobian", "Mean singular value of each layer's Jacobian, per scheme.", JACOBIANS)
def jacobian_sentence(j: xavier.LayerJacobianResults) -> str:
    std = ", ".join(fixed(v, 2) for v in j.jacobian["standard"])
    nor = ", ".join(fixed(v, 2) for v in j.jacobian["normalized"])
    return f"{std} (standard, layers 1 to {j.config.depth}) and {nor} (normalized)"


@page.value("xavier-quarter-circle",
            "Mean singular value of W alone: quarter-circle law and measured.", JACOBIANS)
def quarter_circle(j: xavier.LayerJacobianResults) -> str:
    parts = []
    for scheme in j.weights:
        c = j.config.weight_variance_times_n(scheme)
        parts.append(f"{fixed(xavier.quarter_circle_mean(c), 3)} for the {scheme} init "
                     f"(measured: {fixed(j.weights[scheme].mean(), 3)})")
    return " and ".join(parts)


@page.value("xavier-small-input",
            f"Mean-field gradient ratio layer 1 / layer {GLOROT.config.depth} for inputs of "
            f"variance {short(SMALL_INPUT_VARIANCE)}.")
def small_input() -> str:
    cfg = GLOROT.config
    c = cfg.weight_variance_times_n("normalized")
    ratio = {}
    for var in (1.0, SMALL_INPUT_VARIANCE):
        p = xavier.mean_field_prediction(cfg.depth, c, input_variance=var)
        ratio[var] = fixed(p.gradient_std[0] / p.gradient_std[-1], 3)
    return (f"{ratio[SMALL_INPUT_VARIANCE]} for inputs of variance {short(SMALL_INPUT_VARIANCE)}, "
            f"against {ratio[1.0]} for variance 1")


# --------------------------------------------------------------------------- values: corrected claims

@page.value("xavier-normalized-shrink-factor",
            "How many times smaller dL/da is at layer 1 than at the top layer, normalized init.", GLOROT)
def normalized_shrink_factor(res: xavier.GlorotResults) -> str:
    g = res.gradient_std("normalized")
    return num(g[-1] / g[0], 2)


def standard_level(res: xavier.GlorotResults) -> np.ndarray:
    """Per layer, how far below the linear theory the measured activation std lies (a share),
    standard init."""
    lin, _ = predictions(res.config, "standard")
    return 1 - res.activation_std("standard") / lin.activation_std


def standard_gradient_fit(res: xavier.GlorotResults) -> np.ndarray:
    """Per layer, |measured / linear theory - 1| of the std of dL/da, standard init."""
    lin, _ = predictions(res.config, "standard")
    return np.abs(res.gradient_std("standard") / lin.gradient_std - 1)


@page.value("xavier-standard-level", "How far the standard init's activations lie below the linear theory.",
            GLOROT)
def standard_level_text(res: xavier.GlorotResults) -> str:
    below = standard_level(res)
    return (f"{fixed(100 * below.min(), 0)} to {fixed(100 * below.max(), 0)} % below the linear "
            f"theory at every layer ({fixed(100 * below[1], 0)} % at layer 2, "
            f"{fixed(100 * below[-1], 0)} % at layer {res.config.depth})")


@page.value("xavier-standard-gradient-fit", "How closely dL/da follows the linear theory, standard init.",
            GLOROT)
def standard_gradient_fit_text(res: xavier.GlorotResults) -> str:
    fit = standard_gradient_fit(res)
    return (f"within {fixed(100 * fit[FIRST_LINEAR_LAYER - 1:].max(), 0)} % from layer "
            f"{FIRST_LINEAR_LAYER} up, while layer 2 is {fixed(100 * fit[1], 0)} % and layer 1 "
            f"{fixed(100 * fit[0], 0)} % below it")


def sigmoid_backward() -> tuple[float, float]:
    """The fixed point q* of the sigmoid network's pre-activation variance for n Var(w) = 1,
    and the backward factor sqrt(E[sigmoid'(a)^2]) there."""
    from initnotes import theory

    q = 1.0
    for _ in range(200):
        q = float(theory.q_map(q, 1.0, activation="sigmoid"))
    _, dphi = theory.activation_functions("sigmoid")
    return q, math.sqrt(float(theory.gaussian_expectation(lambda a: dphi(a) ** 2, q)))


@page.value("xavier-sigmoid-backward", "The sigmoid's backward factor per layer with Var(w) = 1/fan_in.")
def sigmoid_backward_text() -> str:
    q, factor = sigmoid_backward()
    depth = GLOROT.config.depth
    return (f"the pre-activations settle at variance {fixed(q, 2)}, where "
            f"$\\sqrt{{\\mathbb E[\\sigma'(a)^2]}} = {fixed(factor, 3)}$: the back-propagated "
            f"gradient shrinks by that factor at every layer, ${fixed(factor, 3)}^{{{depth}}} = "
            f"{num(factor ** depth, 2)}$ over {word(depth)} layers, although the weights keep the "
            "variance ($n \\operatorname{Var}(w) = 1$)")

"""The "Choosing an initializer" page (``docs/concepts/choosing.md``): the gains, the
frameworks' defaults, and what the defaults do to a deep network.

Runs: the defaults' standard deviation against the layer's shape, one example layer drawn
from each default, and deep ReLU and tanh networks under each default and He, once per seed
of `DEPTH_SEEDS` (the figure and the table show the median and the range over them). The
gain table and the tanh fixed points are formulas (no random draw).
"""

from __future__ import annotations

import math

import numpy as np

from initnotes import init as initializers
from initnotes.experiments import edge_of_chaos, frameworks, he
from initnotes.format import fixed, num, sci, short, table, word
from initnotes.pages import Page

page = Page("choosing", "concepts/choosing.md")

STD = page.run("choosing-default-std", frameworks.default_stds, frameworks.StdConfig(), seed=0)
#: The example layer of the page: PyTorch weight (out, in) = (128, 256), Keras kernel (256, 128).
LAYER = page.run("choosing-example-layer", frameworks.sample_defaults, frameworks.LayerConfig(), seed=0)
#: One set of deep networks per seed: a deep ReLU network's last layer varies by a factor of
#: 4 from one draw to the next, so the page shows the median and the range over these.
DEPTH_SEEDS = tuple(range(20))
DEPTHS = tuple(page.run(f"choosing-default-depth-seed-{s}", frameworks.propagate_defaults,
                        frameworks.PropagateConfig(), seed=s) for s in DEPTH_SEEDS)
#: The first seed's networks (the tutorial draws its own).
DEPTH = DEPTHS[0]

GAIN_ROWS: tuple[tuple[str, float | None, str], ...] = (
    ("linear", None, "`linear` (and `conv*`, `sigmoid`)"),
    ("tanh", None, "`tanh`"),
    ("relu", None, "`relu`"),
    ("leaky_relu", None, "`leaky_relu`, slope 0.01 (`calculate_gain`'s default; `kaiming_normal_`'s is `a=0`)"),
    ("leaky_relu", 0.2, "`leaky_relu`, slope 0.2"),
    ("leaky_relu", math.sqrt(5.0), "`leaky_relu`, $a = \\sqrt 5$ (PyTorch's layer default)"),
    ("selu", None, "`selu`"),
)

#: How each initializer of the deep-network comparison is named in its table.
DEPTH_NAMES = {"pytorch": "PyTorch default", "keras": "Keras default (square layer)",
               "flax": "Flax default", "he": "He (ReLU)"}


def var_times_n(key: str, n: int) -> float:
    """Var(w) * n of a square layer of width n: a framework's default, or He's for "he"."""
    if key == "he":
        return initializers.gain("relu") ** 2
    return frameworks.default_std(key, n, n) ** 2 * n


def relu_factor(key: str, n: int) -> float:
    """The RMS factor per layer a ReLU network gets from ``Var(w) n / 2`` (theory)."""
    return math.sqrt(var_times_n(key, n) / 2)


def measured_factor(rms: np.ndarray) -> float:
    """The geometric mean of the layer-to-layer RMS ratios."""
    return float(np.exp(np.mean(np.log(rms[1:] / rms[:-1]))))


# --------------------------------------------------------------------------- figures

def _std_alt(res: frameworks.StdResults) -> str:
    m = res.config.fan_in_for_ratios
    c = {key: short(math.sqrt(var_times_n(key, m)), 2) for key in ("pytorch", "flax", "he")}
    return (
        "Two plots of the standard deviation of the default weights of PyTorch, Keras and "
        "Flax dense layers, with He initialization for reference; lines are formulas and "
        "open markers are sampled weights, which lie on the lines. Left, for square layers on "
        "log axes: four parallel lines falling as one over the square root of fan_in; "
        "PyTorch's is the lowest, He's the highest, Keras' and Flax's coincide. Right, the "
        "standard deviation times the square root of fan_in against the ratio fan_out over "
        f"fan_in: flat for PyTorch ({c['pytorch']}), Flax ({c['flax']}) and He ({c['he']}); "
        "Keras' falls as fan_out grows because it averages the two fans."
    )


page.figure(
    "choosing-default-std", "choosing:default_std_figure", STD,
    alt=_std_alt,
    caption=(
        "Default weight scales of the frameworks' dense layers, as the package reproduces "
        "them (markers: standard deviation of one sampled weight matrix; lines: formulas). "
        "PyTorch draws $\\mathcal{U}(\\pm 1/\\sqrt{\\text{fan\\_in}})$, "
        "$\\operatorname{Var} = 1/(3\\,\\text{fan\\_in})$; Keras draws Glorot-uniform, "
        "$\\operatorname{Var} = 2/(\\text{fan\\_in} + \\text{fan\\_out})$; Flax draws "
        "LeCun-normal, truncated, $\\operatorname{Var} = 1/\\text{fan\\_in}$. None of them "
        "is He's $2/\\text{fan\\_in}$. Keras and Flax coincide for a square layer, so in the "
        "left panel Keras' line lies under Flax's."
    ),
    formula=frameworks.default_std,
)


def median_rms(results, activation: str, key: str) -> np.ndarray:
    """The median over the seeds of the RMS per layer."""
    return np.median([r.rms(activation, key) for r in results], axis=0)


def _depth_alt(*results: frameworks.PropagateResults) -> str:
    res = results[0]
    rms = median_rms(results, "relu", "pytorch")
    drop = int(np.floor(np.log10(rms[0] / rms[-1])))
    he_last = depth_stats(results, "he")["last"]
    med = np.median(he_last)
    band = max(med / he_last.min(), he_last.max() / med)
    return (
        "Two log-scale line charts of the root mean square of the activations in each layer "
        f"of a {res.config.depth}-layer network of width {res.config.width} with unit-variance "
        f"inputs: the median over {word(len(results))} draws of the weights, with a shaded band "
        "from the smallest to the largest draw. ReLU: under He initialization the median line "
        f"is nearly flat, with a band that widens to at most a factor of {num(band, 1)} either way "
        "at the last layer; under the Keras and "
        "Flax defaults it falls steadily, by a factor of about the square root of 2 per layer; "
        "under the PyTorch default it falls fastest, by about the square root of 6 per layer, "
        f"more than {word(drop)} orders of magnitude in all. Tanh: the Keras and Flax "
        "defaults decay slowly, the PyTorch default fast, and He keeps a constant level."
    )


page.figure(
    "choosing-default-depth", "choosing:default_depth_figure", DEPTHS,
    alt=_depth_alt,
    caption=lambda *results: (
        "The frameworks' default weight initializations in deep fully connected networks "
        "(weights only, zero biases; the package's `signal.propagate`): median over "
        f"{len(results)} seeds, shaded from the smallest to the largest draw. Every default keeps "
        "a *single* layer at a sensible scale, but none of them is He initialization: "
        "stacked with ReLU, each layer multiplies the second moment by $1/2$ (Keras, Flax) or "
        "$1/6$ (PyTorch). For a deep ReLU network, ask for He initialization explicitly."
    ),
)


# --------------------------------------------------------------------------- values: gains

@page.value("choosing-gain-table",
            "Gains of calculate_gain and the He-normal std they give for the example layer's fan_in.")
def gain_table() -> str:
    n = LAYER.config.fan_in
    rows = []
    for name, param, label in GAIN_ROWS:
        g = initializers.gain(name, param)  # type: ignore[arg-type]
        rows.append([label, fixed(g, 4), fixed(g * g, 4), fixed(g / math.sqrt(n), 4),
                     fixed(g * math.sqrt(3 / n), 4)])
    for key, name in GELU_SILU.items():
        g = he.activation_gains(key)[0]
        rows.append([f"`{key}` ({name}): no `calculate_gain` entry; the forward gain of the "
                     "[He page](he.md#gains-one-formula-for-every-nonlinearity)", fixed(g, 4),
                     fixed(g * g, 4), fixed(g / math.sqrt(n), 4), fixed(g * math.sqrt(3 / n), 4)])
    return table(["nonlinearity", "gain $g$", "$g^2$", f"std $g/\\sqrt{{{n}}}$",
                  f"uniform bound $g\\sqrt{{3/{n}}}$"], rows, ["---"] + ["---:"] * 4)


@page.value("choosing-gain-fan-in", "The fan_in used in the gain table.")
def gain_fan_in() -> str:
    return f"fan_in = {LAYER.config.fan_in}"


@page.value("choosing-tanh-gain", "Where gain 1 and gain 5/3 put a bias-free tanh network.")
def tanh_gain() -> str:
    rows = []
    for label, g in (("1", 1.0), ("5/3", initializers.gain("tanh"))):
        sw = g * g
        rows.append((label, sw, float(edge_of_chaos.q_star(sw, 0.0)), float(edge_of_chaos.chi_1(sw, 0.0))))
    (l1, s1, q1, c1), (l2, s2, q2, c2) = rows
    return (
        f"with gain {l1} ($\\sigma_w^2 = {s1:g}$) the fixed point is $q^* = {q1:g}$ and "
        f"$\\chi_1 = {fixed(c1, 3)}$, exactly the edge of chaos, but the signal decays (slowly) "
        f"towards 0; with gain {l2} ($\\sigma_w^2 = {fixed(s2, 3)}$) the activations settle at "
        f"$q^* = {fixed(q2, 3)}$ and $\\chi_1 = {fixed(c2, 3)}$, a little on the chaotic side. "
        f"A little per layer compounds: over {TANH_DEPTH} layers the mean squared gradient "
        f"grows by $\\chi_1^{{{TANH_DEPTH}}} \\approx {num(c2 ** TANH_DEPTH, 2)}$, the "
        f"gradient's standard deviation by about {num(c2 ** (TANH_DEPTH / 2), 2)}"
    )


#: The depth at which the page states what gain 5/3's chi_1 does to the gradients.
TANH_DEPTH = 50


# --------------------------------------------------------------------------- values: one layer

#: The rule of each default as LaTeX (a formula, not a measured number).
RULE_TEX = {
    "pytorch": "$\\mathcal{U}$, $\\frac{1}{3\\,n_\\text{in}}$",
    "keras": "$\\mathcal{U}$, $\\frac{2}{n_\\text{in} + n_\\text{out}}$",
    "flax": "truncated $\\mathcal{N}$, $\\frac{1}{n_\\text{in}}$",
}


@page.value("choosing-default-calls", "The example layer as each framework's constructor call.")
def default_calls() -> str:
    c = LAYER.config
    return f"`nn.Linear({c.fan_in}, {c.fan_out})`, `Dense({c.fan_out})` or `nn.Dense({c.fan_out})`"


@page.value("choosing-example-shape", "The example layer's shape in both layouts.")
def example_shape() -> str:
    c = LAYER.config
    return (
        f"For a dense layer with {c.fan_in} inputs and {c.fan_out} outputs "
        f"(PyTorch weight shape `({c.fan_out}, {c.fan_in})`, Keras/Flax kernel "
        f"shape `({c.fan_in}, {c.fan_out})`)"
    )


@page.value("choosing-example-layer", "Each framework's default for the example dense layer.", LAYER)
def example_layer(res: frameworks.LayerSamples) -> str:
    fi, fo = res.config.fan_in, res.config.fan_out
    rows = []
    for key, d in frameworks.DEFAULTS.items():
        w = res.weights[key]
        bias = "zeros" if d.bias == "zeros" else f"$\\mathcal{{U}}(\\pm {1 / math.sqrt(fi):g})$"
        rows.append([d.framework, RULE_TEX[key], fixed(frameworks.default_std(key, fi, fo), 4),
                     fixed(frameworks.default_bound(key, fi, fo), 4), fixed(w.std(), 4),
                     fixed(np.abs(w).max(), 4), bias])
    return table(["framework", "weights, variance", "std", "max $\\lvert w \\rvert$ possible",
                  "sampled std", "sampled max $\\lvert w \\rvert$", "bias"], rows,
                 ["---"] * 2 + ["---:"] * 4 + ["---"])


@page.value("choosing-sqrt5",
            "Why kaiming_uniform_ with a = sqrt(5) is U(-1/sqrt(fan_in), 1/sqrt(fan_in)).", LAYER)
def sqrt5(res: frameworks.LayerSamples) -> str:
    g = initializers.gain("leaky_relu", math.sqrt(5.0))
    n, w = res.config.fan_in, res.weights["pytorch"]
    return (
        f"$g = \\sqrt{{2/(1 + 5)}} = {fixed(g, 6)} = 1/\\sqrt 3$, so the bound "
        f"$g\\sqrt{{3/\\text{{fan\\_in}}}}$ is exactly $1/\\sqrt{{\\text{{fan\\_in}}}}$: for "
        f"fan_in = {n}, ${fixed(g * math.sqrt(3 / n), 6)} = 1/\\sqrt{{{n}}}$, and a sampled "
        f"${res.config.fan_out} \\times {n}$ weight has largest $|w| = {fixed(np.abs(w).max(), 6)}$"
    )


# --------------------------------------------------------------------------- values: deep network

def depth_stats(results, key: str, activation: str = "relu") -> dict[str, np.ndarray]:
    """Per seed: the measured per-layer factor and the last layer's RMS."""
    return {"factor": np.array([measured_factor(r.rms(activation, key)) for r in results]),
            "last": np.array([r.rms(activation, key)[-1] for r in results])}


def _spread(x: np.ndarray, show) -> str:
    return f"{show(np.median(x))} ({show(x.min())} to {show(x.max())})"


def _rms(x: float) -> str:
    return f"${sci(x)}$" if x < 0.01 else fixed(x, 2)


@page.value("choosing-depth-factors",
            "Per-layer RMS factor of each default in the deep ReLU net: median and range over seeds.",
            DEPTHS)
def depth_factors(*results: frameworks.PropagateResults) -> str:
    n = results[0].config.width
    rows = []
    for key, name in DEPTH_NAMES.items():
        s = depth_stats(results, key)
        rows.append([name, num(var_times_n(key, n), 3), fixed(relu_factor(key, n), 3),
                     _spread(s["factor"], lambda x: fixed(x, 3)), _spread(s["last"], _rms)])
    return table(["ReLU network", "$\\sigma_w^2\\cdot n$", "RMS factor per layer: theory",
                  f"measured (geometric mean): median (range) over {len(results)} seeds",
                  "last layer RMS: median (range)"], rows, ["---"] + ["---:"] * 4)


@page.value("choosing-depth-spread", "How much one draw of the deep He network varies.", DEPTHS)
def depth_spread(*results: frameworks.PropagateResults) -> str:
    s = depth_stats(results, "he")
    last = s["last"]
    ms = float(np.mean(last ** 2))
    depth = results[0].config.depth
    return (
        f"Over the {len(results)} seeds the He network's measured factor stays within "
        f"{fixed(s['factor'].min(), 3)} to {fixed(s['factor'].max(), 3)} of the theory's 1, but "
        f"compounded over {depth} layers that per-draw wobble moves the last layer's RMS from "
        f"{fixed(last.min(), 2)} to {fixed(last.max(), 2)} (median {fixed(np.median(last), 2)}); "
        f"averaged over the draws its mean square is {fixed(ms, 2)}, as the theory's 1 predicts. "
        "One draw is not the rule: a single network can look as if He decays, or grows"
    )


@page.value("choosing-tanh-pytorch", "The PyTorch default's per-layer factor in the deep tanh network.",
            DEPTHS)
def tanh_pytorch(*results: frameworks.PropagateResults) -> str:
    s = depth_stats(results, "pytorch", "tanh")
    return (f"{_spread(s['factor'], lambda x: fixed(x, 3))} per layer, close to "
            f"$1/\\sqrt 3 = {fixed(1 / math.sqrt(3), 3)}$")


@page.value("choosing-tanh-depth", "The depth of the tanh-gain remark.")
def tanh_depth() -> str:
    return str(TANH_DEPTH)


GELU_SILU = {"gelu": "GELU", "silu": "SiLU"}


@page.value("choosing-gelu-silu-gain", "The GELU/SiLU forward gains for the decision table.")
def gelu_silu_gain() -> str:
    return ", ".join(f"{GELU_SILU[key]} {fixed(he.activation_gains(key)[0], 2)}" for key in GELU_SILU)


@page.value("choosing-depth-setup", "The deep-network comparison's size.")
def depth_setup() -> str:
    c = DEPTH.config
    return f"{c.depth} layers of width {c.width}, a batch of {c.batch} standard-normal inputs"

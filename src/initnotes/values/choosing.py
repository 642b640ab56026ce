"""Numbers and tables of the "Choosing an initializer" page, computed by the package."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from initnotes import init as initializers
from initnotes.experiments import edge_of_chaos, frameworks
from initnotes.figures import choosing as figs
from initnotes.registry import value

#: The example layer of the page: PyTorch weight (out, in) = (128, 256), Keras kernel (256, 128).
EXAMPLE_FAN_IN, EXAMPLE_FAN_OUT = 256, 128
GAIN_ROWS: tuple[tuple[str, float | None, str], ...] = (
    ("linear", None, "`linear` (and `conv*`, `sigmoid`)"),
    ("tanh", None, "`tanh`"),
    ("relu", None, "`relu`"),
    ("leaky_relu", None, "`leaky_relu`, slope 0.01 (default)"),
    ("leaky_relu", 0.2, "`leaky_relu`, slope 0.2"),
    ("leaky_relu", math.sqrt(5.0), "`leaky_relu`, $a = \\sqrt 5$ (PyTorch's layer default)"),
    ("selu", None, "`selu`"),
)


def _f(x: float, digits: int = 4) -> str:
    return f"{x:.{digits}f}"


@value("choosing-gain-table", description="Gains of calculate_gain and the He-normal std they give for fan_in 256.")
def gain_table() -> str:
    n = EXAMPLE_FAN_IN
    lines = [f"| nonlinearity | gain $g$ | $g^2$ | std $g/\\sqrt{{{n}}}$ | uniform bound $g\\sqrt{{3/{n}}}$ |",
             "|---|---:|---:|---:|---:|"]
    for name, param, label in GAIN_ROWS:
        g = initializers.gain(name, param)  # type: ignore[arg-type]
        lines.append(f"| {label} | {_f(g)} | {_f(g * g)} | {_f(g / math.sqrt(n))} | "
                     f"{_f(g * math.sqrt(3 / n))} |")
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _example_samples() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(figs.SEED)
    shape = (EXAMPLE_FAN_OUT, EXAMPLE_FAN_IN)
    return {key: (frameworks.sample_weights(key, shape, rng), frameworks.sample_bias(key, shape, rng))
            for key in frameworks.DEFAULTS}


#: The rule of each default as LaTeX (a formula, not a measured number).
RULE_TEX = {
    "pytorch": "$\\mathcal{U}$, $\\frac{1}{3\\,n_\\text{in}}$",
    "keras": "$\\mathcal{U}$, $\\frac{2}{n_\\text{in} + n_\\text{out}}$",
    "flax": "truncated $\\mathcal{N}$, $\\frac{1}{n_\\text{in}}$",
}


@value("choosing-example-layer", description="Each framework's default for a 256-in, 128-out dense layer.")
def example_layer() -> str:
    fi, fo = EXAMPLE_FAN_IN, EXAMPLE_FAN_OUT
    lines = [
        "| framework | weights, variance | std | max $\\lvert w \\rvert$ possible "
        "| sampled std | sampled max $\\lvert w \\rvert$ | bias |",
        "|---|---|---:|---:|---:|---:|---|",
    ]
    for key, d in frameworks.DEFAULTS.items():
        w, _ = _example_samples()[key]
        bias = "zeros" if d.bias == "zeros" else f"$\\mathcal{{U}}(\\pm {1 / math.sqrt(fi):g})$"
        lines.append(
            f"| {d.framework} | {RULE_TEX[key]} | {_f(frameworks.default_std(key, fi, fo))} | "
            f"{_f(frameworks.default_bound(key, fi, fo))} | {_f(float(w.std()))} | "
            f"{_f(float(np.abs(w).max()))} | {bias} |"
        )
    return "\n".join(lines)


@value("choosing-sqrt5", description="Why kaiming_uniform_ with a = sqrt(5) is U(-1/sqrt(fan_in), 1/sqrt(fan_in)).")
def sqrt5() -> str:
    g = initializers.gain("leaky_relu", math.sqrt(5.0))
    n = EXAMPLE_FAN_IN
    w = _example_samples()["pytorch"][0]
    return (
        f"$g = \\sqrt{{2/(1 + 5)}} = {g:.6f} = 1/\\sqrt 3$, so the bound "
        f"$g\\sqrt{{3/\\text{{fan\\_in}}}}$ is exactly $1/\\sqrt{{\\text{{fan\\_in}}}}$: for "
        f"fan_in = {n}, ${g * math.sqrt(3 / n):.6f} = 1/\\sqrt{{{n}}}$, and a sampled "
        f"${EXAMPLE_FAN_OUT} \\times {n}$ weight has largest $|w| = {np.abs(w).max():.6f}$"
    )


@value("choosing-tanh-gain", description="Where gain 1 and gain 5/3 put a bias-free tanh network.")
def tanh_gain() -> str:
    rows = []
    for label, g in (("1", 1.0), ("5/3", initializers.gain("tanh"))):
        sw = g * g
        q = float(edge_of_chaos.q_star(sw, 0.0))
        chi = float(edge_of_chaos.chi_1(sw, 0.0))
        rows.append((label, sw, q, chi))
    (l1, s1, q1, c1), (l2, s2, q2, c2) = rows
    return (
        f"with gain {l1} ($\\sigma_w^2 = {s1:g}$) the fixed point is $q^* = {q1:g}$ and "
        f"$\\chi_1 = {c1:.3f}$, exactly the edge of chaos, but the signal decays (slowly) "
        f"towards 0; with gain {l2} ($\\sigma_w^2 = {s2:.3f}$) the activations settle at "
        f"$q^* = {q2:.3f}$ and $\\chi_1 = {c2:.3f}$, a little on the chaotic side"
    )


@lru_cache(maxsize=1)
def _depth_runs():
    return figs.depth_runs(np.random.default_rng(figs.SEED))


@value("choosing-depth-factors", description="Per-layer RMS factor of each default in the deep ReLU net.")
def depth_factors() -> str:
    runs = _depth_runs()
    theory = {"pytorch": 1 / math.sqrt(6), "keras": 1 / math.sqrt(2), "flax": 1 / math.sqrt(2), "he": 1.0}
    names = {"pytorch": "PyTorch default", "keras": "Keras default (square layer)",
             "flax": "Flax default", "he": "He (ReLU)"}
    lines = ["| ReLU network | $\\operatorname{Var}(w)\\cdot n$ | RMS factor per layer: theory "
             "| measured (geometric mean) | last layer RMS |",
             "|---|---:|---:|---:|---:|"]
    var_n = {"pytorch": 1 / 3, "keras": 1.0, "flax": 1.0, "he": 2.0}
    for key in theory:
        rms = figs.rms_per_layer(runs[("relu", key)])
        measured = float(np.exp(np.mean(np.log(rms[1:] / rms[:-1]))))
        mant, exp = f"{rms[-1]:.1e}".split("e")
        last = f"${mant} \\times 10^{{{int(exp)}}}$" if rms[-1] < 0.01 else f"{rms[-1]:.2f}"
        lines.append(f"| {names[key]} | {var_n[key]:.3g} | {theory[key]:.3f} | {measured:.3f} | {last} |")
    return "\n".join(lines)


@value("choosing-example-shape", description="The example layer's shape in both layouts.")
def example_shape() -> str:
    return (
        f"For a dense layer with {EXAMPLE_FAN_IN} inputs and {EXAMPLE_FAN_OUT} outputs "
        f"(PyTorch weight shape `({EXAMPLE_FAN_OUT}, {EXAMPLE_FAN_IN})`, Keras/Flax kernel "
        f"shape `({EXAMPLE_FAN_IN}, {EXAMPLE_FAN_OUT})`)"
    )


@value("choosing-depth-setup", description="The deep-network comparison's size.")
def depth_setup() -> str:
    return f"{figs.DEPTH} layers of width {figs.WIDTH}, a batch of {figs.BATCH} standard-normal inputs"


@value("choosing-gain-fan-in", description="The fan_in used in the gain table.")
def gain_fan_in() -> str:
    return f"fan_in = {EXAMPLE_FAN_IN}"

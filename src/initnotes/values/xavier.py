"""Numbers and tables of the Xavier/Glorot page, computed from the page's experiments."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from initnotes import init
from initnotes.experiments import xavier
from initnotes.figures.xavier import SEED
from initnotes.registry import value

#: Seed of the worked example's draw and of the Jacobian experiment.
EXAMPLE_SEED = 1
#: Shape of the worked example, PyTorch layout (fan_out, fan_in): a 784 -> 256 layer.
EXAMPLE_SHAPE = (256, 784)


def num(x: float, digits: int = 2) -> str:
    """``x`` with ``digits`` significant digits, as plain text (``0.083``, ``1.4``, ``5.6``)."""
    if x == 0 or not math.isfinite(x):
        return str(x)
    return f"{float(f'{x:.{digits}g}'):g}"


def fixed(x: float, decimals: int = 3) -> str:
    """``x`` rounded to ``decimals`` places, trailing zeros kept (for table columns)."""
    return f"{x:.{decimals}f}"


@lru_cache(maxsize=1)
def results() -> xavier.GlorotResults:
    """The experiment behind the page's figures (same configuration and seed)."""
    return xavier.glorot_experiment(xavier.GlorotConfig(), np.random.default_rng(SEED))


@lru_cache(maxsize=1)
def jacobians() -> xavier.JacobianResults:
    return xavier.jacobian_singular_values(xavier.GlorotConfig(), np.random.default_rng(EXAMPLE_SEED))


def predictions(scheme: str) -> tuple[xavier.Prediction, xavier.Prediction]:
    """(linear theory, mean field) for the page's configuration."""
    cfg = xavier.GlorotConfig()
    c = cfg.weight_variance_times_n(scheme)
    return xavier.linear_prediction(cfg.depth, c), xavier.mean_field_prediction(cfg.depth, c)


def _std_table(kind: str) -> str:
    res = results()
    head = ("| layer | standard: measured | linear theory | with $\\tanh$ "
            "| normalized: measured | linear theory | with $\\tanh$ |")
    lines = [head, "|---:|---:|---:|---:|---:|---:|---:|"]
    cols = []
    for scheme in xavier.SCHEMES:
        lin, mf = predictions(scheme)
        if kind == "activation":
            cols += [res.activation_std(scheme), lin.activation_std, mf.activation_std]
        else:
            cols += [res.gradient_std(scheme), lin.gradient_std, mf.gradient_std]
    for k in range(res.config.depth):
        lines.append(f"| {k + 1} | " + " | ".join(fixed(c[k]) for c in cols) + " |")
    return "\n".join(lines)


@value("xavier-activation-table",
       description="std of the activations per layer: measured, linear theory, mean field.")
def activation_table() -> str:
    return _std_table("activation")


@value("xavier-gradient-table",
       description="std of dL/dz per layer: measured, linear theory, mean field.")
def gradient_table() -> str:
    return _std_table("gradient")


@value("xavier-setup", description="Width, depth and batch of the Glorot experiment.")
def setup() -> str:
    cfg = xavier.GlorotConfig()
    return (f"{cfg.depth} hidden layers of {cfg.width} tanh units, fed a batch of "
            f"{cfg.batch} standard-normal inputs")


@value("xavier-gradient-shrink",
       description="std of dL/dz at layer 1 divided by that at the top layer, per scheme.")
def gradient_shrink() -> str:
    res = results()
    r = {s: res.gradient_std(s)[0] / res.gradient_std(s)[-1] for s in xavier.SCHEMES}
    return f"{num(r['standard'])} with the standard init and {num(r['normalized'])} with the normalized one"


@value("xavier-weight-gradient-spread",
       description="Largest over smallest per-layer std of dL/dW, per scheme.")
def weight_gradient_spread() -> str:
    res = results()
    r = {s: res.weight_gradient_std(s).max() / res.weight_gradient_std(s).min() for s in xavier.SCHEMES}
    return f"{num(r['standard'], 3)} (standard) and {num(r['normalized'], 3)} (normalized)"


@value("xavier-standard-ratio",
       description="Measured per-layer shrink factor of the activations, standard init, layers 3-5.")
def standard_ratio() -> str:
    a = results().activation_std("standard")
    ratios = a[2:] / a[1:-1]
    return ", ".join(f"{r:.3f}" for r in ratios)


@value("xavier-layer1-std",
       description="std of tanh(z) for z ~ N(0, 1): layer 1 under the normalized init.")
def layer1_std() -> str:
    pred = xavier.gaussian_expectation(lambda z: np.tanh(z) ** 2) ** 0.5
    meas = results().activation_std("normalized")[0]
    return f"$\\sqrt{{E[\\tanh(z)^2]}} = {pred:.3f}$ (measured: {meas:.3f})"


@value("xavier-jacobian",
       description="Mean singular value of each layer's Jacobian, per scheme.")
def jacobian_sentence() -> str:
    j = jacobians()
    std = ", ".join(f"{v:.2f}" for v in j.jacobian["standard"])
    nor = ", ".join(f"{v:.2f}" for v in j.jacobian["normalized"])
    return f"{std} (standard, layers 1 to 5) and {nor} (normalized)"


@value("xavier-quarter-circle",
       description="Mean singular value of W alone: quarter-circle law and measured.")
def quarter_circle() -> str:
    j = jacobians()
    parts = []
    for scheme in xavier.SCHEMES:
        c = xavier.GlorotConfig().weight_variance_times_n(scheme)
        parts.append(f"{xavier.quarter_circle_mean(c):.3f} for the {scheme} init "
                     f"(measured: {float(j.weights[scheme].mean()):.3f})")
    return " and ".join(parts)


@value("xavier-worked-example",
       description="Forward, backward and compromise variances for a 784 -> 256 layer, with a draw.")
def worked_example() -> str:
    fan_in, fan_out = init.fans(EXAMPLE_SHAPE)
    rng = np.random.default_rng(EXAMPLE_SEED)
    wu = init.xavier_uniform(EXAMPLE_SHAPE, rng=rng)
    wn = init.xavier_normal(EXAMPLE_SHAPE, rng=rng)
    var = 2 / (fan_in + fan_out)
    rows = [
        ("forward condition", "$1/\\text{fan\\_in}$", 1 / fan_in, None),
        ("backward condition", "$1/\\text{fan\\_out}$", 1 / fan_out, None),
        ("compromise $\\operatorname{Var}(w)$", "$2/(\\text{fan\\_in} + \\text{fan\\_out})$", var,
         None),
        ("normal: std", "$\\sqrt{2/(\\text{fan\\_in} + \\text{fan\\_out})}$", math.sqrt(var),
         f"{wn.std():.5f}"),
        ("uniform: bound $b$", "$\\sqrt{6/(\\text{fan\\_in} + \\text{fan\\_out})}$",
         math.sqrt(3 * var), f"{np.abs(wu).max():.5f} (largest $\\lvert w\\rvert$)"),
        ("uniform: std", "$b/\\sqrt3$", math.sqrt(var), f"{wu.std():.5f}"),
    ]
    lines = [f"| quantity | formula | value for fan_in = {fan_in}, fan_out = {fan_out} "
             f"| one draw of `xavier_*(({fan_out}, {fan_in}))` |", "|---|---|---:|---:|"]
    for name, formula, v, measured in rows:
        lines.append(f"| {name} | {formula} | {v:.5f} | {measured or ''} |")
    return "\n".join(lines)


@value("xavier-small-input",
       description="Mean-field gradient ratio layer 1 / layer 5 for inputs of variance 0.01.")
def small_input() -> str:
    cfg = xavier.GlorotConfig()
    out = []
    for var in (1.0, 0.01):
        p = xavier.mean_field_prediction(cfg.depth, 1.0, input_variance=var)
        out.append(f"{p.gradient_std[0] / p.gradient_std[-1]:.3f}")
    return f"{out[1]} for inputs of variance 0.01, against {out[0]} for variance 1"

"""Numbers and tables of the page on small random init and why scale matters."""

from __future__ import annotations

import math

import numpy as np

from initnotes.experiments import scale as sc
from initnotes.figures.scale import results
from initnotes.registry import value
from initnotes.format import sci
from initnotes.format import short as fmt


def geometric_factor(stds: np.ndarray) -> float:
    """The average per-layer factor: (last / first) ** (1 / (layers - 1))."""
    stds = np.asarray(stds, dtype=float)
    return float((stds[-1] / stds[0]) ** (1.0 / (stds.size - 1)))


def _cfg() -> sc.ScaleConfig:
    return results().config


def _run(label: str) -> sc.ScaleRun:
    return results().runs[label]


@value("scale-setup", description="The network and batch the page measures.")
def setup() -> str:
    c = _cfg()
    return (f"a {c.depth}-layer tanh network of width $n = {c.width}$ (every layer "
            f"${c.width} \\times {c.width}$, biases 0), fed a batch of {c.batch} "
            f"standard-normal inputs")


@value("scale-factor-normal", description="Per-layer factor sqrt(n) * 0.01, predicted and measured.")
def factor_normal() -> str:
    c, run = _cfg(), _run("N(0, 0.01²)")
    f = sc.small_scale_factor(run.scale.std, c.width)
    return (f"$\\sqrt{{{c.width}}} \\times {fmt(run.scale.std)} = {fmt(f, 4)}$ "
            f"(measured: ${fmt(geometric_factor(run.signal.activation_std), 4)}$ per layer "
            f"on average)")


@value("scale-uniform-std", description="Std of U(-0.01, 0.01).")
def uniform_std() -> str:
    return f"$0.01/\\sqrt 3 = {fmt(sc.uniform_std(0.01), 5)}$"


@value("scale-factor-uniform", description="Per-layer factor of U(-0.01, 0.01), predicted and measured.")
def factor_uniform() -> str:
    c, run = _cfg(), _run("U(−0.01, 0.01)")
    f = sc.small_scale_factor(run.scale.std, c.width)
    return (f"$16 \\times {fmt(run.scale.std, 5)} = {fmt(f, 4)}$ (measured: "
            f"${fmt(geometric_factor(run.signal.activation_std), 4)}$)")


@value("scale-after-depth", description="Predicted and measured activation std at the last layer, small scales.")
def after_depth() -> str:
    c = _cfg()
    parts = []
    for label in ("N(0, 0.01²)", "U(−0.01, 0.01)"):
        run = _run(label)
        f = sc.small_scale_factor(run.scale.std, c.width)
        parts.append(f"${fmt(f, 4)}^{{{c.depth}}} = {sci(f ** c.depth)}$ for {label} "
                     f"(measured ${sci(run.signal.activation_std[-1])}$)")
    return " and ".join(parts)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def compact(x: float, digits: int = 2) -> str:
    """A number for a narrow table cell, in plain text: ``1.1 × 10⁻⁸``; 0.01 to 100 as is."""
    if x == 0:
        return "0"
    if 0.01 <= abs(x) < 100:
        return f"{x:.{digits}g}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


@value("scale-table", description="Per-scale summary of the measured statistics.")
def table() -> str:
    c = _cfg()
    lines = [
        "| weights | $\\sqrt n\\,\\sigma_w$ | factor per layer "
        f"| std of $h_{{{c.depth}}}$ | std of $\\partial L/\\partial z_1$ "
        "| std of $\\partial L/\\partial W_l$ "
        f"| saturated |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, run in results().runs.items():
        dw = run.signal.weight_gradient_std
        lo, hi = compact(float(dw.min())), compact(float(dw.max()))
        lines.append(
            f"| {label} | {compact(math.sqrt(c.width) * run.scale.std, 3)} "
            f"| {compact(geometric_factor(run.signal.activation_std), 3)} "
            f"| {compact(run.signal.activation_std[-1])} "
            f"| {compact(run.preactivation_gradient_std[0])} "
            f"| {lo if lo == hi else lo + ' to ' + hi} "
            f"| {100 * run.signal.saturated_fraction[-1]:.0f} % |"
        )
    return "\n".join(lines)


def _range(a: np.ndarray) -> str:
    lo, hi = sci(float(a.min())), sci(float(a.max()))
    return f"${lo}$" if lo == hi else f"${lo}$ to ${hi}$"


def _large() -> tuple[sc.ScaleRun, sc.MeanField]:
    c = _cfg()
    run = _run("N(0, 1)")
    return run, sc.mean_field(run.scale.std, c.width, c.depth)


@value("scale-large-z", description="Std of the pre-activations under N(0, 1), predicted and measured.")
def large_z() -> str:
    run, mf = _large()
    return (f"$\\sqrt{{q^*}} = {fmt(math.sqrt(mf.preactivation_var[-1]), 1)}$ (measured "
            f"${fmt(run.signal.preactivation_std[-1], 1)}$ at layer {_cfg().depth})")


@value("scale-large-saturation", description="Saturated share under N(0, 1), predicted and measured.")
def large_saturation() -> str:
    run, mf = _large()
    return (f"$\\operatorname{{erfc}}\\big(2.647/({fmt(math.sqrt(mf.preactivation_var[-1]), 1)}"
            f"\\sqrt 2)\\big) = {fmt(mf.saturated_fraction[-1], 3)}$; measured: "
            f"${fmt(run.signal.saturated_fraction.min(), 3)}$ to "
            f"${fmt(run.signal.saturated_fraction.max(), 3)}$ across the {_cfg().depth} layers")


@value("scale-large-backward", description="Per-layer growth of dL/dh under N(0, 1), predicted and measured.")
def large_backward() -> str:
    run, mf = _large()
    c = _cfg()
    d2 = sc.gaussian_expectation(lambda z: (1 - np.tanh(z) ** 2) ** 2, mf.preactivation_var[-1])
    predicted = math.sqrt(c.width * run.scale.std**2 * d2)
    measured = 1.0 / geometric_factor(run.signal.gradient_std)
    return (f"$\\mathbb E[\\tanh'(z)^2] = {fmt(d2, 4)}$, so the factor is "
            f"$\\sqrt{{{c.width} \\times {fmt(d2, 4)}}} = {fmt(predicted, 2)}$ per layer "
            f"(measured: ${fmt(measured, 2)}$)")


@value("scale-float64-zero", description="Where tanh rounds to 1 in float64, and the share of exactly zero gradients.")
def float64_zero() -> str:
    run, mf = _large()
    z0 = sc.tanh_rounds_to_one()
    predicted = math.erfc(z0 / math.sqrt(2.0 * mf.preactivation_var[-1]))
    dz = run.preactivation_gradient_samples
    measured = float(np.mean(dz == 0))
    return (f"$|z| \\ge {fmt(z0, 2)}$, which predicts ${fmt(100 * predicted, 1)}\\,\\%$ of "
            f"exactly-zero gradients $\\partial L/\\partial z$; measured: "
            f"${fmt(100 * measured, 1)}\\,\\%$")


@value("scale-weight-gradient-gap", description="How much smaller the weight gradients are under N(0, 0.01^2) than under N(0, 1/n).")
def weight_gradient_gap() -> str:
    small = _run("N(0, 0.01²)").signal.weight_gradient_std
    good = _run("N(0, 1/n)").signal.weight_gradient_std
    c = _cfg()
    f = sc.small_scale_factor(0.01, c.width)
    predicted = math.sqrt(c.batch) * f ** (c.depth - 1)
    return (f"$\\sqrt{{{c.batch}}} \\times {fmt(f, 2)}^{{{c.depth - 1}}} = {sci(predicted)}$; "
            f"measured: ${sci(float(small.min()))}$ to ${sci(float(small.max()))}$, against "
            f"${sci(float(np.mean(good)))}$ on average for $\\mathcal N(0, 1/n)$")


@value("scale-lecun-decay", description="Activation std at layers 1 and 10 under N(0, 1/n).")
def lecun_decay() -> str:
    a = _run("N(0, 1/n)").signal.activation_std
    return f"${fmt(a[0], 2)}$ at layer 1 to ${fmt(a[-1], 2)}$ at layer {_cfg().depth}"


@value("scale-exercise-layers", description="Layers until the activation std falls below 1e-6 at std 0.01, n = 256.")
def exercise_layers() -> str:
    f = sc.small_scale_factor(0.01, 256)
    layers = math.ceil(math.log(1e-6) / math.log(f))
    return (f"$L > \\ln 10^{{-6}} / \\ln {fmt(f, 2)} = {fmt(math.log(1e-6) / math.log(f), 2)}$, "
            f"so {layers} layers")


@value("scale-exercise-relu", description="Per-layer factor of the rms for ReLU at std 0.01, n = 256.")
def exercise_relu() -> str:
    f = sc.small_scale_factor(0.01, 256) / math.sqrt(2.0)
    return f"$0.16/\\sqrt 2 = {fmt(f, 4)}$"


@value("scale-weight-gradient-ratio", description="Mean weight-gradient std of N(0, 1/n) over that of N(0, 0.01^2).")
def weight_gradient_ratio() -> str:
    small = _run("N(0, 0.01²)").signal.weight_gradient_std
    good = _run("N(0, 1/n)").signal.weight_gradient_std
    return f"${sci(float(np.mean(good) / np.mean(small)))}$"


@value("scale-large-saturated-percent", description="Share of saturated units under N(0, 1), all layers.")
def large_saturated_percent() -> str:
    run, _ = _large()
    return f"{100 * float(np.mean(run.signal.saturated_fraction)):.0f} %"


@value("scale-summary-depth", description="Activation std at the last layer for the two small scales.")
def summary_depth() -> str:
    a = _run("N(0, 0.01²)").signal.activation_std[-1]
    b = _run("U(−0.01, 0.01)").signal.activation_std[-1]
    return f"${sci(a)}$ and ${sci(b)}$"


@value("scale-exercise-sech", description="The large-q approximation of E[sech^4 z] and the backward factor.")
def exercise_sech() -> str:
    run, mf = _large()
    q = mf.preactivation_var[-1]
    approx = (4.0 / 3.0) / math.sqrt(2.0 * math.pi * q)
    n = _cfg().width
    return (f"for $\\sqrt{{q^*}} = {fmt(math.sqrt(q), 1)}$ is ${fmt(approx, 4)}$, and the factor "
            f"is $\\sqrt{{{n} \\times {fmt(approx, 4)}}} = {fmt(math.sqrt(n * approx), 2)}$")

"""The scale page (``docs/concepts/scale.md``): small random init and why scale matters.

Runs: one forward and backward pass through a deep tanh network for each weight
distribution the page compares, and a sweep of the normal weight std through the same
network (with a smaller batch, to stay fast).
"""

from __future__ import annotations

import math

import numpy as np

from initnotes.experiments import scale as sc
from initnotes.theory import gaussian_expectation
from initnotes.format import about, and_list, compact, fixed, fraction, num, pct, sci, short, table, upper_bound, word
from initnotes.pages import Page

page = Page("scale", "concepts/scale.md")

PROPAGATION = page.run("scale-propagation", sc.run, sc.ScaleConfig(), seed=0)
# The sweep uses a batch of 64 (16,384 values per layer) to stay fast.
SWEEP = page.run("scale-sweep", sc.run_sweep,
                 sc.SweepConfig(network=sc.ScaleConfig(batch=64), low=0.1, high=16.0, points=12),
                 seed=1)

#: The distributions the text discusses by name (the labels of `sc.SCALES`).
SMALL, UNIFORM, MEDIUM, LECUN, LARGE = (
    "N(0, 0.01²)", "U(−0.01, 0.01)", "N(0, 0.05²)", "N(0, 1/n)", "N(0, 1)")
#: The four scales shown in the histograms (the uniform one looks like N(0, 0.01²), only faster).
HISTOGRAMS = (SMALL, MEDIUM, LECUN, LARGE)



def geometric_factor(stds: np.ndarray) -> float:
    """The average per-layer factor: (last / first) ** (1 / (layers - 1))."""
    stds = np.asarray(stds, dtype=float)
    return float((stds[-1] / stds[0]) ** (1.0 / (stds.size - 1)))








def zero_share(run: sc.ScaleRun) -> np.ndarray:
    """Per layer, the share of the kept gradients dL/da that are exactly 0."""
    return (run.preactivation_gradient_samples == 0).mean(axis=1)


def _plain(label: str) -> str:
    """A label for alt text, with an ASCII minus."""
    return label.replace("−", "-")


# --------------------------------------------------------------------------- figures

def _thousands(x: float) -> str:
    return "a few thousand" if 2 <= round(x / 1000) <= 5 else f"about {about(x)}"


def _std_alt(res: sc.ScaleResults) -> str:
    cfg, runs = res.config, res.runs
    h = {k: r.signal.activation_std for k, r in runs.items()}
    dz = {k: r.preactivation_gradient_std for k, r in runs.items()}
    dw = {k: r.signal.weight_gradient_std for k, r in runs.items()}
    mid = np.concatenate([dw[MEDIUM], dw[LECUN]])
    return (
        f"Three line charts on log axes over the {cfg.depth} layers of a tanh network of width "
        f"{cfg.width}, one line per weight distribution, with dotted mean-field predictions that "
        f"the measured points follow closely. Activations: {SMALL} falls from about "
        f"{num(h[SMALL][0], 2)} at layer 1 to about {about(h[SMALL][-1])} at layer {cfg.depth}, "
        f"{_plain(UNIFORM)} falls faster to about {about(h[UNIFORM][-1])}, {MEDIUM} falls slowly "
        f"to about {about(h[MEDIUM][-1])}, {LECUN} from about {about(h[LECUN][0])} to "
        f"{about(h[LECUN][-1])}, {LARGE} stays near {about(np.mean(h[LARGE]))}. Gradients with "
        f"respect to pre-activations: the small scales fall from about {about(dz[SMALL][-1])} at "
        f"layer {cfg.depth} to about {about(dz[SMALL][0])} (normal) and {about(dz[UNIFORM][0])} "
        f"(uniform) at layer 1, {LARGE} grows toward layer 1 to {_thousands(dz[LARGE][0])}. "
        f"Weight gradients: flat across layers for every scale, near {about(np.mean(dw[SMALL]))} "
        f"for {SMALL}, near {about(np.mean(dw[UNIFORM]))} for the uniform, between "
        f"{math.floor(mid.min())} and {math.ceil(mid.max())} for {MEDIUM} and {LECUN}, and "
        f"growing toward layer 1 for {LARGE}."
    )


def _std_caption(res: sc.ScaleResults) -> str:
    cfg = res.config
    return (
        "Standard deviation per layer of the activations, of the back-propagated gradients "
        r"$\partial L/\partial a_l$ and of the weight gradients $\partial L/\partial W_l$ in a "
        f"{cfg.depth}-layer tanh network of width {cfg.width} at initialization, for "
        f"{word(len(cfg.scales))} weight distributions (dotted: the mean-field prediction "
        "derived on this page). Small scales make the signal vanish in both directions; "
        "$\\mathcal N(0, 1)$ saturates the units and the gradient grows toward the input."
    )


page.figure("scale-std-per-layer", "scale:std_per_layer", PROPAGATION,
            alt=_std_alt, caption=_std_caption)


def _activation_alt(res: sc.ScaleResults) -> str:
    return (
        f"{word(len(HISTOGRAMS), capital=True)} panels, one per weight distribution, each "
        f"stacking the histograms of the activations of layers 1 (top) to {res.config.depth} "
        f"(bottom) on the range -1 to 1. {SMALL}: layer 1 is a narrow bump around 0 and every "
        f"later layer a thin spike at 0. {MEDIUM}: bell shapes that narrow steadily with depth. "
        f"{LECUN}: bell shapes that narrow slowly. {LARGE}: every layer piles up at -1 and +1."
    )


page.figure(
    "scale-activation-histograms", "scale:activation_histograms", PROPAGATION,
    labels=HISTOGRAMS,
    alt=_activation_alt,
    caption=(
        "Histograms of the activations of each layer (layer 1 on top), each scaled to the same "
        "peak height. Too small a scale collapses the signal to 0 within a few layers; too "
        "large a scale pushes the units into saturation at $\\pm 1$."
    ),
)


#: log10 of the range of |dL/da| the gradient histograms show.
LOG_RANGE = (-18.0, 6.0)


def outside_share(run: sc.ScaleRun, log_range=LOG_RANGE) -> float:
    """Per layer, the largest share of non-zero kept gradients outside the histograms' range."""
    g = np.abs(run.preactivation_gradient_samples)
    out = (g > 0) & ((g < 10.0 ** log_range[0]) | (g > 10.0 ** log_range[1]))
    return float(out.mean(axis=1).max())


def _zeros(run: sc.ScaleRun) -> str:
    share = zero_share(run).max()
    return "no zeros" if share == 0 else f"up to {fixed(100 * share, 0)} percent zeros"


def _gradient_alt(res: sc.ScaleResults) -> str:
    cfg, runs = res.config, res.runs
    small = runs[SMALL]
    decades = -math.log10(geometric_factor(small.preactivation_gradient_std[::-1]))
    per_layer = ("almost one decade" if 0.7 <= decades < 1
                 else f"about {num(decades, 1)} decades")
    # how far the std of the middle scales' gradients strays from 1, in decades
    spread = max(np.abs(np.log10(runs[k].preactivation_gradient_std)).max() for k in (MEDIUM, LECUN))
    within = round(spread)
    mid_zeros = _zeros(runs[MEDIUM]) if _zeros(runs[MEDIUM]) == _zeros(runs[LECUN]) else (
        f"{_zeros(runs[MEDIUM])} and {_zeros(runs[LECUN])}")
    top = np.abs(runs[LARGE].preactivation_gradient_samples).max(axis=1)
    zeros = zero_share(runs[LARGE])
    return (
        f"{word(len(HISTOGRAMS), capital=True)} panels, one per weight distribution, each "
        "stacking histograms of the magnitude of the gradient with respect to pre-activations, "
        f"on a log axis from 1e{LOG_RANGE[0]:.0f} to 1e{LOG_RANGE[1]:.0f}, for layers 1 (top) to "
        f"{cfg.depth} (bottom); at the "
        "left of each row, the percentage of gradients that are exactly zero. "
        f"{SMALL}: the bump moves left by {per_layer} per layer from layer {cfg.depth} to layer 1, "
        f"ending near {about(small.preactivation_gradient_std[0])}; {_zeros(small)}. "
        f"{MEDIUM} and {LECUN}: the bumps stay within about {word(within)} "
        f"decade{'' if within == 1 else 's'} of 1; {mid_zeros}. {LARGE}: the layers spread "
        f"from as low as about {about(smallest_nonzero(runs[LARGE]))} up to between about {about(top[-1])} "
        f"(layer {cfg.depth}) and "
        f"{about(top[0])} (layer 1), and {fixed(100 * zeros.min(), 0)} to {fixed(100 * zeros.max(), 0)} percent "
        "of each layer's gradients are exactly zero."
    )


def smallest_nonzero(run: sc.ScaleRun) -> float:
    g = np.abs(run.preactivation_gradient_samples)
    return float(g[g > 0].min())


def _gradient_caption(res: sc.ScaleResults) -> str:
    outside = max(outside_share(res.runs[k]) for k in HISTOGRAMS)
    shown = ("every non-zero value lies in the range shown" if outside == 0 else
             f"up to {pct(outside)} of a layer's non-zero values lie outside the range shown")
    return (
        r"Histograms of $|\partial L/\partial a|$ per layer (layer 1 on top) on a log axis, "
        f"from a subsample of {res.config.keep} values per layer ({shown}); "
        "left of the dashed line, the share of gradients that are exactly 0, which a log axis "
        "cannot show. With $\\mathcal N(0, 0.01^2)$ the gradient shrinks by the same "
        "factor per layer as the signal did on the way forward. With $\\mathcal N(0, 1)$ about "
        f"{fraction(zero_share(res.runs[LARGE]).mean())} of all gradients are exactly 0: "
        "$\\tanh$ rounds to $\\pm 1$ in float64."
    )


page.figure("scale-gradient-histograms", "scale:gradient_histograms", PROPAGATION,
            labels=HISTOGRAMS, log_range=LOG_RANGE, alt=_gradient_alt, caption=_gradient_caption)


def _sweep_alt(sw: sc.SweepResults) -> str:
    cfg = sw.config
    m = sw.stds * np.sqrt(cfg.width)
    one = int(np.argmin(np.abs(np.log(m))))  # the swept point nearest sigma_w sqrt(n) = 1
    sat = sw.last_saturated_fraction
    unsaturated = int(np.flatnonzero(sat == 0)[-1])  # the last point with no unit saturated
    tenth = int(np.flatnonzero(sat >= 0.1)[0])  # the first with a tenth or more saturated
    return (
        "Two charts against the weight standard deviation times the square root of the width, "
        f"from {num(m[0], 2)} to {num(m[-1], 2)} on a log axis, for a {cfg.depth}-layer tanh "
        f"network of width {cfg.width}. Left, on a log axis: the activation std at layer "
        f"{cfg.depth} rises steeply from about {about(sw.last_activation_std[0])} at {num(m[0], 2)} "
        f"to about {num(sw.last_activation_std[one], 2)} at {num(m[one], 2)} and then levels "
        "off just under 1; the gradient std at layer 1 rises from about "
        f"{about(sw.first_gradient_std[0])} at {num(m[0], 2)}, passes about "
        f"{about(sw.first_gradient_std[one])} at {num(m[one], 2)} and keeps growing, to about "
        f"{about(sw.first_gradient_std[-1])} at {num(m[-1], 2)}. Right: the share of saturated "
        f"units at layer {cfg.depth} is 0 up to {num(m[unsaturated], 2)}, about "
        f"{about(sat[tenth])} at {num(m[tenth], 2)} and {num(sat[-1], 2)} at {num(m[-1], 2)}. "
        "Dotted mean-field predictions run through the measured points."
    )


page.figure(
    "scale-sweep", "scale:scale_sweep", SWEEP,
    alt=_sweep_alt,
    caption=lambda sw: (
        "What scale does, measured over a range of weight stds: the forward signal at the last "
        "layer and the backward signal at the first, and the share of saturated units. Only "
        f"near $\\sigma_w \\sqrt n = 1$ (grey line) do both survive {word(sw.config.depth)} "
        "layers without saturating the units. Dotted: the mean-field prediction."
    ),
)


# --------------------------------------------------------------------------- values: the set-up

@page.value("scale-setup", "The network and batch the page measures.", PROPAGATION)
def setup(res: sc.ScaleResults) -> str:
    c = res.config
    return (f"a {c.depth}-layer tanh network of width $n = {c.width}$ (every layer "
            f"${c.width} \\times {c.width}$, biases 0), fed a batch of {c.batch} "
            f"standard-normal inputs")


@page.value("scale-width", "The width of every layer.", PROPAGATION)
def width(res: sc.ScaleResults) -> str:
    return str(res.config.width)


@page.value("scale-depth", "The number of layers.", PROPAGATION)
def depth(res: sc.ScaleResults) -> str:
    return str(res.config.depth)


@page.value("scale-depth-words", "The number of layers, in words.", PROPAGATION)
def depth_words(res: sc.ScaleResults) -> str:
    return word(res.config.depth)


@page.value("scale-count", "How many weight distributions the page compares, in words.", PROPAGATION)
def count(res: sc.ScaleResults) -> str:
    return word(len(res.runs))


# --------------------------------------------------------------------------- values: small scales

@page.value("scale-factor-normal", "Per-layer factor sqrt(n) * 0.01, predicted and measured.", PROPAGATION)
def factor_normal(res: sc.ScaleResults) -> str:
    c, run = res.config, res.runs[SMALL]
    f = sc.small_scale_factor(run.scale.std, c.width)
    return (f"$\\sqrt{{{c.width}}} \\times {short(run.scale.std)} = {short(f, 4)}$ "
            f"(measured: ${short(geometric_factor(run.signal.activation_std), 4)}$ per layer "
            f"on average)")


@page.value("scale-factor-small", "Per-layer factor of N(0, 0.01^2), predicted, as a plain number.",
            PROPAGATION)
def factor_small(res: sc.ScaleResults) -> str:
    return short(sc.small_scale_factor(res.runs[SMALL].scale.std, res.config.width), 4)


def _uniform_bound(run: sc.ScaleRun) -> float:
    return float(dict(run.scale.init_kwargs)["high"])


@page.value("scale-uniform-std", "Std of U(-0.01, 0.01).", PROPAGATION)
def uniform_std(res: sc.ScaleResults) -> str:
    a = _uniform_bound(res.runs[UNIFORM])
    return f"${short(a)}/\\sqrt 3 = {short(sc.uniform_std(a), 5)}$"


@page.value("scale-factor-uniform", "Per-layer factor of U(-0.01, 0.01), predicted and measured.", PROPAGATION)
def factor_uniform(res: sc.ScaleResults) -> str:
    c, run = res.config, res.runs[UNIFORM]
    f = sc.small_scale_factor(run.scale.std, c.width)
    return (f"${short(math.sqrt(c.width))} \\times {short(run.scale.std, 5)} = {short(f, 4)}$ "
            f"(measured: ${short(geometric_factor(run.signal.activation_std), 4)}$)")


@page.value("scale-factor-uniform-short", "Per-layer factor of U(-0.01, 0.01), predicted, two digits.",
            PROPAGATION)
def factor_uniform_short(res: sc.ScaleResults) -> str:
    return num(sc.small_scale_factor(res.runs[UNIFORM].scale.std, res.config.width), 2)


@page.value("scale-after-depth", "Predicted and measured activation std at the last layer, small scales.",
            PROPAGATION)
def after_depth(res: sc.ScaleResults) -> str:
    c = res.config
    parts = []
    for label in (SMALL, UNIFORM):
        run = res.runs[label]
        f = sc.small_scale_factor(run.scale.std, c.width)
        parts.append(f"${short(f, 4)}^{{{c.depth}}} = {sci(f ** c.depth)}$ for {label} "
                     f"(measured ${sci(run.signal.activation_std[-1])}$)")
    return " and ".join(parts)


@page.value("scale-weight-gradient-gap",
            "How much smaller the weight gradients are under N(0, 0.01^2) than under N(0, 1/n).", PROPAGATION)
def weight_gradient_gap(res: sc.ScaleResults) -> str:
    small = res.runs[SMALL].signal.weight_gradient_std
    good = res.runs[LECUN].signal.weight_gradient_std
    c = res.config
    f = sc.small_scale_factor(res.runs[SMALL].scale.std, c.width)
    predicted = math.sqrt(c.batch) * f ** (c.depth - 1)
    return (f"$\\sqrt{{{c.batch}}} \\times {short(f, 2)}^{{{c.depth - 1}}} = {sci(predicted)}$; "
            f"measured: ${sci(float(small.min()))}$ to ${sci(float(small.max()))}$, against "
            f"${sci(float(np.mean(good)))}$ on average for $\\mathcal N(0, 1/n)$")


@page.value("scale-weight-gradient-ratio",
            "Mean weight-gradient std of N(0, 1/n) over that of N(0, 0.01^2).", PROPAGATION)
def weight_gradient_ratio(res: sc.ScaleResults) -> str:
    small = res.runs[SMALL].signal.weight_gradient_std
    good = res.runs[LECUN].signal.weight_gradient_std
    return f"${sci(float(np.mean(good) / np.mean(small)))}$"


@page.value("scale-summary-depth", "Activation std at the last layer for the two small scales.", PROPAGATION)
def summary_depth(res: sc.ScaleResults) -> str:
    a = res.runs[SMALL].signal.activation_std[-1]
    b = res.runs[UNIFORM].signal.activation_std[-1]
    return f"${sci(a)}$ and ${sci(b)}$"


@page.value("scale-log-factor", "The decades per layer the small-scale gradient slides by.", PROPAGATION)
def log_factor(res: sc.ScaleResults) -> str:
    f = sc.small_scale_factor(res.runs[SMALL].scale.std, res.config.width)
    return f"$\\log_{{10}} {short(f, 4)} = {num(math.log10(f), 1)}$"


@page.value("scale-multiple-medium", "sqrt(n) times the std of N(0, 0.05^2).", PROPAGATION)
def multiple_medium(res: sc.ScaleResults) -> str:
    return short(math.sqrt(res.config.width) * res.runs[MEDIUM].scale.std, 4)


@page.value("scale-lecun-decay", "Activation std at the first and last layer under N(0, 1/n).", PROPAGATION)
def lecun_decay(res: sc.ScaleResults) -> str:
    a = res.runs[LECUN].signal.activation_std
    return f"${short(a[0], 2)}$ at layer 1 to ${short(a[-1], 2)}$ at layer {res.config.depth}"


# --------------------------------------------------------------------------- values: the table

@page.value("scale-table", "Per-scale summary of the measured statistics.", PROPAGATION)
def summary_table(res: sc.ScaleResults) -> str:
    c = res.config
    rows = []
    for label, run in res.runs.items():
        dw = run.signal.weight_gradient_std
        lo, hi = compact(float(dw.min())), compact(float(dw.max()))
        rows.append([label, compact(math.sqrt(c.width) * run.scale.std, 3),
                     compact(geometric_factor(run.signal.activation_std), 3),
                     compact(run.signal.activation_std[-1]),
                     compact(run.preactivation_gradient_std[0]),
                     lo if lo == hi else f"{lo} to {hi}",
                     f"{fixed(100 * run.signal.saturated_fraction[-1], 0)} %"])
    return table(["weights", "$\\sqrt n\\,\\sigma_w$", "factor per layer", f"std of $h_{{{c.depth}}}$",
                  "std of $\\partial L/\\partial a_1$", "std of $\\partial L/\\partial W_l$",
                  "saturated"], rows)


# --------------------------------------------------------------------------- values: the large scale

def _large(res: sc.ScaleResults) -> tuple[sc.ScaleRun, sc.MeanField]:
    run = res.runs[LARGE]
    return run, sc.mean_field(run.scale.std, res.config.width, res.config.depth)


@page.value("scale-large-z", "Std of the pre-activations under N(0, 1), predicted and measured.", PROPAGATION)
def large_z(res: sc.ScaleResults) -> str:
    run, mf = _large(res)
    return (f"$\\sqrt{{q^*}} = {short(math.sqrt(mf.preactivation_var[-1]), 1)}$ (measured "
            f"${short(run.signal.preactivation_std[-1], 1)}$ at layer {res.config.depth})")


@page.value("scale-large-saturation", "Saturated share under N(0, 1), predicted and measured.", PROPAGATION)
def large_saturation(res: sc.ScaleResults) -> str:
    run, mf = _large(res)
    return (f"$\\operatorname{{erfc}}\\big({short(math.atanh(sc.SATURATION), 3)}/"
            f"({short(math.sqrt(mf.preactivation_var[-1]), 1)}"
            f"\\sqrt 2)\\big) = {short(mf.saturated_fraction[-1], 3)}$; measured: "
            f"${short(run.signal.saturated_fraction.min(), 3)}$ to "
            f"${short(run.signal.saturated_fraction.max(), 3)}$ across the {res.config.depth} layers")


@page.value("scale-large-saturated-percent", "Share of saturated units under N(0, 1), all layers.", PROPAGATION)
def large_saturated_percent(res: sc.ScaleResults) -> str:
    run, _ = _large(res)
    return f"{fixed(100 * float(np.mean(run.signal.saturated_fraction)), 0)} %"


@page.value("scale-large-backward", "Per-layer growth of dL/dh under N(0, 1), predicted and measured.", PROPAGATION)
def large_backward(res: sc.ScaleResults) -> str:
    run, mf = _large(res)
    n = res.config.width
    d2 = gaussian_expectation(lambda z: (1 - np.tanh(z) ** 2) ** 2, mf.preactivation_var[-1])
    predicted = math.sqrt(n * run.scale.std**2 * d2)
    measured = 1.0 / geometric_factor(run.signal.gradient_std)
    return (f"$\\mathbb E[\\tanh'(a)^2] = {short(d2, 4)}$, so the factor is "
            f"$\\sqrt{{{n} \\times {short(d2, 4)}}} = {short(predicted, 2)}$ per layer "
            f"(measured: ${short(measured, 2)}$)")


@page.value("scale-float64-zero", "Where tanh rounds to 1 in float64, and the share of exactly zero gradients.",
            PROPAGATION)
def float64_zero(res: sc.ScaleResults) -> str:
    run, mf = _large(res)
    z0 = sc.tanh_rounds_to_one()
    predicted = math.erfc(z0 / math.sqrt(2.0 * mf.preactivation_var[-1]))
    measured = float(zero_share(run).mean())
    return (f"$|z| \\ge {short(z0, 2)}$, which predicts ${short(100 * predicted, 1)}\\,\\%$ of "
            f"exactly-zero gradients $\\partial L/\\partial z$; measured: "
            f"${short(100 * measured, 1)}\\,\\%$")


@page.value("scale-zero-fraction", "The share of exactly zero gradients under N(0, 1), in words.", PROPAGATION)
def zero_fraction(res: sc.ScaleResults) -> str:
    return fraction(float(zero_share(res.runs[LARGE]).mean()))


# --------------------------------------------------------------------------- values: exercises

@page.value("scale-exercise-layers", "Layers until the activation std falls below 1e-6 at std 0.01, n = 256.")
def exercise_layers() -> str:
    f = sc.small_scale_factor(0.01, 256)
    layers = math.ceil(math.log(1e-6) / math.log(f))
    return (f"$L > \\ln 10^{{-6}} / \\ln {short(f, 2)} = {short(math.log(1e-6) / math.log(f), 2)}$, "
            f"so {layers} layers")


@page.value("scale-exercise-relu", "Per-layer factor of the rms for ReLU at std 0.01, n = 256.")
def exercise_relu() -> str:
    f = sc.small_scale_factor(0.01, 256)
    return f"${short(f, 2)}/\\sqrt 2 = {short(f / math.sqrt(2.0), 4)}$"


@page.value("scale-exercise-sech", "The large-q approximation of E[sech^4 z] and the backward factor.",
            PROPAGATION)
def exercise_sech(res: sc.ScaleResults) -> str:
    _, mf = _large(res)
    q = mf.preactivation_var[-1]
    approx = (4.0 / 3.0) / math.sqrt(2.0 * math.pi * q)
    n = res.config.width
    return (f"for $\\sqrt{{q^*}} = {short(math.sqrt(q), 1)}$ is ${short(approx, 4)}$, and the factor "
            f"is $\\sqrt{{{n} \\times {short(approx, 4)}}} = {short(math.sqrt(n * approx), 2)}$")


# --------------------------------------------------------------------------- training from each scale

TRAINING = page.run("scale-training", sc.train_scales, sc.TrainScaleConfig(), seed=None)
#: The page's scales whose per-layer factor at the page's width the training run uses.
TRAINING_SCALES = (SMALL, LECUN, LARGE)


def training_factors_text() -> str:
    """'the factors of N(0, 0.01^2), N(0, 1/n) and N(0, 1) at width 256', computed: each
    multiple of the training run is sqrt(width) times the std of one of the page's scales."""
    width = PROPAGATION.config.width
    scales = {s.label: s for s in PROPAGATION.config.scales}
    factors = [math.sqrt(width) * scales[label].std for label in TRAINING_SCALES]
    if not np.allclose(factors, TRAINING.config.multiples):
        raise ValueError(f"training multiples {TRAINING.config.multiples} are not the factors {factors}")
    names = and_list(f"$\\mathcal N{label[1:].replace('²', '^2')}$" for label in TRAINING_SCALES)
    return f"the factors of {names} at width {width}"


def _train_median(res: sc.TrainScaleResults, m: float, step: int = -1) -> float:
    return float(np.median(res.loss[m][:, step]))


def _training_alt(res: sc.TrainScaleResults) -> str:
    cfg = res.config
    small, right, large = cfg.multiples
    return (
        f"A line chart of the training loss, divided by the loss of predicting the mean, on a "
        f"log axis over {cfg.steps} steps, for a {cfg.depth}-layer tanh network of width "
        f"{cfg.width}, median line and min-to-max band over {word(len(cfg.seeds))} seeds. "
        f"Too small (factor {num(small)} per layer): flat at 1 from the first steps to the last. "
        f"Right (factor {num(right)}): falls from about "
        f"{about(_train_median(res, right, 0))} to about {about(_train_median(res, right))}. "
        f"Too large (factor {num(large)}): starts near {about(_train_median(res, large, 0))}, "
        f"drops within the first steps and then creeps down to about "
        f"{about(_train_median(res, large))}, never far below 1."
    )


page.figure(
    "scale-training", "scale:training_curves", TRAINING,
    alt=_training_alt,
    caption=lambda res: (
        f"What the statistics at initialization predict, in training: a {res.config.depth}-layer "
        f"tanh network of width {res.config.width} learning $y = \\sin 2x_1 - x_2/2$ by "
        f"full-batch gradient descent (learning rate {short(res.config.lr)}) from three weight "
        "scales, given by their per-layer factor $\\sqrt n\\,\\sigma_w$ "
        f"({and_list(num(m) for m in res.config.multiples)}, {training_factors_text()}). "
        "Lines: median over "
        f"{word(len(res.config.seeds))} seeds (weight draws); bands: the smallest to the largest. "
        "A loss of 1 (dotted) is that of predicting the mean target."
    ),
)


@page.value("scale-training-setup", "The network and task of the training figure.", TRAINING)
def training_setup(res: sc.TrainScaleResults) -> str:
    c = res.config
    return (f"a {c.depth}-layer tanh network of width {c.width} (narrow, so that "
            f"{len(c.multiples) * len(c.seeds)} training runs stay cheap) learns "
            f"$y = \\sin 2x_1 - x_2/2$ on {c.n_points} standard-normal inputs by {c.steps} steps "
            f"of full-batch gradient descent, from $\\sqrt n\\,\\sigma_w = "
            f"{', '.join(num(m) for m in c.multiples[:-1])}$ and ${num(c.multiples[-1])}$, "
            f"{training_factors_text()}, {word(len(c.seeds))} weight draws each")


def _loss_number(x: float) -> str:
    return short(x, 2) if x >= 0.1 else sci(x)


@page.value("scale-training-losses", "Final training losses from each scale, median and range.", TRAINING)
def training_losses(res: sc.TrainScaleResults) -> str:
    small, right, large = res.config.multiples
    stuck = float(np.abs(res.loss[small][:, -1] - 1).max())
    parts = [f"too small: ${_loss_number(1.0)}$ for every draw (to within ${sci(upper_bound(stuck), 1)}$)"]
    for m, name in ((right, "right"), (large, "too large")):
        rows = res.loss[m][:, -1]
        parts.append(f"{name}: ${_loss_number(float(np.median(rows)))}$ "
                     f"(${_loss_number(rows.min())}$ to ${_loss_number(rows.max())}$)")
    return "; ".join(parts)



# --------------------------------------------------------------------------- values: intuition and exponents

#: The scalar example: D linear layers with W = a I output a^D x.
SCALAR_FACTORS = (0.5, 1.0, 1.5)


@page.value("scale-scalar-example", "a^D for the scalar example, at the page's depth.", PROPAGATION)
def scalar_example(res: sc.ScaleResults) -> str:
    d = res.config.depth
    return and_list(f"${short(a)}^{{{d}}} = {short(a ** d, 4) if a ** d >= 0.01 else sci(a ** d)}$"
                    for a in SCALAR_FACTORS)


def sweep_exponents(sw: sc.SweepResults, below: float = 0.6) -> tuple[float, float]:
    """Slopes of log std(h_D) and of log std(dL/da_1) against log(sqrt(n) sigma_w), fitted to
    the swept points below ``below`` (the linear regime): the exponents D and D - 1."""
    m = sw.stds * np.sqrt(sw.config.width)
    keep = m < below
    if keep.sum() < 2:
        raise ValueError(f"need two swept points below {below!r}, got {int(keep.sum())}")
    forward = np.polyfit(np.log(m[keep]), np.log(sw.last_activation_std[keep]), 1)[0]
    backward = np.polyfit(np.log(m[keep]), np.log(sw.first_gradient_std[keep]), 1)[0]
    return float(forward), float(backward)


@page.value("scale-sweep-exponents", "The exponents of the forward and backward signals, predicted and fitted.",
            SWEEP)
def sweep_exponent_text(sw: sc.SweepResults) -> str:
    d = sw.config.depth
    forward, backward = sweep_exponents(sw)
    return (f"$(\\sqrt n\\,\\sigma_w)^{{{d}}}$ and $(\\sqrt n\\,\\sigma_w)^{{{d - 1}}}$ (the forward "
            f"signal passes {d} weight layers, the gradient reaching layer 1 {d - 1}; fitted to "
            f"the swept points below 0.6, the slopes on log axes are {num(forward, 2)} and "
            f"{num(backward, 2)})")


@page.value("scale-depth-minus-one", "The number of layers minus one.", PROPAGATION)
def depth_minus_one(res: sc.ScaleResults) -> str:
    return str(res.config.depth - 1)

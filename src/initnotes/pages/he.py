"""The He/Kaiming page (``docs/concepts/he.md``): deep ReLU networks under Xavier and He init.

Runs, all from one seed (`SEED`: the sweeps of the three optimizers then share their data,
their initial weights and their minibatches): the per-layer statistics of a deep ReLU stack
at initialization, the fan_in/fan_out comparison, and one learning-rate sweep per
optimizer. The gain table is computed by quadrature (no run).
"""

from __future__ import annotations

import math

import numpy as np

from initnotes import init
from initnotes.experiments import he
from initnotes.format import and_list, fixed, num, sci, short, table, word
from initnotes.pages import Page

page = Page("he", "concepts/he.md")

#: The seed of every run of the page.
SEED = 2015

SIGNAL = page.run("he-signal", he.layer_statistics, he.LayerStatsConfig(), seed=SEED)
FANS = page.run("he-fan-modes", he.fan_modes, he.FanModeConfig(), seed=SEED)
#: One learning-rate sweep per optimizer, in the order of `he.OPTIMIZERS`.
SWEEPS = {opt: page.run(f"he-sweep-{opt}", he.lr_sweep, he.SweepConfig(optimizer=opt), seed=SEED)
          for opt in he.OPTIMIZERS}

#: The rows of the gain table: (nonlinearity, param).
GAIN_ROWS: tuple[tuple[str, float | None], ...] = (
    ("linear", None),
    ("conv2d", None),
    ("sigmoid", None),
    ("tanh", None),
    ("relu", None),
    ("leaky_relu", None),
    ("leaky_relu", 0.2),
    ("leaky_relu", math.sqrt(5)),
    ("selu", None),
)
#: Activations of the gain table that `init.gain` (like PyTorch's ``calculate_gain``) does not
#: know: their one-layer gains come from the same quadrature (`he.activation_gains`).
EXTRA_GAIN_ROWS: tuple[str, ...] = ("gelu", "silu")
#: The curvature of the sweeps' loss $L = \frac{1}{2B}\sum_n (f(x_n) - y_n)^2$ (the trainer's,
#: as `initnotes.nn.mse`) in the output bias: $\partial^2 L / \partial b^2 = 1$.
OUTPUT_BIAS_CURVATURE = 1.0
#: How the sweep table names each init.
INIT_NAMES = {"xavier_normal": "Xavier", "he_normal": "He"}

_FRACTIONS = {2: "half", 3: "a third", 4: "a quarter", 5: "a fifth"}




def _fraction(x: float) -> str:
    """A share as the nearest ``1/k`` in words: 0.35 -> ``a third``, 0.25 -> ``a quarter``."""
    k = round(1 / x)
    return _FRACTIONS.get(k, f"1/{k}")


def optimizer_name(cfg: he.SweepConfig) -> str:
    """How the page names the optimizer of a sweep: ``SGD with momentum 0.9``."""
    return {"sgd": "SGD", "momentum": f"SGD with momentum {cfg.momentum:g}", "adam": "Adam"}[cfg.optimizer]


def geometric_ratio(std: np.ndarray) -> float:
    """The per-layer factor of a std that changes geometrically from first to last layer."""
    return float((std[-1] / std[0]) ** (1 / (len(std) - 1)))


def xavier_power(depth: int) -> str:
    """``2^{-(depth-1)/2}`` as the page writes it: what ``depth - 1`` halvings of the second
    moment leave of the std."""
    return f"2^{{-{depth - 1}/2}}"


def diverged_rates(res: he.SweepResults, init_name: str) -> list[float]:
    """The learning rates at which ``init_name``'s runs diverged."""
    i = res.config.inits.index(init_name)
    return [lr for lr, d in zip(res.config.lrs, res.diverged[i]) if d]


def xavier_loss(res: he.SweepResults) -> float:
    """The Xavier start's typical loss in a sweep: the median over every rate and evaluation
    before divergence (1 is the loss of predicting the mean)."""
    i = res.config.inits.index("xavier_normal")
    return float(np.median(res.loss[i][np.isfinite(res.loss[i])]))


# --------------------------------------------------------------------------- figures

def _layer_std_alt(s: he.LayerStats) -> str:
    cfg = s.config
    a = s.activation_std("xavier_normal")
    orders = -math.log10(a[-1] / a[0])
    g_he = s.gradient_std("he_normal")
    return (
        f"Two line charts on a log scale against layer 1 to {cfg.depth} of a ReLU network of "
        f"width {cfg.width}. Left, forward std of the activations: under Xavier init "
        "(vermillion circles) it falls on a straight line on the log scale, by "
        f"{word(math.floor(orders))} to {word(math.ceil(orders))} orders of magnitude, "
        "following the dotted prediction; under He init (blue squares) it stays within a factor "
        "of 2 of the flat prediction. Right, backward std of the gradients: under Xavier init it "
        "falls the same way from the top layer down to layer 1; under He init it stays flat near "
        f"{num(math.exp(np.mean(np.log(g_he))), 1)}."
    )


page.figure(
    "he-layer-std", "he:layer_std", SIGNAL,
    alt=_layer_std_alt,
    caption=lambda s: (
        f"A {s.config.depth}-layer ReLU network at initialization. With Xavier's "
        "$\\sigma_w^2 = 1/n$ each layer halves the second moment, so the std shrinks "
        "by $2^{-1/2}$ per layer, forward and backward (dotted: the prediction "
        "$\\propto 2^{-l/2}$); He's $2/n$ keeps both flat. "
        f"Widths {s.config.width}, a batch of {s.config.batch} standard-normal inputs."
    ),
)


def widest_layer(res: he.FanModeResults) -> int:
    """Index (into ``forward``) of the widest layer of the fan-mode network."""
    return int(np.argmax(res.config.widths[1:]))


def _fan_modes_alt(res: he.FanModeResults) -> str:
    widths = res.config.widths
    fwd_out = res.forward["fan_out"]
    bwd_in = res.backward["fan_in"]
    return (
        f"Two line charts on a log scale for a ReLU network of {len(widths) - 1} layers "
        "whose widths go " + ", ".join(str(w) for w in widths) + ". Left, forward std of "
        "the pre-activations: fan_in mode (blue circles) is flat; fan_out mode (orange squares) "
        "falls as the layers widen, to about "
        f"{_fraction(fwd_out[widest_layer(res)] / fwd_out[0])} of its first value at the "
        "widest layer, and comes back. Right, backward std of the gradients: fan_out mode is "
        f"flat; fan_in mode falls to {_fraction(bwd_in.min() / bwd_in[0])} at the widest layer "
        "and comes back. Dotted predictions lie on the measured lines."
    )


page.figure(
    "he-fan-modes", "he:fan_modes", FANS,
    alt=_fan_modes_alt,
    caption=lambda res: (
        "He init in `mode=\"fan_in\"` keeps the forward signal's variance; `mode=\"fan_out\"` "
        "keeps the backward gradient's. The other direction is not lost exponentially: its "
        "variance is proportional to $1/n_l$, the inverse width of the layer, so it comes back "
        "when the widths do. Dotted: the variance recursion; measured values are averages over "
        f"{res.config.repeats} draws of the weights."
    ),
)


def _sgd_alt(res: he.SweepResults) -> str:
    cfg = res.config
    name = "plain SGD" if cfg.optimizer == "sgd" else optimizer_name(cfg)
    flat = num(xavier_loss(res), 1)
    return (
        f"Left: loss after {cfg.steps} steps of {name} against learning rates from "
        f"{cfg.lrs[0]:g} to {cfg.lrs[-1]:g}, log scales. The He start (blue squares) ends "
        f"below the {he.THRESHOLD:g} threshold at its best rate and diverges (crosses at the "
        f"top) at the largest rates. The Xavier start (vermillion circles) stays at {flat}, the "
        "loss of predicting the mean, at every rate that does not diverge, and diverges at "
        f"{and_list(f'{lr:g}' for lr in diverged_rates(res, 'xavier_normal'))}. Right: loss "
        f"against step at each start's best rate: He's falls below {he.THRESHOLD:g}, Xavier's "
        f"stays flat at {flat}."
    )


page.figure(
    "he-training-momentum", "he:training", SWEEPS["momentum"], threshold=he.THRESHOLD,
    alt=_sgd_alt,
    caption=lambda res: (
        f"A {res.config.depth}-layer ReLU network (width {res.config.width}) trained with SGD and "
        f"momentum {res.config.momentum:g}, the optimizer of He et al., on a regression task, "
        "from a Xavier and a He start, at every learning rate of the grid. Dotted: the "
        f"threshold {he.THRESHOLD:g} ({_fraction(1 - he.THRESHOLD)} of the target's variance "
        "explained). The Xavier start does not move at any rate; the He start trains."
    ),
)

page.figure(
    "he-training-sgd", "he:training", SWEEPS["sgd"], threshold=he.THRESHOLD,
    alt=_sgd_alt,
    caption=(
        "The same sweep with plain SGD (no momentum): again no learning rate trains the Xavier "
        "start."
    ),
)

page.figure(
    "he-training-adam", "he:training", SWEEPS["adam"], threshold=he.THRESHOLD,
    alt=lambda res: (
        f"Left: loss after {res.config.steps} steps of Adam against learning rates from "
        f"{res.config.lrs[0]:g} to {res.config.lrs[-1]:g}. Both starts reach a loss below the "
        f"{he.THRESHOLD:g} threshold at their best rates, which lie in the middle of the grid; "
        "the largest rates fail for both. Right: at the best rates both losses fall below the "
        "threshold."
    ),
    caption=(
        "The same network and task trained with Adam: both starts train. Adam divides each "
        "step by a running estimate of the gradient's own magnitude, so gradients that are "
        "uniformly small, as under Xavier init here, still give steps of the size the learning "
        "rate asks for."
    ),
)


# --------------------------------------------------------------------------- values: gains

@page.value("he-gain-table", "gain() per nonlinearity next to the one-layer second-moment gains.")
def gain_table() -> str:
    rows = []
    for name, param in GAIN_ROWS:
        g = init.gain(name, param)
        fwd, bwd = he.one_layer_gains(name, param)
        if param is None:
            call = f'`"{name}"`' + (" (slope 0.01)" if name == "leaky_relu" else "")
        elif name == "leaky_relu" and math.isclose(param, math.sqrt(5)):
            call = '`"leaky_relu", math.sqrt(5)`'
        else:
            call = f'`"{name}", {param:g}`'
        rows.append([call, fixed(g, 4), fixed(g * g, 4), fixed(fwd, 4), fixed(bwd, 4)])
    for name in EXTRA_GAIN_ROWS:
        fwd, bwd = he.activation_gains(name)
        rows.append([f"{_ACTIVATION_NAMES[name]} (not in `calculate_gain`)", "none", "none",
                     fixed(fwd, 4), fixed(bwd, 4)])
    return table(["nonlinearity", "`gain(...)`",
                  "$g^2 = \\text{fan\\_in} \\cdot \\sigma_w^2$",
                  "$1/\\sqrt{\\mathbb{E}[\\phi(a)^2]}$ (forward)",
                  "$1/\\sqrt{\\mathbb{E}[\\phi'(a)^2]}$ (backward)"],
                 rows, ["---", "---:", "---:", "---:", "---:"])


_ACTIVATION_NAMES = {"gelu": "GELU", "silu": "SiLU"}


@page.value("he-gelu-silu-gains", "The one-layer gains of GELU and SiLU, forward and backward.")
def gelu_silu_gains() -> str:
    parts = []
    for name in EXTRA_GAIN_ROWS:
        fwd, bwd = he.activation_gains(name)
        parts.append(f"{fixed(fwd, 2)} forward and {fixed(bwd, 2)} backward for "
                     f"{_ACTIVATION_NAMES[name]}")
    return and_list(parts) + f" (ReLU: {fixed(math.sqrt(2), 2)} both ways)"


@page.value("he-gelu-silu-short", "The one-layer gains of GELU and SiLU, forward/backward.")
def gelu_silu_short() -> str:
    parts = []
    for name in EXTRA_GAIN_ROWS:
        fwd, bwd = he.activation_gains(name)
        parts.append(f"{fixed(fwd, 2)}/{fixed(bwd, 2)} ({_ACTIVATION_NAMES[name]}, forward/backward)")
    return and_list(parts)


@page.value("he-tanh-gains", "The one-layer gains of tanh, forward and backward.")
def tanh_gains() -> str:
    fwd, bwd = he.one_layer_gains("tanh")
    return f"{fixed(fwd, 3)} forward and {fixed(bwd, 3)} backward"


@page.value("he-fan-return", "The fan-mode run: each mode comes back at a layer of the same width.",
            FANS)
def fan_return(res: he.FanModeResults) -> str:
    widths = res.config.widths
    fwd = res.forward["fan_out"]
    first_w = widths[1]
    back = max(l for l in range(2, len(widths)) if widths[l] == first_w)
    last = len(widths) - 1
    return (f"under `fan_out` the forward std is {fixed(fwd[0], 2)} at layer 1 (width {first_w}) "
            f"and {fixed(fwd[back - 1], 2)} at layer {back} (width {first_w} again). The last layer "
            f"(width {widths[last]}, like the input) ends at {fixed(fwd[last - 1], 2)}, not at the "
            "input's 1: the input is not rectified, so it passes on twice the second moment of a "
            "ReLU layer of the same variance, and that factor, "
            f"$\\sqrt2 = {fixed(math.sqrt(2), 2)}$ in the std, stays to the end.")


# --------------------------------------------------------------------------- values: the signal

@page.value("he-signal-depth", "Layers of the ReLU stack at initialization.")
def signal_depth() -> str:
    return str(SIGNAL.config.depth)


@page.value("he-signal-width", "Width of the ReLU stack at initialization.")
def signal_width() -> str:
    return str(SIGNAL.config.width)


@page.value("he-xavier-ratio", "Xavier init, ReLU: measured per-layer shrink factor of the std.", SIGNAL)
def xavier_ratio(s: he.LayerStats) -> str:
    fwd = geometric_ratio(s.activation_std("xavier_normal"))
    bwd = 1 / geometric_ratio(s.gradient_std("xavier_normal"))
    return (f"{fixed(fwd, 3)} forward and {fixed(bwd, 3)} backward per layer "
            f"(prediction $2^{{-1/2}} = {fixed(2 ** -0.5, 3)}$)")


@page.value("he-xavier-total",
            f"Xavier init, ReLU: std at layer {SIGNAL.config.depth} over std at layer 1.", SIGNAL)
def xavier_total(s: he.LayerStats) -> str:
    a = s.activation_std("xavier_normal")
    depth = s.config.depth
    return f"${sci(a[-1] / a[0])}$ (prediction ${xavier_power(depth)} = {sci(2 ** (-(depth - 1) / 2))}$)"


@page.value("he-he-band", "He init, ReLU: smallest and largest per-layer activation std.", SIGNAL)
def he_band(s: he.LayerStats) -> str:
    a = s.activation_std("he_normal")
    _, pred = he.relu_std_prediction(len(a), weight_variance_times_fan_in=2.0)
    return f"between {num(a.min(), 2)} and {num(a.max(), 2)} (prediction {num(pred[0], 2)} at every layer)"


@page.value("he-xavier-power",
            "The share of He's weight gradients that Xavier's keep in the ReLU stack, in LaTeX.")
def xavier_power_value() -> str:
    return f"${xavier_power(SIGNAL.config.depth)}$"


@page.value("he-weight-gradient-ratio",
            "Per-layer std of dL/dW under Xavier divided by that under He: range over layers.", SIGNAL)
def weight_gradient_ratio(s: he.LayerStats) -> str:
    r = s.weight_gradient_std("xavier_normal") / s.weight_gradient_std("he_normal")
    depth = s.config.depth
    return (f"between ${sci(r.min())}$ and ${sci(r.max())}$ in every layer "
            f"(${xavier_power(depth)} = {sci(2 ** (-(depth - 1) / 2))}$)")


# --------------------------------------------------------------------------- values: training

def _sweep_config() -> he.SweepConfig:
    """The network and task of the sweeps (the same for every optimizer)."""
    return SWEEPS["sgd"].config


@page.value("he-sweep-depth", "Weight layers of the trained network.")
def sweep_depth() -> str:
    return str(_sweep_config().depth)


@page.value("he-input-dim", "Input dimension of the regression task.")
def input_dim() -> str:
    return str(_sweep_config().input_dim)


@page.value("he-teacher-width", "Hidden units of the teacher network of the regression task.")
def teacher_width() -> str:
    return str(_sweep_config().teacher_width)


@page.value("he-sweep-setup", "The training task and network of the sweeps.")
def sweep_setup() -> str:
    c = _sweep_config()
    hidden = len(c.sizes) - 2
    return (f"{c.depth} weight layers: {hidden} hidden layers of {c.width} ReLU units and a "
            f"linear output, trained for {c.steps} steps with minibatches of {c.batch} on "
            f"{c.n_train} points")


def initial_losses(res: he.SweepResults) -> dict[str, float]:
    """Each init's loss before the first step (the same at every learning rate)."""
    return {name: float(res.loss[i, 0, 0]) for i, name in enumerate(res.config.inits)}


@page.value("he-initial-loss", "Each start's loss before training, and why He's is above 1.",
            SWEEPS["sgd"])
def initial_loss(res: he.SweepResults) -> str:
    loss = initial_losses(res)
    return (f"Before the first step the Xavier start's loss is {fixed(loss['xavier_normal'], 2)} "
            f"and the He start's {fixed(loss['he_normal'], 2)}. That does not mean He starts "
            "worse: here the linear output layer gets He's $\\sqrt2$ gain too (the "
            "[choosing page](choosing.md) recommends gain 1 for an output layer), so the untrained "
            "network's own random output, of variance about "
            f"{fixed(loss['he_normal'] - 1, 1)} times the target's, adds to the loss of predicting "
            "the mean, while the Xavier network's output is too small to add anything.")


@page.value("he-bias-limit", "Why the Xavier start diverges at large rates: the biases' curvature.",
            (SWEEPS["sgd"], SWEEPS["momentum"]))
def bias_limit(sgd: he.SweepResults, momentum: he.SweepResults) -> str:
    c = OUTPUT_BIAS_CURVATURE
    mu = momentum.config.momentum
    return (f"The loss is a parabola of curvature {c:g} in the output bias alone, and gradient "
            f"descent on a parabola of curvature $c$ diverges for rates above $2/c$ ({2 / c:g} here; "
            f"with momentum {mu:g}, above $2(1 + \\mu)/c = {2 * (1 + mu) / c:g}$); the biases of the "
            "top hidden layers add to that curvature. So the Xavier start diverged at "
            f"{and_list(f'{lr:g}' for lr in diverged_rates(sgd, 'xavier_normal'))} with plain SGD "
            f"and at {and_list(f'{lr:g}' for lr in diverged_rates(momentum, 'xavier_normal'))} "
            "with momentum, though its weight gradients are tiny.")


def _sweep_gap(cfg: he.SweepConfig) -> float:
    """How much smaller Xavier's weight gradients are than He's in the trained network: one
    halving of the second moment per ReLU, ``depth - 1`` of them, ``2^{-(depth-1)/2}``."""
    return 2.0 ** (-(cfg.depth - 1) / 2)


def _thousands(x: float) -> str:
    """``x`` to two significant digits with a thousands separator: 23170 -> ``23,000``."""
    return f"{round(float(num(x, 2))):,}"


@page.value("he-sweep-gradient-factor",
            "Xavier's weight gradients relative to He's in the trained network, in LaTeX.")
def sweep_gradient_factor() -> str:
    cfg = _sweep_config()
    return (f"$2^{{-{short((cfg.depth - 1) / 2, 1)}}} \\approx "
            f"1/{_thousands(1 / _sweep_gap(cfg)).replace(',', '{,}')}$")


@page.value("he-sweep-rate-factor",
            "The factor by which SGD's rate would have to grow to make up for the Xavier start.")
def sweep_rate_factor() -> str:
    return _thousands(1 / _sweep_gap(_sweep_config()))


@page.value("he-sweep-power", "How much smaller the Xavier network's output starts, in LaTeX.")
def sweep_power() -> str:
    return f"$2^{{-{short((_sweep_config().depth - 1) / 2, 1)}}}$"


@page.value("he-sweep-table", "Best learning rate and loss of each init and optimizer.",
            tuple(SWEEPS.values()))
def sweep_table(*sweeps: he.SweepResults) -> str:
    rows = []
    for res in sweeps:
        lrs = res.config.lrs
        grid = f"{lrs[0]:g} to {lrs[-1]:g}"
        for i, name in enumerate(res.config.inits):
            best = res.best_index(name)
            final = res.final_loss[i, best]
            diverged = [f"{lr:g}" for lr in diverged_rates(res, name)]
            reached = "yes" if final < he.THRESHOLD else "no"
            rows.append([optimizer_name(res.config), INIT_NAMES[name], grid, f"{lrs[best]:g}",
                         num(final, 2), reached, ", ".join(diverged) or "none"])
    return table(["optimizer", "init", "learning rates tried", "best rate", "loss at the best rate",
                  f"reaches {he.THRESHOLD:g}?", "diverged at"], rows,
                 ["---", "---", "---", "---:", "---:", "---", "---"])


@page.value("he-xavier-loss", "The Xavier start's loss at every rate that does not diverge (momentum).",
            SWEEPS["momentum"])
def xavier_loss_value(res: he.SweepResults) -> str:
    return num(xavier_loss(res), 1)


@page.value("he-lr-gap",
            "Smallest rate at which the Xavier start diverged, relative to He's best rate (momentum).",
            SWEEPS["momentum"])
def lr_gap(res: he.SweepResults) -> str:
    first = min(diverged_rates(res, "xavier_normal"))
    best_he = res.best_lr("he_normal")
    return f"from a rate of {first:g}, {first / best_he:g} times the He start's best rate ({best_he:g})"


@page.value("he-steps-to-threshold",
            "Steps the He start needs, at its best rate with momentum, to get below the threshold.",
            SWEEPS["momentum"])
def steps_to_threshold(res: he.SweepResults) -> str:
    below = np.nonzero(res.best_curve("he_normal") < he.THRESHOLD)[0]
    return f"{int(res.steps[below[0]])} steps" if below.size else "no step of the run"

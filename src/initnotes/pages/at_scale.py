"""The page "Initialization at scale" (``docs/concepts/at-scale.md``).

Runs: the framework defaults (one draw), the residual stream of a GPT-2-style pre-LN stack
(one draw; the page tests rerun two more seeds), the zero-initialized residual ends and the
LayerNorm scale invariance (deterministic given the draw), the muP coordinate check (one
draw; two more seeds in the tests) and the learning-rate sweeps over width, one run per
seed in `SWEEP_SEEDS`.
"""

from __future__ import annotations

import math

import numpy as np

from initnotes.experiments import at_scale, mup
from initnotes.format import and_list, num, sci, table
from initnotes.pages import Page

page = Page("at-scale", "concepts/at-scale.md")

#: The seed of the single-draw runs.
SEED = 2022
#: One learning-rate sweep per seed (three: a sweep costs about a second).
SWEEP_SEEDS: tuple[int, ...] = (0, 1, 2)

DEFAULTS = page.run("at-scale-defaults", at_scale.layer_defaults, at_scale.DefaultsConfig(), seed=SEED)
STREAM = page.run("at-scale-stream", at_scale.residual_stream, at_scale.StreamConfig(), seed=SEED)
ZERO = page.run("at-scale-zero-ends", at_scale.zero_ends, at_scale.ZeroEndsConfig(), seed=SEED)
NORM = page.run("at-scale-norm-scale", at_scale.norm_scale, at_scale.NormScaleConfig(), seed=SEED)
COORD = page.run("at-scale-coord-check", mup.coordinate_check, mup.CoordCheckConfig(), seed=SEED)
SWEEPS = tuple(page.run(f"at-scale-mup-sweep-seed-{s}", mup.lr_sweep, mup.MupSweepConfig(), seed=s)
               for s in SWEEP_SEEDS)

#: How the page names the zero-end schemes and what each starts at zero.
ZERO_NAMES = {
    "zero-last": ("last layer of the branch = 0 (zero-γ, Fixup)", "W2"),
    "rezero": ("scalar gate α = 0 (ReZero, SkipInit)", "alpha"),
    "layerscale": ("LayerScale, diagonal λ = ε", "lam"),
    "lora": ("LoRA, B = 0", "B"),
    "adaln-zero": ("adaLN-Zero gate, its linear map = 0", "Wg"),
}
PARAM_LABELS = {"W1": "W₁", "W2": "W₂", "alpha": "α", "lam": "λ", "A": "A", "B": "B",
                "Wg": "W_g", "bg": "b_g"}


def msci(x: float, digits: int = 2) -> str:
    """`initnotes.format.sci` as inline math."""
    return f"${sci(x, digits)}$"


def pow2(x: float) -> str:
    """A power of two as KaTeX: 0.25 -> ``$2^{-2}$``."""
    k = round(math.log2(x))
    if not math.isclose(2.0**k, x):
        raise ValueError(f"not a power of two: {x!r}")
    return f"$2^{{{k}}}$"


# ---------------------------------------------------------------------------
# Defaults
# ---------------------------------------------------------------------------


@page.value("at-scale-defaults-table", "Each framework's default for a dense layer, its bias "
            "and an embedding, with its variance and the variance of a draw.", DEFAULTS)
def defaults_table(res) -> str:
    cfg = res.config
    rows = [(r.framework, r.layer, f"`{r.rule}`", msci(r.expected_var, 3) if r.expected_var else "0",
             msci(r.measured_var, 3) if r.measured_var else "0") for r in res.rows]
    return table(["framework", "layer", "default", "variance", f"variance of a draw"], rows)


@page.value("at-scale-defaults-shape", "The shapes the defaults table draws.", DEFAULTS)
def defaults_shape(res) -> str:
    c = res.config
    return (f"a dense layer with fan_in {c.fan_in} and fan_out {c.fan_out}, and an embedding "
            f"table of {c.vocab} rows of width {c.fan_out}")


@page.value("at-scale-pytorch-he", "PyTorch's default dense variance as a share of He's.", DEFAULTS)
def pytorch_he(res) -> str:
    r = res.row("PyTorch", "dense weight")
    he = 2.0 / res.config.fan_in
    return f"{num(r.measured_var * res.config.fan_in, 3)}/fan_in, {num(r.measured_var / he, 3)} of He's $2/\\text{{fan\\_in}}$"


@page.value("at-scale-prior-bias", "The prior bias for the page's pi and the probability it gives.", DEFAULTS)
def prior_bias_value(res) -> str:
    pi, b = res.config.pi, res.prior_bias
    return f"$\\pi = {pi:g}$ gives $b = {b:.3f}$ and $\\sigma(b) = {at_scale.sigmoid(b):.4f}$"


@page.value("at-scale-trunc-trap", "trunc_normal with std 0.02 and the default absolute "
            "bounds, against bounds of two standard deviations.", DEFAULTS)
def trunc_trap(res) -> str:
    t = res.trunc
    return (f"with std {t.std:g} the default bounds sit at $\\pm{num(t.default_bound_sigmas, 3)}\\sigma$: "
            f"a draw of {res.config.fan_out * res.config.fan_in:,} values with "
            f"`init.trunc_normal(shape, std={t.std:g}, rng=rng)` has std {num(t.default_std, 3)} "
            f"and no value beyond {num(t.default_max_sigmas, 2)}σ, an untruncated normal; with "
            f"`a=-2*std, b=2*std` the std is {num(t.two_sigma_std, 3)}, "
            f"{num(t.two_sigma_std / t.std, 2)} of the asked-for value")


# ---------------------------------------------------------------------------
# The residual stream
# ---------------------------------------------------------------------------


@page.value("at-scale-stream-setup", "The pre-LN stack the stream figure measures.", STREAM)
def stream_setup(res) -> str:
    c = res.config
    return (f"a stack of pre-LN blocks of width {c.width} with {c.heads} attention heads and a "
            f"{4 * c.width}-wide GELU MLP, on {c.batch} random sequences of {c.seq_len} tokens "
            f"(vocabulary {c.vocab}), every weight drawn with std {c.std:g} and biases 0, for "
            f"{', '.join(str(d) for d in c.depths[:-1])} and {c.depths[-1]} blocks")


@page.value("at-scale-stream-table", "The stream's variance after the last block, per depth, "
            "with and without the GPT-2 scaling.", STREAM)
def stream_table(res) -> str:
    c = res.config
    un, sc = res.final("unscaled"), res.final("gpt2")
    rows = [(str(D), msci(a, 2), msci(b, 2), num(a / b, 2)) for D, a, b in zip(c.depths, un, sc)]
    return table(["blocks n_layer", "std 0.02 everywhere", "projections 0.02/√(2·n_layer)", "ratio"], rows)


@page.value("at-scale-stream-summary", "How much the final variance changes from the "
            "shallowest to the deepest stack under each scheme.", STREAM)
def stream_summary(res) -> str:
    c = res.config
    un, sc = res.final("unscaled"), res.final("gpt2")
    q0 = res.variance[("gpt2", c.depths[-1])][0]
    return (f"From {c.depths[0]} to {c.depths[-1]} blocks the variance after the last block "
            f"grows {num(un[-1] / un[0], 2)}-fold with std 0.02 everywhere (the number of blocks "
            f"grew {c.depths[-1] // c.depths[0]}-fold), and changes by a factor between "
            f"{num(sc.min() / sc.max(), 3)} and 1 with the scaled projections; the embeddings "
            f"start the stream at {msci(q0, 2)}")


# ---------------------------------------------------------------------------
# Zero-initialized residual ends
# ---------------------------------------------------------------------------


def zero_at_first_step(res, scheme: str) -> list[str]:
    """The parameters whose gradient is exactly zero at the first step."""
    return [k for k, g in res.grad_norm[scheme].items() if g[0] == 0.0]


@page.value("at-scale-zero-setup", "The block and training of the zero-ends table.", ZERO)
def zero_setup(res) -> str:
    c = res.config
    return (f"one block of width {c.width} (a ReLU branch {c.hidden} wide; LoRA of rank {c.rank} "
            f"around a frozen random layer), {c.n_samples} random inputs, a target equal to the "
            f"identity plus a random tanh map, and {c.steps} steps of plain gradient descent "
            f"with learning rate {c.lr:g} on half the mean squared error")


@page.value("at-scale-zero-table", "Per zero-end scheme: distance from the identity at init, "
            "parameters without gradient at step 1, distance after the last step.", ZERO)
def zero_table(res) -> str:
    c = res.config
    rows = []
    for scheme in at_scale.ZERO_SCHEMES:
        name, _ = ZERO_NAMES[scheme]
        d = res.distance[scheme]
        still = zero_at_first_step(res, scheme)
        moving = [k for k in res.grad_norm[scheme] if k not in still]
        rows.append((name, "0" if d[0] == 0 else msci(d[0], 1),
                     ", ".join(PARAM_LABELS[k] for k in moving),
                     ", ".join(PARAM_LABELS[k] for k in still) or "none",
                     msci(d[-1], 1)))
    return table(["block", "distance from identity at init", "gradient ≠ 0 at step 1",
                  "gradient = 0 at step 1", f"distance after {c.steps} steps"], rows)


# ---------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------


@page.value("at-scale-norm-numbers", "The LayerNorm scale-invariance measurements.", NORM)
def norm_numbers(res) -> str:
    c = res.config
    scales = [s for s in c.scales if s != 1.0]
    gap = max(res.output_gap[s] for s in scales)
    ratio = [res.grad_norm[s] * s / res.grad_norm[1.0] for s in scales]
    same = max(float(np.max(np.abs(res.loss_scaled_lr[s] - res.loss_scaled_lr[1.0]))) for s in scales)
    lo, hi = min(scales), max(scales)
    return (f"scaling the weights by {and_list(f'{s:g}' for s in scales)} changes the output by "
            f"at most {msci(gap, 1)} (rounding), multiplies the gradient by $1/c$ to "
            f"{msci(max(abs(r - 1) for r in ratio), 1)}, and SGD with learning rate $c^2\\eta$ "
            f"retraces the losses of $c = 1$ to {msci(same, 1)}. With the same $\\eta$ for "
            f"every scale, after {c.steps} steps the loss is {num(res.loss_same_lr[hi][-1], 2)} "
            f"from $c = {hi:g}$ against {num(res.loss_same_lr[1.0][-1], 2)} from $c = 1$")


# ---------------------------------------------------------------------------
# muP
# ---------------------------------------------------------------------------


def _rate(x: float) -> str:
    return {1.0: "$\\eta$", 2.0: "$\\eta\\,m$", 0.5: "$\\eta/m$"}[x]


@page.value("at-scale-mup-rules", "The learning-rate rules of the package's muP, read from "
            "initnotes.experiments.mup.lr_scales.")
def mup_rules() -> str:
    rows = []
    for opt, name in (("sgd", "SGD"), ("adam", "Adam")):
        for p, pname in (("sp", "SP"), ("mup", "μP")):
            s = mup.lr_scales(p, opt, 2, 1)  # width 2 x the base: m = 2
            rows.append((f"{name}, {pname}", _rate(s[0]), _rate(s[1]), _rate(s[2]), _rate(s[3]),
                         _rate(s[4]), _rate(s[5])))
    return table(["optimizer", "W₁", "b₁", "W₂", "b₂", "W₃", "b₃"], rows)


@page.value("at-scale-coord-setup", "The coordinate check's network and training.", COORD)
def coord_setup(res) -> str:
    c = res.config
    opt = {"adam": "Adam", "sgd": "SGD"}[c.optimizer]
    return (f"the ReLU network ({c.d_in}, n, n, 1) for n from {c.widths[0]} to {c.widths[-1]}, "
            f"{c.steps} {opt} steps with base learning rate {c.lr:g} and batches of {c.batch}, "
            f"base width $n_0 = {c.base_width}$")


@page.value("at-scale-coord-summary", "How much each layer's change grows from the narrowest "
            "to the widest network under SP and under muP.", COORD)
def coord_summary(res) -> str:
    c = res.config
    sp, mu = res.growth("sp"), res.growth("mup")
    spread = max(float(res.change["mup"][:, j].max() / res.change["mup"][:, j].min())
                 for j in range(res.change["mup"].shape[1]))
    return (f"From width {c.widths[0]} to {c.widths[-1]}, under SP the change of the hidden "
            f"layer's pre-activations grows {num(sp[1], 2)}-fold and the output's "
            f"{num(sp[2], 2)}-fold, while the input layer's changes by a factor {num(sp[0], 2)}; under μP no layer's change "
            f"varies by more than a factor {num(spread, 2)} over all widths")


@page.value("at-scale-sweep-setup", "The sweeps' network, task and grid.", SWEEPS)
def sweep_setup(*sweeps) -> str:
    c = sweeps[0].config
    return (f"the ReLU network ({c.d_in}, n, n, 1) for n = "
            f"{', '.join(str(n) for n in c.widths)}, {c.steps} SGD steps with batches of "
            f"{c.batch} on {c.n_samples} examples of a random tanh teacher, at "
            f"{len(c.lrs)} base learning rates from {pow2(c.lrs[0])} to {pow2(c.lrs[-1])}, "
            f"base width $n_0 = {c.base_width}$, {len(sweeps)} seeds")


@page.value("at-scale-sweep-table", "The best base learning rate per width and seed, SP and muP.", SWEEPS)
def sweep_table(*sweeps) -> str:
    c = sweeps[0].config
    rows = []
    for i, n in enumerate(c.widths):
        rows.append((str(n), ", ".join(pow2(s.best_lr("sp")[i]) for s in sweeps),
                     ", ".join(pow2(s.best_lr("mup")[i]) for s in sweeps)))
    return table(["width n", "best η, SP (per seed)", "best η, μP (per seed)"], rows)


@page.value("at-scale-sweep-summary", "How far the best rate moves from the narrowest to the "
            "widest network, per parametrization, over the seeds.", SWEEPS)
def sweep_summary(*sweeps) -> str:
    c = sweeps[0].config
    sp = [s.best_shift_octaves("sp") for s in sweeps]
    mu = [abs(s.best_shift_octaves("mup")) for s in sweeps]
    return (f"From width {c.widths[0]} to {c.widths[-1]} the best rate under SP falls by "
            f"{int(min(sp))} to {int(max(sp))} octaves (a factor {2 ** int(min(sp))} to "
            f"{2 ** int(max(sp))}) depending on the seed; under μP it moves by at most "
            f"{int(max(mu))} octave{'s' if max(mu) != 1 else ''}")


def median_best_lr(sweeps, parametrization: str) -> np.ndarray:
    """Per width, the best rate of the median-over-seeds loss (what the sweep figure stars)."""
    med = np.median(np.stack([s.loss[parametrization] for s in sweeps]), axis=0)
    return np.array(sweeps[0].config.lrs)[np.argmin(med, axis=1)]


def median_shift(sweeps, parametrization: str) -> int:
    best = median_best_lr(sweeps, parametrization)
    return round(math.log2(best[0] / best[-1]))


def median_range(sweeps, parametrization: str) -> int:
    best = median_best_lr(sweeps, parametrization)
    return round(math.log2(best.max() / best.min()))


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------

page.figure(
    "at-scale-stream", "at_scale:residual_stream", STREAM,
    alt=lambda r: (f"Two log-scale line charts of the residual stream's variance. Left, for "
                   f"{max(r.config.depths)} blocks: with std 0.02 everywhere it climbs steadily "
                   f"to {num(r.final('unscaled')[-1], 1)}; with the scaled projections it stays "
                   f"near {num(r.final('gpt2')[-1], 1)}. Right, after the last block against "
                   f"the number of blocks: the unscaled line rises in proportion, the scaled "
                   f"one is flat."),
    caption=lambda r: (f"Variance of the residual stream of a pre-LN transformer stack (width "
                       f"{r.config.width}, {r.config.heads} heads, std {r.config.std:g}), with the "
                       f"attention and MLP output projections drawn with std 0.02 or "
                       f"0.02/√(2·n_layer). One draw."),
)

page.figure(
    "at-scale-coord", "at_scale:coordinate_check", COORD,
    alt=lambda r: (f"Two log-log line charts of the mean absolute change of each layer's "
                   f"pre-activations after {r.config.steps} Adam steps against width "
                   f"{r.config.widths[0]} to {r.config.widths[-1]}. Standard parametrization: "
                   f"the hidden and output lines rise about {num(r.growth('sp')[1], 1)} and "
                   f"{num(r.growth('sp')[2], 1)}-fold. μP: all three lines are flat."),
    caption=lambda r: (f"Coordinate check: mean absolute change of the pre-activations of each "
                       f"layer after {r.config.steps} Adam steps (base learning rate "
                       f"{r.config.lr:g}), standard parametrization against μP. One draw."),
)

page.figure(
    "at-scale-sweep", "at_scale:lr_sweep", SWEEPS,
    alt=lambda *s: (f"Two log-log charts of the mean training loss over the second half of "
                    f"{s[0].config.steps} SGD steps "
                    f"against the base learning rate, one line per width "
                    f"{', '.join(str(n) for n in s[0].config.widths)}, with a star at each "
                    f"line's minimum. Standard parametrization: the stars move left as the "
                    f"width grows, by {median_shift(s, 'sp')} octaves from the narrowest to the "
                    f"widest. μP: they stay within {median_range(s, 'mup')} octave of each "
                    f"other."),
    caption=lambda *s: (f"Learning-rate sweeps over width, standard parametrization against "
                        f"μP: median over {len(s)} seeds of the mean training loss over "
                        f"the evaluations of steps {s[0].config.steps // 2 + s[0].config.eval_every}"
                        f" to {s[0].config.steps}; stars mark each width's best rate; diverged "
                        f"runs are left out."),
)

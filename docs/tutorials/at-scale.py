# %% [markdown]
# # Tutorial: initialization at scale
#
# Measure what the frameworks' defaults draw, how GPT-2's scaled residual projections keep
# a transformer's residual stream in check, what a block that starts as the identity does
# in its first steps, and why the best learning rate moves with width under the standard
# parametrization but not under μP. Every experiment is the one of the concept page
# [Initialization at scale](../concepts/at-scale.md), at smaller sizes so that the whole
# tutorial runs in a few seconds.

# %%
import numpy as np

from initnotes.experiments import at_scale, mup
from initnotes.figures import at_scale as figs

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. The defaults, drawn
#
# Each framework's default for a dense layer, its bias and an embedding table, drawn with
# the package; the variance the rule promises next to the variance of the draw.

# %%
defaults = at_scale.layer_defaults(at_scale.DefaultsConfig(), rng)
for row in defaults.rows:
    print(f"{row.framework:8s} {row.layer:13s} {row.rule:48s} "
          f"{row.expected_var:.2e}  drawn {row.measured_var:.2e}")

# %% [markdown]
# The prior bias of a rare class: $b = -\log((1 - \pi)/\pi)$ makes the first prediction
# $\sigma(b) = \pi$.

# %%
for pi in (0.5, 0.1, 0.01, 0.001):
    b = at_scale.prior_bias(pi)
    print(f"pi = {pi:<6g} b = {b:7.3f}  sigmoid(b) = {at_scale.sigmoid(b):.4f}")

# %% [markdown]
# ## 2. The residual stream of a pre-LN stack
#
# Blocks $x \leftarrow x + \mathrm{Attn}(\mathrm{LN}(x))$, $x \leftarrow x +
# \mathrm{MLP}(\mathrm{LN}(x))$ with every weight of std 0.02, and the two output
# projections of each block either left at 0.02 or divided by $\sqrt{2 n_\text{layer}}$.
# Width 64 and 2 heads instead of the page's 128 and 4, to keep it fast.

# %%
stream = at_scale.residual_stream(
    at_scale.StreamConfig(depths=(6, 12, 24, 48), width=64, heads=2), rng)
for scheme in at_scale.STREAM_SCHEMES:
    print(f"{scheme:9s} variance after the last block:", np.round(stream.final(scheme), 5))

# %%
figs.residual_stream(stream)

# %% [markdown]
# ## 3. Blocks that start as the identity
#
# One block per scheme, trained five steps of gradient descent. At step 0 the block is the
# identity (LayerScale's is $\varepsilon$ away); at the first step only its zero end has a
# gradient.

# %%
zero = at_scale.zero_ends(at_scale.ZeroEndsConfig(), rng)
for scheme in at_scale.ZERO_SCHEMES:
    first = {k: float(g[0]) for k, g in zero.grad_norm[scheme].items()}
    print(f"{scheme:11s} distance at init {zero.distance[scheme][0]:.1e}  "
          f"after {zero.config.steps} steps {zero.distance[scheme][-1]:.1e}  "
          f"first-step gradient norms", {k: round(v, 4) for k, v in first.items()})

# %% [markdown]
# ## 4. Behind LayerNorm, the scale is a learning rate
#
# Scaling a layer's weights by $c$ leaves the output unchanged and divides the gradient by
# $c$; training from $cW$ with learning rate $c^2\eta$ retraces training from $W$ with $\eta$.

# %%
norm = at_scale.norm_scale(at_scale.NormScaleConfig(), rng)
for c in norm.config.scales:
    print(f"c = {c:<5g} output change {norm.output_gap[c]:.1e}  gradient x c "
          f"{norm.grad_norm[c] * c:.4f}  final loss, same lr {norm.loss_same_lr[c][-1]:.4f}, "
          f"lr x c^2 {norm.loss_scaled_lr[c][-1]:.4f}")

# %% [markdown]
# ## 5. μP: coordinate check
#
# The learning-rate multipliers of each parametrization, for a network 8 times the base
# width (order $W_1, b_1, W_2, b_2, W_3, b_3$):

# %%
for p in mup.PARAMETRIZATIONS:
    for opt in mup.MUP_OPTIMIZERS:
        print(f"{p:4s} {opt:5s}", mup.lr_scales(p, opt, width=256, base_width=32))

# %% [markdown]
# Five Adam steps at widths 32 to 512: the change of each layer's pre-activations.

# %%
coord = mup.coordinate_check(mup.CoordCheckConfig(widths=(32, 64, 128, 256, 512)), rng)
for p in mup.PARAMETRIZATIONS:
    print(p, "change at the widest / narrowest width, per layer:", np.round(coord.growth(p), 2))

# %%
figs.coordinate_check(coord)

# %% [markdown]
# ## 6. μP: the best learning rate across width
#
# A short sweep (widths 32 and 128; the page uses 32 to 256 and three seeds).

# %%
sweep = mup.lr_sweep(mup.MupSweepConfig(widths=(32, 128)), rng)
for p in mup.PARAMETRIZATIONS:
    print(p, "best base rate per width: 2 **", np.log2(sweep.best_lr(p)).astype(int))

# %%
figs.lr_sweep(sweep)

# %% [markdown]
# ## Try this
#
# - Run the stream with `depths=(96,)`: how large does the unscaled stream get?
# - In `ZeroEndsConfig`, set `layerscale_eps=0.1` (CaiT's value up to depth 18): how far
#   from the identity does the LayerScale block start?
# - Sweep with Adam: `mup.MupSweepConfig(optimizer="adam", lrs=tuple(2.0**k for k in range(-14, -4)))`.

# %% [markdown]
# # Tutorial: Small random init and why scale matters, run it yourself
#
# You will send a batch of random inputs through a 10-layer tanh network of width 256
# for several weight scales, print how the standard deviation of the activations and of
# the back-propagated gradients changes from layer to layer, compare it with the
# per-layer factor $\sqrt{n}\,\sigma_w$ and with the mean-field prediction, and draw the
# per-layer statistics and histograms. Everything comes from the `initnotes` package, so
# the numbers are the ones the article shows.
#
# The concept page [Small random init and scale](../concepts/scale.md) explains what you measure here.

# %%
import math

import matplotlib
import numpy as np

import initnotes
from initnotes.experiments import scale as sc
from initnotes.experiments.signal import SignalConfig, propagate
from initnotes.figures import scale as figures
from initnotes.figures import style

print("initnotes", initnotes.__version__)
rng = np.random.default_rng(0)

# %% [markdown]
# ## One forward and one backward pass per scale
#
# Five weight distributions: $\mathcal N(0, 0.01^2)$, $\mathcal U(-0.01, 0.01)$,
# $\mathcal N(0, 0.05^2)$, $\mathcal N(0, 1/n)$ and $\mathcal N(0, 1)$.

# %%
config = sc.ScaleConfig()
results = sc.run(config, rng)

for label, run in results.runs.items():
    predicted = sc.small_scale_factor(run.scale.std, config.width)
    a = run.signal.activation_std
    measured = (a[-1] / a[0]) ** (1 / (len(a) - 1))
    print(f"{label:16s} std {run.scale.std:.5f}   sqrt(n)*std {predicted:6.3f}   "
          f"measured factor {measured:6.3f}   std(h_10) {a[-1]:.2e}   "
          f"saturated at layer 10 {run.signal.saturated_fraction[-1]:.1%}")

# %% [markdown]
# ## Measured against the mean-field prediction
#
# The recursion $q_l = n\sigma_w^2\,\mathbb E[\tanh^2(\sqrt{q_{l-1}}\,\xi)]$ predicts the
# activations' standard deviation at every layer, in the small and the large regime.

# %%
np.set_printoptions(precision=3)
for label, run in results.runs.items():
    mf = sc.mean_field(run.scale.std, config.width, config.depth)
    print(f"{label:16s} measured / predicted, layers 1..10:",
          run.signal.activation_std / mf.activation_std)

# %% [markdown]
# ## Per-layer standard deviations

# %%
with matplotlib.rc_context(style.RC):
    fig = figures.std_per_layer(results)
fig

# %% [markdown]
# ## Per-layer histograms: activations, then gradients

# %%
with matplotlib.rc_context(style.RC):
    fig = figures.activation_histograms(results)
fig

# %%
with matplotlib.rc_context(style.RC):
    fig = figures.gradient_histograms(results)
fig

# %% [markdown]
# ## Your own network in one call
#
# `propagate` takes any initializer of `initnotes.init` by name, any activation, depth
# and width. Here: ReLU with $\mathcal N(0, 0.01^2)$. ReLU halves the second moment, so
# the root mean square should shrink by $\sqrt{n/2}\,\sigma_w$ per layer.

# %%
relu = propagate(SignalConfig(init="normal", activation="relu", depth=10, width=256,
                              batch=256, init_kwargs=(("std", 0.01),), keep=65536), rng)
rms = np.sqrt(np.mean(relu.activation_samples**2, axis=1))
print("rms per layer:", rms)
print("measured factor:", (rms[-1] / rms[1]) ** (1 / 8), " predicted:", math.sqrt(256 / 2) * 0.01)

# %% [markdown]
# ## Try this
#
# - Change the depth: `sc.ScaleConfig(depth=30)`. How small does $\mathcal N(0, 0.01^2)$
#   make the activations at the last layer? Predict it from $0.16^{30}$ first.
# - Change the width: `sc.ScaleConfig(width=1024)`. Which of the five scales changes its
#   per-layer factor, and by how much? Which fixed standard deviation would now give a
#   factor of 1?
# - Change the activation: in the last cell use `activation="sigmoid"` or `"identity"`.
#   Does the factor still match $\sqrt{n}\,\sigma_w$? Why not for the sigmoid?
# - Change the scale: add `sc.normal_scale(0.1)` or `sc.normal_scale(0.3)` to
#   `scales=(...)`. Where does saturation start?

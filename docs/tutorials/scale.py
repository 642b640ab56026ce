# %% [markdown]
# # Tutorial: Small random init and scale
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

import numpy as np

import initnotes
from initnotes import theory
from initnotes.experiments import scale as sc
from initnotes.experiments.signal import SignalConfig, propagate
from initnotes.figures import scale as figures

print("initnotes", initnotes.__version__)
rng = np.random.default_rng(0)

# %% [markdown]
# ## One forward and one backward pass per scale
#
# Five weight distributions: $\mathcal N(0, 0.01^2)$, $\mathcal U(-0.01, 0.01)$,
# $\mathcal N(0, 0.05^2)$, $\mathcal N(0, 1/n)$ and $\mathcal N(0, 1)$. All five are fixed
# numbers: the one labelled $\mathcal N(0, 1/n)$ has standard deviation $1/16 = 1/\sqrt{256}$,
# right for this width only. The inputs are standard normal, as the article assumes.

# %%
config = sc.ScaleConfig()
results = sc.run(config, rng)

D = config.depth
for label, run in results.runs.items():
    predicted = sc.small_scale_factor(run.scale.std, config.width)
    a = run.signal.activation_std
    measured = (a[-1] / a[0]) ** (1 / (len(a) - 1))
    print(f"{label}: std {run.scale.std:.5f}, sqrt(n)*std {predicted:.3f}")
    print(f"    measured factor {measured:.3f}, std(h_{D}) {a[-1]:.2e}, "
          f"saturated at layer {D} {run.signal.saturated_fraction[-1]:.1%}")

# %% [markdown]
# ## Measured against the mean-field prediction
#
# The recursion $q_l = n\sigma_w^2\,\mathbb E[\tanh^2(\sqrt{q_{l-1}}\,\xi)]$ predicts the
# activations' standard deviation at every layer, in the small and the large regime.

# %%
np.set_printoptions(precision=3)
print(f"measured / predicted activation std, layers 1 to {D}:")
for label, run in results.runs.items():
    mf = sc.mean_field(run.scale.std, config.width, config.depth)
    print(f"{label}:\n    {run.signal.activation_std / mf.activation_std}")

# %% [markdown]
# ## Per-layer standard deviations

# %%
figures.std_per_layer(results)

# %% [markdown]
# ## Per-layer histograms: activations, then gradients

# %%
figures.activation_histograms(results)

# %%
figures.gradient_histograms(results)

# %% [markdown]
# ## Your own network in one call
#
# `propagate` takes any initializer of `initnotes.init` by name, any activation, depth
# and width. Here: ReLU with $\mathcal N(0, 0.01^2)$. ReLU halves the second moment, so
# the root mean square should shrink by $\sqrt{n/2}\,\sigma_w$ per layer. The prediction
# below comes from the mean-field recursion for whatever `activation` is, so it stays
# right when you change it.

# %%
activation, std, width = "relu", 0.01, 256
net = propagate(SignalConfig(init="normal", activation=activation, depth=10, width=width,
                             batch=256, init_kwargs=(("std", std),), keep=65536), rng)
rms = np.sqrt(np.mean(net.activation_samples**2, axis=1))
print("rms per layer:", rms)

# the recursion: E[h_l^2] = E[phi(a)^2] for a ~ N(0, q_l), q_{l+1} = n std^2 E[h_l^2]
q, predicted_rms = width * std**2, []
for _ in range(10):
    second_moment = float(theory.q_map(q, 1.0, activation=activation))
    predicted_rms.append(math.sqrt(second_moment))
    q = width * std**2 * second_moment
measured = (rms[-1] / rms[1]) ** (1 / 8)
predicted = (predicted_rms[-1] / predicted_rms[1]) ** (1 / 8)
print(f"factor per layer, layers 2 to 10: measured {measured:.4f}, predicted {predicted:.4f}")
print(f"for ReLU, sqrt(n/2)*std = {math.sqrt(width / 2) * std:.4f}")

# %% [markdown]
# ## Try this
#
# - Change the depth: `sc.ScaleConfig(depth=30)`. How small does $\mathcal N(0, 0.01^2)$
#   make the activations at the last layer? Predict it from $0.16^{30}$ first.
# - Change the width: `sc.ScaleConfig(width=1024)`. All five scales keep their standard
#   deviations, so every per-layer factor doubles: by how much does each row change? The
#   row labelled "N(0, 1/n)" is still $\mathcal N(0, 1/256)$; which standard deviation
#   would now give a factor of 1? (Build it with `sc.normal_scale(1 / 32, "N(0, 1/1024)")`
#   and pass `scales=(...)`.)
# - Change the activation: in the last cell set `activation = "sigmoid"` or `"identity"`.
#   Does the factor still match $\sqrt{n}\,\sigma_w$ (0.16 here)? Why not for the sigmoid,
#   whose output has mean $\tfrac12$?
# - Change the scale: add `sc.normal_scale(0.1)` or `sc.normal_scale(0.3)` to
#   `scales=(...)`. Where does saturation start?

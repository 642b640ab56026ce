# %% [markdown]
# # Tutorial: choosing an initializer
#
# Reproduce the default initializations of PyTorch, Keras and Flax with the `initnotes`
# package, check the formulas behind them, and watch what they do to a deep network.
#
# The concept page [Choosing an initializer](../concepts/choosing.md) explains what you measure here.

# %%
import math

import numpy as np

from initnotes import init
from initnotes.experiments import frameworks
from initnotes.figures import choosing as figs

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. Gains
#
# `init.gain` returns the same numbers as `torch.nn.init.calculate_gain`. With fan_in 256
# the He-normal standard deviation is $g / \sqrt{256}$.

# %%
for name, param in [("linear", None), ("tanh", None), ("relu", None),
                    ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)]:
    g = init.gain(name, param)
    print(f"{name:10s} param={param!s:18s} gain {g:.4f}   std {g / math.sqrt(256):.4f}")

# %% [markdown]
# ## 2. The frameworks' defaults for one layer
#
# A dense layer with 256 inputs and 128 outputs: PyTorch weight shape `(128, 256)`,
# Keras/Flax kernel shape `(256, 128)`. For each default, the formula and a sample drawn
# by the package.

# %%
fan_in, fan_out = 256, 128
for key, d in frameworks.DEFAULTS.items():
    w = frameworks.sample_weights(key, (fan_out, fan_in), rng)
    print(f"{d.framework:11s} {d.call:38s} std {frameworks.default_std(key, fan_in, fan_out):.4f} "
          f"(sampled {w.std():.4f})  max|w| {frameworks.default_bound(key, fan_in, fan_out):.4f} "
          f"(sampled {np.abs(w).max():.4f})")

# %% [markdown]
# PyTorch's `a = sqrt(5)` is the old rule $\mathcal{U}(\pm 1/\sqrt{\text{fan\_in}})$ in
# disguise:

# %%
g = init.gain("leaky_relu", math.sqrt(5))
print(g * math.sqrt(3 / fan_in), 1 / math.sqrt(fan_in))

# %% [markdown]
# Keras and JAX store the kernel transposed; the fans are the same numbers.

# %%
for keras_shape in [(256, 128), (3, 3, 16, 32)]:
    pkg = frameworks.to_package_shape(keras_shape)
    print(f"Keras/JAX {keras_shape} -> package/PyTorch {pkg}, fans {init.fans(pkg)}")

# %%
std_res = frameworks.default_stds(frameworks.StdConfig(fan_ins=(16, 64, 256, 1024)), rng)
figs.default_std_figure(std_res, formula=frameworks.default_std)  # lines: the formulas

# %% [markdown]
# ## 3. In a deep network
#
# 20 fully connected layers of width 128, zero biases. Each layer multiplies the second
# moment of ReLU activations by $n\,\sigma_w^2 / 2$. One draw of the weights is one network,
# and a deep network's last layer changes a lot from draw to draw, so we draw ten of them
# from the generator (the concept page draws twenty, one per seed 0 to 19, so its numbers
# differ a little) and print the median and the range.

# %%
deep_config = frameworks.PropagateConfig(depth=20, width=128)
draws = [frameworks.propagate_defaults(deep_config, rng) for _ in range(10)]
for key in frameworks.PROPAGATE_INITS:
    factors, lasts = [], []
    for deep in draws:
        rms = deep.rms("relu", key)
        factors.append(math.exp(np.mean(np.log(rms[1:] / rms[:-1]))))
        lasts.append(rms[-1])
    print(f"{key:8s} RMS factor per layer {np.median(factors):.3f} "
          f"({min(factors):.3f} to {max(factors):.3f})")
    print(f"{'':8s} last layer RMS {np.median(lasts):.2e} "
          f"({min(lasts):.2e} to {max(lasts):.2e})")

# %%
# the median over the draws, shaded from the smallest to the largest
figs.default_depth_figure(*draws)

# %% [markdown]
# ## Try this
#
# - Add PyTorch's default *bias*, $\mathcal{U}(\pm 1/\sqrt{\text{fan\_in}})$, to the deep
#   ReLU network (build it with `initnotes.nn.MLP(..., bias_init=...)`): what does the last
#   layer's RMS become, and does it still carry information about the input?
# - Compare `init.lecun_normal` (truncated, as Keras and JAX) with
#   `init.variance_scaling(..., distribution="normal")` (as PyTorch) on a 1000 x 1000
#   weight: same variance? Same largest |w|?
# - For a `Conv2d(64, 128, kernel_size=3)` weight, compute PyTorch's default bound with
#   `init.fans` and `frameworks.default_bound`.
# - Which fan_out / fan_in ratio makes Keras' default equal to Flax's for the same layer?

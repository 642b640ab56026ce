# %% [markdown]
# # Tutorial: Hello, initializer
#
# A first contact with `initnotes`: draw weight matrices with several of the usual
# initializers, check that their mean and standard deviation are what the formulas say,
# look at their histograms, and push a batch through a small network to see why the
# scale matters.
#
# This is a tour: it uses Xavier, He, LeCun and orthogonal initialization, gains and
# truncated normals before the concept pages explain them. Each is explained on its page:
# [symmetry](../concepts/symmetry.md) and [scale](../concepts/scale.md) say why weights are
# random and how large, [Xavier/Glorot](../concepts/xavier.md) and [He](../concepts/he.md)
# derive the variances and the gains, [orthogonal](../concepts/orthogonal.md) the
# orthogonal matrices, and [Choosing](../concepts/choosing.md) the truncated normals of
# Keras and JAX.
#
# Everything random below comes from one generator, seeded once, so every number on this
# page comes out the same each time it runs.

# %%
from functools import partial

import numpy as np

from initnotes import init, nn
from initnotes.figures import hello_initializer as figures

rng = np.random.default_rng(2024)

# %% [markdown]
# ## Shapes and fans
#
# A dense layer's weight has shape `(fan_out, fan_in)`, as in PyTorch: `fan_in` inputs
# feed each of the `fan_out` units, and the layer computes $y = x W^\top$. Every
# fan-based initializer starts from these two numbers.

# %%
shape = (256, 512)  # 512 inputs, 256 units
fan_in, fan_out = init.fans(shape)
print(f"shape {shape}: fan_in = {fan_in}, fan_out = {fan_out}")

# %% [markdown]
# ## What each initializer promises
#
# All the common initializers draw weights with mean $0$. What differs is the variance:
#
# | initializer | $\operatorname{Var}(w)$ | depends on |
# |---|---|---|
# | `normal(std=0.01)` | $0.01^2$, whatever the shape | nothing (a fixed number) |
# | `uniform(-0.01, 0.01)` | $0.01^2 / 3$ | nothing (a fixed number) |
# | Xavier / Glorot | $\dfrac{2\,g^2}{\text{fan\_in} + \text{fan\_out}}$, $g = 1$ | the fan average $n_\text{avg}$ |
# | He / Kaiming (ReLU) | $\dfrac{g^2}{\text{fan\_in}}$, $g = \sqrt 2$ | fan_in |
# | LeCun | $\dfrac{1}{\text{fan\_in}}$ | fan_in |
# | orthogonal | $\dfrac{g^2}{\max(\text{fan\_in}, \text{fan\_out})}$, $g = 1$ | the larger fan (a consequence of its singular values all being $g$) |
#
# A uniform distribution on $[-b, b]$ has variance $b^2/3$, so the uniform variants use
# the bound $b = \sqrt{3 \operatorname{Var}(w)}$. The gain $g$ is `init.gain(nonlinearity)`.
# The orthogonal line is not a choice but a consequence: $W W^\top = g^2 I$ means each of
# the 256 rows has squared length $g^2$, so the mean square entry is $256\,g^2 / (256 \cdot 512)$.
#
# We compute each promised standard deviation from `fans` and `gain`, draw a matrix, and
# compare.

# %%
relu_gain = init.gain("relu")
# Xavier's 2 / (fan_in + fan_out) is 1 / n_avg, n_avg the mean fan.
n_avg = (fan_in + fan_out) / 2
formula_std = {
    "normal": 0.01,
    "uniform": 0.01 / np.sqrt(3),
    "xavier_uniform": np.sqrt(1 / n_avg),
    "xavier_normal": np.sqrt(1 / n_avg),
    "he_uniform": relu_gain / np.sqrt(fan_in),
    "he_normal": relu_gain / np.sqrt(fan_in),
    "lecun_uniform": np.sqrt(1 / fan_in),
    "lecun_normal": np.sqrt(1 / fan_in),
    "orthogonal": 1 / np.sqrt(max(fan_in, fan_out)),
}
# He: ask for the ReLU gain (PyTorch's default, leaky_relu with
# slope 0, gives the same number).
options = {"he_uniform": {"nonlinearity": "relu"},
           "he_normal": {"nonlinearity": "relu"}}
weights = {}
print(f"{'initializer':<15} {'mean':>8} {'std':>8} {'formula':>8}")
for name, std in formula_std.items():
    W = init.PRESETS[name](shape, rng=rng, **options.get(name, {}))
    weights[name] = W
    print(f"{name:<15} {W.mean():8.5f} {W.std():8.5f} {std:8.5f}")

# %% [markdown]
# With $256 \times 512 = 131\,072$ draws, a sample standard deviation lands within a few
# tenths of a percent of the true one, so the two columns agree to the digits shown
# (or very nearly), and every mean is within a few thousandths of a standard deviation of 0.
#
# ## Histograms
#
# Same variance does not mean same shape. The histograms below put the drawn weights
# against the density each formula describes; note the truncated normal of
# `lecun_normal`, which (as in JAX and Keras) redraws anything beyond two standard
# deviations of the underlying normal.

# %%
distribution = {
    "xavier_uniform": "uniform",
    "xavier_normal": "normal",
    "he_uniform": "uniform",
    "he_normal": "normal",
    "lecun_uniform": "uniform",
    "lecun_normal": "truncated_normal",
}
figures.weight_histograms(
    {name: weights[name] for name in distribution},
    {name: (dist, formula_std[name])
     for name, dist in distribution.items()},
)

# %% [markdown]
# ## One forward pass
#
# Why care about the variance? Each layer multiplies its input by $W$; the output of one
# unit sums `fan_in` terms, so its variance is about
# $\text{fan\_in} \cdot \operatorname{Var}(w) \cdot \operatorname{Var}(x)$. With
# `normal(std=0.01)` and 256 inputs that factor is $256 \times 0.0001 = 0.0256$: the
# signal's standard deviation shrinks by $\sqrt{0.0256} = 0.16$ at every layer. Xavier
# makes the factor about 1.
#
# Below, one batch of 512 standard-normal inputs goes through the same 6-layer tanh
# network (width 256) built with each initializer.

# %%
x = rng.standard_normal((512, 256))
depth, width = 6, 256
candidates = {
    "normal(0.01)": partial(init.normal, std=0.01),
    "xavier_normal": init.xavier_normal,
}
stds = {}
for name, weight_init in candidates.items():
    net = nn.MLP([width] * (depth + 1), activation="tanh",
                 output_activation="tanh", weight_init=weight_init,
                 rng=rng)
    net.forward(x)  # fills net.activations = [x, h1, ..., h6]
    stds[name] = [h.std() for h in net.activations[1:]]

print(f"{'layer':<6}" + "".join(f"{name:>15}" for name in stds))
for layer in range(depth):
    row = "".join(f"{s[layer]:15.2e}" for s in stds.values())
    print(f"{layer + 1:<6}{row}")

# %% [markdown]
# With `normal(std=0.01)` the activations fall by a factor of about 6 per layer, as
# predicted, and are around $10^{-5}$ after six layers: the last layers see almost nothing
# of the input. With Xavier they stay of order one: after six layers the standard deviation is still about half its value
# after the first. It does drift down a little at every layer, because tanh squashes
# what the weights pass on. How to choose the scale is the story of the next tutorials.
# The first question, though, is why the weights must be random at all: see
# [Breaking symmetry](symmetry.py).
#
# ## Try this
#
# - Change `shape` to `(1024, 64)`: which standard deviations change, and which do not?
#   Why does the orthogonal one now use `fan_out`?
# - Replace `"relu"` by `"tanh"` in `init.gain(...)` and in the He initializers
#   (`nonlinearity="tanh"`): what is the gain of tanh, and which number in the table moves?
# - In the forward pass, make the network 20 layers deep, or switch `activation` to
#   `"relu"` and compare `init.xavier_normal` with `init.he_normal`.

# %% [markdown]
# # Tutorial: Xavier and He initialization, measured
#
# This tutorial redoes the experiments of the articles
# [Xavier/Glorot initialization](../concepts/xavier.md) and
# [He/Kaiming initialization](../concepts/he.md) with the package, a little smaller so
# that it runs in seconds:
#
# 1. a 5-layer $\tanh$ network under Glorot and Bengio's "standard" init
#    $U[-1/\sqrt n, 1/\sqrt n]$ and under their normalized (Xavier) init: the standard
#    deviation of activations and back-propagated gradients, layer by layer;
# 2. a 30-layer ReLU network under Xavier and He init: the same statistics, against the
#    prediction that Xavier loses a factor $2^{-1/2}$ per layer;
# 3. the same 30-layer network trained from both starts, at several learning rates.
#
# The variance argument behind all three: a pre-activation $a_l = \sum_j W_{ij} h_j$
# has $\operatorname{Var}(a_l) = \text{fan\_in}\cdot\sigma_w^2\cdot\mathbb{E}[h_{l-1}^2]$.
# In the linear regime of $\tanh$, $\mathbb{E}[h_{l-1}^2] = \operatorname{Var}(a_{l-1})$,
# so Xavier's $\sigma_w^2 = 1/\text{fan\_in}$ keeps the variance; a ReLU passes only
# half of the second moment, $\mathbb{E}[h_{l-1}^2] = \tfrac12\operatorname{Var}(a_{l-1})$,
# so He's $2/\text{fan\_in}$ is needed.

# %%
import numpy as np

from initnotes.experiments import he, xavier
from initnotes.figures import he as he_figures
from initnotes.figures import xavier as xavier_figures

# One generator for the whole tutorial: every experiment below draws from it in turn.
rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. Glorot and Bengio's tanh network
#
# Five hidden layers of 300 tanh units (the paper: 1000; fewer here for speed) get a batch
# of 200 standard-normal inputs. `xavier.glorot_experiment` runs the forward and backward
# pass once per init and keeps each layer's statistics. The linear theory predicts that
# the standard init, whose weights have $n\,\sigma_w^2 = 1/3$, shrinks both the
# activations (going up) and the gradients $\partial L/\partial a$ (going down) by
# $1/\sqrt3 \approx 0.577$ per layer.

# %%
glorot_config = xavier.GlorotConfig(width=300, batch=200)
glorot = xavier.glorot_experiment(glorot_config, rng)
for scheme in xavier.SCHEMES:
    act = glorot.activation_std(scheme)
    grad = glorot.gradient_std(scheme)
    print(f"{scheme} init")
    print(f"  std of h per layer:     {np.round(act, 3)}")
    print(f"  std of dL/da per layer: {np.round(grad, 3)}")
    print(f"  activations, layer 5 / layer 4: {act[-1] / act[-2]:.3f}")
    print(f"  gradients, layer 1 / layer 5:   {grad[0] / grad[-1]:.3f}")
print(f"1/sqrt(3) = {1 / np.sqrt(3):.3f}")

# %% [markdown]
# The standard init follows $1/\sqrt3$ per layer in the upper layers, where the signal is
# small enough for $\tanh$ to be nearly linear. The normalized init keeps the gradients
# much flatter; what they still lose comes from $\tanh'(a) < 1$ in the lower layers, where
# the activations are largest. The figure shows the three statistics side by side,
# including the weight gradients, which look flat under both inits.

# %%
xavier_figures.layer_std(glorot)

# %% [markdown]
# ## 2. Thirty ReLU layers
#
# `he.layer_statistics` runs `initnotes.experiments.signal.propagate` through 30 ReLU
# layers (width 128 here; the article uses 256) under Xavier and He init. Under Xavier
# each layer halves the second moment, so the standard deviation should shrink by
# $2^{-1/2} \approx 0.707$ per layer and by $2^{-29/2} \approx 4.3 \times 10^{-5}$ from
# layer 1 to layer 30.

# %%
stats = he.layer_statistics(he.LayerStatsConfig(width=128, batch=128), rng)
for init_name in stats.config.inits:
    a = stats.activation_std(init_name)
    per_layer = (a[-1] / a[0]) ** (1 / (len(a) - 1))
    print(f"{init_name}: std {a[0]:.3f} at layer 1, {a[-1]:.2e} at layer 30,")
    print(f"  per-layer ratio {per_layer:.3f}")
print(f"prediction for Xavier: per layer {2 ** -0.5:.3f},")
print(f"  over 29 layers {2 ** -14.5:.2e}")

# %%
he_figures.layer_std(stats)

# %% [markdown]
# ## 3. Training the 30-layer network
#
# A regression task with a known answer: targets from a random one-hidden-layer tanh
# "teacher", standardized so that always predicting the mean gives a loss of 1. The
# 30-layer ReLU network (width 64) is trained with SGD and momentum 0.9, as in He et al.
# (2015), from a Xavier start and from a He start, at each learning rate of a grid. To keep
# this quick the grid has five rates and the runs 100 steps (the article: seven rates, 120
# steps).

# %%
config = he.SweepConfig(optimizer="momentum", lrs=(0.003, 0.01, 0.03, 0.3, 3.0),
                        steps=100)
sweep = he.lr_sweep(config, rng)
for i, init_name in enumerate(config.inits):
    print(f"{init_name}: loss after {config.steps} steps")
    for lr, loss in zip(config.lrs, sweep.final_loss[i]):
        print(f"  rate {lr:<6g} {loss:.3f}")
    print(f"  best rate {sweep.best_lr(init_name):g}, "
          f"loss {sweep.final_loss[i].min():.3f}")

# %% [markdown]
# `inf` marks a run that diverged. The Xavier start stays at a loss of about 1 at every
# rate that does not diverge; the He start trains.

# %%
he_figures.training(sweep, threshold=he.THRESHOLD)

# %% [markdown]
# Adam rescales every parameter's step by a running estimate of that parameter's
# gradient size, so the uniformly tiny weight gradients of the Xavier start are no
# obstacle:

# %%
adam_config = he.SweepConfig(optimizer="adam", lrs=(0.0003, 0.001, 0.003),
                             steps=100)
adam = he.lr_sweep(adam_config, rng)
for i, init_name in enumerate(adam.config.inits):
    print(f"{init_name}: best Adam rate {adam.best_lr(init_name):g}, "
          f"loss {adam.final_loss[i].min():.3f}")

# %% [markdown]
# ## Try this
#
# - In section 1, feed smaller inputs: build the network yourself with
#   `nn.MLP.from_weights(signal.make_weights(cfg, rng), ...)` (from `initnotes` and
#   `initnotes.experiments`) and call `forward(0.1 * x)`. Do the normalized init's gradients become flat? Compare
#   with `xavier.mean_field_prediction(5, 1.0, input_variance=0.01)`.
# - In section 2, change `width` to 32 and to 512. How far does He's curve wander from
#   flat, and does Xavier's per-layer ratio stay near $0.707$?
# - In section 3, set `depth=10` in `he.SweepConfig`. Does the Xavier start train now, and
#   at which rate? Then try `optimizer="sgd"`.
# - Add `"lecun_normal"` to `inits` in section 3 ($\sigma_w^2 = 1/\text{fan\_in}$,
#   truncated): does it behave like Xavier, as the variance argument says it should for
#   square layers?

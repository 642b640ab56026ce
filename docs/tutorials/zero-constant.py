# %% [markdown]
# # Tutorial: Zero and constant initialization
#
# You will train the same small tanh network on two interleaved spirals from five
# starts (all zeros, zero weights with biases 0.1, constant 0.5, zeros in the last layer
# only, and random), check which layers receive a gradient at the first step, confirm
# that the symmetric starts keep exactly equal hidden units, and draw the loss curves and
# the decision regions. Everything comes from the `initnotes` package, so the numbers
# are the ones the article shows.
#
# The concept page [Zero and constant initialization](../concepts/zero-constant.md) explains what you measure here.

# %%
import numpy as np

import initnotes
from initnotes.experiments import zero_constant as zc
from initnotes.experiments.symmetry import max_pairwise_difference
from initnotes.figures import zero_constant as figures

print("initnotes", initnotes.__version__)
rng = np.random.default_rng(0)

# %% [markdown]
# ## Train from the five starts
#
# The configuration holds the network (2-16-16-1, tanh), the data (200 points) and the
# training run (full-batch gradient descent). The whole run takes a second or two.

# %%
config = zc.ZeroConstantConfig()
for name, value in vars(config).items():
    print(f"{name:10s} {value}")
results = zc.run(config, rng)

# %% [markdown]
# ## Which layers can move?
#
# The norm of each layer's weight gradient at step 0, and the first update after which
# each layer's weights differ from their start (`None`: never).

# %%
for case, run in results.runs.items():
    norms = " / ".join(f"{np.linalg.norm(dW):.4g}" for dW, _ in run.first_gradients)
    print(f"{case}:\n  |dL/dW1| / |dL/dW2| / |dL/dW3| at step 0: {norms}"
          f"\n  first update that moves W1, W2, W3: {run.first_move}")

# %% [markdown]
# ## Do the hidden units stay equal?
#
# The largest difference between two hidden units' incoming weights, per hidden layer,
# after training, with the final loss and training accuracy.

# %%
for case, run in results.runs.items():
    diffs = " / ".join(f"{max_pairwise_difference(W):.3g}" for W in run.weights[:-1])
    print(f"{case}:\n  unit differences, layer 1 / layer 2: {diffs}"
          f"\n  loss {run.final_loss:.4f}, accuracy {run.final_accuracy:.1%}")

best = zc.best_linear_accuracy(results.x, results.y)
print(f"best straight-line boundary on these points: {best:.1%}")

# %% [markdown]
# ## Loss and accuracy over training

# %%
figures.training_curves(results)

# %% [markdown]
# ## Decision regions

# %%
figures.decision_regions(results)

# %% [markdown]
# ## Try this
#
# - Change the activation: `zc.ZeroConstantConfig(activation="relu")`. Which starts still
#   get stuck, and is the first-move pattern the same?
# - Make the network deeper: `sizes=(2, 16, 16, 16, 1)`. For the "zero weights, bias"
#   start, which update first moves the first layer now? Predict it before you run it.
# - Change the constant: `constant=0.05` or `constant=2.0`. Do the units still stay equal?
#   Does the accuracy ever beat the best straight line?
# - Raise the learning rate to 1.0 for the "zero weights, bias" start (pass
#   `cases=("zero weights, bias",)` to keep it quick). Does it leave the ln 2 plateau, and
#   what can it learn once it has?

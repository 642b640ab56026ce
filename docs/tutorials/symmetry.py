# %% [markdown]
# # Tutorial: Breaking symmetry
#
# This tutorial redoes the experiments of the article
# [Why initialization matters](../concepts/symmetry.md) with the package: the worked
# 2-2-1 example, one forward and backward pass from four starts, and then training from
# zero, constant and random weights.
#
# The network has two inputs, two tanh hidden units and one linear output:
#
# $$
# a = W x, \qquad h = \tanh(a), \qquad \hat y = v\,h, \qquad L = \tfrac12(\hat y - 1)^2 .
# $$
#
# $W$ has shape `(fan_out, fan_in)` = $(2, 2)$, so **row $i$ of $W$ holds hidden unit
# $i$'s incoming weights**, and back-propagation gives
# $\partial L / \partial W_{ij} = \delta_i\, x_j$ with
# $\delta_i = (\hat y - 1)\, v_i \tanh'(a_i)$ (the article's notation: $a$ for the
# pre-activations, column vectors).

# %%
import numpy as np

from initnotes.experiments import symmetry
from initnotes.figures import symmetry as symmetry_figures

# The training data below; the same seed as the article's figure.
rng = np.random.default_rng(0)


def show(values):
    """A vector as (+a.aaaa, +b.bbbb)."""
    numbers = [f"{a:+.4f}" for a in np.ravel(values)]
    return "(" + ", ".join(numbers) + ")"


# %% [markdown]
# ## One forward and backward pass, from four starts
#
# `symmetry.STARTS` holds the four starting points of the article: all zero; zero hidden
# weights with a constant output layer; everything constant ($0.5$); and a random-looking
# start. `symmetry.worked_example` runs one forward and backward pass on the input
# $x = (1, 2)$.

# %%
print(f"x = {show(symmetry.X)}")
for name, (W, v) in symmetry.STARTS.items():
    ex = symmetry.worked_example(W, v)
    print(f"\n{name}:")
    print(f"  W rows      = {show(W[0])}, {show(W[1])}")
    print(f"  v           = {show(v)}")
    print(f"  a = W x     = {show(ex.z)}")
    print(f"  h = tanh(a) = {show(ex.h)}")
    print(f"  y = {ex.y:+.4f},  loss = {ex.loss:.4f}")
    print(f"  dL/dW rows  = {show(ex.dW[0])}, {show(ex.dW[1])}")
    print(f"  equal rows: {np.array_equal(ex.dW[0], ex.dW[1])}")

# %% [markdown]
# Read the output start by start:
#
# - **zero**: $a = 0$, $h = 0$ and, because $v = 0$, every $\delta_i = 0$: the gradient of
#   the hidden layer is exactly zero.
# - **zero hidden, constant output**: the hidden rows do get a gradient, but the same one
#   for both units.
# - **constant**: equal rows give $a_1 = a_2$, $h_1 = h_2$, $\delta_1 = \delta_2$, so the
#   gradient rows are equal too, and after a gradient step the rows of $W$ are still equal.
# - **random**: $a_1 \ne a_2$, and the gradient rows differ.
#
# Within one row of $\partial L/\partial W$ (where it is non-zero) the two entries always
# differ by the factor $x_2 / x_1 = 2$: symmetry is about the *units* (rows), not about
# the inputs.
#
# ## Training from three starts
#
# `symmetry.train_from_starts` trains the same network by gradient descent on a small
# regression task that needs two different hidden units ($y = \sin(2 x_1) - x_2/2$ on 64
# random points), from the zero, constant and random starts, and records the weights
# after every step.

# %%
config = symmetry.SymmetryConfig()
print(f"{config.n_points} points, {config.steps} steps, "
      f"learning rate {config.lr}\n")
results = symmetry.train_from_starts(config, rng)
print(f"{'start':<9} {'first loss':>10} {'last loss':>10} "
      f"{'max change':>10} {'row diff':>10} {'== 0?':>6}")
for name, run in results.runs.items():
    # the largest change of a hidden weight during training
    moved = np.abs(run.W[-1] - run.W[0]).max()
    diff = run.max_row_difference[-1]
    print(f"{name:<9} {run.loss[0]:10.4f} {run.loss[-1]:10.4f} "
          f"{moved:10.4f} {diff:10.4f} {str(diff == 0):>6}")

# %% [markdown]
# "max change" is the largest change of a hidden weight during training, "row diff" the
# largest difference between the two rows of $W$ (the two units) at the end, and "== 0?"
# says whether it is exactly zero. The zero start never moves its hidden weights (exactly
# 0), the constant start moves them but keeps the two rows identical (exactly 0 after 300
# steps), and only the random start ends with two different units and the lowest loss.
# The figure shows the four hidden weights over training; colour is the input, thick
# solid lines are unit 1, thin dashed lines unit 2.

# %%
symmetry_figures.symmetry_weights(results)

# %% [markdown]
# ## Try this
#
# - Add a tiny random perturbation to the constant start,
#   `W0 = np.full((2, 2), 0.5) + 1e-6 * rng.standard_normal((2, 2))`, and run
#   `symmetry.worked_example(W0, np.full((1, 2), 0.5))`: are the gradient rows still equal?
#   How long does training take to separate the units? (Add the start to
#   `symmetry.STARTS` under a new name and pass `starts=(..., "your name")` and
#   `steps=20000` in `SymmetryConfig` to train from it; the article's last section shows
#   the long plateau before the units separate.)
# - Run the worked example with `activation="relu"` from the start "zero hidden, constant
#   output": tanh gave the hidden rows a gradient, what does ReLU give, with
#   $\operatorname{relu}'(0)$ taken as 0? And from the random start, where
#   $a_1 = -0.1 < 0$: which unit gets no gradient?
# - Train longer (`SymmetryConfig(steps=2000)`) or with a larger learning rate
#   (`lr=0.5`): does the constant start ever catch up with the random one?

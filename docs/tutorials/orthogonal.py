# %% [markdown]
# # Tutorial: orthogonal initialization
#
# Sample orthogonal matrices the right way, check what they preserve, and rerun two
# classic results on a laptop: depth-independent learning in deep linear networks
# (Saxe, McClelland & Ganguli, 2014) and dynamical isometry in deep tanh networks
# (Pennington, Schoenholz & Ganguli, 2017). Everything comes from the `initnotes`
# package; the experiments are smaller than on the concept page so that the whole
# notebook runs in a few seconds.
#
# The concept page [Orthogonal initialization](../concepts/orthogonal.md) explains what you measure here.

# %%
import numpy as np

from initnotes import init
from initnotes.experiments import edge_of_chaos, orthogonal
from initnotes.figures import orthogonal as figs

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. What an orthogonal matrix preserves
#
# All singular values of an orthogonal matrix are 1, so it keeps the length of every
# vector. A Gaussian matrix with variance $1/n$ keeps lengths only on average.

# %%
n = 256
W = init.orthogonal((n, n), rng=rng)
G = rng.standard_normal((n, n)) / np.sqrt(n)
s_orth = np.linalg.svd(W, compute_uv=False)
s_gauss = np.linalg.svd(G, compute_uv=False)
x = rng.standard_normal(n)
print(f"orthogonal: max |sigma - 1| = {np.abs(s_orth - 1).max():.1e}, "
      f"|Wx| / |x| = {np.linalg.norm(W @ x) / np.linalg.norm(x):.12f}")
print(f"Gaussian:   singular values from {s_gauss.min():.3f} to {s_gauss.max():.3f}")

# %%
figs.single_layer_figure({"orthogonal": s_orth, "gaussian": s_gauss})

# %% [markdown]
# ## 2. The sign fix
#
# `numpy.linalg.qr` alone does not give a uniformly random orthogonal matrix. For
# $2 \times 2$ matrices it always returns a reflection; multiplying each column of $Q$ by
# the sign of $R$'s diagonal fixes it.

# %%
signs = orthogonal.sign_fix_angles(5_000, rng)  # 5,000 samples (20,000 on the page)
print(f"rotations with the fix:    {np.mean(signs.det_fixed > 0):.1%}")
print(f"rotations without the fix: {np.mean(signs.det_raw > 0):.1%}")

# %%
figs.sign_fix_figure(signs)

# %% [markdown]
# ## 3. Learning time against depth (Saxe et al.)
#
# Deep linear networks trained by full-batch gradient descent, with the best of nine
# learning rates $\eta = c / \text{depth}$ at each depth. Smaller than the page for speed:
# depths up to 32 and a budget of 300 steps.

# %%
saxe_cfg = orthogonal.SaxeConfig(depths=(1, 2, 4, 8, 16, 32), max_steps=300)
saxe = orthogonal.time_to_threshold(saxe_cfg, rng)
print(f"best of {len(saxe_cfg.lr_factors)} learning rates c / depth per depth")
for depth, t_o, t_g in zip(saxe_cfg.depths, saxe.steps["orthogonal"], saxe.steps["gaussian"]):
    print(f"depth {depth:2d}: orthogonal {t_o:5.0f} steps   scaled Gaussian {t_g:5.0f} steps")

# %%
figs.learning_time_figure(saxe)

# %% [markdown]
# ## 4. Dynamical isometry
#
# Singular values of the input-output Jacobian of 32-layer networks of width 64 (128 on
# the page). Tanh networks sit at the critical point computed from a small $q^*$:

# %%
print("critical point for q* = 1/64:", edge_of_chaos.critical_point(1 / 64))
jac = orthogonal.jacobian_spectra(orthogonal.JacobianConfig(width=64, n_networks=2), rng)
# below the floor a singular value is round-off, not a measurement
floor = orthogonal.SINGULAR_VALUE_FLOOR
for case, s in jac.singular_values.items():
    smallest = "floor  " if s.min() <= floor else f"{s.min():.1e}"
    print(f"{case[0]:6s} {case[1]:10s} q*={case[2]:5s}  min {smallest}  max {s.max():.2f}")

# %%
figs.jacobian_figure(jac, floor=orthogonal.SINGULAR_VALUE_FLOOR)  # values below it are round-off

# %% [markdown]
# ## Try this
#
# - Run `orthogonal.time_to_threshold` with a single learning rate for every depth,
#   `SaxeConfig(depths=(4,), lr_factors=(1.41 * 4,))`, and so on: is the orthogonal curve
#   still nearly flat?
# - Change `JacobianConfig(q_star=...)` to 1/16 or 1/4: how fast does the orthogonal tanh
#   spectrum widen as $q^*$ grows?
# - Replace the Gaussian weights by `init.orthogonal` with a gain of 1.1 in a deep linear
#   network: what happens to $\lVert W_D \cdots W_1 x \rVert$ after 50 layers?
# - Draw 3 x 3 matrices with `orthogonal.qr_orthogonal(a, sign_fix=False)`: what share of
#   them are rotations?

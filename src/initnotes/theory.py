r"""Gaussian expectations and the mean-field theory of wide random networks, written once.

Every prediction on the site that is not a closed form comes from here: the variance
recursion of Glorot & Bengio's analysis kept nonlinear (Xavier and scale pages), the
one-layer gains of the He page, and the length and correlation maps of Poole et al. (2016)
and Schoenholz et al. (2017) behind the edge of chaos.

## One expectation

`gaussian_expectation` computes $\mathbb E[f(z)]$ for $z \sim \mathcal N(0, q)$. Writing
$z = \sqrt q\,u$ with $u$ standard normal,

$$
\mathbb E[f(z)] = \int_{-\infty}^{\infty} f(\sqrt q\,u)\,\varphi(u)\,du,\qquad
\varphi(u) = e^{-u^2/2}/\sqrt{2\pi},
$$

and the rule is a composite Gauss-Legendre rule in $u$, `NODES_PER_PANEL` nodes on each
panel of `PANEL_EDGES` and on their mirror images: the panels split the line at 0, shrink
geometrically towards 0 (down to 1/64 of a standard deviation) and stop at 10 standard
deviations, where the neglected mass is below $10^{-22}$. Why this rule:

* **Kinks at 0.** ReLU, leaky ReLU and SELU have a kink at 0, their derivatives a jump, so
  $f(\sqrt q\,u)$ is not smooth there. A rule with a node-free breakpoint at 0 sees each
  side as a smooth function (a polynomial times $\varphi$ for ReLU), which Gauss-Legendre
  integrates to rounding error; $\mathbb E[\mathrm{relu}(z)^2] = q/2$ and
  $\mathbb E[\mathrm{relu}'(z)^2] = 1/2$ come out exact. Plain Gauss-Hermite has nodes
  on both sides of the kink and converges only algebraically for such $f$ (201 nodes leave
  a relative error of $2.5 \cdot 10^{-5}$ in $\mathbb E[\mathrm{selu}(z)^2]$).
* **Narrow peaks at 0.** For large $q$, $\tanh'(\sqrt q\,u)^2$ is a spike of width
  $1/\sqrt q$ at 0, and $\tanh$ has poles at $\pm i\pi/(2\sqrt q)$ on the imaginary axis
  above it. Gauss-Hermite loses accuracy geometrically in $\sqrt q$ (201 nodes, relative
  error in $\mathbb E[\tanh'(z)^2]$: $10^{-14}$ at $\sqrt q = 1$, $10^{-6}$ at 2, wrong in
  the first digit at 16). Panels graded
  towards 0 resolve the spike at every scale down to 1/64; measured against a
  2,000,001-point Simpson rule, the error stays below $10^{-15}$ for $\tanh^2$,
  $\tanh'^2$, the sigmoid, SELU and ReLU from $\sqrt q = 0.01$ to 64.
* **Cost.** 360 function values per expectation, vectorized over arrays of $q$: 1.8 times
  201-node Gauss-Hermite, and 3 to 5 % of the 12,001-point trapezoid and 8,002-point
  Simpson grids this module replaces.

The split is at 0 only: a function with a kink elsewhere (``relu(z - 1)``) is integrated
like a smooth one, with an error that shrinks only as a power of the node count. ``f`` should
grow at most polynomially (the rule stops at 10 standard deviations).

## Two correlated Gaussians

`bivariate_gaussian_expectation` computes $\mathbb E[f(u_1)\,g(u_2)]$ for two Gaussians of
variance $q$ and correlation $c$, as the correlation map needs. In polar coordinates,
$u_1 = \sqrt q\,r\cos\theta$ and $u_2 = \sqrt q\,r\cos(\theta - \arccos c)$, so the lines
where $u_1 = 0$ or $u_2 = 0$ (the kinks of $f$ and $g$) are four rays from the origin. The
circle is cut at those four angles, each arc gets graded Gauss-Legendre panels, and the
radius the same panels as the one-dimensional rule with weight $r e^{-r^2/2}$. The error is
below $10^{-12}$ for $\tanh$ and $\tanh'$ with $q \le 4$, and $E[\mathrm{relu}(u_1)\,
\mathrm{relu}(u_2)]$ matches the arc-cosine kernel of Cho & Saul (2009) to $10^{-12}$.

## The maps

For a wide network $z^l = W^l \phi(z^{l-1}) + b^l$ with $W_{ij} \sim \mathcal N(0,
\sigma_w^2/n)$ and $b_i \sim \mathcal N(0, \sigma_b^2)$, the pre-activation variance obeys
the length map `q_map`, $q \mapsto \sigma_w^2\,\mathbb E[\phi(\sqrt q z)^2] + \sigma_b^2$;
the correlation of two inputs the correlation map `c_map`; `chi_1` is the slope of the
correlation map at $c = 1$, `chi_c` its slope at any $c$, `q_map_slope` the slope of the
length map. `variance_recursion` runs the length map layer by layer and the matching
backward recursion for the gradients. Activations are names of `initnotes.nn.ACTIVATIONS`
(or `initnotes.nn.Activation` objects): the formulas live in `initnotes.nn` only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.polynomial.legendre import leggauss

from initnotes import nn

__all__ = [
    "PANEL_EDGES",
    "NODES_PER_PANEL",
    "NODES",
    "WEIGHTS",
    "gaussian_expectation",
    "bivariate_gaussian_expectation",
    "activation_functions",
    "q_map",
    "q_map_slope",
    "chi_1",
    "c_map",
    "chi_c",
    "VarianceRecursion",
    "variance_recursion",
]

#: Panel edges of the rule on the half-line $u \ge 0$, in standard deviations: graded
#: towards the kink at 0, then panels of width 1 (2 for the last) out to 10.
PANEL_EDGES: tuple[float, ...] = (
    0.0, 1 / 64, 1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0,
)
#: Gauss-Legendre nodes per panel (12 x 15 panels x 2 sides = 360 nodes).
NODES_PER_PANEL = 12
#: Nodes per radial panel and per angular panel of the two-dimensional rule.
_NODES_PER_PANEL_2D = 8
#: Angular panels of one arc between two kink directions, as fractions of the arc: graded
#: towards both ends, where the integrand of tanh-like functions changes fastest.
_ARC_EDGES: tuple[float, ...] = (0.0, 1 / 16, 1 / 8, 1 / 4, 1 / 2, 3 / 4, 7 / 8, 15 / 16, 1.0)
#: Points per chunk in `bivariate_gaussian_expectation` (64 x 30,720 values: 16 MB per
#: temporary array).
_CHUNK = 64


def _composite_legendre(edges: tuple[float, ...], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of ``n``-point Gauss-Legendre on every panel between ``edges``."""
    x, w = leggauss(n)
    a = np.asarray(edges[:-1])[:, None]
    b = np.asarray(edges[1:])[:, None]
    return (0.5 * (b - a) * x + 0.5 * (a + b)).ravel(), (0.5 * (b - a) * w).ravel()


def _standard_normal_rule() -> tuple[np.ndarray, np.ndarray]:
    t, w = _composite_legendre(PANEL_EDGES, NODES_PER_PANEL)
    w = w * np.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)
    return np.concatenate([-t[::-1], t]), np.concatenate([w[::-1], w])


#: Nodes $u_i$ (sorted, none at 0) and weights $w_i$ with $\sum_i w_i f(u_i) \approx
#: \mathbb E[f(u)]$ for $u \sim \mathcal N(0, 1)$ (the weights include the density).
NODES, WEIGHTS = _standard_normal_rule()
NODES.flags.writeable = False
WEIGHTS.flags.writeable = False

_R, _WR = _composite_legendre(PANEL_EDGES, _NODES_PER_PANEL_2D)
_WR = _WR * _R * np.exp(-0.5 * _R * _R)  # the radial density of two standard normals
_T, _WT = _composite_legendre(_ARC_EDGES, _NODES_PER_PANEL_2D)


# ---------------------------------------------------------------------------
# Expectations
# ---------------------------------------------------------------------------


def _std_from(q, std) -> np.ndarray:
    if std is not None:
        if q is not None:
            raise ValueError("give q (the variance) or std, not both")
        s = np.asarray(std, dtype=float)
        if not np.all(np.isfinite(s) & (s >= 0)):
            raise ValueError(f"std must be a finite number >= 0, got {std!r}")
        return s
    v = np.asarray(1.0 if q is None else q, dtype=float)
    if not np.all(np.isfinite(v) & (v >= 0)):
        raise ValueError(f"q must be a finite variance >= 0, got {q!r}")
    return np.sqrt(v)


def gaussian_expectation(f: Callable[[np.ndarray], np.ndarray], q=None, *, std=None):
    r"""$\mathbb E[f(z)]$ for $z \sim \mathcal N(0, q)$: the package's one Gaussian quadrature.

    The rule (see the module docstring) is composite Gauss-Legendre on panels split at 0
    and graded towards it, accurate to about $10^{-15}$ for the activations of
    `initnotes.nn` and their derivatives, kinks included.

    Args:
        f: vectorized function of the pre-activation $z$.
        q: variance of $z$ (default 1), a number or an array; the result has its shape.
            $q = 0$ gives $f(0)$.
        std: the standard deviation instead of ``q`` (give one of the two).

    Returns:
        A float for a scalar ``q`` (or ``std``), else an array of the same shape.

    Raises:
        ValueError: if ``q`` or ``std`` is negative or not finite, or both are given.

    Examples:
        >>> round(gaussian_expectation(lambda z: np.maximum(z, 0.0) ** 2, 3.0), 12)
        1.5
    """
    s = _std_from(q, std)
    values = np.broadcast_to(np.asarray(f(s[..., None] * NODES), dtype=float), s.shape + NODES.shape)
    out = values @ WEIGHTS
    return float(out) if out.ndim == 0 else out


def bivariate_gaussian_expectation(f: Callable[[np.ndarray], np.ndarray],
                                   g: Callable[[np.ndarray], np.ndarray], q, c) -> np.ndarray | float:
    r"""$\mathbb E[f(u_1)\,g(u_2)]$ for $u_1, u_2 \sim \mathcal N(0, q)$ with correlation $c$.

    That is $u_1 = \sqrt q\,z_1$, $u_2 = \sqrt q\,(c z_1 + \sqrt{1 - c^2}\,z_2)$ for
    independent standard normals. Polar coordinates with the circle cut where $u_1$ or
    $u_2$ changes sign (see the module docstring), so kinks of $f$ and $g$ at 0 are
    integrated to rounding error; 30,720 nodes per point.

    Args:
        f: vectorized function of the first variable.
        g: vectorized function of the second variable.
        q: common variance ($\ge 0$), number or array.
        c: correlation in $[-1, 1]$, number or array (broadcast against ``q``).

    Returns:
        A float for scalar arguments, else an array of the broadcast shape.

    Raises:
        ValueError: if ``q`` is negative or not finite, or ``c`` is outside $[-1, 1]$.
    """
    q_arr = np.asarray(q, dtype=float)
    c_arr = np.asarray(c, dtype=float)
    if not np.all(np.isfinite(q_arr) & (q_arr >= 0)):
        raise ValueError(f"q must be a finite variance >= 0, got {q!r}")
    if not np.all(np.isfinite(c_arr) & (np.abs(c_arr) <= 1)):
        raise ValueError(f"c must be a correlation in [-1, 1], got {c!r}")
    q_arr, c_arr = np.broadcast_arrays(q_arr, c_arr)
    shape = q_arr.shape
    qs, cs = q_arr.ravel(), c_arr.ravel()
    out = np.empty(qs.size)
    for start in range(0, qs.size, _CHUNK):
        sl = slice(start, start + _CHUNK)
        out[sl] = _polar(f, g, qs[sl], cs[sl])
    return float(out[0]) if not shape else out.reshape(shape)


def _polar(f, g, q: np.ndarray, c: np.ndarray) -> np.ndarray:
    alpha = np.arccos(c)[:, None]  # u2 = sqrt(q) r cos(theta - alpha)
    half_pi = 0.5 * np.pi
    cuts = np.sort(np.concatenate([
        np.broadcast_to(half_pi, alpha.shape), np.broadcast_to(3 * half_pi, alpha.shape),
        (alpha + half_pi) % (2 * np.pi), (alpha + 3 * half_pi) % (2 * np.pi)], axis=1), axis=1)
    length = np.diff(np.concatenate([cuts, cuts[:, :1] + 2 * np.pi], axis=1), axis=1)  # (P, 4)
    theta = (cuts[:, :, None] + length[:, :, None] * _T).reshape(len(q), -1, 1)
    w_theta = (length[:, :, None] * _WT).reshape(len(q), -1, 1) / (2 * np.pi)
    r = np.sqrt(q)[:, None, None] * _R  # (P, 1, radial)
    values = f(r * np.cos(theta)) * g(r * np.cos(theta - alpha[:, :, None]))
    return np.sum(values * w_theta * _WR, axis=(1, 2))


# ---------------------------------------------------------------------------
# Activations from the one table in initnotes.nn
# ---------------------------------------------------------------------------

Activation = str | nn.Activation


def activation_functions(activation: Activation) -> tuple[Callable, Callable]:
    r"""$(\phi, \phi')$ of an activation of `initnotes.nn`, as functions of $z$.

    Args:
        activation: a name in `initnotes.nn.ACTIVATIONS` (``"linear"`` means identity) or
            an `initnotes.nn.Activation` object (e.g. ``nn.LeakyReLU(0.2)``).
    """
    act = activation if isinstance(activation, nn.Activation) else nn.get_activation(activation)

    def derivative(z: np.ndarray) -> np.ndarray:
        return act.derivative(z, act.forward(z))

    return act.forward, derivative


def q_map(q, sigma_w2, sigma_b2=0.0, activation: Activation = "tanh"):
    r"""The length map $q \mapsto \sigma_w^2\,\mathbb E[\phi(\sqrt q\,z)^2] + \sigma_b^2$.

    One layer of the variance recursion: the variance of $z^{l+1}$ given that of $z^l$
    (Poole et al. 2016, eq. 3). Elementwise over arrays.
    """
    phi, _ = activation_functions(activation)
    return sigma_w2 * gaussian_expectation(lambda z: phi(z) ** 2, q) + sigma_b2


def chi_1(q, sigma_w2, activation: Activation = "tanh"):
    r"""$\chi_1 = \sigma_w^2\,\mathbb E[\phi'(\sqrt q\,z)^2]$: the slope of the correlation map
    at $c = 1$, and the factor by which one layer multiplies the gradient's variance.

    At the fixed point $q = q^*$: $\chi_1 < 1$ is the ordered phase, $> 1$ the chaotic one.
    """
    _, dphi = activation_functions(activation)
    return sigma_w2 * gaussian_expectation(lambda z: dphi(z) ** 2, q)


def q_map_slope(q, sigma_w2, activation: Activation = "tanh"):
    r"""$\partial q_\text{map}/\partial q = \sigma_w^2\,\mathbb E[\phi'(u)^2 + \phi(u)\phi''(u)]$,
    $u = \sqrt q\,z$, the slope of the length map.

    Computed without $\phi''$ by Gaussian integration by parts,
    $\frac{d}{dq}\mathbb E[F(\sqrt q z)] = \mathbb E[F'(u)\,u]/(2q)$ with $F = \phi^2$:
    slope $= \sigma_w^2\,\mathbb E[\phi(u)\phi'(u)\,u]/q$, so kinked activations work too.
    At $q = 0$ it returns the limit $q \to 0^+$, evaluated at $q = 10^{-12}$.
    """
    phi, dphi = activation_functions(activation)
    q = np.asarray(q, dtype=float)
    if not np.all(np.isfinite(q) & (q >= 0)):
        raise ValueError(f"q must be a finite variance >= 0, got {q!r}")
    q = np.where(q > 0, q, 1e-12)
    out = sigma_w2 * gaussian_expectation(lambda u: phi(u) * dphi(u) * u, q) / q
    return float(out) if np.ndim(out) == 0 else out


def c_map(c, q, sigma_w2, sigma_b2=0.0, activation: Activation = "tanh"):
    r"""The correlation map $c \mapsto (\sigma_w^2\,\mathbb E[\phi(u_1)\phi(u_2)] + \sigma_b^2)/q$.

    $u_1, u_2$ have variance $q$ (the fixed point $q^*$, for the map of Poole et al. 2016,
    eq. 5) and correlation $c$ (`bivariate_gaussian_expectation`).
    """
    phi, _ = activation_functions(activation)
    return (sigma_w2 * bivariate_gaussian_expectation(phi, phi, q, c) + sigma_b2) / q


def chi_c(c, q, sigma_w2, activation: Activation = "tanh"):
    r"""$\chi_c = \sigma_w^2\,\mathbb E[\phi'(u_1)\phi'(u_2)]$: the slope of the correlation
    map at $c$ (at $c = 1$ it is `chi_1`); Schoenholz et al. (2017) give the correlation depth
    scale $\xi_c = -1/\ln\chi_c$ at the fixed point $c^*$."""
    _, dphi = activation_functions(activation)
    return sigma_w2 * bivariate_gaussian_expectation(dphi, dphi, q, c)


# ---------------------------------------------------------------------------
# The variance recursion through a deep network
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VarianceRecursion:
    r"""Per-layer second moments predicted for a wide random network; index ``l`` is layer
    ``l + 1``.

    Attributes:
        preactivation_var: $q_l = \operatorname{Var}(z_l)$.
        activation_second_moment: $\mathbb E[h_l^2] = \mathbb E[\phi(z_l)^2]$.
        derivative_second_moment: $\mathbb E[\phi'(z_l)^2]$.
        activation_gradient_var: $\operatorname{Var}(\partial L/\partial h_l)$.
        preactivation_gradient_var: $\operatorname{Var}(\partial L/\partial z_l)$.
    """

    preactivation_var: np.ndarray
    activation_second_moment: np.ndarray
    derivative_second_moment: np.ndarray
    activation_gradient_var: np.ndarray
    preactivation_gradient_var: np.ndarray


def variance_recursion(depth: int, sigma_w2: float, *, activation: Activation = "tanh",
                       sigma_b2: float = 0.0, input_variance: float = 1.0,
                       output_gradient_variance: float = 1.0) -> VarianceRecursion:
    r"""Forward and backward variances of a deep network of equal-width layers.

    The layers compute $z_l = W_l h_{l-1} + b_l$, $h_l = \phi(z_l)$ with
    $n\operatorname{Var}(w) = \sigma_w^2$ and $\operatorname{Var}(b) = \sigma_b^2$; $h_0$ is
    the input. With $z_l$ Gaussian (the wide-network limit):

    * forward, $q_1 = \sigma_w^2\,\mathbb E[h_0^2] + \sigma_b^2$ and
      $q_{l+1} = F(q_l)$ with $F$ = `q_map`;
    * backward from $\operatorname{Var}(\partial L/\partial h_L)$ =
      ``output_gradient_variance``: $\operatorname{Var}(\partial L/\partial z_l) =
      \mathbb E[\phi'(z_l)^2]\,\operatorname{Var}(\partial L/\partial h_l)$ and
      $\operatorname{Var}(\partial L/\partial h_{l-1}) = \sigma_w^2\,
      \operatorname{Var}(\partial L/\partial z_l)$, treating $\phi'(z_l)$ and the incoming
      gradient as independent (as Glorot & Bengio 2010 do).

    For the identity as $\phi$ this is their linear analysis; with the nonlinearity kept it is
    the "mean field" prediction of the Xavier and scale pages.

    Args:
        depth: number of layers, $\ge 1$.
        sigma_w2: $n \operatorname{Var}(w)$, finite and $> 0$.
        activation: a name in `initnotes.nn.ACTIVATIONS` or an `initnotes.nn.Activation`.
        sigma_b2: bias variance, $\ge 0$.
        input_variance: $\mathbb E[h_0^2]$ of the input.
        output_gradient_variance: $\operatorname{Var}(\partial L/\partial h_L)$.
    """
    if isinstance(depth, bool) or not isinstance(depth, int | np.integer) or depth < 1:
        raise ValueError(f"depth must be a positive integer, got {depth!r}")
    if not (math.isfinite(sigma_w2) and sigma_w2 > 0):
        raise ValueError(f"sigma_w2 must be a finite number > 0, got {sigma_w2!r}")
    phi, dphi = activation_functions(activation)
    q = np.empty(depth)
    h2 = np.empty(depth)
    prev = input_variance
    for layer in range(depth):
        q[layer] = sigma_w2 * prev + sigma_b2
        h2[layer] = prev = gaussian_expectation(lambda z: phi(z) ** 2, q[layer])
    d2 = gaussian_expectation(lambda z: dphi(z) ** 2, q)
    gh = np.empty(depth)
    gh[-1] = output_gradient_variance
    for layer in range(depth - 1, 0, -1):
        gh[layer - 1] = sigma_w2 * d2[layer] * gh[layer]
    return VarianceRecursion(q, h2, d2, gh, gh * d2)

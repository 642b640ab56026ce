r"""Mean-field signal propagation in deep tanh networks: the edge of chaos.

A wide network $z^{l} = W^{l} \phi(z^{l-1}) + b^{l}$ with weights
$W_{ij} \sim \mathcal{N}(0, \sigma_w^2/N)$ and biases $b_i \sim \mathcal{N}(0, \sigma_b^2)$
carries, in the limit of infinite width $N$, a pre-activation variance that obeys the
*length map* of Poole et al. (2016),

$$
q^{l} = \sigma_w^2 \, \mathbb{E}_{z}\!\left[\phi\big(\sqrt{q^{l-1}}\, z\big)^2\right] + \sigma_b^2,
\qquad z \sim \mathcal{N}(0, 1),
$$

with a fixed point $q^*$. Two inputs with correlation $c$ follow the *correlation map*; its
slope at $c = 1$ is

$$
\chi_1 = \sigma_w^2 \, \mathbb{E}_{z}\!\left[\phi'\big(\sqrt{q^*}\, z\big)^2\right].
$$

$\chi_1 < 1$: nearby inputs converge (ordered phase, gradients vanish); $\chi_1 > 1$: they
separate (chaotic phase, gradients explode); $\chi_1 = 1$ is the critical line, the *edge of
chaos*. Schoenholz et al. (2017) turned the two maps into depth scales, $\xi_q$ for the
length and $\xi_c$ for the correlation; $\xi_c$ diverges on the critical line.

The maps themselves, and the Gaussian expectations in them, are `initnotes.theory`'s
(`theory.q_map`, `theory.chi_1`, `theory.c_map`, ...); this module finds their fixed points
and computes the phase diagram and the depth scales. (An earlier version used Gauss-Hermite
quadrature, 201 nodes in one dimension and 80 x 80 in two, whose error grows with $q^*$:
at the largest $q^* = 2.8$ of the phase diagram it put $\chi_1$ off by $3 \cdot 10^{-8}$
and $\xi_c$ by $7 \cdot 10^{-6}$, relative.)

Fixed points are found by bisection, which halves the bracket every step; plain
fixed-point iteration $q \leftarrow F(q)$ converges like $\chi^{k}$ with a slope that tends
to 1 near the critical line, so it crawls exactly where the interesting points are.

Only $\phi = \tanh$ is implemented; all functions are vectorized over arrays of
$(\sigma_w^2, \sigma_b^2)$.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from initnotes import checks
from initnotes import nn, theory

#: The activation of every network here (the bisection brackets below use tanh^2 < 1).
ACTIVATION = "tanh"
#: Bisection steps for q*: brackets are at most ~5 wide, and 5 * 2**-60 < 1e-17.
BISECTION_STEPS = 60


def _check_variances(sigma_w2, sigma_b2) -> tuple[np.ndarray, np.ndarray]:
    sw = np.asarray(sigma_w2, dtype=float)
    sb = np.asarray(sigma_b2, dtype=float)
    if not (np.all(np.isfinite(sw)) and np.all(sw > 0)):
        raise ValueError(f"sigma_w2 must be finite and > 0, got {sigma_w2!r}")
    if not (np.all(np.isfinite(sb)) and np.all(sb >= 0)):
        raise ValueError(f"sigma_b2 must be finite and >= 0, got {sigma_b2!r}")
    return np.broadcast_arrays(sw, sb)


def length_map(q, sigma_w2, sigma_b2) -> np.ndarray:
    r"""One step of the length map $q \mapsto \sigma_w^2 \mathbb{E}[\tanh(\sqrt q z)^2] + \sigma_b^2$."""
    return theory.q_map(q, sigma_w2, sigma_b2, ACTIVATION)


def q_star(sigma_w2, sigma_b2) -> np.ndarray:
    r"""The stable fixed point $q^*$ of the length map, by bisection.

    $F(q) - q$ is positive at $q = 0$ when $\sigma_b^2 > 0$ and negative at
    $q = \sigma_w^2 + \sigma_b^2$ (because $\tanh^2 < 1$), so the root is bracketed. With
    $\sigma_b^2 = 0$ the origin is a fixed point; it is the stable one for
    $\sigma_w^2 \le 1$ (then $q^* = 0$), and for $\sigma_w^2 > 1$ the search starts just
    above it, where $F(q) - q \approx (\sigma_w^2 - 1) q > 0$.

    Raises:
        ValueError: if a variance is negative, not finite, or $\sigma_w^2 \le 0$.
    """
    sw, sb = _check_variances(sigma_w2, sigma_b2)
    lo = np.where(sb > 0, 0.0, 1e-300)
    hi = sw + sb
    for _ in range(BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        above = length_map(mid, sw, sb) > mid
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    q = 0.5 * (lo + hi)
    return np.where((sb == 0) & (sw <= 1.0), 0.0, q)


def chi_1(sigma_w2, sigma_b2) -> np.ndarray:
    r"""$\chi_1 = \sigma_w^2 \mathbb{E}[\tanh'(\sqrt{q^*} z)^2]$: < 1 ordered, > 1 chaotic."""
    sw, sb = _check_variances(sigma_w2, sigma_b2)
    return theory.chi_1(q_star(sw, sb), sw, ACTIVATION)


def critical_sigma_w2(sigma_b2) -> np.ndarray:
    r"""The $\sigma_w^2$ with $\chi_1(\sigma_w^2, \sigma_b^2) = 1$, by bisection in $\sigma_w^2$.

    $\chi_1$ increases with $\sigma_w^2$ at fixed $\sigma_b^2$ (checked on a grid in the
    tests). The bracket $[0.5, 50]$ holds for $\sigma_b^2 \le 10$.
    """
    sb = np.asarray(sigma_b2, dtype=float)
    if not (np.all(np.isfinite(sb)) and np.all(sb >= 0) and np.all(sb <= 10)):
        raise ValueError(f"sigma_b2 must be in [0, 10], got {sigma_b2!r}")
    lo = np.full(sb.shape, 0.5)
    hi = np.full(sb.shape, 50.0)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        ordered = chi_1(mid, sb) < 1.0
        lo = np.where(ordered, mid, lo)
        hi = np.where(ordered, hi, mid)
    return 0.5 * (lo + hi)


def critical_line(q) -> tuple[np.ndarray, np.ndarray]:
    r"""The critical $(\sigma_w^2, \sigma_b^2)$ whose fixed point is $q^*$, elementwise.

    Pennington, Schoenholz and Ganguli (2017) pick $q^*$ first: $\chi_1 = 1$ gives
    $\sigma_w^2 = 1 / \mathbb{E}[\tanh'(\sqrt{q^*} z)^2]$, and the fixed-point equation
    then gives $\sigma_b^2 = q^* - \sigma_w^2 \mathbb{E}[\tanh(\sqrt{q^*} z)^2]$. As $q^*$
    runs over $(0, \infty)$ this traces the whole critical line, with no root finding.

    Raises:
        ValueError: if a `q` is not a finite number > 0.
    """
    q = np.asarray(q, dtype=float)
    if not (np.all(np.isfinite(q)) and np.all(q > 0)):
        raise ValueError(f"q must be a finite number > 0, got {q.tolist()!r}")
    sigma_w2 = 1.0 / theory.chi_1(q, 1.0, ACTIVATION)
    sigma_b2 = q - theory.q_map(q, sigma_w2, 0.0, ACTIVATION)
    return sigma_w2, np.maximum(sigma_b2, 0.0)


def critical_point(q: float) -> tuple[float, float]:
    r"""`critical_line` for one $q^*$, as two floats.

    A small $q^*$ keeps the pre-activations in tanh's linear region, where the Jacobian is
    closest to an isometry.

    Raises:
        ValueError: if `q` is not a finite number > 0.
    """
    if isinstance(q, bool) or not isinstance(q, (int, float, np.floating)) or not (np.isfinite(q) and q > 0):
        raise ValueError(f"q must be a finite number > 0, got {q!r}")
    sw, sb = critical_line(q)
    return float(sw), float(sb)


def correlation_map(c, sigma_w2, sigma_b2, q=None) -> np.ndarray:
    r"""$c \mapsto (\sigma_w^2 \mathbb{E}[\tanh(u_1)\tanh(u_2)] + \sigma_b^2) / q^*$."""
    sw, sb = _check_variances(sigma_w2, sigma_b2)
    q = q_star(sw, sb) if q is None else q
    return theory.c_map(c, q, sw, sb, ACTIVATION)


def c_star(sigma_w2, sigma_b2) -> np.ndarray:
    r"""The stable fixed point $c^*$ of the correlation map: 1 in the ordered phase,
    below 1 in the chaotic phase (found by bisection on $[0, 1 - 10^{-9}]$ there)."""
    sw, sb = _check_variances(sigma_w2, sigma_b2)
    q = q_star(sw, sb)
    chaotic = chi_1(sw, sb) > 1.0
    out = np.ones(sw.shape)
    if chaotic.any():  # the 2-D quadrature is the expensive part: only where c* < 1
        swc, sbc, qc = sw[chaotic], sb[chaotic], q[chaotic]
        lo = np.zeros(swc.shape)
        hi = np.full(swc.shape, 1.0 - 1e-9)
        for _ in range(40):  # bracket [0, 1] -> 1e-12
            mid = 0.5 * (lo + hi)
            above = correlation_map(mid, swc, sbc, qc) > mid
            lo = np.where(above, mid, lo)
            hi = np.where(above, hi, mid)
        out[chaotic] = 0.5 * (lo + hi)
    return out


def depth_scales(sigma_w2, sigma_b2) -> tuple[np.ndarray, np.ndarray]:
    r"""$(\xi_q, \xi_c)$ of Schoenholz et al. (2017), in layers.

    $\xi_q^{-1} = -\ln\big(\chi_1 + \sigma_w^2 \mathbb{E}[\tanh''(\sqrt{q^*}z)\tanh(\sqrt{q^*}z)]\big)$
    (the slope of the length map at $q^*$, `theory.q_map_slope`) and
    $\xi_c^{-1} = -\ln \chi_c$ with
    $\chi_c = \sigma_w^2 \mathbb{E}[\tanh'(u_1)\tanh'(u_2)]$ at $c^*$ (which is $\chi_1$
    in the ordered phase). Perturbations of the length and of the correlation decay like
    $e^{-l/\xi}$.
    """
    sw, sb = _check_variances(sigma_w2, sigma_b2)
    q = q_star(sw, sb)
    c1 = theory.chi_1(q, sw, ACTIVATION)
    slope_q = theory.q_map_slope(q, sw, ACTIVATION)
    cs = c_star(sw, sb)
    chi_c = np.array(c1, dtype=float)
    below = cs < 1.0
    if below.any():
        chi_c[below] = theory.chi_c(cs[below], q[below], sw[below], ACTIVATION)
    with np.errstate(divide="ignore"):
        xi_q = -1.0 / np.log(slope_q)
        xi_c = -1.0 / np.log(chi_c)
    return xi_q, xi_c


# ---------------------------------------------------------------------------
# Experiments
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseConfig:
    """Grid of the phase diagram.

    The grid size (70 x 50) was chosen for speed: the vectorized bisection for all
    3,500 points takes about a second.
    """

    sigma_w2_range: tuple[float, float] = (0.5, 4.0)
    sigma_b2_range: tuple[float, float] = (0.0, 0.5)
    n_w: int = 70
    n_b: int = 50
    n_line: int = 60

    def __post_init__(self) -> None:
        for name in ("n_w", "n_b", "n_line"):
            checks.int_at_least(name, getattr(self, name), 2)
        lo, hi = self.sigma_w2_range
        if not 0 < lo < hi:
            raise ValueError(f"sigma_w2_range must satisfy 0 < low < high, got {self.sigma_w2_range!r}")
        lo, hi = self.sigma_b2_range
        if not 0 <= lo < hi <= 10:
            raise ValueError(f"sigma_b2_range must satisfy 0 <= low < high <= 10, got {self.sigma_b2_range!r}")


@dataclass(frozen=True)
class PhaseResults:
    config: PhaseConfig
    sigma_w2: np.ndarray  # (n_w,)
    sigma_b2: np.ndarray  # (n_b,)
    chi1: np.ndarray  # (n_b, n_w)
    q: np.ndarray  # (n_b, n_w)
    line_sigma_b2: np.ndarray  # (n_line,)
    line_sigma_w2: np.ndarray  # (n_line,) critical sigma_w2 for each line_sigma_b2


def phase_diagram(config: PhaseConfig = PhaseConfig()) -> PhaseResults:
    """chi_1 and q* on a grid of (sigma_w2, sigma_b2), and the critical line chi_1 = 1."""
    sw = np.linspace(*config.sigma_w2_range, config.n_w)
    sb = np.linspace(*config.sigma_b2_range, config.n_b)
    SW, SB = np.meshgrid(sw, sb)
    # The critical line, parametrized by q* (no root finding): q* from 1e-6 up to the q*
    # whose sigma_b2 is the top of the plot, found by bisection on the monotone sigma_b2(q*).
    hi_b = config.sigma_b2_range[1]
    lo_q, hi_q = 1e-6, 100.0
    for _ in range(60):
        mid = np.sqrt(lo_q * hi_q)
        lo_q, hi_q = (mid, hi_q) if critical_point(mid)[1] < hi_b else (lo_q, mid)
    line_w, line_b = critical_line(np.geomspace(1e-6, hi_q, config.n_line))
    return PhaseResults(config, sw, sb, chi_1(SW, SB), q_star(SW, SB), line_b, line_w)


@dataclass(frozen=True)
class DepthScaleConfig:
    """Depth scales along a line of fixed sigma_b2 (Schoenholz et al. use 0.05 in their figures)."""

    sigma_b2: float = 0.05
    sigma_w2_range: tuple[float, float] = (0.5, 4.0)
    n: int = 141  # odd and dense enough to land near the critical point; < 0.5 s

    def __post_init__(self) -> None:
        checks.in_interval("sigma_b2", self.sigma_b2, 0.0, 10.0, closed="both")
        checks.int_at_least("n", self.n, 2)


@dataclass(frozen=True)
class DepthScaleResults:
    config: DepthScaleConfig
    sigma_w2: np.ndarray
    xi_q: np.ndarray
    xi_c: np.ndarray
    chi1: np.ndarray
    critical_sigma_w2: float


def depth_scale_curve(config: DepthScaleConfig = DepthScaleConfig()) -> DepthScaleResults:
    """xi_q and xi_c against sigma_w2 at fixed sigma_b2."""
    sw = np.linspace(*config.sigma_w2_range, config.n)
    sb = np.full_like(sw, config.sigma_b2)
    xi_q, xi_c = depth_scales(sw, sb)
    return DepthScaleResults(config, sw, xi_q, xi_c, chi_1(sw, sb),
                             float(critical_sigma_w2(config.sigma_b2)))


def simulate_q(sigma_w2: float, sigma_b2: float, *, width: int, depth: int, batch: int,
               rng: np.random.Generator) -> np.ndarray:
    """Mean squared pre-activation per layer of a finite random tanh network.

    An independent, Monte Carlo check of the length map: for large width it settles at
    `q_star(sigma_w2, sigma_b2)`. Inputs are standard normal.
    """
    for name, v in (("width", width), ("depth", depth), ("batch", batch)):
        checks.positive_int(name, v)
    _check_variances(sigma_w2, sigma_b2)
    phi = nn.get_activation(ACTIVATION).forward
    h = rng.standard_normal((batch, width))
    qs = []
    for _ in range(depth):
        W = rng.standard_normal((width, width)) * np.sqrt(sigma_w2 / width)
        b = rng.standard_normal(width) * np.sqrt(sigma_b2)
        z = h @ W.T + b
        qs.append(float(np.mean(z * z)))
        h = phi(z)
    return np.array(qs)

r"""Orthogonal initialization: sampling it right, and what it buys in deep networks.

Four experiments:

* `sign_fix_angles`: 2x2 orthogonal matrices from the QR factorization of a Gaussian
  matrix, with and without the sign correction of Mezzadri (2007). Without it the first
  column's angle covers only half of the circle and every matrix is a reflection; with it
  the angle is uniform and rotations and reflections are equally likely (Haar measure).
* `time_to_threshold`: Saxe, McClelland & Ganguli (2014). Deep linear networks trained by
  full-batch gradient descent from orthogonal or scaled Gaussian weights; each depth gets
  its best learning rate from a sweep, and we count the steps until the loss falls below a
  threshold.
* `jacobian_spectra`: Pennington, Schoenholz & Ganguli (2017). Singular values of the
  input-output Jacobian of deep linear and tanh networks with Gaussian or orthogonal
  weights; tanh networks sit at the critical point of `edge_of_chaos.critical_point`.
* `single_layer_spectra`: the singular values of one orthogonal and one Gaussian layer,
  and how exactly an orthogonal layer keeps the norm of random vectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from initnotes import checks
from initnotes import init as initializers
from initnotes import nn
from initnotes.experiments import edge_of_chaos

#: Singular values below this are round-off in float64 and are reported at this floor.
SINGULAR_VALUE_FLOOR = 1e-16

INITS: tuple[str, ...] = ("orthogonal", "gaussian")


def _check_int(name: str, v, minimum: int = 1) -> None:
    checks.int_at_least(name, v, minimum)


# ---------------------------------------------------------------------------
# 1. The sign fix
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignFixResults:
    """Angles (radians, in (-pi, pi]) of the first column of 2x2 Q, and det(Q)."""

    angle_fixed: np.ndarray
    angle_raw: np.ndarray
    det_fixed: np.ndarray
    det_raw: np.ndarray


def qr_orthogonal(a: np.ndarray, *, sign_fix: bool) -> np.ndarray:
    """Q of `numpy.linalg.qr(a)`, optionally with each column times the sign of R's diagonal.

    `a` may be a stack of matrices, shape ``(..., m, n)``. With the fix this is what
    `initnotes.init.orthogonal` does (for one square `a`).
    """
    q, r = np.linalg.qr(a)
    if sign_fix:
        d = np.diagonal(r, axis1=-2, axis2=-1)
        q = q * np.where(d >= 0, 1.0, -1.0)[..., None, :]
    return q


def sign_fix_angles(n_samples: int, rng: np.random.Generator) -> SignFixResults:
    """Sample 2x2 Q from the same Gaussian matrices with and without the sign fix."""
    _check_int("n_samples", n_samples)
    a = rng.standard_normal((n_samples, 2, 2))
    out = []
    for fix in (True, False):
        q = qr_orthogonal(a, sign_fix=fix)
        out.append((np.arctan2(q[:, 1, 0], q[:, 0, 0]), np.linalg.det(q)))
    (angle_fixed, det_fixed), (angle_raw, det_raw) = out
    return SignFixResults(angle_fixed, angle_raw, det_fixed, det_raw)


# ---------------------------------------------------------------------------
# 2. Saxe et al.: learning time against depth
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SaxeConfig:
    r"""Deep linear regression, trained by full-batch gradient descent.

    The data: `n_samples` inputs of dimension `d_in` with correlated features (the input
    covariance has eigenvalues spread over a factor of about `1 / input_scale**2`, so even
    a one-layer model needs tens of steps) and targets $y = A x$ for a random
    $A$ (`d_out` x `d_in`). The network: `depth` weight matrices, hidden width `width`,
    no biases, no nonlinearity. The loss is the half mean squared error of `initnotes.nn`;
    we report it relative to the loss of the zero map, and count the steps until it falls
    below `threshold`.

    Learning rates are swept as `lr = factor / depth` for each `factor` in
    `lr_factors`: Saxe et al. show that the best rate scales as 1/depth. A run that does
    not reach the threshold within `max_steps` steps is *capped*.

    Sizes chosen for speed (the whole sweep runs in about a second): hidden width 32
    (wider than the 8 inputs and outputs, which gives the deep network room to rotate its
    map), depths up to 64, a budget of 300 steps, nine learning rates half an octave apart
    (the best rate never sits at either end of the sweep; the tests check it).
    """

    depths: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64)
    width: int = 32
    d_in: int = 8
    d_out: int = 8
    n_samples: int = 256
    input_scale: float = 0.3
    lr_factors: tuple[float, ...] = tuple(2.0 ** np.arange(-2.5, 1.51, 0.5))  # 0.18 ... 2.83
    threshold: float = 1e-3
    max_steps: int = 300
    inits: tuple[str, ...] = INITS

    def __post_init__(self) -> None:
        for name in ("width", "d_in", "d_out", "n_samples", "max_steps"):
            _check_int(name, getattr(self, name))
        checks.non_empty("depths", self.depths)
        for d in self.depths:
            _check_int("every depth", d)
        for name in self.inits:
            if name not in INITS:
                raise ValueError(f"inits must be among {INITS}, got {name!r}")
        checks.in_interval("threshold", self.threshold, 0.0, 1.0)
        checks.in_interval("input_scale", self.input_scale, 0.0, 1.0, closed="right")
        if not self.lr_factors or min(self.lr_factors) <= 0:
            raise ValueError(f"lr_factors must be positive numbers, got {self.lr_factors!r}")


@dataclass(frozen=True)
class SaxeResults:
    """`steps[init][i]`: steps to threshold at `config.depths[i]` (inf if capped);
    `best_factor[init][i]`: the lr factor that got there first (nan if capped)."""

    config: SaxeConfig
    steps: dict[str, np.ndarray] = field(default_factory=dict)
    best_factor: dict[str, np.ndarray] = field(default_factory=dict)

    def capped(self, name: str) -> np.ndarray:
        return ~np.isfinite(self.steps[name])


def regression_data(config: SaxeConfig, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``x`` (n, d_in) with correlated features and targets ``y = x A^T`` (n, d_out)."""
    scales = np.geomspace(1.0, config.input_scale, config.d_in)
    mix = scales[:, None] * initializers.orthogonal((config.d_in, config.d_in), rng=rng)
    x = rng.standard_normal((config.n_samples, config.d_in)) @ mix
    a = rng.standard_normal((config.d_out, config.d_in)) / np.sqrt(config.d_in)
    return x, x @ a.T


def deep_linear_weights(sizes: list[int], init: str, rng: np.random.Generator) -> list[np.ndarray]:
    """One ``(fan_out, fan_in)`` matrix per layer: orthogonal (gain 1) or N(0, 1/fan_in)."""
    checks.one_of("init", init, INITS)
    out = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        if init == "orthogonal":
            out.append(initializers.orthogonal((fan_out, fan_in), rng=rng))
        else:
            out.append(rng.standard_normal((fan_out, fan_in)) / np.sqrt(fan_in))
    return out


def forward_products(Ws: list[np.ndarray], d_in: int) -> list[np.ndarray]:
    """``[I, W_1, W_2 W_1, ..., W_L ... W_1]``: the map from the input to every layer.

    Works on stacks: each ``W`` may have a leading batch axis (one network per learning rate).
    """
    prefix = [np.eye(d_in)]
    for W in Ws:
        prefix.append(W @ prefix[-1])
    return prefix


def gradient_step(Ws: list[np.ndarray], prefix: list[np.ndarray], grad_P: np.ndarray) -> None:
    """In place: ``W_l -= dL/dW_l`` given ``grad_P`` = (learning rate times) dL/dP.

    Back-propagation through ``P = W_L ... W_1``: with ``g = dL/d(W_l ... W_1)``,
    ``dL/dW_l = g (W_{l-1} ... W_1)^T`` and the next ``g`` is ``W_l^T g``. Both are linear in
    ``g``, so passing ``lr * dL/dP`` scales every layer's step by ``lr``.
    """
    g = grad_P
    for layer in range(len(Ws) - 1, -1, -1):
        step = g @ np.swapaxes(prefix[layer], -1, -2)
        g = np.swapaxes(Ws[layer], -1, -2) @ g
        Ws[layer] -= step


def _steps_to_threshold(weights: list[np.ndarray], sigma: np.ndarray, corr: np.ndarray,
                        loss_min: float, lrs: np.ndarray, threshold: float,
                        max_steps: int) -> tuple[float, float]:
    """Gradient descent for every learning rate at once; first step at which any run is
    below threshold, and that run's learning rate.

    With the input covariance ``sigma = x^T x / n`` and ``corr = y^T x / n`` the half mean
    squared error of the end-to-end map P is ``0.5 tr(P sigma P^T) - tr(P corr^T)`` plus a
    constant, and its gradient is ``P sigma - corr``: exactly full-batch gradient descent on
    the data, without touching the n samples at every step. The zero map has loss 0 (up to
    that constant), so ``loss / loss_min`` is the loss relative to the zero map's. Runs whose
    loss blows up are dropped.
    """
    n = len(lrs)
    Ws = [np.broadcast_to(W, (n, *W.shape)).copy() for W in weights]
    lrs = np.asarray(lrs, dtype=float)
    d_in = sigma.shape[0]
    for t in range(max_steps + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            prefix = forward_products(Ws, d_in)
            P = prefix[-1]
            loss = (0.5 * np.einsum("nij,jk,nik->n", P, sigma, P)
                    - np.einsum("nij,ij->n", P, corr))
        rel = (loss - loss_min) / (0.0 - loss_min)
        if np.any(rel < threshold):
            return float(t), float(lrs[np.nanargmin(np.where(rel < threshold, rel, np.inf))])
        alive = np.isfinite(rel) & (rel < 1e3)
        if not alive.any() or t == max_steps:
            break
        if not alive.all():
            Ws = [W[alive] for W in Ws]
            prefix = [p if p.ndim == 2 else p[alive] for p in prefix]
            lrs = lrs[alive]
        gradient_step(Ws, prefix, lrs[:, None, None] * (prefix[-1] @ sigma - corr))
    return np.inf, np.nan


def time_to_threshold(config: SaxeConfig, rng: np.random.Generator) -> SaxeResults:
    """Steps to threshold against depth, for each init, best learning rate per depth.

    For each depth, one set of initial weights per init is drawn and trained with every
    learning rate of the sweep (so the sweep compares rates, not draws).
    """
    x, y = regression_data(config, rng)
    n = x.shape[0]
    sigma = x.T @ x / n
    corr = y.T @ x / n
    p_opt = np.linalg.solve(sigma, corr.T).T  # least squares: here exactly A
    loss_min = float(0.5 * np.trace(p_opt @ sigma @ p_opt.T) - np.trace(p_opt @ corr.T))
    steps = {name: np.empty(len(config.depths)) for name in config.inits}
    best = {name: np.empty(len(config.depths)) for name in config.inits}
    factors = np.asarray(config.lr_factors, dtype=float)
    for i, depth in enumerate(config.depths):
        sizes = [config.d_in] + [config.width] * (depth - 1) + [config.d_out]
        for name in config.inits:
            weights = deep_linear_weights(sizes, name, rng)
            t, lr = _steps_to_threshold(weights, sigma, corr, loss_min, factors / depth,
                                        config.threshold, config.max_steps)
            steps[name][i] = t
            best[name][i] = lr * depth
    return SaxeResults(config, steps, best)


# ---------------------------------------------------------------------------
# 3. Pennington et al.: Jacobian spectra
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class JacobianConfig:
    r"""Input-output Jacobians $J = \partial h^L / \partial h^0 = \prod_l D_l W_l$.

    Linear networks use $\sigma_w^2 = 1$, $\sigma_b^2 = 0$ (their critical point). Tanh
    networks use the critical point whose fixed point is `q_star`
    (`edge_of_chaos.critical_point`), and an input drawn at that fixed point, so every
    layer's pre-activations have variance $q^*$. Everything is float64.

    Width 128 and depth 32, with `n_networks` draws per case, were chosen for speed (all
    cases take about 0.3 s).
    """

    width: int = 128
    depth: int = 32
    q_star: float = 1.0 / 64.0
    q_star_large: float = 1.0
    n_networks: int = 4

    def __post_init__(self) -> None:
        for name in ("width", "depth", "n_networks"):
            _check_int(name, getattr(self, name))
        for name in ("q_star", "q_star_large"):
            checks.positive_float(name, getattr(self, name))


#: The cases compared: (activation, weight distribution, which q*).
CASES: tuple[tuple[str, str, str], ...] = (
    ("linear", "gaussian", "-"),
    ("linear", "orthogonal", "-"),
    ("tanh", "gaussian", "small"),
    ("tanh", "orthogonal", "small"),
    ("tanh", "orthogonal", "large"),
)


@dataclass(frozen=True)
class RandomNetwork:
    """A random deep network at initialization and the input it is evaluated at."""

    activation: str
    weights: list[np.ndarray]
    biases: list[np.ndarray]
    x: np.ndarray

    def forward(self, x: np.ndarray) -> np.ndarray:
        act = nn.get_activation(self.activation)
        h = x
        for W, b in zip(self.weights, self.biases):
            h = act.forward(W @ h + b)
        return h

    def jacobian(self) -> np.ndarray:
        r"""$\partial h^L / \partial h^0 = D_L W_L \cdots D_1 W_1$ at `x`, $D_l = \operatorname{diag}\phi'(z^l)$."""
        act = nn.get_activation(self.activation)
        h = self.x
        J = np.eye(self.x.size)
        for W, b in zip(self.weights, self.biases):
            z = W @ h + b
            h = act.forward(z)
            J = (act.derivative(z, h)[:, None] * W) @ J
        return J


def random_network(activation: str, weights: str, *, width: int, depth: int, q: float | None,
                   rng: np.random.Generator) -> RandomNetwork:
    r"""A square network of the given width and depth, at its critical point.

    Linear: $\sigma_w^2 = 1$, no biases, standard normal input. Tanh: the critical point of
    `edge_of_chaos.critical_point(q)`, biases $\mathcal{N}(0, \sigma_b^2)$ and an input
    $\tanh(\sqrt{q} z)$, a post-activation at the fixed point, so every layer's
    pre-activations have variance about $q$. Weights are $\sigma_w$ times an orthogonal
    matrix or times $\mathcal{N}(0, 1/\text{width})$ entries.
    """
    if activation not in ("linear", "tanh"):
        raise ValueError(f"activation must be 'linear' or 'tanh', got {activation!r}")
    checks.one_of("weights", weights, INITS)
    _check_int("width", width)
    _check_int("depth", depth)
    if activation == "tanh":
        if q is None:
            raise ValueError("a tanh network needs q (the fixed point q*)")
        sigma_w2, sigma_b2 = edge_of_chaos.critical_point(q)
        x = nn.get_activation("tanh").forward(np.sqrt(q) * rng.standard_normal(width))
    else:
        sigma_w2, sigma_b2 = 1.0, 0.0
        x = rng.standard_normal(width)
    sigma_w = np.sqrt(sigma_w2)
    Ws, bs = [], []
    for _ in range(depth):
        if weights == "orthogonal":
            Ws.append(sigma_w * initializers.orthogonal((width, width), rng=rng))
        else:
            Ws.append(sigma_w * rng.standard_normal((width, width)) / np.sqrt(width))
        bs.append(np.sqrt(sigma_b2) * rng.standard_normal(width))
    return RandomNetwork(activation, Ws, bs, x)


def jacobian_singular_values(activation: str, weights: str, *, width: int, depth: int,
                             q: float | None, rng: np.random.Generator) -> np.ndarray:
    """Singular values (descending, unfloored) of one random network's Jacobian."""
    net = random_network(activation, weights, width=width, depth=depth, q=q, rng=rng)
    return np.linalg.svd(net.jacobian(), compute_uv=False)


@dataclass(frozen=True)
class JacobianSpectrumResults:
    """The spectra of the input-output Jacobians of `jacobian_spectra`, per case of `CASES`.

    `singular_values[case]`: all singular values of `n_networks` Jacobians, floored at
    `SINGULAR_VALUE_FLOOR`; `raw_min[case]`: the smallest before flooring. (The per-layer
    Jacobians of the Xavier page are `initnotes.experiments.xavier.LayerJacobianResults`.)"""

    config: JacobianConfig
    critical_small: tuple[float, float]
    critical_large: tuple[float, float]
    singular_values: dict[tuple[str, str, str], np.ndarray]
    raw_min: dict[tuple[str, str, str], float]




def jacobian_spectra(config: JacobianConfig, rng: np.random.Generator) -> JacobianSpectrumResults:
    """Singular values of the Jacobian for every case in `CASES`."""
    svs, raw = {}, {}
    for case in CASES:
        activation, weights, which = case
        q = {"small": config.q_star, "large": config.q_star_large, "-": None}[which]
        s = np.concatenate([
            jacobian_singular_values(activation, weights, width=config.width, depth=config.depth,
                                     q=q, rng=rng)
            for _ in range(config.n_networks)
        ])
        raw[case] = float(s.min())
        svs[case] = np.maximum(s, SINGULAR_VALUE_FLOOR)
    return JacobianSpectrumResults(config, edge_of_chaos.critical_point(config.q_star),
                           edge_of_chaos.critical_point(config.q_star_large), svs, raw)


# ---------------------------------------------------------------------------
# 4. One layer: singular values and norms
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SingleLayerConfig:
    """One square layer of `width` units, orthogonal against Gaussian N(0, 1/width), and
    `n_vectors` random inputs for the norm check. Width 256 was chosen for speed."""

    width: int = 256
    n_vectors: int = 1000

    def __post_init__(self) -> None:
        for name in ("width", "n_vectors"):
            _check_int(name, getattr(self, name))


@dataclass(frozen=True)
class SingleLayerResults:
    """`singular_values["orthogonal"]` and `["gaussian"]`: the `width` singular values of
    one orthogonal and one N(0, 1/width) matrix; `norm_ratio`: ``|Wx| / |x|`` for
    `n_vectors` standard-normal ``x`` and a second orthogonal ``W`` drawn after them."""

    config: SingleLayerConfig
    singular_values: dict[str, np.ndarray]
    norm_ratio: np.ndarray


def single_layer_spectra(config: SingleLayerConfig, rng: np.random.Generator) -> SingleLayerResults:
    """Draw, in this order: an orthogonal matrix, a Gaussian matrix (their singular values),
    a second orthogonal matrix and the input vectors (its norm ratios)."""
    n = config.width
    svs = {
        "orthogonal": np.linalg.svd(initializers.orthogonal((n, n), rng=rng), compute_uv=False),
        "gaussian": np.linalg.svd(rng.standard_normal((n, n)) / np.sqrt(n), compute_uv=False),
    }
    W = initializers.orthogonal((n, n), rng=rng)
    x = rng.standard_normal((config.n_vectors, n))
    ratio = np.linalg.norm(x @ W.T, axis=1) / np.linalg.norm(x, axis=1)
    return SingleLayerResults(config, svs, ratio)


# ---------------------------------------------------------------------------
# 5. Products of Gaussian matrices: the Lyapunov spectrum
# ---------------------------------------------------------------------------

#: The Euler-Mascheroni constant, for the digamma function at half-integers.
_EULER_GAMMA = 0.5772156649015329


def _digamma_half_integer(k: int) -> float:
    r"""$\psi(k/2)$ for a positive integer $k$: $\psi(1/2) = -\gamma - 2\ln 2$, $\psi(1) = -\gamma$,
    and $\psi(x + 1) = \psi(x) + 1/x$."""
    x, value = (0.5, -_EULER_GAMMA - 2 * np.log(2.0)) if k % 2 else (1.0, -_EULER_GAMMA)
    while x < k / 2:
        value += 1 / x
        x += 1
    return float(value)


def lyapunov_exponents(width: int) -> np.ndarray:
    r"""The Lyapunov spectrum of a product of square Gaussian matrices with entries
    $\mathcal N(0, 1/n)$: the $i$-th largest singular value of a product of $D$ of them grows
    like $e^{\lambda_i D}$, with

    $$\lambda_i = \tfrac12\big[\psi\big(\tfrac{n - i + 1}{2}\big) + \ln\tfrac{2}{n}\big],
    \qquad i = 1, \dots, n$$

    (Newman, 1986; $\psi$ is the digamma function). The logarithms of the singular values
    separate linearly in depth, each at its own rate, not like a random walk.
    """
    _check_int("width", width)
    return np.array([0.5 * (_digamma_half_integer(width - i + 1) + np.log(2.0 / width))
                     for i in range(1, width + 1)])


@dataclass(frozen=True)
class ProductConfig:
    """A product of `max(depths)` square Gaussian matrices $\\mathcal N(0, 1/n)$ of size
    `width`, its singular values recorded at each of `depths` (float64; values below
    `SINGULAR_VALUE_FLOOR` times the largest are round-off and are stored at the floor).
    Width 128 and depths 32 and 64, as the Jacobian spectra; one draw takes a few ms."""

    width: int = 128
    depths: tuple[int, ...] = (32, 64)

    def __post_init__(self) -> None:
        _check_int("width", self.width)
        checks.non_empty("depths", self.depths)
        for d in self.depths:
            _check_int("depths", d)
        if list(self.depths) != sorted(set(self.depths)):
            raise ValueError(f"depths must be increasing, got {self.depths!r}")


@dataclass(frozen=True)
class ProductResults:
    """`singular_values[d]`: the `width` singular values (descending, floored) of the
    product of the first `d` matrices; `below_floor[d]`: how many were round-off."""

    config: ProductConfig
    singular_values: dict[int, np.ndarray]
    below_floor: dict[int, int]


def gaussian_product_spectra(config: ProductConfig, rng: np.random.Generator) -> ProductResults:
    """Draw `max(depths)` Gaussian matrices in order and multiply them up, recording the
    product's singular values at each depth of `config.depths`."""
    n = config.width
    P = np.eye(n)
    svs, below = {}, {}
    for d in range(1, config.depths[-1] + 1):
        P = (rng.standard_normal((n, n)) / np.sqrt(n)) @ P
        if d in config.depths:
            s = np.linalg.svd(P, compute_uv=False)
            floor = SINGULAR_VALUE_FLOOR * s[0]
            below[d] = int(np.sum(s < floor))
            svs[d] = np.maximum(s, floor)
    return ProductResults(config, svs, below)

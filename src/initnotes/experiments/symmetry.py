"""Why symmetry must be broken: the worked 2-2-1 example and training from three starts.

The network is ``x (2) -> z = W x -> h = tanh(z) (2 hidden units) -> y = v . h`` with the
squared error against a target. ``W[i, j]`` is the weight from input ``j`` into hidden
unit ``i`` (PyTorch layout, ``W.shape == (fan_out, fan_in)``), so a *row* of ``W`` is one
unit's incoming weights. If the rows start equal (zero or constant init) the two units
compute the same thing, receive the same gradient and stay equal forever.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from initnotes import checks
from initnotes import nn

#: The input of the worked example.
X = np.array([1.0, 2.0])
#: The random start of the worked example.
W_RANDOM = np.array([[0.5, -0.3], [0.2, 0.4]])


@dataclass(frozen=True)
class WorkedExample:
    """One forward and backward pass of the 2-2-1 network on a single input."""

    x: np.ndarray  # (2,)
    W: np.ndarray  # (2, 2) hidden weights, rows = units
    v: np.ndarray  # (1, 2) output weights
    z: np.ndarray  # (2,) pre-activations W x
    h: np.ndarray  # (2,) hidden activations tanh(z)
    y: float  # output v . h
    loss: float
    dW: np.ndarray  # (2, 2) gradient of the loss with respect to W
    dv: np.ndarray  # (1, 2)


def worked_example(W, v, *, x=X, target: float = 1.0, activation: str = "tanh") -> WorkedExample:
    """Forward and backward pass of the 2-2-1 network for given weights (no biases)."""
    W = np.asarray(W, dtype=float)
    v = np.asarray(v, dtype=float).reshape(1, -1)
    x = np.asarray(x, dtype=float)
    net = nn.MLP.from_weights([W, v], [np.zeros(2), np.zeros(1)], activation=activation,
                              output_activation="identity")
    out = net.forward(x[None, :])
    loss, grad = nn.mse(out, np.array([[target]]))
    (dW, _), (dv, _) = net.backward(grad)
    return WorkedExample(
        x=x, W=W, v=v, z=net.preactivations[0][0], h=net.activations[1][0],
        y=float(out[0, 0]), loss=float(loss), dW=dW, dv=dv,
    )


#: The starts compared on the page: name -> (W, v).
STARTS: dict[str, tuple[np.ndarray, np.ndarray]] = {
    "zero": (np.zeros((2, 2)), np.zeros((1, 2))),
    "zero hidden, constant output": (np.zeros((2, 2)), np.full((1, 2), 0.5)),
    "constant": (np.full((2, 2), 0.5), np.full((1, 2), 0.5)),
    "random": (W_RANDOM, np.array([[0.3, -0.6]])),
}


@dataclass(frozen=True)
class SymmetryConfig:
    """Training the 2-2-1 tanh network on a small regression task from several starts.

    The task, ``y = sin(2 x1) - x2 / 2`` on points drawn uniformly from [-1, 1]^2, needs
    two different hidden units to fit well, so equal units show up as a worse fit.
    """

    n_points: int = 64
    steps: int = 300
    lr: float = 0.2
    starts: tuple[str, ...] = ("zero", "constant", "random")


@dataclass(frozen=True)
class SymmetryRun:
    """Weights through training: ``W[t]`` after ``t`` steps (``t = 0`` is the start)."""

    start: str
    W: np.ndarray  # (steps + 1, 2, 2)
    v: np.ndarray  # (steps + 1, 1, 2)
    loss: np.ndarray  # (steps,)

    @property
    def max_row_difference(self) -> np.ndarray:
        """Largest |W[0, j] - W[1, j]| at each step: zero while the units are equal."""
        return np.abs(self.W[:, 0, :] - self.W[:, 1, :]).max(axis=1)


@dataclass(frozen=True)
class SymmetryResults:
    config: SymmetryConfig
    runs: dict[str, SymmetryRun] = field(default_factory=dict)


def regression_task(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-1, 1]^2 and targets ``sin(2 x1) - x2 / 2``, shapes (n, 2) and (n, 1)."""
    x = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = np.sin(2.0 * x[:, :1]) - 0.5 * x[:, 1:]
    return x, y


def train_from_starts(config: SymmetryConfig, rng: np.random.Generator) -> SymmetryResults:
    """Train the same network on the same data from each start, recording the weights."""
    x, y = regression_task(config.n_points, rng)
    runs = {}
    for start in config.starts:
        checks.one_of("start", start, tuple(STARTS))
        W0, v0 = STARTS[start]
        net = nn.MLP.from_weights([W0, v0], [np.zeros(2), np.zeros(1)], activation="tanh",
                                  output_activation="identity")
        Ws, vs = [net.layers[0].W.copy()], [net.layers[1].W.copy()]

        def record(step, net, Ws=Ws, vs=vs):
            Ws.append(net.layers[0].W.copy())
            vs.append(net.layers[1].W.copy())

        history = nn.train(net, x, y, loss="mse", lr=config.lr, steps=config.steps, callback=record)
        runs[start] = SymmetryRun(start, np.array(Ws), np.array(vs), np.asarray(history.loss))
    return SymmetryResults(config, runs)


# ---------------------------------------------------------------------------
# A wider network: do the units stay equal, and what is the rank of the layer?
# ---------------------------------------------------------------------------


def max_pairwise_difference(W: np.ndarray) -> float:
    """Largest ``|W[i, j] - W[k, j]|`` over all pairs of units ``i, k`` and inputs ``j``.

    Rows of ``W`` are units (``W.shape == (fan_out, fan_in)``), so this is 0 exactly when
    every unit of the layer has the same incoming weights.
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D (fan_out, fan_in), got shape {W.shape}")
    return float((W.max(axis=0) - W.min(axis=0)).max())


def numerical_rank(W: np.ndarray) -> int:
    """Rank of ``W`` as `numpy.linalg.matrix_rank` counts it.

    Singular values below ``S.max() * max(W.shape) * eps`` count as zero, so the
    round-off left by an SVD of a matrix with equal rows (about 1e-17 here) is not
    mistaken for a second direction.
    """
    return int(np.linalg.matrix_rank(np.asarray(W, dtype=float)))


@dataclass(frozen=True)
class WideSymmetryConfig:
    """The regression task of `SymmetryConfig`, learned by a wider 2-8-8-1 tanh network.

    The second hidden layer's weight matrix is 8 x 8, so its rank can range from 0 to 8
    (the first layer's is 8 x 2, at most rank 2). 500 full-batch steps on 64 points take
    about 0.1 s per start.

    Starts (every bias starts at 0):

    * ``"zero"``: every weight 0;
    * ``"constant"``: every weight ``constant``;
    * ``"nearly constant"``: ``constant`` plus N(0, ``perturbation``^2) noise;
    * ``"random"``: N(0, ``random_std``^2).
    """

    sizes: tuple[int, ...] = (2, 8, 8, 1)
    n_points: int = 64
    steps: int = 500
    lr: float = 0.1
    constant: float = 0.3
    perturbation: float = 1e-4
    random_std: float = 0.5
    starts: tuple[str, ...] = ("zero", "constant", "nearly constant", "random")


WIDE_STARTS: tuple[str, ...] = ("zero", "constant", "nearly constant", "random")


@dataclass(frozen=True)
class WideSymmetryRun:
    """Per step ``t = 0..steps`` (``t = 0`` is the start) and per hidden layer ``k``."""

    start: str
    max_difference: np.ndarray  # (steps + 1, hidden layers): max_pairwise_difference(W_k)
    rank: np.ndarray  # (steps + 1, hidden layers): numerical_rank(W_k)
    loss: np.ndarray  # (steps,)
    weights: tuple[np.ndarray, ...]  # every layer's W after training
    biases: tuple[np.ndarray, ...]


@dataclass(frozen=True)
class WideSymmetryResults:
    config: WideSymmetryConfig
    runs: dict[str, WideSymmetryRun] = field(default_factory=dict)


def wide_start(start: str, config: WideSymmetryConfig, rng: np.random.Generator) -> list[np.ndarray]:
    """The starting weight matrices of the wide network for one start."""
    shapes = [(b, a) for a, b in zip(config.sizes[:-1], config.sizes[1:])]
    if start == "zero":
        return [np.zeros(s) for s in shapes]
    if start == "constant":
        return [np.full(s, config.constant) for s in shapes]
    if start == "nearly constant":
        return [config.constant + config.perturbation * rng.standard_normal(s) for s in shapes]
    if start == "random":
        return [config.random_std * rng.standard_normal(s) for s in shapes]
    raise ValueError(f"start must be one of {WIDE_STARTS}, got {start!r}")


def train_wide(config: WideSymmetryConfig, rng: np.random.Generator) -> WideSymmetryResults:
    """Train the wide network from each start on the same data; record symmetry and rank.

    ``rng`` draws the data first, then the random starts in the order of ``config.starts``.
    """
    if len(config.sizes) < 3:
        raise ValueError(f"sizes needs at least one hidden layer, got {config.sizes!r}")
    x, y = regression_task(config.n_points, rng)
    n_hidden = len(config.sizes) - 2
    runs = {}
    for start in config.starts:
        weights = wide_start(start, config, rng)
        net = nn.MLP.from_weights(weights, activation="tanh", output_activation="identity")

        def measure(net: nn.MLP) -> tuple[list[float], list[int]]:
            Ws = [net.layers[k].W for k in range(n_hidden)]
            return [max_pairwise_difference(W) for W in Ws], [numerical_rank(W) for W in Ws]

        diffs, ranks = [], []
        d, r = measure(net)
        diffs.append(d)
        ranks.append(r)

        def record(step, net, diffs=diffs, ranks=ranks):
            d, r = measure(net)
            diffs.append(d)
            ranks.append(r)

        history = nn.train(net, x, y, loss="mse", lr=config.lr, steps=config.steps, callback=record)
        runs[start] = WideSymmetryRun(
            start=start,
            max_difference=np.array(diffs),
            rank=np.array(ranks),
            loss=np.asarray(history.loss),
            weights=tuple(W.copy() for W in net.weights),
            biases=tuple(b.copy() for b in net.biases),
        )
    return WideSymmetryResults(config, runs)


# ---------------------------------------------------------------------------
# Run longer: the nearly constant start escapes its plateau, over many seeds
# ---------------------------------------------------------------------------


def train_tanh_copies(weights: list[np.ndarray], x: np.ndarray, y: np.ndarray, *, lr: float,
                      steps: int, record_every: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Full-batch gradient descent on ``R`` copies of one tanh network at once.

    Copy ``r`` has weights ``weights[k][r]`` (shape ``(fan_out, fan_in)``, PyTorch layout),
    biases starting at 0, tanh hidden layers and a linear output; the arithmetic is that of
    `initnotes.nn.train` with ``loss="mse"`` (forward $z_k = h_{k-1} W_k^\top + b_k$, the
    half mean squared error, its gradient $(\hat y - y)/N$), done for every copy with one
    batched `numpy.matmul` per layer, which is what makes ten seeds cost about one.

    Returns:
        ``(loss, difference)``: the loss before the update at steps ``0, record_every,
        ...``, shape ``(R, steps // record_every + 1)``, and `max_pairwise_difference` of
        each hidden layer's weights at the same steps, shape ``(R, E, hidden layers)``.
    """
    checks.positive_int("steps", steps)
    checks.positive_int("record_every", record_every)
    checks.positive_float("lr", lr)
    if steps % record_every:
        raise ValueError(f"steps must be a multiple of record_every ({record_every}), got {steps}")
    Ws = [np.array(W, dtype=float) for W in weights]
    R, n = Ws[0].shape[0], x.shape[0]
    bs = [np.zeros((R, W.shape[1])) for W in Ws]
    last = len(Ws) - 1
    losses, diffs = [], []
    for t in range(steps + 1):
        hs = [np.broadcast_to(x, (R, *x.shape))]
        for k, (W, b) in enumerate(zip(Ws, bs)):
            z = hs[-1] @ W.transpose(0, 2, 1) + b[:, None, :]
            hs.append(np.tanh(z) if k < last else z)
        err = hs[-1] - y
        if t % record_every == 0:
            losses.append(0.5 * np.mean(np.sum(err**2, axis=2), axis=1))
            diffs.append([(W.max(axis=1) - W.min(axis=1)).max(axis=1) for W in Ws[:last]])
        if t == steps:
            break
        g = err / n  # dL/d output
        for k in reversed(range(len(Ws))):
            dW, db = g.transpose(0, 2, 1) @ hs[k], g.sum(axis=1)
            if k:
                g = (g @ Ws[k]) * (1.0 - hs[k] ** 2)  # through tanh: dL/dz_{k-1}
            Ws[k] -= lr * dW
            bs[k] -= lr * db
    return np.array(losses).T, np.array(diffs).transpose(2, 0, 1)


@dataclass(frozen=True)
class EscapeConfig:
    """The 2-8-8-1 network of `WideSymmetryConfig`, trained far longer, over many seeds.

    The data are those of `train_wide` with seed ``data_seed`` (the page's table). Each
    seed of ``seeds`` draws one "nearly constant" start (``constant`` plus
    N(0, ``perturbation``^2) noise) and one random start (N(0, ``random_std``^2)); the
    exactly constant start needs no seed. 16,000 steps of 21 copies take about 3 s.
    """

    wide: WideSymmetryConfig = WideSymmetryConfig()
    steps: int = 16_000
    record_every: int = 100
    seeds: tuple[int, ...] = tuple(range(10))
    data_seed: int = 0


@dataclass(frozen=True)
class EscapeResults:
    """Losses and unit differences at ``steps``; one row per seed (one row for constant)."""

    config: EscapeConfig
    steps: np.ndarray  # (E,) the recorded steps
    loss: dict[str, np.ndarray]  # start -> (seeds, E); "constant" -> (1, E)
    difference: dict[str, np.ndarray]  # start -> (seeds, E, hidden layers)

    def escape_steps(self, fraction: float = 0.5) -> np.ndarray:
        """Per seed, the first recorded step at which the nearly constant start's loss is
        below ``fraction`` times the constant start's (its plateau); -1 if never."""
        below = self.loss["nearly constant"] < fraction * self.loss["constant"]
        return np.where(below.any(axis=1), self.steps[np.argmax(below, axis=1)], -1)


def escape_plateau(config: EscapeConfig) -> EscapeResults:
    """Train the constant start once and the nearly constant and random starts once per seed."""
    cfg = config.wide
    if len(config.seeds) < 1:
        raise ValueError(f"seeds must name at least one seed, got {config.seeds!r}")
    x, y = regression_task(cfg.n_points, np.random.default_rng(config.data_seed))
    starts = {"constant": [wide_start("constant", cfg, None)]}
    for start in ("nearly constant", "random"):
        starts[start] = [wide_start(start, cfg, np.random.default_rng(s)) for s in config.seeds]
    names = [name for name, nets in starts.items() for _ in nets]
    weights = [np.stack([net[k] for nets in starts.values() for net in nets])
               for k in range(len(cfg.sizes) - 1)]
    loss, diff = train_tanh_copies(weights, x, y, lr=cfg.lr, steps=config.steps,
                                   record_every=config.record_every)
    names = np.array(names)
    return EscapeResults(
        config=config,
        steps=np.arange(0, config.steps + 1, config.record_every),
        loss={s: loss[names == s] for s in starts},
        difference={s: diff[names == s] for s in starts},
    )

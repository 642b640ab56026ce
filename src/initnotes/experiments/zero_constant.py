"""Zero and constant initialization on a task that needs many hidden units.

The same 2-16-16-1 tanh network learns to separate two interleaved spirals
(`initnotes.data.two_spirals`) by full-batch gradient descent on the binary cross-entropy,
starting from five initializations that differ only in the starting weights and biases:

* ``"zero"``: every weight and every bias 0;
* ``"zero weights, bias"``: every weight 0, every bias ``bias`` (0.1);
* ``"constant"``: every weight ``constant`` (0.5), biases 0;
* ``"zero last layer"``: the hidden layers random (the same draws as ``"random"``), the
  output layer's weights 0;
* ``"random"``: every layer Xavier/Glorot uniform, biases 0.

A network whose hidden units are all equal computes ``g(w . x + b)`` with ``g``
monotone, so its decision boundary is a straight line; the spirals need far more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from initnotes import checks
from initnotes import data, nn
from initnotes import init as initializers

#: The starts compared, in the order the page discusses them.
CASES: tuple[str, ...] = ("zero", "zero weights, bias", "constant", "zero last layer", "random")


@dataclass(frozen=True)
class ZeroConstantConfig:
    """The task, the network and the training run.

    2500 full-batch steps on 200 points keep each run near 0.3 s, enough for random init
    to separate the spirals (about 97 % of points right). The learning rate 0.4 is about
    the largest at which the loss curves stay smooth (at 1.0 they spike every few hundred
    steps; at 0.3 the same accuracy needs more steps).
    """

    sizes: tuple[int, ...] = (2, 16, 16, 1)
    activation: str = "tanh"
    n_points: int = 200
    noise: float = 0.05
    turns: float = 1.0
    steps: int = 2500
    lr: float = 0.4
    constant: float = 0.5
    bias: float = 0.1
    grid: int = 121  # grid points per axis for the decision regions
    extent: float = 1.3  # the grid covers [-extent, extent]^2
    cases: tuple[str, ...] = CASES

    def __post_init__(self) -> None:
        for case in self.cases:
            checks.one_of("case", case, CASES)
        if len(self.sizes) < 3:
            raise ValueError(f"sizes needs at least one hidden layer, got {self.sizes!r}")


@dataclass(frozen=True)
class ZeroConstantRun:
    """One start, trained.

    ``first_gradients[k]`` is ``(dW, db)`` of layer ``k`` at step 0 (before any update);
    ``first_move[k]`` is the first update (counting from 0) after which layer ``k``'s
    weights differ from their start, ``None`` if they never do;
    ``loss`` and ``accuracy`` are per step, measured before that step's update, and
    ``final_loss``/``final_accuracy`` after the last update.
    """

    case: str
    loss: np.ndarray  # (steps,)
    accuracy: np.ndarray  # (steps,)
    final_loss: float
    final_accuracy: float
    first_gradients: tuple[tuple[np.ndarray, np.ndarray], ...]
    first_move: tuple[int | None, ...]  # per layer: the first update that changed W, or None
    initial_weights: tuple[np.ndarray, ...]
    initial_biases: tuple[np.ndarray, ...]
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    grid_logits: np.ndarray  # (grid, grid): the output on the grid, rows = second coordinate

    def network(self, activation: str = "tanh") -> nn.MLP:
        """The trained network, rebuilt from its weights."""
        return nn.MLP.from_weights(list(self.weights), list(self.biases), activation=activation)


@dataclass(frozen=True)
class ZeroConstantResults:
    config: ZeroConstantConfig
    x: np.ndarray  # (n_points, 2)
    y: np.ndarray  # (n_points,) labels 0/1
    grid_axis: np.ndarray  # (grid,) coordinates of the grid along each axis
    runs: dict[str, ZeroConstantRun] = field(default_factory=dict)


def _shapes(sizes: tuple[int, ...]) -> list[tuple[int, int]]:
    return [(b, a) for a, b in zip(sizes[:-1], sizes[1:])]


def starting_parameters(case: str, config: ZeroConstantConfig,
                        random_weights: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights and biases of one start; ``random_weights`` are the draws of ``"random"``."""
    shapes = _shapes(config.sizes)
    zeros_b = [np.zeros(s[0]) for s in shapes]
    if case == "zero":
        return [np.zeros(s) for s in shapes], zeros_b
    if case == "zero weights, bias":
        return [np.zeros(s) for s in shapes], [np.full(s[0], config.bias) for s in shapes]
    if case == "constant":
        return [np.full(s, config.constant) for s in shapes], zeros_b
    if case == "zero last layer":
        return [W.copy() for W in random_weights[:-1]] + [np.zeros(shapes[-1])], zeros_b
    if case == "random":
        return [W.copy() for W in random_weights], zeros_b
    raise ValueError(f"case must be one of {CASES}, got {case!r}")


def run(config: ZeroConstantConfig, rng: np.random.Generator) -> ZeroConstantResults:
    """Train the network from every start in ``config.cases`` on the same spirals.

    ``rng`` draws the data first, then the random weights (shared by ``"random"`` and
    the hidden layers of ``"zero last layer"``).
    """
    x, y = data.two_spirals(config.n_points, noise=config.noise, turns=config.turns, rng=rng)
    random_weights = [initializers.xavier_uniform(s, rng=rng) for s in _shapes(config.sizes)]
    axis = np.linspace(-config.extent, config.extent, config.grid)
    gx, gy = np.meshgrid(axis, axis)
    grid_points = np.column_stack([gx.ravel(), gy.ravel()])
    runs = {}
    for case in config.cases:
        weights, biases = starting_parameters(case, config, random_weights)
        net = nn.MLP.from_weights(weights, biases, activation=config.activation)
        # the gradient at the start, before any update
        loss0, grad0 = nn.binary_cross_entropy_with_logits(net.forward(x), y)
        first = tuple((dW.copy(), db.copy()) for dW, db in net.backward(grad0))
        first_move: list[int | None] = [None] * len(weights)

        def watch(step: int, net: nn.MLP, first_move=first_move, start=weights) -> None:
            for k, W0 in enumerate(start):
                if first_move[k] is None and not np.array_equal(net.layers[k].W, W0):
                    first_move[k] = step

        history = nn.train(net, x, y, loss="bce", lr=config.lr, steps=config.steps, callback=watch)
        final_loss, final_acc = nn.evaluate(net, x, y, loss="bce")
        logits = net.forward(grid_points)[:, 0].reshape(config.grid, config.grid)
        runs[case] = ZeroConstantRun(
            case=case,
            loss=np.asarray(history.loss),
            accuracy=np.asarray(history.accuracy),
            final_loss=float(final_loss),
            final_accuracy=float(final_acc),
            first_gradients=first,
            first_move=tuple(first_move),
            initial_weights=tuple(weights),
            initial_biases=tuple(biases),
            weights=tuple(W.copy() for W in net.weights),
            biases=tuple(b.copy() for b in net.biases),
            grid_logits=logits,
        )
    return ZeroConstantResults(config=config, x=x, y=y, grid_axis=axis, runs=runs)


def best_threshold_accuracy(projection: np.ndarray, y: np.ndarray) -> float:
    """The best accuracy of any rule "class 1 iff projection > t" or "... < t".

    A network whose hidden layers act as single units decides by a monotone function of
    one projection ``w . x``, so its accuracy can be no higher than this, computed along
    its own ``w``.
    """
    p = np.asarray(projection, dtype=float)
    y = np.asarray(y)
    if p.shape != y.shape or p.ndim != 1:
        raise ValueError(f"projection and y must be 1-D of equal length, got {p.shape} and {y.shape}")
    order = np.argsort(p, kind="stable")
    ys = y[order]
    n = ys.size
    ones_below = np.concatenate([[0], np.cumsum(ys)])  # class-1 points among the k lowest
    zeros_below = np.arange(n + 1) - ones_below
    n1 = ys.sum()
    n0 = n - n1
    # ties: only cut between distinct values
    cut_ok = np.ones(n + 1, dtype=bool)
    cut_ok[1:n] = p[order][1:] != p[order][:-1]
    upper = zeros_below + (n1 - ones_below)  # class 1 above the cut
    lower = ones_below + (n0 - zeros_below)  # class 1 below the cut
    return float(np.maximum(upper, lower)[cut_ok].max() / n)


def best_linear_accuracy(x: np.ndarray, y: np.ndarray, *, directions: int = 720) -> float:
    """Best accuracy of a straight-line boundary, searched over ``directions`` angles.

    A lower bound on the best line (the optimum may lie between two searched angles);
    with 720 angles (steps of 0.25 degrees) it is within a point or two of it here.
    """
    angles = np.linspace(0.0, np.pi, directions, endpoint=False)
    return max(best_threshold_accuracy(x @ np.array([np.cos(a), np.sin(a)]), y) for a in angles)

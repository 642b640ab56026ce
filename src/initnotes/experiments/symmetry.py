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
        if start not in STARTS:
            raise ValueError(f"start must be one of {tuple(STARTS)}, got {start!r}")
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

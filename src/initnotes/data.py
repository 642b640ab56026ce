r"""Small 2-D classification tasks that the site trains its networks on.

Every generator returns ``(x, y)`` with ``x`` of shape ``(n, 2)`` (float64)
and integer labels ``y`` of shape ``(n,)`` in ``{0, 1}``. The classes are
balanced (their counts differ by at most one) and the rows come in random
order. All randomness comes from the ``rng`` argument, so the same generator
state always gives the same data set.

Examples:
    >>> import numpy as np
    >>> from initnotes.data import two_spirals
    >>> x, y = two_spirals(100, rng=np.random.default_rng(0))
    >>> x.shape, y.shape, int(y.sum())
    ((100, 2), (100,), 50)
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from initnotes import checks

__all__ = ["xor", "two_spirals", "circles", "DATASETS"]


def _balanced_labels(n: int) -> np.ndarray:
    """``ceil(n/2)`` zeros then ``floor(n/2)`` ones."""
    return (np.arange(n) >= (n + 1) // 2).astype(np.int64)


def _shuffle(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return x[order], y[order]


def xor(n: int, *, noise: float = 0.1, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    r"""The XOR problem: four Gaussian blobs at $(\pm1, \pm1)$.

    A blob's label is the XOR of its centre's signs: $(1,1)$ and $(-1,-1)$
    are class 0, $(1,-1)$ and $(-1,1)$ are class 1. No linear classifier
    can separate them; one hidden layer can. Points are dealt to the blobs
    in turn, so blob sizes (and class sizes) differ by at most one.

    Args:
        n: number of points, $\ge 2$.
        noise: standard deviation of the isotropic Gaussian around each
            centre (labels follow the blob, so large noise makes classes
            overlap).
        rng: source of randomness.

    Returns:
        ``(x, y)``: ``x`` shape ``(n, 2)``, ``y`` shape ``(n,)`` in ``{0, 1}``.

    Raises:
        ValueError: if ``n < 2`` or ``noise`` is negative or not finite.
    """
    n = checks.int_at_least("n", n, 2)
    noise = checks.nonnegative_float("noise", noise)
    rng = checks.generator(rng)
    # blob order alternates labels 0, 1, 0, 1 so any prefix is balanced
    centres = np.array([[1.0, 1.0], [1.0, -1.0], [-1.0, -1.0], [-1.0, 1.0]])
    blob = np.arange(n) % 4
    x = centres[blob] + noise * rng.standard_normal((n, 2))
    y = (blob % 2).astype(np.int64)
    return _shuffle(x, y, rng)


def two_spirals(
    n: int, *, noise: float = 0.1, turns: float = 1.5, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two interleaved spirals, the classic hard toy problem.

    Class 0 lies on $r = t$, $\theta = 2\pi\,\text{turns}\,t$ for
    $t \sim U(0, 1)$, i.e. $(r\cos\theta, r\sin\theta)$; class 1 is the same
    spiral rotated by $\pi$. Gaussian noise of standard deviation
    ``noise`` is added, so coordinates lie roughly in $[-1, 1]$.

    Args:
        n: number of points, $\ge 2$ (``ceil(n/2)`` in class 0).
        noise: standard deviation of the added Gaussian noise.
        turns: how many full turns each arm makes ($> 0$).
        rng: source of randomness.

    Raises:
        ValueError: if ``n < 2``, ``noise < 0`` or ``turns <= 0`` (or not finite).
    """
    n = checks.int_at_least("n", n, 2)
    noise = checks.nonnegative_float("noise", noise)
    turns = checks.positive_float("turns", turns)
    rng = checks.generator(rng)
    y = _balanced_labels(n)
    t = rng.uniform(0.0, 1.0, size=n)
    theta = 2.0 * math.pi * turns * t + math.pi * y  # class 1: rotated by pi
    x = t[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    x = x + noise * rng.standard_normal((n, 2))
    return _shuffle(x, y, rng)


def circles(
    n: int, *, noise: float = 0.05, factor: float = 0.5, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    r"""Two concentric circles: radius 1 (class 0) around radius ``factor`` (class 1).

    Angles are uniform on $[0, 2\pi)$; Gaussian noise of standard deviation
    ``noise`` is added to both coordinates.

    Args:
        n: number of points, $\ge 2$ (``ceil(n/2)`` on the outer circle).
        noise: standard deviation of the added Gaussian noise.
        factor: inner radius relative to the outer one, in $(0, 1)$.
        rng: source of randomness.

    Raises:
        ValueError: if ``n < 2``, ``noise < 0`` or ``factor`` is not in $(0, 1)$.
    """
    n = checks.int_at_least("n", n, 2)
    noise = checks.nonnegative_float("noise", noise)
    factor = checks.in_interval("factor", factor, 0.0, 1.0)
    rng = checks.generator(rng)
    y = _balanced_labels(n)
    radius = np.where(y == 0, 1.0, float(factor))
    angle = rng.uniform(0.0, 2.0 * math.pi, size=n)
    x = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    x = x + noise * rng.standard_normal((n, 2))
    return _shuffle(x, y, rng)


#: Name -> generator, for experiments that pick a task by name.
DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "xor": xor,
    "two_spirals": two_spirals,
    "circles": circles,
}

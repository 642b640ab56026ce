"""The package's argument checks, written once.

Each function takes the argument's name and its value, returns the value converted
(``int``, ``float``, a float64 array) when it passes, and otherwise raises with a message
that names the argument, states the rule and shows the bad value::

    >>> positive_int("width", 0)
    Traceback (most recent call last):
    ...
    ValueError: width must be a positive integer, got 0

Every failure is a `ValueError`. A value of the wrong type (a string where a number is
expected) raises `ArgumentTypeError`, which is both a `ValueError` and a `TypeError`: the
experiment configurations promise ``ValueError`` for any bad field, while the initializers
of `initnotes.init` follow Python's convention of ``TypeError`` for a wrong type, and both
hold. ``bool`` is never accepted as a number (``True`` is not a width).

Two families of numeric checks exist, because two styles of message are pinned by the
package's tests and documentation:

* one sentence stating the whole rule, used by `initnotes.nn`, `initnotes.data` and the
  experiments: `positive_int`, `int_at_least`, `positive_float`, `nonnegative_float`,
  `finite_float`, `in_interval`;
* the initializers' two-step form, which says which part failed: `real` ("must be a real
  number" / "must be finite"), then `positive` or `nonnegative`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "ArgumentTypeError",
    "positive_int",
    "int_at_least",
    "positive_float",
    "nonnegative_float",
    "finite_float",
    "in_interval",
    "probability",
    "real",
    "positive",
    "nonnegative",
    "one_of",
    "generator",
    "finite_array",
    "array_shape",
    "array_ndim",
    "increasing_pair",
    "non_empty",
]


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type: a `TypeError` and a `ValueError` at once."""


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


# ---------------------------------------------------------------------------
# Numbers, one sentence per rule
# ---------------------------------------------------------------------------


def positive_int(name: str, value: Any) -> int:
    """``value`` as an ``int`` >= 1: "NAME must be a positive integer, got VALUE"."""
    if not _is_int(value) or value < 1:
        raise (ValueError if _is_int(value) else ArgumentTypeError)(
            f"{name} must be a positive integer, got {value!r}")
    return int(value)


def int_at_least(name: str, value: Any, minimum: int) -> int:
    """``value`` as an ``int`` >= ``minimum``: "NAME must be an integer >= MINIMUM, got VALUE"."""
    if not _is_int(value) or value < minimum:
        raise (ValueError if _is_int(value) else ArgumentTypeError)(
            f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _number(name: str, value: Any, ok: bool, rule: str) -> float:
    if not _is_real(value):
        raise ArgumentTypeError(f"{name} must be {rule}, got {value!r}")
    if not (math.isfinite(value) and ok):
        raise ValueError(f"{name} must be {rule}, got {value!r}")
    return float(value)


def positive_float(name: str, value: Any) -> float:
    """``value`` as a finite ``float`` > 0: "NAME must be a finite number > 0, got VALUE"."""
    return _number(name, value, _is_real(value) and value > 0, "a finite number > 0")


def nonnegative_float(name: str, value: Any) -> float:
    """``value`` as a finite ``float`` >= 0: "NAME must be a finite number >= 0, got VALUE"."""
    return _number(name, value, _is_real(value) and value >= 0, "a finite number >= 0")


def finite_float(name: str, value: Any) -> float:
    """``value`` as a finite ``float``: "NAME must be a finite number, got VALUE"."""
    return _number(name, value, True, "a finite number")


_BRACKETS = {"neither": "()", "both": "[]", "left": "[)", "right": "(]"}


def in_interval(name: str, value: Any, low: float, high: float, *, closed: str = "neither") -> float:
    """``value`` as a ``float`` in the interval from ``low`` to ``high``.

    Args:
        closed: which ends belong to the interval: ``"neither"`` (low, high), ``"both"``
            [low, high], ``"left"`` [low, high) or ``"right"`` (low, high].

    The message reads "NAME must be in (LOW, HIGH), got VALUE", with the brackets of ``closed``.
    """
    if closed not in _BRACKETS:
        raise ValueError(f"closed must be one of {tuple(_BRACKETS)}, got {closed!r}")
    left, right = _BRACKETS[closed]
    inside = _is_real(value) and (low <= value if left == "[" else low < value) and (
        value <= high if right == "]" else value < high)
    return _number(name, value, inside, f"in {left}{low:g}, {high:g}{right}")


def probability(name: str, value: Any) -> float:
    """``value`` as a ``float`` in [0, 1]: "NAME must be in [0, 1], got VALUE"."""
    return in_interval(name, value, 0.0, 1.0, closed="both")


# ---------------------------------------------------------------------------
# Numbers, the initializers' two-step form
# ---------------------------------------------------------------------------


def real(name: str, value: Any) -> float:
    """``value`` as a finite ``float``.

    Raises:
        ArgumentTypeError: "NAME must be a real number, got VALUE (TYPE)".
        ValueError: "NAME must be finite, got VALUE" for inf and nan.
    """
    if not _is_real(value):
        raise ArgumentTypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def positive(name: str, value: Any) -> float:
    """`real`, then "NAME must be positive, got VALUE" unless > 0."""
    value = real(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def nonnegative(name: str, value: Any) -> float:
    """`real`, then "NAME must be non-negative, got VALUE" unless >= 0."""
    value = real(name, value)
    if value < 0:
        raise ValueError(f"{name} must be non-negative, got {value!r}")
    return value


# ---------------------------------------------------------------------------
# Choices and generators
# ---------------------------------------------------------------------------


def one_of(name: str, value: Any, options: Sequence[Any]) -> Any:
    """``value`` if it is one of ``options``: "NAME must be one of OPTIONS, got VALUE".

    ``options`` is shown as a tuple, e.g. ``('fan_in', 'fan_out')``. A value that cannot be
    compared (an array) counts as not one of them.
    """
    options = tuple(options)
    try:  # an array's == is elementwise, so an array is never one of the options
        found = not isinstance(value, np.ndarray) and bool(value in options)
    except (TypeError, ValueError):
        found = False
    if not found:
        raise ValueError(f"{name} must be one of {options!r}, got {value!r}")
    return value


def generator(rng: Any, name: str = "rng") -> np.random.Generator:
    """``rng`` if it is a `numpy.random.Generator`.

    Raises:
        ArgumentTypeError: "rng must be a numpy.random.Generator, got TYPE; create one with
            np.random.default_rng(seed)" (legacy seeds and ``RandomState`` are refused, so no
            global random state sneaks in).
    """
    if not isinstance(rng, np.random.Generator):
        raise ArgumentTypeError(
            f"{name} must be a numpy.random.Generator, got {type(rng).__name__}; "
            "create one with np.random.default_rng(seed)")
    return rng


# ---------------------------------------------------------------------------
# Arrays
# ---------------------------------------------------------------------------


def finite_array(name: str, a: Any) -> np.ndarray:
    """``a`` as a float64 array whose entries are all finite.

    Raises:
        ValueError: "NAME contains a non-finite value, VALUE at index INDEX" (the first one).
    """
    arr = np.asarray(a, dtype=np.float64)
    bad = ~np.isfinite(arr)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        shown = index[0] if len(index) == 1 else index
        raise ValueError(f"{name} contains a non-finite value, {float(arr[index])!r} at index {shown}")
    return arr


def array_shape(name: str, a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``a`` if ``a.shape == shape``: "NAME must have shape SHAPE, got shape A.SHAPE"."""
    if np.shape(a) != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got shape {np.shape(a)}")
    return a


def array_ndim(name: str, a: np.ndarray, ndim: int, layout: str = "") -> np.ndarray:
    """``a`` if it has ``ndim`` dimensions: "NAME must be 2-D (LAYOUT), got shape A.SHAPE"."""
    if np.ndim(a) != ndim:
        what = f"{ndim}-D" + (f" {layout}" if layout else "")
        raise ValueError(f"{name} must be {what}, got shape {np.shape(a)}")
    return a


# ---------------------------------------------------------------------------
# Sequences
# ---------------------------------------------------------------------------


def increasing_pair(name: str, pair: Any) -> tuple[float, float]:
    """``(low, high)`` as floats with low < high: "NAME must be (low, high) with low < high, got PAIR"."""
    try:
        low, high = pair
        ok = _is_real(low) and _is_real(high) and low < high
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{name} must be (low, high) with low < high, got {pair!r}")
    return float(low), float(high)


def non_empty(name: str, seq: Sequence[Any]) -> Sequence[Any]:
    """``seq`` if it has at least one element: "NAME must not be empty"."""
    if len(seq) == 0:
        raise ValueError(f"{name} must not be empty")
    return seq

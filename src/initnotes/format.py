"""The house style for numbers and tables on the pages: one function for each way a number
is written, used by every page module (``initnotes.pages``).

Numbers inside math are LaTeX (``sci``, ``matrix``); the others are plain text that reads
the same inside or outside math.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np


def _finite(x: float, what: str) -> float:
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{what} needs a finite number, got {x!r}")
    return x


def sci(x: float, digits: int = 2) -> str:
    """``x`` in LaTeX scientific notation with ``digits`` significant digits:
    ``3.1 \\times 10^{-4}``; ``10^{-4}`` when the mantissa is exactly 1 (one digit); no power
    of ten for exponent 0; ``0`` for 0."""
    x = _finite(x, "sci")
    if x == 0:
        return "0"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    exp = int(exponent)
    if exp == 0:
        return mantissa
    if mantissa in ("1", "-1"):
        return f"{mantissa[:-1]}10^{{{exp}}}"
    return f"{mantissa} \\times 10^{{{exp}}}"


def num(x: float, digits: int = 2) -> str:
    """``x`` with ``digits`` significant digits, plain (``0.083``, ``1.4``, ``5.6``, ``120``)."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return str(x)
    return f"{float(f'{x:.{digits}g}'):g}"


def fixed(x: float, decimals: int = 3) -> str:
    """``x`` rounded to ``decimals`` places, trailing zeros kept (table columns)."""
    return f"{float(x):.{decimals}f}"


def short(x: float, decimals: int = 4) -> str:
    """``x`` rounded to ``decimals`` places, trailing zeros dropped, never ``-0``."""
    x = float(x)
    if abs(x) < 0.5 * 10**-decimals:
        return "0"
    return f"{x:.{decimals}f}".rstrip("0").rstrip(".")


def pct(share: float, decimals: int = 1) -> str:
    """A share (0.123) as a percentage, ``12.3 %``."""
    return f"{100 * float(share):.{decimals}f} %"


def span(values: Iterable[float]) -> str:
    """The integer range of ``values``: ``3`` or ``2 to 5``."""
    a = np.asarray(list(values) if not isinstance(values, np.ndarray) else values)
    lo, hi = int(a.min()), int(a.max())
    return f"{lo}" if lo == hi else f"{lo} to {hi}"


_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve")


def word(n: int, capital: bool = False) -> str:
    """A count in words for prose, as style guides write small numbers: ``five`` (``Five``
    with ``capital``) for 0 to 12, digits above (``16``)."""
    if isinstance(n, bool) or int(n) != n or n < 0:
        raise ValueError(f"word needs a count (an integer >= 0), got {n!r}")
    text = _WORDS[int(n)] if n < len(_WORDS) else str(int(n))
    return text.capitalize() if capital else text


def and_list(items: Iterable[object]) -> str:
    """``a, b and c`` (``a`` alone, ``a and b`` for two)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def matrix(a: np.ndarray, decimals: int = 4) -> str:
    """A matrix (or a vector, as one row) as a LaTeX ``bmatrix``."""
    rows = [" & ".join(short(v, decimals) for v in row) for row in np.atleast_2d(a)]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def table(header: Sequence[str], rows: Iterable[Sequence[object]],
          align: str | Sequence[str] = "---") -> str:
    """A Markdown table. ``align`` is one marker for every column (``"---"``, ``"---:"``) or one
    per column; every row must have as many cells as the header."""
    header = list(header)
    marks = [align] * len(header) if isinstance(align, str) else list(align)
    if len(marks) != len(header):
        raise ValueError(f"table: {len(marks)} alignments for {len(header)} columns")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(marks) + "|"]
    for i, row in enumerate(rows):
        cells = [str(c) for c in row]
        if len(cells) != len(header):
            raise ValueError(f"table: row {i} has {len(cells)} cells, the header {len(header)}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)

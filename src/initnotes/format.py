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


_SPELLED = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def spelled(n: int) -> str:
    """A whole number from 0 to 99 always in words (``fifty``, ``twenty-one``), for alt text that
    reads a chart aloud."""
    if isinstance(n, bool) or int(n) != n or not 0 <= n < 100:
        raise ValueError(f"spelled writes 0 to 99 in words, got {n!r}")
    n = int(n)
    if n < 20:
        return _SPELLED[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens - 2] + (f"-{_SPELLED[ones]}" if ones else "")


def times(x: float) -> str:
    """A ratio rounded to a whole number: ``once``, ``twice``, ``three times``."""
    n = round(float(x))
    return "twice" if n == 2 else "once" if n == 1 else f"{spelled(n)} times"


def about(x: float) -> str:
    """``x`` to one significant digit, for alt text: ``0.05``, ``4000``, ``6e4``, ``7e-8``
    (plain from 0.001 to 10^4, else in e-notation)."""
    x = _finite(x, "about")
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e4:
        return num(x, 1)
    mantissa, exponent = f"{x:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


_FRACTIONS = {2: "a half", 3: "a third", 4: "a quarter", 5: "a fifth", 6: "a sixth",
              7: "a seventh", 8: "an eighth", 9: "a ninth", 10: "a tenth"}


def fraction(share: float) -> str:
    """A share in words, the nearest of a half to a tenth: 0.22 -> ``a fifth``."""
    share = _finite(share, "fraction")
    k = min(_FRACTIONS, key=lambda k: abs(share - 1 / k))
    return _FRACTIONS[k]


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def compact(x: float, digits: int = 2) -> str:
    """A number for a narrow table cell, in plain text (no math): ``1.1 × 10⁻⁸``; 0.01 to 100
    as it is."""
    x = _finite(x, "compact")
    if x == 0:
        return "0"
    if 0.01 <= abs(x) < 100:
        return f"{x:.{digits}g}"
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def upper_bound(x: float) -> float:
    """The smallest number of one significant digit that is at least ``x > 0``, for "stays
    below" claims: 1.18e-3 -> 2e-3, 2e-3 -> 2e-3."""
    x = _finite(x, "upper_bound")
    if x <= 0:
        raise ValueError(f"upper_bound needs a number > 0, got {x!r}")
    exponent = math.floor(math.log10(x))
    bound = math.ceil(round(x / 10**exponent, 12)) * 10.0**exponent
    return float(f"{bound:.1g}") if bound < 10.0 ** (exponent + 1) else 10.0 ** (exponent + 1)


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

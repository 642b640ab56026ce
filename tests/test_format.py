"""The shared number formats of the pages (``initnotes.format``)."""

from __future__ import annotations

import pytest

from initnotes import format as fmt
from initnotes.format import word


@pytest.mark.parametrize("n, expected", [(0, "zero"), (1, "one"), (5, "five"), (10, "ten"),
                                         (12, "twelve"), (13, "13"), (256, "256")])
def test_word_writes_small_counts_in_words(n, expected):
    assert word(n) == expected


def test_word_capital():
    assert word(4, capital=True) == "Four"
    assert word(20, capital=True) == "20"


@pytest.mark.parametrize("bad", [-1, 2.5, True])
def test_word_rejects_what_is_not_a_count(bad):
    with pytest.raises(ValueError, match="word needs a count"):
        word(bad)


# -- formats for alt text and narrow cells, by hand ------------------------------------------------------------

@pytest.mark.parametrize("x, expected", [
    (0.0, "0"),
    (0.16, "0.16"),
    (16.0, "16"),
    (1.07e-8, "1.1 × 10⁻⁸"),
    (3400.0, "3.4 × 10³"),
])
def test_compact_by_hand(x, expected):
    assert fmt.compact(x) == expected


@pytest.mark.parametrize("x, expected", [
    (0.0, "0"), (0.0524, "0.05"), (0.974, "1"), (4338.0, "4000"), (57563.0, "6e4"),
    (6.774e-8, "7e-8"), (9.887e-11, "1e-10"), (4.669e-11, "5e-11"),
])
def test_about_by_hand(x, expected):
    assert fmt.about(x) == expected


@pytest.mark.parametrize("share, expected", [(0.5, "a half"), (0.3, "a third"), (0.21, "a fifth"),
                                             (0.26, "a quarter"), (0.1, "a tenth")])
def test_fraction_by_hand(share, expected):
    assert fmt.fraction(share) == expected


# -- the wording helpers -----------------------------------------------------------------


@pytest.mark.parametrize("n, text", [(0, "zero"), (4, "four"), (15, "fifteen"), (20, "twenty"),
                                     (50, "fifty"), (21, "twenty-one"), (99, "ninety-nine")])
def test_spelled(n, text):
    assert fmt.spelled(n) == text


def test_spelled_refuses_what_it_cannot_spell():
    with pytest.raises(ValueError, match="spelled writes 0 to 99 in words, got 100"):
        fmt.spelled(100)


@pytest.mark.parametrize("x, text", [(1.996, "twice"), (2.6, "three times"), (50, "fifty times")])
def test_times(x, text):
    assert fmt.times(x) == text


@pytest.mark.parametrize("x, expected", [
    (0.0, "0"), (3.1e-4, r"3.1 \times 10^{-4}"), (2.5, "2.5"), (-4.2e-15, r"-4.2 \times 10^{-15}"),
])
def test_sci_by_hand(x, expected):
    assert fmt.sci(x) == expected


def test_sci_one_digit_mantissa_one():
    assert fmt.sci(1e-4, 1) == "10^{-4}"


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_sci_refuses_what_is_not_finite(bad):
    with pytest.raises(ValueError, match="sci needs a finite number, got"):
        fmt.sci(bad)


def test_table_checks_its_cells():
    assert fmt.table(["a", "b"], [[1, 2]], "---:") == "| a | b |\n|---:|---:|\n| 1 | 2 |"
    with pytest.raises(ValueError, match="row 0 has 1 cells, the header 2"):
        fmt.table(["a", "b"], [[1]])


def test_small_formats_by_hand():
    assert (fmt.num(0.08333), fmt.fixed(1 / 3, 3), fmt.short(-0.00001), fmt.short(2.50)) == (
        "0.083", "0.333", "0", "2.5")
    assert (fmt.pct(0.123), fmt.span([2, 5, 3]), fmt.span([4, 4])) == ("12.3 %", "2 to 5", "4")
    assert fmt.and_list(["a", "b", "c"]) == "a, b and c" and fmt.and_list(["a"]) == "a"
    assert fmt.matrix([[0.5, -0.25]]) == r"\begin{bmatrix}0.5 & -0.25\end{bmatrix}"


def test_upper_bound_rounds_up_to_one_digit():
    from initnotes.format import upper_bound

    assert upper_bound(1.18e-3) == 2e-3 and upper_bound(2e-3) == 2e-3
    assert upper_bound(9.5e-3) == 1e-2 and upper_bound(3.2e-9) == 4e-9 and upper_bound(7) == 7
    with pytest.raises(ValueError, match="0"):
        upper_bound(0.0)

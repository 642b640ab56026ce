"""The shared number formats of the pages (``initnotes.format``)."""

from __future__ import annotations

import pytest

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

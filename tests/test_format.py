"""The house style for numbers (``initnotes.format``)."""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.format import in_words


@pytest.mark.parametrize("n, text", [(0, "zero"), (2, "two"), (7, "seven"), (10, "ten"),
                                     (11, "11"), (16, "16"), (-3, "-3"), (np.int64(7), "seven"),
                                     (7.0, "seven")])
def test_in_words_spells_zero_to_ten_and_writes_digits_beyond(n, text):
    assert in_words(n) == text


@pytest.mark.parametrize("bad", [2.5, True])
def test_in_words_rejects_what_is_not_a_whole_number(bad):
    with pytest.raises(ValueError, match="in_words needs a whole number, got"):
        in_words(bad)

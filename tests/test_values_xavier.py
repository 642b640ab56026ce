"""Values of the Xavier page: they build, and their numbers are the ones derived by hand."""

from __future__ import annotations

import math

from initnotes import registry
from initnotes.values import xavier as values


def _build(name: str) -> str:
    return registry.get_value(name).build()


def test_every_value_of_the_page_builds():
    names = [n for n in registry.values() if n.startswith("xavier-")]
    assert len(names) >= 10
    for name in names:
        assert _build(name).strip()


def test_std_tables_have_one_row_per_layer():
    depth = values.results().config.depth
    for name in ("xavier-activation-table", "xavier-gradient-table"):
        rows = _build(name).splitlines()
        assert len(rows) == depth + 2 and all(r.count("|") == 8 for r in rows)


def test_worked_example_numbers_by_hand():
    """fan_in 784, fan_out 256: 1/784, 1/256, 2/1040, sqrt(2/1040), sqrt(6/1040)."""
    text = _build("xavier-worked-example")
    for v in (1 / 784, 1 / 256, 2 / 1040, math.sqrt(2 / 1040), math.sqrt(6 / 1040)):
        assert f"{v:.5f}" in text
    assert "$|" not in text  # a bare | inside a cell would split the table


def test_jacobian_sentence_lists_five_layers_per_scheme():
    import re

    standard, normalized = _build("xavier-jacobian").split(" and ")
    assert len(re.findall(r"\d\.\d\d", standard)) == 5
    assert len(re.findall(r"\d\.\d\d", normalized)) == 5

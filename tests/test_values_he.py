"""Values of the He page: they build, and the tables say what the tests of the experiments pin."""

from __future__ import annotations

from initnotes import init, registry
from initnotes.values import he as values


def _build(name: str) -> str:
    return registry.get_value(name).build()


def test_every_value_of_the_page_builds():
    names = [n for n in registry.values() if n.startswith("he-")]
    assert len(names) >= 9
    for name in names:
        assert _build(name).strip()


def test_gain_table_shows_gain_for_every_row():
    rows = _build("he-gain-table").splitlines()[2:]
    assert len(rows) == len(values.GAIN_ROWS)
    for row, (name, param) in zip(rows, values.GAIN_ROWS):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert name in cells[0]
        assert cells[1] == f"{init.gain(name, param):.4f}"
        assert cells[2] == f"{init.gain(name, param) ** 2:.4f}"


def test_sweep_table_says_who_reaches_the_threshold():
    """Xavier with SGD, with or without momentum: no; every other row: yes."""
    rows = _build("he-sweep-table").splitlines()[2:]
    assert len(rows) == 6
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        expected = "no" if cells[1] == "Xavier" and cells[0] != "Adam" else "yes"
        assert cells[5] == expected, row

"""The figure catalogue of the reference page (``initnotes.pages.reference``)."""

from __future__ import annotations

import subprocess
import sys

from initnotes import pages
from initnotes.pages import reference as page


def test_catalogue_lists_every_bound_figure_once_with_its_caption():
    rows = page.figure_catalogue().splitlines()
    assert rows[:2] == ["| name | caption |", "|---|---|"]
    figures = pages.all_figures()
    assert [r.split("|")[1].strip() for r in rows[2:]] == [f"`{n}`" for n in figures]
    for row, binding in zip(rows[2:], figures.values()):
        caption = " ".join(binding.text("caption").split()).replace("|", "\\|")
        assert row.endswith(f" {caption} |")


def test_catalogue_loads_no_plotting_code():
    """The catalogue reads captions from the page bindings: no figure module, no Matplotlib."""
    code = ("import sys; from initnotes.pages import reference as r; r.figure_catalogue(); "
            "print(sorted(m for m in sys.modules if m.startswith(('matplotlib', 'initnotes.figures'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

"""The reference page of `initnotes.figures` (``docs/reference/figures.md``): the catalogue
of every figure the pages bind, with its caption. No runs of its own; a caption that is
computed from a run is computed (once per build, memoised) when the catalogue is.
"""

from __future__ import annotations

from initnotes import pages
from initnotes.format import table
from initnotes.pages import Page

page = Page("reference", "reference/figures.md")


@page.value("figure-catalogue", "Every registered figure: its name and caption.")
def figure_catalogue() -> str:
    rows = []
    for name, binding in pages.all_figures().items():
        caption = " ".join(binding.text("caption").split()).replace("|", "\\|")
        rows.append([f"`{name}`", caption])
    return table(["name", "caption"], rows)

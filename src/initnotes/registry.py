"""Registries that tie names used on pages to the code that computes them.

Two kinds of generated content appear on the site:

* figures, written in a page as ``{{ figure:NAME }}``: a function that returns a
  `matplotlib.figure.Figure`, with its alt text and caption;
* values, written as ``{{ value:NAME }}``: a function that returns Markdown (a number,
  a sentence, a table) computed by the package.

Page modules (`initnotes.pages`) bind both to their declared runs; `figures()` and
`values()` load every page module first, so adding a page module is all it takes to add
its entries. A spec's alt text and caption are computed from the runs the first time
they are read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class FigureSpec:
    """A registered figure: a stable name (used in file names and anchors), how to build it,
    its alt text (what the figure shows, for readers who cannot see it) and its caption
    (what it means; Markdown allowed). `alt` and `caption` may be given as zero-argument
    functions; they are called once, when first read."""

    __slots__ = ("name", "build", "module", "_alt", "_caption")

    def __init__(self, name: str, build: Callable[[], Figure] | None, alt: str | Callable[[], str],
                 caption: str | Callable[[], str], module: str) -> None:
        self.name, self.build, self.module = name, build, module
        self._alt, self._caption = alt, caption

    @property
    def alt(self) -> str:
        if callable(self._alt):
            self._alt = self._alt()
        return self._alt

    @property
    def caption(self) -> str:
        if callable(self._caption):
            self._caption = self._caption()
        return self._caption

    def __repr__(self) -> str:
        return f"FigureSpec({self.name!r}, module={self.module!r})"


@dataclass(frozen=True)
class ValueSpec:
    """A registered value: a function returning Markdown computed by the package."""

    name: str
    build: Callable[[], str]
    description: str
    module: str


def _page_figures() -> dict[str, FigureSpec]:
    from initnotes import pages

    out = {}
    for name, b in pages.all_figures().items():
        out[name] = FigureSpec(name, b.build, lambda b=b: b.text("alt"),
                               lambda b=b: b.text("caption"), f"initnotes.pages.{b.page}")
    return out


def _page_values() -> dict[str, ValueSpec]:
    from initnotes import pages

    return {name: ValueSpec(name, b.build, b.description, f"initnotes.pages.{b.page}")
            for name, b in pages.all_values().items()}


def figures() -> dict[str, FigureSpec]:
    """Every registered figure, by name (sorted)."""
    return dict(sorted(_page_figures().items()))


def values() -> dict[str, ValueSpec]:
    """Every registered value, by name (sorted)."""
    return dict(sorted(_page_values().items()))


def get_figure(name: str) -> FigureSpec:
    """The figure registered as `name`; `KeyError` with the known names otherwise."""
    table = figures()
    if name not in table:
        raise KeyError(f"no figure named {name!r}; known figures: {', '.join(table)}")
    return table[name]


def get_value(name: str) -> ValueSpec:
    """The value registered as `name`; `KeyError` with the known names otherwise."""
    table = values()
    if name not in table:
        raise KeyError(f"no value named {name!r}; known values: {', '.join(table)}")
    return table[name]

"""Registries that tie names used on pages to the code that computes them.

Two kinds of generated content appear on the site:

* figures, written in a page as ``{{ figure:NAME }}``: a function that returns a
  `matplotlib.figure.Figure`, with its alt text and caption;
* values, written as ``{{ value:NAME }}``: a function that returns Markdown (a number,
  a sentence, a table) computed by the package.

Modules in `initnotes.figures` and `initnotes.values` register their entries on import;
`figures()` and `values()` import every module of those packages first, so adding a
module is all it takes to add entries.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: a stable name (used in file names and anchors), how to build it,
    its alt text (what the figure shows, for readers who cannot see it) and its caption
    (what it means; Markdown allowed)."""

    name: str
    build: Callable[[], Figure]
    alt: str
    caption: str
    module: str


@dataclass(frozen=True)
class ValueSpec:
    """A registered value: a function returning Markdown computed by the package."""

    name: str
    build: Callable[[], str]
    description: str
    module: str


_FIGURES: dict[str, FigureSpec] = {}
_VALUES: dict[str, ValueSpec] = {}


def _check_name(name: str, table: dict, kind: str, module: str) -> None:
    if not NAME_RE.match(name):
        raise ValueError(f"{kind} name must be lowercase words joined by '-', got {name!r}")
    if name in table and table[name].module != module:
        raise ValueError(f"{kind} {name!r} is registered twice ({table[name].module} and {module})")


def figure(name: str, *, alt: str, caption: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register a zero-argument function returning a `Figure` under `name`."""
    if not alt.strip() or not caption.strip():
        raise ValueError(f"figure {name!r} needs non-empty alt text and caption")

    def decorator(build: Callable[[], Figure]) -> Callable[[], Figure]:
        _check_name(name, _FIGURES, "figure", build.__module__)
        _FIGURES[name] = FigureSpec(name, build, alt.strip(), caption.strip(), build.__module__)
        return build

    return decorator


def value(name: str, *, description: str) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Register a zero-argument function returning Markdown under `name`."""

    def decorator(build: Callable[[], str]) -> Callable[[], str]:
        _check_name(name, _VALUES, "value", build.__module__)
        _VALUES[name] = ValueSpec(name, build, description.strip(), build.__module__)
        return build

    return decorator


def _import_all(package: str) -> None:
    pkg = importlib.import_module(package)
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package}.{info.name}")


def figures() -> dict[str, FigureSpec]:
    """Every registered figure, by name (sorted)."""
    _import_all("initnotes.figures")
    return dict(sorted(_FIGURES.items()))


def values() -> dict[str, ValueSpec]:
    """Every registered value, by name (sorted)."""
    _import_all("initnotes.values")
    return dict(sorted(_VALUES.items()))


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

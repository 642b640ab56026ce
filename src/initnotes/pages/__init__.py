"""The page layer: one module per page of the site, the one home of what the page shows.

A page module makes a `Page` and, on it, declares

* its **runs** (`Page.run`): an experiment function, its config and its seed, written once;
* its **figures** (`Page.figure`): a plotting function of `initnotes.figures` named as
  ``"module:function"`` (imported only when the figure is drawn, so number code never
  loads Matplotlib), the runs it draws, and its alt text and caption, each a string or a
  function of the same results (a number in them is computed, never typed);
* its **values** (`Page.value`): functions of the runs' results that return Markdown.

A page of the site shows them with ``{{ figure:NAME }}`` and ``{{ value:NAME }}``. Every
run is computed once per build and fingerprint (`initnotes.runs.RunStore`), whichever of
the figure workers, the values, the command line or the tests asks first.

Adding a page module to this package is all it takes to register its entries; see
``CONTRIBUTING.md``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from initnotes.runs import Run

NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: A string, or a function of the results of a binding's runs that returns one.
Text = str | Callable[..., str]


@dataclass(frozen=True)
class FigureBinding:
    """A figure of a page: ``plot(*results, **kwargs)`` with ``results`` those of `runs`."""

    page: str
    name: str
    plot: str
    runs: tuple[Run, ...]
    alt: Text
    caption: Text
    kwargs: tuple[tuple[str, Any], ...] = ()

    def results(self) -> list[Any]:
        return [run.result() for run in self.runs]

    def plot_function(self) -> Callable[..., Any]:
        module, _, function = self.plot.partition(":")
        return getattr(importlib.import_module(f"initnotes.figures.{module}"), function)

    def build(self):
        """The `matplotlib.figure.Figure`."""
        return self.plot_function()(*self.results(), **dict(self.kwargs))

    def text(self, which: str) -> str:
        text = getattr(self, which)
        if callable(text):
            text = text(*self.results())
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"figure {self.name!r}: {which} must be non-empty text, got {text!r}")
        return text.strip()


@dataclass(frozen=True)
class ValueBinding:
    """A value of a page: ``function(*results)``, Markdown, with ``results`` those of `runs`."""

    page: str
    name: str
    function: Callable[..., str]
    runs: tuple[Run, ...]
    description: str

    def build(self) -> str:
        text = self.function(*[run.result() for run in self.runs])
        if not isinstance(text, str):
            raise TypeError(f"value {self.name!r} must return Markdown text, got {type(text).__name__}")
        return text


@dataclass
class Page:
    """One page's runs, figures and values. `doc` is the page's path under ``docs/``."""

    name: str
    doc: str
    runs: dict[str, Run] = field(default_factory=dict)
    figures: dict[str, FigureBinding] = field(default_factory=dict)
    values: dict[str, ValueBinding] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_name(self.name, "page")
        if self.name in _PAGES and _PAGES[self.name].doc != self.doc:
            raise ValueError(f"page {self.name!r} is declared twice")
        _PAGES[self.name] = self

    def run(self, name: str, function: Callable[..., Any], config: Any, *, seed: int | None = 0) -> Run:
        """Declare a run: ``function(config, numpy.random.default_rng(seed))`` (``seed=None``:
        ``function(config)``). Returns the `Run`; read its result with ``run.result()``."""
        _check_name(name, "run")
        _unique(name, "run", lambda p: p.runs)
        run = Run(self.name, name, function, config, seed)
        self.runs[name] = run
        return run

    def figure(self, name: str, plot: str, runs: Run | Sequence[Run] = (), *, alt: Text,
               caption: Text, **kwargs: Any) -> FigureBinding:
        """Bind figure `name`: ``initnotes.figures.<module>.<function>`` (``plot`` is
        ``"module:function"``) called with the results of `runs` and `kwargs`."""
        _check_name(name, "figure")
        _unique(name, "figure", lambda p: p.figures)
        if ":" not in plot:
            raise ValueError(f"figure {name!r}: plot must be 'module:function', got {plot!r}")
        if isinstance(alt, str) and not alt.strip() or isinstance(caption, str) and not caption.strip():
            raise ValueError(f"figure {name!r} needs non-empty alt text and caption")
        binding = FigureBinding(self.name, name, plot, _as_runs(runs), alt, caption,
                                tuple(sorted(kwargs.items())))
        self.figures[name] = binding
        return binding

    def value(self, name: str, description: str, runs: Run | Sequence[Run] = ()):
        """Decorator: bind value `name` to a function of the results of `runs`."""
        _check_name(name, "value")
        _unique(name, "value", lambda p: p.values)

        def decorator(function: Callable[..., str]) -> Callable[..., str]:
            self.values[name] = ValueBinding(self.name, name, function, _as_runs(runs),
                                             " ".join(description.split()))
            return function

        return decorator


_PAGES: dict[str, Page] = {}


def _check_name(name: str, kind: str) -> None:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise ValueError(f"{kind} name must be lowercase words joined by '-', got {name!r}")


def _unique(name: str, kind: str, table: Callable[[Page], dict]) -> None:
    for page in _PAGES.values():
        if name in table(page):
            raise ValueError(f"{kind} {name!r} is declared twice (again on page {page.name!r})")


def _as_runs(runs: Run | Sequence[Run]) -> tuple[Run, ...]:
    runs = (runs,) if isinstance(runs, Run) else tuple(runs)
    for run in runs:
        if not isinstance(run, Run):
            raise TypeError(f"runs must be declared with Page.run, got {run!r}")
    return runs


def load() -> dict[str, Page]:
    """Import every page module of this package; every declared page, by name (sorted)."""
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    return dict(sorted(_PAGES.items()))


def all_runs() -> dict[str, Run]:
    """Every declared run, by name, in page order."""
    return {name: run for page in load().values() for name, run in page.runs.items()}


def all_figures() -> dict[str, FigureBinding]:
    return dict(sorted((n, b) for page in load().values() for n, b in page.figures.items()))


def all_values() -> dict[str, ValueBinding]:
    return dict(sorted((n, b) for page in load().values() for n, b in page.values.items()))

"""The content pipeline as a plain step: runs, figures, values, executed tutorials, wheel.

Everything the site shows that the package computes is made here, into the cache of the
package fingerprint (`initnotes.render.Cache`), by functions that know nothing about
MkDocs. The build's features (`initnotes.build`) call them; so does the command line,

    python -m initnotes build-assets [--docs DOCS] [--site-url URL]

which computes all of it ahead of a build (``make assets``), so that a site generator
other than MkDocs needs only configuration: it reads ``runs/``, ``figures/``,
``values/``, ``notebooks/`` and ``wheel/`` under the fingerprint folder.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from initnotes.render import Cache, CacheReport


def runs(cache: Cache, jobs: int | None = None) -> tuple[list[str], list[str]]:
    """Every declared run, computed unless stored; (computed, reused)."""
    return cache.ensure_runs(jobs=jobs)


def figures(cache: Cache, jobs: int | None = None) -> tuple[dict, CacheReport]:
    """Every registered figure, drawn unless cached; (specs by name, report)."""
    specs = cache.figure_specs()
    return specs, cache.ensure_figures(specs, jobs=jobs)


def values(cache: Cache) -> dict[str, str]:
    """Every registered value's Markdown, computed unless cached."""
    from initnotes import registry

    return {name: cache.value(name) for name in registry.values()}


def tutorials(cache: Cache, sources: Iterable[str | Path], preamble: str | None = None,
              jobs: int | None = None):
    """Every tutorial in `sources`, executed unless cached (with `preamble`, the install
    cell, after its title); an `initnotes.notebooks.NotebookReport`."""
    from initnotes import notebooks

    nbcache = notebooks.NotebookCache(cache.dir / "notebooks", cache.fp, preamble)
    return nbcache.ensure(sources, jobs=jobs)


def wheel(cache: Cache) -> tuple[Path, bool] | None:
    """The package's wheel (built unless cached), or None outside a project folder."""
    from initnotes import publish

    if publish.project_root() is None:
        return None
    return publish.cached_wheel(cache.dir)


@dataclass
class AssetsReport:
    runs_computed: list[str] = field(default_factory=list)
    figures_drawn: list[str] = field(default_factory=list)
    values: int = 0
    tutorials_executed: list[str] = field(default_factory=list)
    wheel: Path | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"{len(self.runs_computed)} runs computed, {len(self.figures_drawn)} figures "
                f"drawn, {self.values} values, {len(self.tutorials_executed)} tutorials "
                f"executed, wheel {self.wheel.name if self.wheel else 'none'}, "
                f"{self.seconds:.2f} s")


def build_all(cache: Cache, docs_dir: str | Path, site_url: str | None = None,
              jobs: int | None = None) -> AssetsReport:
    """Everything a build of the site in `docs_dir` at `site_url` needs, into `cache`."""
    from initnotes import publish, runs as run_store

    start = time.perf_counter()
    run_store.activate(cache.dir)
    report = AssetsReport()
    report.runs_computed = runs(cache, jobs)[0]
    report.figures_drawn = list(figures(cache, jobs)[1].drawn)
    report.values = len(values(cache))
    built = wheel(cache)
    report.wheel = built[0] if built else None
    preamble = (publish.install_cell(url=publish.wheel_url(site_url))
                if built is not None else None)
    sources = sorted((Path(docs_dir) / "tutorials").glob("*.py"))
    report.tutorials_executed = list(tutorials(cache, sources, preamble, jobs).executed)
    report.seconds = time.perf_counter() - start
    return report

"""Render registered figures and values to files, cached by what they depend on.

The cache key (the *fingerprint*) is a hash of every source file of the package plus
the versions of Python, NumPy and Matplotlib: if any of those change, every figure and
value is computed again; if none does, a build reuses the files from the cache and
draws nothing. Used by the MkDocs hook and by ``python -m initnotes figures``, so the
files a teacher exports are byte for byte the files on the site.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import os
import platform
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from initnotes import registry, runs

log = logging.getLogger("mkdocs.plugins.initnotes")

PACKAGE_DIR = Path(__file__).resolve().parent
FORMATS = ("svg", "png", "pdf")


def _version(dist: str) -> str:
    """An installed library's version, read from its metadata (cheaper than importing it)."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return importlib.import_module(dist).__version__


_VERSION_LINE = re.compile(rb'^__version__ = "[^"]*"', re.MULTILINE)


def fingerprint() -> str:
    """Hash of the package source and the numeric/plotting library versions."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(b"\0")
        data = path.read_bytes()
        if path == PACKAGE_DIR / "__init__.py":
            # A release bumps only the version: no run, figure or value depends on it
            # (citations read it at every build; executed tutorials key on it themselves).
            data = _VERSION_LINE.sub(b'__version__ = "*"', data)
        h.update(data)
        h.update(b"\0")
    h.update(f"python {platform.python_version()} numpy {_version('numpy')} "
             f"matplotlib {_version('matplotlib')}".encode())
    return h.hexdigest()[:20]


def build_figure(name: str, look=None):
    """Figure `name` as a `matplotlib.figure.Figure`, drawn in the house style and made
    for `look` (`initnotes.figures.style.Look`; default: the site's)."""
    import matplotlib

    from initnotes.figures import style

    look = look or style.SITE
    spec = registry.get_figure(name)
    with matplotlib.rc_context(style.RC):
        fig = spec.build()
    return style.restyle(fig, look)


def render_figure(name: str, out_dir: Path, formats: Iterable[str] = FORMATS,
                  look=None) -> list[Path]:
    """Build figure `name` once and write it to ``out_dir/NAME.FORMAT`` for each format,
    for `look` (default: the site's files).

    Each file is written to a temporary name first and then renamed, so a failure
    leaves no partial file behind.
    """
    from initnotes.figures import style

    look = look or style.SITE
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fig = build_figure(name, look)
    written = []
    for fmt in formats:
        target = out_dir / f"{name}.{fmt}"
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=f".{fmt}")
        os.close(fd)
        try:
            style.save(fig, tmp, fmt, look)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        written.append(target)
    return written


def _timed_render(name: str, out_dir: str, cache_dir: str | None = None,
                  look=None) -> tuple[str, float]:
    start = time.perf_counter()
    if cache_dir is not None:
        runs.activate(cache_dir)  # a worker process reads the runs its build computed
    render_figure(name, Path(out_dir), look=look)
    return name, time.perf_counter() - start


@dataclass
class CacheReport:
    """What `ensure_figures` did: which figures it drew and how long each took."""

    drawn: dict[str, float]
    cached: list[str]
    seconds: float


class Cache:
    """Rendered figures and values under ``root/<fingerprint>/``."""

    def __init__(self, root: str | Path, fp: str | None = None) -> None:
        self.root = Path(root)
        self.fp = fp or fingerprint()
        self.dir = self.root / self.fp

    @property
    def run_store(self) -> runs.RunStore:
        """The store of this fingerprint's run results (``<dir>/runs``)."""
        return runs.store_for(self.dir)

    def figure_path(self, name: str, fmt: str, look=None) -> Path:
        """Where figure `name` is cached as `fmt`: ``figures/`` for the site's look, else
        ``figures-<look.key>/`` (e.g. ``figures-slides-dark``)."""
        folder = "figures" if look is None or look.is_site else f"figures-{look.key}"
        return self.dir / folder / f"{name}.{fmt}"

    def ensure_runs(self, jobs: int | None = None) -> tuple[list[str], list[str]]:
        """Compute every declared run (`initnotes.pages`) not stored yet; (computed, reused).

        The first call for a fingerprint imports the page modules and writes the runs'
        file names to ``runs.json``; later calls (a rebuild with the package unchanged) only
        check that those files exist, importing no page, experiment or NumPy.
        """
        index = self.dir / "runs.json"
        if index.exists():
            names = json.loads(index.read_text(encoding="utf-8"))
            if all((self.run_store.dir / f).exists() for f in names.values()):
                return [], list(names)
        from initnotes import pages

        declared = pages.all_runs()
        computed, reused = self.run_store.ensure(declared.values(), jobs=jobs)
        data = {name: self.run_store.path(run).name for name, run in declared.items()}
        index.parent.mkdir(parents=True, exist_ok=True)
        tmp = index.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, index)
        return computed, reused

    def figure_specs(self) -> dict[str, registry.FigureSpec]:
        """Every registered figure's name, alt text and caption, by name (sorted).

        The first call for a fingerprint imports the figure modules and writes what it
        found to ``figures.json`` in the cache; later calls (a rebuild with the package
        unchanged) read that file and import no figure module, so they never load
        Matplotlib. The specs read back have no ``build``: rendering looks the figure up
        in the registry itself.
        """
        path = self.dir / "figures.json"
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            return {name: registry.FigureSpec(name, None, d["alt"], d["caption"], d["module"])  # type: ignore[arg-type]
                    for name, d in data.items()}
        specs = registry.figures()
        data = {s.name: {"alt": s.alt, "caption": s.caption, "module": s.module} for s in specs.values()}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
        return specs

    def ensure_figures(self, names: Iterable[str], jobs: int | None = None,
                       look=None) -> CacheReport:
        """Draw every figure in `names` that is not cached yet (in parallel), keep the rest
        (for `look`, an `initnotes.figures.style.Look`; default: the site's)."""
        start = time.perf_counter()
        names = list(names)
        missing = [n for n in names
                   if not all(self.figure_path(n, f, look).exists() for f in FORMATS)]
        drawn: dict[str, float] = {}
        out = str(self.figure_path("x", "svg", look).parent)
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
        if len(missing) == 1 or jobs == 1:
            for n in missing:
                drawn[n] = _timed_render(n, out, str(self.dir), look)[1]
        elif missing:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for n, secs in pool.map(_timed_render, missing, [out] * len(missing),
                                        [str(self.dir)] * len(missing), [look] * len(missing)):
                    drawn[n] = secs
        self._prune()
        cached = [n for n in names if n not in drawn]
        return CacheReport(drawn=drawn, cached=cached, seconds=time.perf_counter() - start)

    def value(self, name: str) -> str:
        """The Markdown of value `name`, computed once per fingerprint."""
        path = self.dir / "values" / f"{name}.md"
        if path.exists():
            return path.read_text(encoding="utf-8")
        text = registry.get_value(name).build()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        return text

    def _prune(self) -> None:
        """Remove caches of other fingerprints (older package versions)."""
        if not self.root.exists():
            return
        for child in self.root.iterdir():
            if child.is_dir() and child.name != self.fp:
                shutil.rmtree(child, ignore_errors=True)

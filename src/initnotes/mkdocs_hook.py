"""The MkDocs hook that puts the package's figures and values into the site.

Registered in ``mkdocs.yml`` under ``hooks:``. It

* renders every registered figure (SVG, PNG, PDF) into a cache folder outside
  ``docs/`` (writing into ``docs/`` would make ``mkdocs serve`` rebuild in a loop) and
  adds the files to the site with ``File.generated``, so a build with an unchanged
  package draws nothing;
* replaces ``{{ figure:NAME }}`` in a page with a numbered ``<figure>`` (alt text,
  caption, download links) and ``{{ value:NAME }}`` with Markdown computed by the
  package; an unknown name fails the build.

All the site's build logic lives in this one module, so moving to another MkDocs-like
builder touches one file.
"""

from __future__ import annotations

import html
import logging
import os
import re
from pathlib import Path

# One BLAS thread for the figure builds (set before numpy is first imported, which happens
# below through `initnotes`): the matrices are small, and on a shared 2-core machine
# OpenBLAS's threads made QR and SVD calls 10-100x slower. The figure workers inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from initnotes import cite, glossary, registry
from initnotes.render import FORMATS, Cache

log = logging.getLogger("mkdocs.plugins.initnotes")

PLACEHOLDER = re.compile(r"\{\{\s*(figure|value)\s*:\s*([^}\s]*)\s*\}\}")
FIGURE_DIR = "figures"

_state: dict[str, object] = {}


def _cache_root(config) -> Path:
    env = os.environ.get("INITNOTES_CACHE_DIR")
    if env:
        return Path(env)
    return Path(config.config_file_path).resolve().parent / ".cache" / "initnotes"


def on_config(config):
    _state["cache"] = Cache(_cache_root(config))
    cite.on_config(config)  # citation metadata, version checks (initnotes/cite.py)
    glossary.on_config(config)  # first use of a glossary term links to it (initnotes/glossary.py)
    return config


def on_files(files: Files, config) -> Files:
    cache: Cache = _state["cache"]  # type: ignore[assignment]
    specs = registry.figures()
    report = cache.ensure_figures(specs)
    drawn = ", ".join(f"{n} {s:.2f} s" for n, s in report.drawn.items()) or "none"
    log.info(f"initnotes: {len(specs)} figures, {len(report.drawn)} drawn ({drawn}), "
             f"{len(report.cached)} from cache, {report.seconds:.2f} s")
    for name in specs:
        for fmt in FORMATS:
            files.append(File.generated(config, f"{FIGURE_DIR}/{name}.{fmt}",
                                        abs_src_path=str(cache.figure_path(name, fmt))))
    _add_explorer_data(files, config)
    return files


def _add_explorer_data(files: Files, config) -> None:
    """The explorer page's data files, next to the page, computed once per fingerprint."""
    from initnotes import explorer

    page = files.get_file_from_path(explorer.PAGE)
    if page is None:
        return
    cache: Cache = _state["cache"]  # type: ignore[assignment]
    paths, seconds = explorer.ensure_data(cache.dir / "explorer", fingerprint=cache.fp)
    done = "from cache" if seconds is None else f"computed in {seconds:.2f} s"
    log.info(f"initnotes: explorer data {done}")
    folder = page.src_uri.rpartition("/")[0]
    for name, path in paths.items():
        files.append(File.generated(config, f"{folder}/{name}", abs_src_path=str(path)))


def _figure_html(spec: registry.FigureSpec, number: int, page_url: str) -> str:
    def url(fmt: str) -> str:
        return get_relative_url(f"{FIGURE_DIR}/{spec.name}.{fmt}", page_url)

    links = " · ".join(
        f'<a href="{url(fmt)}" download>{fmt.upper()}</a>' for fmt in FORMATS
    )
    return (
        f'<figure class="initnotes-figure" id="fig-{spec.name}" markdown="1">\n'
        f'<img src="{url("svg")}" alt="{html.escape(spec.alt, quote=True)}" loading="lazy">\n'
        f'<figcaption markdown="span"><strong>Figure {number}.</strong> {spec.caption} '
        f'<span class="initnotes-downloads">Download: {links}</span></figcaption>\n'
        f"</figure>"
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    cache: Cache = _state["cache"]  # type: ignore[assignment]
    figure_numbers: dict[str, int] = {}
    markdown = cite.on_page_markdown(markdown, page, config, files)
    glossary.on_page_markdown(page)

    def replace(match: re.Match) -> str:
        kind, name = match.group(1), match.group(2)
        where = page.file.src_uri
        try:
            if kind == "figure":
                spec = registry.get_figure(name)
                number = figure_numbers.setdefault(name, len(figure_numbers) + 1)
                return "\n\n" + _figure_html(spec, number, page.url) + "\n\n"
            return cache.value(name)
        except KeyError as err:
            raise PluginError(f"{where}: {err.args[0]}") from None

    return PLACEHOLDER.sub(replace, markdown)


def on_serve(server, config, builder):
    # Re-render when the package changes while `mkdocs serve` runs.
    server.watch(str(Path(registry.__file__).parent))
    return server

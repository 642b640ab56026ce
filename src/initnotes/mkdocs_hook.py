"""The MkDocs hook that puts the package's figures and values into the site.

Registered in ``mkdocs.yml`` under ``hooks:``. It

* renders every registered figure (SVG, PNG, PDF) into a cache folder outside
  ``docs/`` (writing into ``docs/`` would make ``mkdocs serve`` rebuild in a loop) and
  adds the files to the site with ``File.generated``, so a build with an unchanged
  package draws nothing;
* replaces ``{{ figure:NAME }}`` in a page with a numbered ``<figure>`` (alt text,
  caption, download links) and ``{{ value:NAME }}`` with Markdown computed by the
  package; an unknown name fails the build;
* executes the tutorials (``docs/tutorials/*.py``) into cached notebooks, hands them to
  mkdocs-jupyter to render, and adds their downloads (see the Tutorials block below).

All the site's build logic lives in this one module, so moving to another MkDocs-like
builder touches one file.

With the environment variable ``INITNOTES_PLAIN=1`` the hook draws and adds no figure,
computes no value (placeholders are removed), executes no tutorial and adds no explorer
data (any plugin with an ``execute`` option gets it switched off too); citations and
glossary links stay. That is the plain MkDocs build of the same pages which
``make bench`` compares a cached rebuild against.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
import time
from pathlib import Path

# One BLAS thread for the figure builds (set before numpy is first imported, which happens
# below through `initnotes`): the matrices are small, and on a shared 2-core machine
# OpenBLAS's threads made QR and SVD calls 10-100x slower. The figure workers inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from initnotes import cite, glossary, printpage, registry, runs
from initnotes.render import FORMATS, Cache

log = logging.getLogger("mkdocs.plugins.initnotes")

PLACEHOLDER = re.compile(r"\{\{\s*(figure|value)\s*:\s*([^}\s]*)\s*\}\}")
FIGURE_DIR = "figures"

_state: dict[str, object] = {}


def plain() -> bool:
    """True when INITNOTES_PLAIN asks for a build without figures, values or execution."""
    return os.environ.get("INITNOTES_PLAIN", "").strip().lower() in {"1", "true", "yes"}


def _cache_root(config) -> Path:
    env = os.environ.get("INITNOTES_CACHE_DIR")
    if env:
        return Path(env)
    return Path(config.config_file_path).resolve().parent / ".cache" / "initnotes"


def on_config(config):
    if plain():
        for name, plugin in config.plugins.items():
            options = getattr(plugin, "config", None)
            if options is not None and options.get("execute"):
                options["execute"] = False
                log.info(f"initnotes: INITNOTES_PLAIN set, {name} will not execute notebooks")
    else:
        cache = Cache(_cache_root(config))
        runs.activate(cache.dir)  # every run result of this build lives in this cache
        _state["cache"] = cache
    cite.on_config(config)  # citation metadata, version checks (initnotes/cite.py)
    glossary.on_config(config)  # first use of a glossary term links to it (initnotes/glossary.py)
    _tutorials_check_config(config)
    return config


def on_files(files: Files, config) -> Files:
    if plain():
        log.info("initnotes: INITNOTES_PLAIN set, no figures")
        return files
    cache: Cache = _state["cache"]  # type: ignore[assignment]
    _ensure_runs(cache)
    specs = cache.figure_specs()
    _state["figures"] = specs
    report = cache.ensure_figures(specs)
    drawn = ", ".join(f"{n} {s:.2f} s" for n, s in report.drawn.items()) or "none"
    log.info(f"initnotes: {len(specs)} figures, {len(report.drawn)} drawn ({drawn}), "
             f"{len(report.cached)} from cache, {report.seconds:.2f} s")
    for name in specs:
        for fmt in FORMATS:
            files.append(File.generated(config, f"{FIGURE_DIR}/{name}.{fmt}",
                                        abs_src_path=str(cache.figure_path(name, fmt))))
    _add_explorer_data(files, config)
    _tutorials_on_files(files, config)
    return files


def _ensure_runs(cache: Cache) -> None:
    """Compute every declared run not in the cache yet, once, before figures and values."""
    start = time.perf_counter()
    computed, reused = cache.ensure_runs()
    log.info(f"initnotes: runs: {len(computed)} computed, {len(reused)} reused")
    if computed:
        seconds = cache.run_store.seconds
        slow = sorted(computed, key=lambda n: -seconds.get(n, 0.0))[:3]
        log.info(f"initnotes: runs computed in {time.perf_counter() - start:.2f} s (slowest: "
                 + ", ".join(f"{n} {seconds.get(n, 0.0):.1f} s" for n in slow) + ")")


#: The explorer's page (initnotes.explorer.PAGE, which tests/test_explorer.py checks):
#: named here so that a site without it never imports the explorer and, through it, the
#: experiments (a broken package then fails where it is used, e.g. in a tutorial).
EXPLORER_PAGE = "explore/index.md"


def _add_explorer_data(files: Files, config) -> None:
    """The explorer page's data files, next to the page, computed once per fingerprint."""
    page = files.get_file_from_path(EXPLORER_PAGE)
    if page is None:
        return
    from initnotes import explorer

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


def _figure_spec(name: str) -> registry.FigureSpec:
    specs: dict[str, registry.FigureSpec] = _state["figures"]  # type: ignore[assignment]
    if name not in specs:
        raise KeyError(f"no figure named {name!r}; known figures: {', '.join(specs)}")
    return specs[name]


def on_page_markdown(markdown: str, page, config, files) -> str:
    markdown = cite.on_page_markdown(markdown, page, config, files)
    glossary.on_page_markdown(page)
    if plain():
        return PLACEHOLDER.sub("", markdown)
    cache: Cache = _state["cache"]  # type: ignore[assignment]
    figure_numbers: dict[str, int] = {}

    def replace(match: re.Match) -> str:
        kind, name = match.group(1), match.group(2)
        where = page.file.src_uri
        try:
            if kind == "figure":
                spec = _figure_spec(name)
                number = figure_numbers.setdefault(name, len(figure_numbers) + 1)
                return "\n\n" + _figure_html(spec, number, page.url) + "\n\n"
            return cache.value(name)
        except KeyError as err:
            raise PluginError(f"{where}: {err.args[0]}") from None

    return PLACEHOLDER.sub(replace, markdown)


#: Sections left out of the search index: the same boilerplate on every page (citation,
#: reference lists) or a repeat of text indexed elsewhere (the figure catalogue). Material's
#: search plugin skips a heading's section when the heading has `data-search-exclude`.
SEARCH_EXCLUDED_SECTIONS = ("cite-this-page", "references", "registered-figures")
_EXCLUDED_HEADING = re.compile(
    r'<h2 id="(?:' + "|".join(SEARCH_EXCLUDED_SECTIONS) + r')"(?![^>]*data-search-exclude)')


def on_page_content(html_content: str, page, config, files) -> str:
    html_content = _EXCLUDED_HEADING.sub(lambda m: m.group(0) + " data-search-exclude", html_content)
    return _tutorials_on_page_content(html_content, page, files)


def on_post_page(output: str, page, config) -> str:
    return _tutorials_on_post_page(output, page)


def on_serve(server, config, builder):
    # Re-render when the package changes while `mkdocs serve` runs.
    server.watch(str(Path(registry.__file__).parent))
    return server


# --- Tutorials ----------------------------------------------------------------------
# docs/tutorials/NAME.py (jupytext percent format) is executed by initnotes.notebooks into
# an .ipynb in the cache (keyed on the tutorial, the package fingerprint and the notebook
# libraries), which replaces the .py as the page's source (mkdocs-jupyter, whose on_files
# runs before this one, has made the .py a page); mkdocs-jupyter, with its own execution
# off, renders it. Each page gets tutorials/NAME/NAME.ipynb and NAME.py to
# download, a note on running it, and links the JupyterLab CSS once for the whole site
# instead of inlining it.

TUTORIAL_SRC = re.compile(r"tutorials/[^/]+\.py")
NOTEBOOK_CSS = "assets/notebooks/jupyterlab.css"
NOTEBOOK_JS = "assets/notebooks/clipboard.js"
NOTEBOOK_CSS_OVERRIDES = "assets/stylesheets/notebooks.css"
TUTORIALS_HOWTO = ("tutorials/index.md", "run-locally")


def _tutorials_check_config(config) -> None:
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        return
    if plugin.config["execute"] or plugin.config["include_source"]:
        raise PluginError("mkdocs-jupyter must have execute: false and include_source: false; "
                          "the initnotes hook executes the tutorials and writes their downloads")


def _tutorials_on_files(files: Files, config) -> None:
    from initnotes import notebooks

    sources = [f for f in files if TUTORIAL_SRC.fullmatch(f.src_uri)]
    _state["tutorials"] = {}
    others = [f.src_uri for f in files.documentation_pages()
              if f.src_uri.endswith((".py", ".ipynb")) and f not in sources]
    if others:
        raise PluginError(f"notebook pages outside docs/tutorials/*.py are not executed: {others}")
    if not sources:
        return
    if not all(f.is_documentation_page() for f in sources):
        raise PluginError("mkdocs-jupyter must be configured to render tutorials/*.py "
                          "(`include` in mkdocs.yml)")
    cache: Cache = _state["cache"]  # type: ignore[assignment]
    nbcache = notebooks.NotebookCache(cache.dir / "notebooks", cache.fp)
    try:
        report = nbcache.ensure(Path(f.abs_src_path) for f in sources)
    except notebooks.TutorialError as err:
        raise PluginError(str(err)) from None
    log.info(f"initnotes: {report.summary()}")
    for f in sources:
        run = report.tutorials[Path(f.src_uri).stem]
        # mkdocs-jupyter renders whatever abs_src_path names: the executed notebook.
        f.abs_src_path = str(run.notebook)
        # In-memory downloads: mkdocs-jupyter only looks at files with a path.
        folder = f"tutorials/{run.name}"
        for ext, path in (("ipynb", run.notebook), ("py", run.source)):
            files.append(File.generated(config, f"{folder}/{run.name}.{ext}",
                                        content=path.read_bytes()))
        for image in notebooks.image_outputs(notebooks.load(run.notebook)):
            files.append(File.generated(config, f"{folder}/{image.filename}", content=image.data))
        _state["tutorials"][f.src_uri] = run  # type: ignore[index]
    assets = notebooks.jupyterlab_assets()
    files.append(File.generated(config, NOTEBOOK_CSS, content=notebooks.shared_css(assets)))
    files.append(File.generated(config, NOTEBOOK_JS, content=notebooks.shared_js(assets)))


def _tutorials_on_page_content(html_content: str, page, files: Files) -> str:
    from initnotes import notebooks

    run = _state.get("tutorials", {}).get(page.file.src_uri)  # type: ignore[union-attr]
    if run is None:
        return html_content
    name = run.name

    def url(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        if target is None:
            raise PluginError(f"{page.file.src_uri}: the tutorial page links {src_uri}, "
                              "which is not in the site")
        return get_relative_url(target.url, page.url)

    folder = f"tutorials/{name}"
    box = notebooks.downloads_box(
        ipynb_url=url(f"{folder}/{name}.ipynb"), py_url=url(f"{folder}/{name}.py"),
        how_to_url=f"{url(TUTORIALS_HOWTO[0])}#{TUTORIALS_HOWTO[1]}", name=name)

    def resolve(path: str) -> str | None:
        src_uri = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
        target = files.get_file_from_path(src_uri)
        if target is None or not target.is_documentation_page():
            return None
        return get_relative_url(target.url, page.url)

    try:
        return notebooks.tidy_page_html(
            html_content, box=box, resolve=resolve,
            images=notebooks.image_outputs(notebooks.load(run.notebook)),
            image_url=lambda image: url(f"{folder}/{image.filename}"))
    except ValueError as err:
        raise PluginError(f"{page.file.src_uri}: {err}") from None


def _tutorials_on_post_page(output: str, page) -> str:
    if page.file.src_uri not in _state.get("tutorials", {}):  # type: ignore[operator]
        return output
    links = "".join(
        f'<link rel="stylesheet" href="{get_relative_url(css, page.url)}">'
        for css in (NOTEBOOK_CSS, NOTEBOOK_CSS_OVERRIDES)
    ) + f'<script src="{get_relative_url(NOTEBOOK_JS, page.url)}" defer></script>'
    return output.replace("</head>", links + "</head>", 1)


def on_post_build(config):
    if not plain():
        _repair_print_page(config)


def _repair_print_page(config) -> None:
    """Mend the dead in-page links of mkdocs-print-site-plugin's page (see printpage)."""
    plugin = config.plugins.get("print-site")
    if plugin is None:
        return
    site_dir = Path(config.site_dir)
    name = plugin.config.get("print_page_basename") or "print_page"
    path = site_dir / name / "index.html"
    if not path.exists():
        path = site_dir / f"{name}.html"
    if not path.exists():
        return
    html = path.read_text(encoding="utf-8")
    missing = printpage.missing_targets(html)
    if not missing:
        return
    print_url = path.relative_to(site_dir).as_posix().removesuffix("index.html")
    pages: dict[str, set[str]] = {}  # URL of every other page -> its anchors
    for page in sorted(site_dir.rglob("*.html")):
        if page != path:
            url = page.relative_to(site_dir).as_posix().removesuffix("index.html")
            pages[url] = printpage.anchors(page.read_text(encoding="utf-8"))
    by_key = {printpage.page_key(url): url for url in pages}

    def elsewhere(target: str) -> str | None:
        if target in by_key:  # a page the print page leaves out
            return get_relative_url(by_key[target], print_url)
        for key, url in by_key.items():  # an anchor on such a page
            if target.startswith(key + "-") and target[len(key) + 1:] in pages[url]:
                return get_relative_url(url, print_url) + "#" + target[len(key) + 1:]
        having = [url for url, ids in pages.items() if target in ids]
        if len(having) == 1:  # e.g. an API entry of the reference
            return get_relative_url(having[0], print_url) + "#" + target
        return None

    html, changed = printpage.repair(html, elsewhere)
    path.write_text(html, encoding="utf-8")
    log.info(f"initnotes: print page, {changed} anchors and links mended")

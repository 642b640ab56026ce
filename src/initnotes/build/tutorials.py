"""Tutorials: executed at build time, rendered by mkdocs-jupyter, offered for download.

``docs/tutorials/NAME.py`` (jupytext percent format) is executed by `initnotes.notebooks`
into an ``.ipynb`` in the cache (keyed on the tutorial, the package fingerprint and the
notebook libraries), which replaces the ``.py`` as the page's source (mkdocs-jupyter,
whose ``on_files`` runs before the hook's, has made the ``.py`` a page); mkdocs-jupyter,
with its own execution off, renders it. A failing cell fails the build. Each page gets
``tutorials/NAME/NAME.ipynb`` and ``NAME.py`` to download, its images as files, a note on
running it, and links the JupyterLab CSS once for the whole site instead of inlining it.
Every tutorial (page, notebook and ``.py``) starts, after its title, with the install
cell of `initnotes.publish`, which installs the site's wheel unless this version of the
package is importable (it is, when the build executes the tutorial).

Without a cache (a plain build) the feature only checks mkdocs-jupyter's configuration
and leaves the tutorial pages to mkdocs-jupyter.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from initnotes import assets, publish
from initnotes.build.base import log
from initnotes.render import Cache

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

    from initnotes.notebooks import Executed


def install_cell(config: MkDocsConfig) -> str | None:
    """The install cell every tutorial starts with: `initnotes.publish.install_cell` for
    this version and the site's wheel (`initnotes.build.package`); None when the site
    serves no wheel (the package is not in a project folder)."""
    if publish.project_root() is None:
        return None
    return publish.install_cell(url=publish.wheel_url(config.get("site_url")))


class TutorialsConfig(Config):
    #: The source path (relative to ``docs/``) of a tutorial, a regular expression.
    sources = opt.Type(str, default=r"tutorials/[^/]+\.py")
    #: The shared JupyterLab stylesheet, the shared copy-button script, and the site's own
    #: stylesheet for notebook pages, linked from every tutorial page.
    stylesheet = opt.Type(str, default="assets/notebooks/jupyterlab.css")
    script = opt.Type(str, default="assets/notebooks/clipboard.js")
    stylesheet_overrides = opt.Type(str, default="assets/stylesheets/notebooks.css")
    #: The page and anchor that tell how to run a tutorial locally.
    how_to_page = opt.Type(str, default="tutorials/index.md")
    how_to_anchor = opt.Type(str, default="run-locally")


class Tutorials(BasePlugin[TutorialsConfig]):
    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache
        self.tutorials: dict[str, Executed] = {}  # by page source (src_uri)

    def on_config(self, config: MkDocsConfig):
        plugin = config.plugins.get("mkdocs-jupyter")
        if plugin is None:
            return
        if plugin.config["execute"] or plugin.config["include_source"]:
            raise PluginError("mkdocs-jupyter must have execute: false and include_source: false; "
                              "the initnotes hook executes the tutorials and writes their downloads")

    def on_files(self, files: Files, *, config: MkDocsConfig):
        if self.cache is None:
            return
        from initnotes import notebooks

        pattern = re.compile(self.config.sources)
        sources = [f for f in files if pattern.fullmatch(f.src_uri)]
        others = [f.src_uri for f in files.documentation_pages()
                  if f.src_uri.endswith((".py", ".ipynb")) and f not in sources]
        if others:
            raise PluginError(f"notebook pages outside docs/tutorials/*.py are not executed: {others}")
        if not sources:
            return
        if not all(f.is_documentation_page() for f in sources):
            raise PluginError("mkdocs-jupyter must be configured to render tutorials/*.py "
                              "(`include` in mkdocs.yml)")
        preamble = install_cell(config)
        try:
            report = assets.tutorials(self.cache, [Path(f.abs_src_path) for f in sources], preamble)
        except notebooks.TutorialError as err:
            raise PluginError(str(err)) from None
        log.info(f"initnotes: {report.summary()}")
        for f in sources:
            run = report.tutorials[Path(f.src_uri).stem]
            # mkdocs-jupyter renders whatever abs_src_path names: the executed notebook.
            f.abs_src_path = str(run.notebook)
            # In-memory downloads: mkdocs-jupyter only looks at files with a path.
            folder = f"tutorials/{run.name}"
            source = run.source.read_bytes()
            if preamble is not None:
                source = publish.insert_into_py(source.decode("utf-8"), preamble).encode("utf-8")
            files.append(File.generated(config, f"{folder}/{run.name}.ipynb",
                                        content=run.notebook.read_bytes()))
            files.append(File.generated(config, f"{folder}/{run.name}.py", content=source))
            for image in notebooks.image_outputs(notebooks.load(run.notebook)):
                files.append(File.generated(config, f"{folder}/{image.filename}", content=image.data))
            self.tutorials[f.src_uri] = run
        lab = notebooks.jupyterlab_assets()
        files.append(File.generated(config, self.config.stylesheet, content=notebooks.shared_css(lab)))
        files.append(File.generated(config, self.config.script, content=notebooks.shared_js(lab)))

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files):
        run = self.tutorials.get(page.file.src_uri)
        if run is None:
            return html
        from initnotes import notebooks

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
            how_to_url=f"{url(self.config.how_to_page)}#{self.config.how_to_anchor}", name=name)

        def resolve(path: str) -> str | None:
            src_uri = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
            target = files.get_file_from_path(src_uri)
            if target is None or not target.is_documentation_page():
                return None
            return get_relative_url(target.url, page.url)

        try:
            return notebooks.tidy_page_html(
                html, box=box, resolve=resolve,
                images=notebooks.image_outputs(notebooks.load(run.notebook)),
                image_url=lambda image: url(f"{folder}/{image.filename}"))
        except ValueError as err:
            raise PluginError(f"{page.file.src_uri}: {err}") from None

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig):
        if page.file.src_uri not in self.tutorials:
            return output
        links = "".join(
            f'<link rel="stylesheet" href="{get_relative_url(css, page.url)}">'
            for css in (self.config.stylesheet, self.config.stylesheet_overrides)
        ) + f'<script src="{get_relative_url(self.config.script, page.url)}" defer></script>'
        return output.replace("</head>", links + "</head>", 1)

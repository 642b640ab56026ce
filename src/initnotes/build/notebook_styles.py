"""Notebook styles: the shared JupyterLab stylesheet keeps only what the tutorials use.

mkdocs-jupyter ships JupyterLab's whole stylesheet (575 KB, the widgets and panels of the
JupyterLab application) for a notebook page, of which a rendered notebook uses a small
part. post_page: the classes and ids of every tutorial page are collected; post_build:
the shared stylesheet (written by `initnotes.build.tutorials`) is cut down in the site to
the rules that can match them (`initnotes.cssprune`), the same for the same pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from initnotes import cssprune
from initnotes.build.base import log

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

HEADER = ("/* JupyterLab styles for notebook pages (JupyterLab, BSD-3-Clause), as shipped by "
          "mkdocs-jupyter (Apache-2.0), kept to the rules the tutorial pages can use. */\n")


class NotebookStylesConfig(Config):
    #: The shared stylesheet of the notebook pages, as `initnotes.build.tutorials` names it.
    stylesheet = opt.Type(str, default="assets/notebooks/jupyterlab.css")
    #: What marks a notebook page's HTML.
    marker = opt.Type(str, default='class="jupyter-wrapper"')
    #: The site's own stylesheets of those pages (relative to ``docs/``): the JupyterLab
    #: custom properties they read are kept.
    readers = opt.ListOfItems(opt.Type(str), default=["assets/stylesheets/notebooks.css"])


class NotebookStyles(BasePlugin[NotebookStylesConfig]):
    def __init__(self) -> None:
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.pages = 0

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig):
        if self.config.marker in output:
            classes, ids = cssprune.used_names(output)
            self.classes |= classes
            self.ids |= ids
            self.pages += 1
        return output

    def on_post_build(self, *, config: MkDocsConfig):
        path = Path(config.site_dir) / self.config.stylesheet
        if not self.pages or not path.is_file():
            return
        css = path.read_text(encoding="utf-8")
        also = "\n".join((Path(config.docs_dir) / r).read_text(encoding="utf-8")
                         for r in self.config.readers if (Path(config.docs_dir) / r).is_file())
        pruned = HEADER + cssprune.prune(css, self.classes, self.ids, also=also)
        path.write_text(pruned, encoding="utf-8")
        log.info(f"initnotes: notebook stylesheet {len(css.encode()) / 1000:.0f} KB -> "
                 f"{len(pruned.encode()) / 1000:.0f} KB (the rules {self.pages} tutorial pages use)")

"""Plain mode (``INITNOTES_PLAIN=1``): the same pages without anything computed.

The build then draws and adds no figure, computes no value (their placeholders are
removed), executes no tutorial and adds no explorer data: the features that would are
not part of it (see `initnotes.build.features`), and this one switches off the
``execute`` option of any plugin that has one, says so, and removes the placeholders.
Citations and glossary links stay. That is the plain MkDocs build of the same pages
which ``make bench`` compares a cached rebuild against.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from initnotes import placeholders
from initnotes.build.base import log

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

#: The environment variable that asks for a plain build.
PLAIN_VAR = "INITNOTES_PLAIN"


def plain_mode() -> bool:
    """True when INITNOTES_PLAIN asks for a build without figures, values or execution."""
    return os.environ.get(PLAIN_VAR, "").strip().lower() in {"1", "true", "yes"}


class PlainConfig(Config):
    pass


class Plain(BasePlugin[PlainConfig]):
    def on_config(self, config: MkDocsConfig):
        for name, plugin in config.plugins.items():
            options = getattr(plugin, "config", None)
            if options is not None and options.get("execute"):
                options["execute"] = False
                log.info(f"initnotes: {PLAIN_VAR} set, {name} will not execute notebooks")

    def on_files(self, files: Files, *, config: MkDocsConfig):
        log.info(f"initnotes: {PLAIN_VAR} set, no figures")

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files):
        return placeholders.remove(markdown, "figure", "value")

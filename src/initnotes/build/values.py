"""Values: ``{{ value:NAME }}`` on a page becomes the Markdown the package computes for it.

Each value is computed once per fingerprint and kept in the cache (`initnotes.render`);
an unknown name fails the build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from initnotes import placeholders
from initnotes.render import Cache

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


class ValuesConfig(Config):
    pass


class Values(BasePlugin[ValuesConfig]):
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files):
        def fill(placeholder: placeholders.Placeholder) -> str:
            try:
                return self.cache.value(placeholder.name)
            except KeyError as err:
                raise PluginError(f"{page.file.src_uri}: {err.args[0]}") from None

        return placeholders.replace(markdown, fill, "value")

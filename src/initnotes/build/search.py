"""Search exclusions: sections left out of the search index.

They are the same boilerplate on every page (citation, reference lists) or a repeat of
text indexed elsewhere (the figure catalogue). Material's search plugin skips a
heading's section when the heading has ``data-search-exclude``; this feature adds it to
the ``<h2>`` of each such section.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

#: The ids of the ``<h2>`` headings whose sections are not indexed.
SEARCH_EXCLUDED_SECTIONS = ("cite-this-page", "references", "registered-figures")


class SearchExclusionsConfig(Config):
    sections = opt.ListOfItems(opt.Type(str), default=list(SEARCH_EXCLUDED_SECTIONS))


class SearchExclusions(BasePlugin[SearchExclusionsConfig]):
    def on_config(self, config: MkDocsConfig):
        self.heading = re.compile(
            r'<h2 id="(?:' + "|".join(map(re.escape, self.config.sections))
            + r')"(?![^>]*data-search-exclude)')

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files):
        return self.heading.sub(lambda m: m.group(0) + " data-search-exclude", html)

"""Search exclusions: what the search index leaves out.

The index is fetched by every page a reader opens, so it holds the prose a reader would
search for and nothing else:

* sections that are the same boilerplate on every page (citation, reference lists) or a
  repeat of text indexed elsewhere (the figure catalogue): Material's search plugin skips
  a heading's section when the heading has ``data-search-exclude``, which this feature
  adds to the ``<h2>`` of each such section;
* blocks that are not prose: the printed outputs of the tutorials' code cells (numbers
  and arrays the tutorial's text describes), the figures' download links, the tutorials'
  download box, the API reference's signatures: the search plugin skips any element with
  ``data-search-exclude``, which this feature adds to each element of those classes.
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
#: The classes of the elements that are not indexed (with all they hold).
SEARCH_EXCLUDED_CLASSES = (
    "jp-OutputArea",          # a tutorial cell's printed output and images
    "jp-InputPrompt",         # In [3]:
    "initnotes-downloads",    # a figure's SVG/PNG/PDF links
    "initnotes-notebook-box", # a tutorial's download box
    "doc-signature",          # an API entry's signature (its name is the heading)
)


class SearchExclusionsConfig(Config):
    sections = opt.ListOfItems(opt.Type(str), default=list(SEARCH_EXCLUDED_SECTIONS))
    classes = opt.ListOfItems(opt.Type(str), default=list(SEARCH_EXCLUDED_CLASSES))


class SearchExclusions(BasePlugin[SearchExclusionsConfig]):
    def on_config(self, config: MkDocsConfig):
        self.heading = re.compile(
            r'<h2 id="(?:' + "|".join(map(re.escape, self.config.sections))
            + r')"(?![^>]*data-search-exclude)')
        self.block = re.compile(
            r'<(?!(?:img|br|hr|input|meta|link|source)\b)[a-z][a-z0-9]*\s[^>]*?\bclass="(?:[^"]*\s)?(?:'
            + "|".join(map(re.escape, self.config.classes))
            + r')(?:\s[^"]*)?"(?![^>]*data-search-exclude)[^>]*?(?=/?>)')

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files):
        html = self.heading.sub(lambda m: m.group(0) + " data-search-exclude", html)
        return self.block.sub(lambda m: m.group(0) + " data-search-exclude", html)

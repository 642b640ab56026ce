"""Glossary: on the pages that link terms, the first use of each glossary term links to
its definition.

`initnotes.glossary` reads the terms and does the linking, as a Markdown extension; this
feature adds the extension to the build (if the site has a glossary page) and, before
each page is rendered, tells it whether and where to that page links.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from initnotes import glossary

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


class GlossaryConfig(Config):
    #: The glossary page (relative to ``docs/``).
    page = opt.Type(str, default=glossary.GLOSSARY_PAGE)
    #: Pages under these folders link terms (front matter ``glossary: true`` or
    #: ``glossary: false`` decides for one page).
    sections = opt.ListOfItems(opt.Type(str), default=list(glossary.SECTIONS))


class Glossary(BasePlugin[GlossaryConfig]):
    def __init__(self) -> None:
        self.extension: glossary.GlossaryExtension | None = None  # None: no glossary page

    def on_config(self, config: MkDocsConfig):
        """Read the glossary's terms and add the linking extension (if the site has a glossary)."""
        self.extension = None
        path = Path(config["docs_dir"]) / self.config.page
        if not path.exists():
            return
        terms = glossary.parse_terms(path.read_text(encoding="utf-8"))
        self.extension = glossary.GlossaryExtension(glossary.Matcher(terms))
        config["markdown_extensions"].append(self.extension)

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files):
        """Tell the extension whether, and where to, the page being rendered links terms."""
        if self.extension is None:
            return
        href = glossary.page_href(page.file.src_uri, page.meta, sections=tuple(self.config.sections),
                                  glossary_page=self.config.page)
        self.extension.page = glossary.PageLinks(href) if href is not None else None

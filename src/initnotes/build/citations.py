"""Citations: a "Cite this page" section on the pages that get one, and ``{{ cite:... }}``.

The metadata (``CITATION.cff`` beside ``mkdocs.yml``, the package version, ``site_url``)
and every text written come from `initnotes.cite`; this feature reads them once per
build, checks them against what mike deploys, and writes them into the pages.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from initnotes import cite, placeholders

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


class CitationsConfig(Config):
    #: Pages under these folders get a "Cite this page" section (front matter
    #: ``cite: true`` or ``cite: false`` decides for one page).
    sections = opt.ListOfItems(opt.Type(str), default=list(cite.SECTIONS))


class Citations(BasePlugin[CitationsConfig]):
    def __init__(self) -> None:
        self.work: cite.Work | None = None  # None: the site has no CITATION.cff

    def on_config(self, config: MkDocsConfig):
        """Load the citation metadata; fail the build if it is inconsistent.

        Without ``CITATION.cff`` beside the configuration (e.g. a throwaway test site)
        pages get no citation. A plain build (not run by mike) has no other versions, so
        Material's version selector (which reads ``../versions.json``) is switched off
        instead of asking for a file that is not there.
        """
        self.work = None
        mike_version = os.environ.get(cite.MIKE_VERSION_VAR)
        extra = config.get("extra")
        if not mike_version and extra is not None and "version" in extra:
            del extra["version"]
        cff_path = Path(config.config_file_path).resolve().parent / cite.CFF_FILE
        if not cff_path.exists():
            return
        mike = config.plugins.get("mike") if hasattr(config.plugins, "get") else None
        canonical = mike.config.get("canonical_version") if mike is not None else None
        root = cite.published_root(config.get("site_url"), mike_version, canonical)
        try:
            work = cite.work_from_cff(cite.load_cff(cff_path), site_name=config["site_name"],
                                      site_url=root)
        except cite.CitationError as err:
            raise PluginError(str(err)) from None
        if mike_version and mike_version != work.version:
            raise PluginError(f"mike is deploying version {mike_version!r} but initnotes.__version__ "
                              f"is {work.version!r}; deploy the package's version so citations "
                              "point at it")
        self.work = work

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files):
        """Fill ``{{ cite:... }}`` and append the "Cite this page" section where it belongs."""
        work = self.work
        where = page.file.src_uri
        if work is None:
            if next(placeholders.find(markdown, "cite"), None) is not None:
                raise PluginError(f"{where}: {{{{ cite:... }}}} needs {cite.CFF_FILE} "
                                  "beside mkdocs.yml")
            return markdown

        def fill(placeholder: placeholders.Placeholder) -> str:
            try:
                return cite.placeholder_text(work, placeholder.name, lambda: self.example_figure(files))
            except cite.CitationError as err:
                raise PluginError(f"{where}: {err}") from None

        markdown = placeholders.replace(markdown, fill, "cite")
        if self.wants_block(page):
            try:
                title = cite.markdown_title(markdown, page.title)
            except cite.CitationError as err:
                raise PluginError(f"{where}: {err}") from None
            markdown = (markdown.rstrip() + "\n\n"
                        + cite.page_block(work, title, page.url, cite.figures_in(markdown)))
        return markdown

    def wants_block(self, page: Page) -> bool:
        """Whether `page` gets a "Cite this page" section."""
        flag = (page.meta or {}).get("cite")
        if flag is not None:
            return bool(flag)
        return page.file.src_uri.startswith(tuple(self.config.sections))

    def example_figure(self, files: Files) -> tuple[str, str] | None:
        """The first figure shown on a cited page (by path), with that page's URL."""
        sections = tuple(self.config.sections)
        for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
            if file.src_uri.startswith(sections):
                names = cite.figures_in(file.content_string)
                if names:
                    return names[0], file.url
        return None

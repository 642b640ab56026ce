"""Figures: every registered figure in the site, and ``{{ figure:NAME }}`` on the pages.

Each figure is drawn (SVG, PNG, PDF) into the fingerprint cache, outside ``docs/``
(writing into ``docs/`` would make ``mkdocs serve`` rebuild in a loop), and added to the
site with ``File.generated`` as ``figures/NAME.FORMAT``; a build with an unchanged
package draws nothing. A placeholder becomes a numbered ``<figure>`` with the figure's
alt text, caption and download links; an unknown name fails the build.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from initnotes import assets, placeholders, registry
from initnotes.build.base import log
from initnotes.render import FORMATS, Cache

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

#: The site folder of the figure files.
FIGURE_DIR = "figures"


class FiguresConfig(Config):
    folder = opt.Type(str, default=FIGURE_DIR)
    #: Processes that draw figures at once (None: one per core).
    jobs = opt.Optional(opt.Type(int))


class Figures(BasePlugin[FiguresConfig]):
    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.specs: dict[str, registry.FigureSpec] = {}

    def on_files(self, files: Files, *, config: MkDocsConfig):
        self.specs, report = assets.figures(self.cache, jobs=self.config.jobs)
        drawn = ", ".join(f"{n} {s:.2f} s" for n, s in report.drawn.items()) or "none"
        log.info(f"initnotes: {len(self.specs)} figures, {len(report.drawn)} drawn ({drawn}), "
                 f"{len(report.cached)} from cache, {report.seconds:.2f} s")
        for name in self.specs:
            for fmt in FORMATS:
                files.append(File.generated(config, f"{self.config.folder}/{name}.{fmt}",
                                            abs_src_path=str(self.cache.figure_path(name, fmt))))

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files):
        numbers: dict[str, int] = {}  # figure -> its number on this page

        def fill(placeholder: placeholders.Placeholder) -> str:
            spec = self.specs.get(placeholder.name)
            if spec is None:
                raise PluginError(f"{page.file.src_uri}: no figure named {placeholder.name!r}; "
                                  f"known figures: {', '.join(self.specs)}")
            number = numbers.setdefault(spec.name, len(numbers) + 1)
            return "\n\n" + self.figure_html(spec, number, page.url) + "\n\n"

        return placeholders.replace(markdown, fill, "figure")

    def figure_html(self, spec: registry.FigureSpec, number: int, page_url: str) -> str:
        """The ``<figure>`` of `spec`, numbered `number`, on the page at `page_url`."""
        def url(fmt: str) -> str:
            return get_relative_url(f"{self.config.folder}/{spec.name}.{fmt}", page_url)

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

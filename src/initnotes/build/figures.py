"""Figures: every registered figure in the site, and ``{{ figure:NAME }}`` on the pages.

Each figure is drawn (SVG, PNG, PDF) into the fingerprint cache, outside ``docs/``
(writing into ``docs/`` would make ``mkdocs serve`` rebuild in a loop), and added to the
site with ``File.generated`` as ``figures/NAME.FORMAT``; a build with an unchanged
package draws nothing. A placeholder becomes a numbered ``<figure>`` with the figure's
alt text, caption and download links; an unknown name fails the build.

Each ``<img>`` carries the SVG's size (``width``/``height`` from its ``viewBox``, in CSS
pixels), so the page reserves the figure's box before the image arrives and nothing
shifts; the image links to its SVG, which a phone opens full size on a tap. The first
figure of a page loads at once; the others load lazily, when the reader scrolls near
them, and every image decodes off the main thread.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from initnotes import placeholders, registry
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
    #: How many figures at the top of a page load at once (the rest load lazily).
    eager = opt.Type(int, default=1)


_VIEWBOX = re.compile(rb'<svg\b[^>]*?\bviewBox="\s*([-\d.eE]+)[\s,]+([-\d.eE]+)[\s,]+([\d.eE]+)[\s,]+([\d.eE]+)\s*"')
#: CSS pixels per point (Matplotlib's SVG sizes are in points).
PX_PER_PT = 96 / 72


def svg_size(svg: bytes) -> tuple[int, int]:
    """The size of an SVG drawn by Matplotlib, in CSS pixels: (width, height) from its viewBox.

    Raises `ValueError` when the SVG has no usable viewBox.
    """
    m = _VIEWBOX.search(svg[:4000])
    if m is None:
        raise ValueError(f"no viewBox in the SVG starting {svg[:80]!r}")
    width, height = float(m.group(3)), float(m.group(4))
    if not (width > 0 and height > 0):
        raise ValueError(f"the SVG's viewBox has no area: {m.group(0)!r}")
    return round(width * PX_PER_PT), round(height * PX_PER_PT)


class Figures(BasePlugin[FiguresConfig]):
    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.specs: dict[str, registry.FigureSpec] = {}
        self.sizes: dict[str, tuple[int, int]] = {}

    def on_files(self, files: Files, *, config: MkDocsConfig):
        self.specs = self.cache.figure_specs()
        report = self.cache.ensure_figures(self.specs, jobs=self.config.jobs)
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

    def size(self, name: str) -> tuple[int, int]:
        """The CSS-pixel size of figure `name` (from its SVG in the cache)."""
        if name not in self.sizes:
            path = self.cache.figure_path(name, "svg")
            try:
                self.sizes[name] = svg_size(path.read_bytes())
            except (OSError, ValueError) as err:
                raise PluginError(f"figure {name!r}: cannot read its size from {path.name}: {err}") from None
        return self.sizes[name]

    def figure_html(self, spec: registry.FigureSpec, number: int, page_url: str) -> str:
        """The ``<figure>`` of `spec`, numbered `number`, on the page at `page_url`."""
        def url(fmt: str) -> str:
            return get_relative_url(f"{self.config.folder}/{spec.name}.{fmt}", page_url)

        width, height = self.size(spec.name)
        lazy = ' loading="lazy"' if number > self.config.eager else ""

        links = " · ".join(
            f'<a href="{url(fmt)}" download>{fmt.upper()}</a>' for fmt in FORMATS
        )
        return (
            f'<figure class="initnotes-figure" id="fig-{spec.name}" markdown="1">\n'
            f'<a class="initnotes-figure-open" href="{url("svg")}">'
            f'<img src="{url("svg")}" alt="{html.escape(spec.alt, quote=True)}" width="{width}" '
            f'height="{height}"{lazy} decoding="async"></a>\n'
            f'<figcaption markdown="span"><strong>Figure {number}.</strong> {spec.caption} '
            f'<span class="initnotes-downloads">Download: {links}</span></figcaption>\n'
            f"</figure>"
        )

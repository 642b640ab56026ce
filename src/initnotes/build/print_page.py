"""Print page repair: mend the dead in-page links of mkdocs-print-site-plugin's page
(the whole course on one page), after the build, with `initnotes.printpage`, and let its
figures load lazily again.

The plugin strips ``loading="lazy"`` from every image so that a printed page has them
all; Chromium, Firefox and Safari load lazy images when a page is printed, so the figures
after the first few get it back: a reader who opens the page only to read it does not
download the course's two dozen figures at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.utils import get_relative_url

from initnotes import printpage
from initnotes.build.base import log

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


class PrintPageConfig(Config):
    #: The name of the print-site plugin in ``mkdocs.yml``.
    plugin = opt.Type(str, default="print-site")
    #: How many figures at the top of the print page load at once (the rest lazily).
    eager_figures = opt.Type(int, default=2)


_FIGURE_IMG = re.compile(r'<img (?=[^>]*\bsrc="[^"]*figures/[^"]+\.svg")(?![^>]*\bloading=)')


def lazy_figures(html: str, eager: int) -> tuple[str, int]:
    """`html` with ``loading="lazy"`` on every figure image after the first `eager`; (html, count)."""
    seen = 0

    def mark(m: re.Match) -> str:
        nonlocal seen
        seen += 1
        return m.group(0) if seen <= eager else '<img loading="lazy" '

    out = _FIGURE_IMG.sub(mark, html)
    return out, max(0, seen - eager)


class PrintPage(BasePlugin[PrintPageConfig]):
    def on_post_build(self, *, config: MkDocsConfig):
        plugin = config.plugins.get(self.config.plugin)
        if plugin is None:
            return
        site_dir = Path(config.site_dir)
        name = plugin.config.get("print_page_basename") or "print_page"
        path = site_dir / name / "index.html"
        if not path.exists():
            path = site_dir / f"{name}.html"
        if not path.exists():
            return
        html = path.read_text(encoding="utf-8")
        html, lazy = lazy_figures(html, self.config.eager_figures)
        if lazy:
            path.write_text(html, encoding="utf-8")
            log.info(f"initnotes: print page, {lazy} figures load lazily")
        missing = printpage.missing_targets(html)
        if not missing:
            return
        print_url = path.relative_to(site_dir).as_posix().removesuffix("index.html")
        pages: dict[str, set[str]] = {}  # URL of every other page -> its anchors
        for page in sorted(site_dir.rglob("*.html")):
            if page != path:
                url = page.relative_to(site_dir).as_posix().removesuffix("index.html")
                pages[url] = printpage.anchors(page.read_text(encoding="utf-8"))
        by_key = {printpage.page_key(url): url for url in pages}

        def elsewhere(target: str) -> str | None:
            if target in by_key:  # a page the print page leaves out
                return get_relative_url(by_key[target], print_url)
            for key, url in by_key.items():  # an anchor on such a page
                if target.startswith(key + "-") and target[len(key) + 1:] in pages[url]:
                    return get_relative_url(url, print_url) + "#" + target[len(key) + 1:]
            having = [url for url, ids in pages.items() if target in ids]
            if len(having) == 1:  # e.g. an API entry of the reference
                return get_relative_url(having[0], print_url) + "#" + target
            return None

        html, changed = printpage.repair(html, elsewhere)
        path.write_text(html, encoding="utf-8")
        log.info(f"initnotes: print page, {changed} anchors and links mended")

"""Math: every formula typeset into the HTML at build time (`initnotes.typeset`).

post_page: the arithmatex elements of each page (articles, the API reference's
docstrings) and the TeX of the tutorials' markdown cells become KaTeX's HTML, so a reader
gets math with JavaScript off and runs no KaTeX; a formula KaTeX rejects fails the build,
naming the page. It runs after the search plugin has indexed the page, so the index holds
the TeX and not KaTeX's markup. post_build: the same for the print page, which
mkdocs-print-site-plugin assembles from the pages' HTML before ``post_page``, and the
typeset formulas are stored beside the build's other caches for the next build.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from initnotes import typeset
from initnotes.build.base import log

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page


class TypesetConfig(Config):
    #: The KaTeX copy (relative to ``docs/``) that typesets and whose CSS the pages link.
    script = opt.Type(str, default="assets/vendor/katex/katex.min.js")
    #: The name of the print-site plugin in ``mkdocs.yml``.
    print_plugin = opt.Type(str, default="print-site")


class Typeset(BasePlugin[TypesetConfig]):
    def __init__(self, store: Path | None) -> None:
        self.store = store  # the folder of the typeset formulas kept between builds
        self.katex: typeset.KaTeX | None = None  # started by the first formula
        self.script = Path()
        self.formulas = 0

    def on_config(self, config: MkDocsConfig):
        self.script = Path(config.docs_dir) / self.config.script

    def render(self, tex: str, display: bool) -> str:
        if self.katex is None:
            if not self.script.is_file():
                raise typeset.MathError(f"the page has math and there is no KaTeX at {self.config.script}")
            self.katex = typeset.KaTeX(self.script)
            if self.store is not None:
                self.katex.load(self.store)
        return self.katex.render(tex, display)

    def _typeset(self, output: str, where: str) -> str:
        try:
            output, n = typeset.typeset_arithmatex(output, self.render)
            if "jp-RenderedMarkdown" in output:
                output, m = typeset.typeset_notebook(output, self.render)
                n += m
        except typeset.MathError as err:
            raise PluginError(f"{where}: {err}") from None
        self.formulas += n
        return output

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig):
        return self._typeset(output, page.file.src_uri)

    def on_post_build(self, *, config: MkDocsConfig):
        plugin = config.plugins.get(self.config.print_plugin)
        if plugin is not None:
            name = plugin.config.get("print_page_basename") or "print_page"
            site_dir = Path(config.site_dir)
            for path in (site_dir / name / "index.html", site_dir / f"{name}.html"):
                if path.exists():
                    html = path.read_text(encoding="utf-8")
                    new = self._typeset(html, path.relative_to(site_dir).as_posix())
                    if new != html:
                        path.write_text(new, encoding="utf-8")
                    break
        if self.katex is None:
            return
        saved = self.store is not None and self.katex.save(self.store)
        log.info(f"initnotes: math, {self.formulas} formulas typeset at build time "
                 f"({self.katex.rendered} by KaTeX, the rest stored{', store updated' if saved else ''})")

"""Explorer: the data files of the explorer page, next to the page, computed once per
fingerprint (`initnotes.explorer`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from initnotes.build.base import log
from initnotes.render import Cache

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

#: The explorer's page (initnotes.explorer.PAGE, which tests/test_explorer.py checks):
#: named here so that a site without it never imports the explorer and, through it, the
#: experiments (a broken package then fails where it is used, e.g. in a tutorial).
EXPLORER_PAGE = "explore/index.md"


class ExplorerConfig(Config):
    page = opt.Type(str, default=EXPLORER_PAGE)


class Explorer(BasePlugin[ExplorerConfig]):
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def on_files(self, files: Files, *, config: MkDocsConfig):
        page = files.get_file_from_path(self.config.page)
        if page is None:
            return
        from initnotes import explorer

        paths, seconds = explorer.ensure_data(self.cache.dir / "explorer", fingerprint=self.cache.fp)
        done = "from cache" if seconds is None else f"computed in {seconds:.2f} s"
        log.info(f"initnotes: explorer data {done}")
        folder = page.src_uri.rpartition("/")[0]
        for name, path in paths.items():
            files.append(File.generated(config, f"{folder}/{name}", abs_src_path=str(path)))

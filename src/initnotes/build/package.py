"""Package: the wheel of `initnotes` on the site, for the tutorials' install cell.

The wheel (`initnotes.publish`) is built once per source into the cache and served at
``downloads/initnotes-VERSION-py3-none-any.whl``; every tutorial's first code cell
installs it (`initnotes.build.tutorials`). A build whose package is not in a project
folder (an installed copy) serves no wheel.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File

from initnotes import assets, publish
from initnotes.build.base import log
from initnotes.render import Cache

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


class PackageConfig(Config):
    pass


class Package(BasePlugin[PackageConfig]):
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def on_files(self, files: Files, *, config: MkDocsConfig):
        start = time.perf_counter()
        try:
            wheel = assets.wheel(self.cache)
        except publish.WheelError as err:
            raise PluginError(str(err)) from None
        if wheel is None:
            log.info("initnotes: the package is not in a project folder; the site serves no wheel")
            return
        path, built = wheel
        log.info(f"initnotes: wheel {path.name} {'built' if built else 'from cache'}, "
                 f"{time.perf_counter() - start:.2f} s")
        files.append(File.generated(config, publish.wheel_path(), abs_src_path=str(path)))

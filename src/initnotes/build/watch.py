"""Watch: while ``mkdocs serve`` runs, a change to the package rebuilds the site, as a
change to a page does (MkDocs watches ``docs/`` and ``mkdocs.yml`` itself).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

import initnotes

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

#: The package's folder: every figure, value and tutorial depends on its files.
PACKAGE_DIR = Path(initnotes.__file__).parent


class WatchConfig(Config):
    pass


class Watch(BasePlugin[WatchConfig]):
    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder):
        server.watch(str(PACKAGE_DIR))
        return server

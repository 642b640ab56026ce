"""Watch: while ``mkdocs serve`` runs, a change to the package rebuilds the site, as a
change to a page does (MkDocs watches ``docs/`` and ``mkdocs.yml`` itself).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

import initnotes

#: The package's folder: every figure, value and tutorial depends on its files.
PACKAGE_DIR = Path(initnotes.__file__).parent


class WatchConfig(Config):
    pass


class Watch(BasePlugin[WatchConfig]):
    def on_serve(self, server, *, config, builder):
        server.watch(str(PACKAGE_DIR))
        return server

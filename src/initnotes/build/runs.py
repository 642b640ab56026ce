"""Runs: every experiment run the pages declare, computed once per build.

The results live in the fingerprint cache (`initnotes.runs`); this feature makes that
store the one figures and values read from, and computes before them whatever is not in
it yet, so a figure and the number beside it read the same result.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from initnotes import assets, runs
from initnotes.build.base import log
from initnotes.render import Cache

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


class RunsConfig(Config):
    #: Processes that compute runs at once (None: one per core).
    jobs = opt.Optional(opt.Type(int))


class Runs(BasePlugin[RunsConfig]):
    def __init__(self, cache: Cache) -> None:
        self.cache = cache

    def on_config(self, config: MkDocsConfig):
        runs.activate(self.cache.dir)  # every run result of this build lives in this cache

    def on_files(self, files: Files, *, config: MkDocsConfig):
        start = time.perf_counter()
        computed, reused = assets.runs(self.cache, jobs=self.config.jobs)
        log.info(f"initnotes: runs: {len(computed)} computed, {len(reused)} reused")
        if computed:
            seconds = self.cache.run_store.seconds
            slow = sorted(computed, key=lambda n: -seconds.get(n, 0.0))[:3]
            log.info(f"initnotes: runs computed in {time.perf_counter() - start:.2f} s (slowest: "
                     + ", ".join(f"{n} {seconds.get(n, 0.0):.1f} s" for n in slow) + ")")

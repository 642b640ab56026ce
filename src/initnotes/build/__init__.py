"""The site's build, as a list of features that MkDocs's events reach in a fixed order.

``src/initnotes/mkdocs_hook.py`` (the hook in ``mkdocs.yml``) is a `Dispatcher` over
`features`: at ``on_config`` it asks for the features of the build that starts, new
objects each time, and forwards every event in `EVENTS` to each feature that has a
method for it, in this order:

==================  =====================================================================
feature             what it does, by event
==================  =====================================================================
`Addresses`         config: checks the site's and the repository's addresses (from the
                    environment), links the repository from the footer
`Citations`         config: reads ``CITATION.cff``, checks it against the package and
                    mike; page_markdown: fills ``{{ cite:... }}``, appends "Cite this
                    page" (so it must see the ``{{ figure:... }}`` placeholders)
`Glossary`          config: adds the term-linking Markdown extension; page_markdown: tells
                    it whether and where to the page links
`Plain`             (plain builds only) config: no plugin executes notebooks; files: says
                    so; page_markdown: removes ``{{ figure:... }}`` and ``{{ value:... }}``
`Runs`              config: makes the cache's run store the active one; files: computes
                    every declared run not cached yet, before any figure or value
`Figures`           files: draws and adds every figure; page_markdown: ``{{ figure:NAME }}``
`Values`            page_markdown: ``{{ value:NAME }}``
`Explorer`          files: the explorer page's data files
`Package`           files: builds the package's wheel (cached) and adds it to the site
`SearchExclusions`  page_content: marks boilerplate headings ``data-search-exclude``
`Tutorials`         config: checks mkdocs-jupyter's options; files: executes the tutorials
                    (each starting with the install cell of the site's wheel),
                    adds downloads and shared assets; page_content: tidies a tutorial's
                    HTML; post_page: links the shared CSS and script
`PrintPage`         post_build: mends the print page's dead links
`Watch`             serve: rebuilds when the package changes
==================  =====================================================================

A plain build (``INITNOTES_PLAIN=1``) has `Plain` instead of `Runs`, `Figures`, `Values`,
`Explorer` and `Package`, a `Tutorials` without a cache (it executes nothing), and no `PrintPage`.
Every feature is a `mkdocs.plugins.BasePlugin` with a typed config (`initnotes.build.base`);
what one build computes is on the feature objects of that build, nowhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.plugins import BasePlugin

from initnotes.build.addresses import Addresses
from initnotes.build.base import configure
from initnotes.build.citations import Citations
from initnotes.build.dispatch import EVENTS, Dispatcher, handles
from initnotes.build.explorer import Explorer
from initnotes.build.figures import Figures
from initnotes.build.glossary import Glossary
from initnotes.build.plain import Plain, plain_mode
from initnotes.build.package import Package
from initnotes.build.print_page import PrintPage
from initnotes.build.runs import Runs
from initnotes.build.search import SearchExclusions
from initnotes.build.tutorials import Tutorials
from initnotes.build.values import Values
from initnotes.build.watch import Watch
from initnotes.render import Cache

__all__ = [
    "EVENTS", "Addresses", "Citations", "Dispatcher", "Explorer", "Figures", "Glossary", "Package", "Plain", "PrintPage",
    "Runs", "SearchExclusions", "Tutorials", "Values", "Watch", "cache_root", "features",
    "handles", "plain_mode",
]


def cache_root(config) -> Path:
    """Where the build caches what it computes: ``$INITNOTES_CACHE_DIR``, else
    ``.cache/initnotes`` beside ``mkdocs.yml``."""
    env = os.environ.get("INITNOTES_CACHE_DIR")
    if env:
        return Path(env)
    return Path(config.config_file_path).resolve().parent / ".cache" / "initnotes"


def features(config) -> list[BasePlugin]:
    """The features of the build about to run with `config`, in the order events reach them."""
    if plain_mode():
        chosen = [Addresses(), Citations(), Glossary(), Plain(), SearchExclusions(),
                  Tutorials(cache=None), Watch()]
    else:
        cache = Cache(cache_root(config))  # this fingerprint's figures, values, runs, notebooks
        chosen = [Addresses(), Citations(), Glossary(), Runs(cache), Figures(cache), Values(cache),
                  Explorer(cache), Package(cache), SearchExclusions(), Tutorials(cache),
                  PrintPage(), Watch()]
    return [configure(feature) for feature in chosen]

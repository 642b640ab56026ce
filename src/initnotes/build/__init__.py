"""The site's build, as a list of features that MkDocs's events reach in a fixed order.

``src/initnotes/mkdocs_hook.py`` (the hook in ``mkdocs.yml``) is a `Dispatcher` over
`features`: at ``on_config`` it asks for the features of the build that starts, new
objects each time, and forwards every event in `EVENTS` to each feature that has a
method for it, in this order:

==================  =====================================================================
feature             what it does, by event
==================  =====================================================================
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
`Tutorials`         config: checks mkdocs-jupyter's options; files: executes the tutorials,
                    adds downloads and shared assets (under ``serve``, a failing
                    tutorial's page shows its error instead); page_content: tidies a
                    tutorial's HTML; post_page: links the shared CSS and script
`NotebookStyles`    post_page: collects the classes the tutorial pages use; post_build: cuts
                    the shared JupyterLab stylesheet down to the rules they can use
`SearchExclusions`  page_content: marks boilerplate headings and blocks that are not prose
                    (code outputs, download links) ``data-search-exclude``
`PrintPage`         post_build: mends the print page's dead links
`Typeset`           post_page: typesets each page's math (KaTeX, at build time); post_build:
                    the print page's, and stores the formulas for the next build
`Watch`             serve: rebuilds when the package changes
==================  =====================================================================

A plain build (``INITNOTES_PLAIN=1``) has `Plain` instead of `Runs`, `Figures`, `Values`
and `Explorer`, a `Tutorials` without a cache (it executes nothing), and no `PrintPage`
or `NotebookStyles`;
its math is typeset all the same.
Every feature is a `mkdocs.plugins.BasePlugin` with a typed config (`initnotes.build.base`);
what one build computes is on the feature objects of that build, nowhere else.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.plugins import BasePlugin

from initnotes.build.base import configure
from initnotes.build.citations import Citations
from initnotes.build.dispatch import EVENTS, Dispatcher, handles
from initnotes.build.explorer import Explorer
from initnotes.build.figures import Figures
from initnotes.build.glossary import Glossary
from initnotes.build.notebook_styles import NotebookStyles
from initnotes.build.plain import Plain, plain_mode
from initnotes.build.print_page import PrintPage
from initnotes.build.runs import Runs
from initnotes.build.search import SearchExclusions
from initnotes.build.tutorials import Tutorials
from initnotes.build.typeset import Typeset
from initnotes.build.values import Values
from initnotes.build.watch import Watch
from initnotes.render import Cache

__all__ = [
    "EVENTS", "Citations", "Dispatcher", "Explorer", "Figures", "Glossary", "NotebookStyles", "Plain",
    "PrintPage",
    "Runs", "SearchExclusions", "Tutorials", "Typeset", "Values", "Watch", "cache_root", "features",
    "handles", "plain_mode",
]


def cache_root(config) -> Path:
    """Where the build caches what it computes: ``$INITNOTES_CACHE_DIR``, else
    ``.cache/initnotes`` beside ``mkdocs.yml``."""
    env = os.environ.get("INITNOTES_CACHE_DIR")
    if env:
        return Path(env)
    return Path(config.config_file_path).resolve().parent / ".cache" / "initnotes"


def features(config, command: str = "build") -> list[BasePlugin]:
    """The features of the build about to run with `config`, in the order events reach them
    (`command`: "serve" under ``mkdocs serve``, where a failing tutorial shows its error on
    its page instead of failing the build)."""
    formulas = cache_root(config) / "math"  # typeset formulas, whatever the fingerprint
    if plain_mode():
        # Typeset, but store nothing: a plain build leaves no cache behind.
        chosen = [Citations(), Glossary(), Plain(), Tutorials(cache=None), SearchExclusions(),
                  Typeset(None), Watch()]
    else:
        cache = Cache(cache_root(config))  # this fingerprint's figures, values, runs, notebooks
        chosen = [Citations(), Glossary(), Runs(cache), Figures(cache), Values(cache),
                  Explorer(cache), Tutorials(cache, serving=command == "serve"), NotebookStyles(),
                  SearchExclusions(), PrintPage(), Typeset(formulas), Watch()]
    return [configure(feature) for feature in chosen]

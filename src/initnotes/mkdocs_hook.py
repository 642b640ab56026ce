"""The MkDocs hook of the site (``hooks:`` in ``mkdocs.yml``): a dispatcher, nothing more.

MkDocs treats a hook module as a plugin and calls its ``on_*`` functions. Each one here
hands its event to the features of the current build (figures, values, runs, explorer
data, tutorials, citations, glossary, search exclusions, print page, plain mode, watching
the package under ``mkdocs serve``), which ``on_config`` creates afresh for every build.
Which features there are, what each does and the order events reach them: see
`initnotes.build`.
"""

from __future__ import annotations

import os

# One BLAS thread for the figure builds (set before numpy is first imported, which happens
# below through `initnotes`): the matrices are small, and on a shared 2-core machine
# OpenBLAS's threads made QR and SVD calls 10-100x slower. The figure workers inherit it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from initnotes.build import Dispatcher, features  # noqa: E402

_build = Dispatcher(features)

on_startup = _build.on_startup
on_config = _build.on_config
on_files = _build.on_files
on_page_markdown = _build.on_page_markdown
on_page_content = _build.on_page_content
on_post_page = _build.on_post_page
on_post_build = _build.on_post_build
on_serve = _build.on_serve

"""Shared fixtures."""

from __future__ import annotations

import os

# One BLAS thread: the matrices here are small (at most a few hundred rows), where
# OpenBLAS's threads cost more than they save, and on a shared 2-core machine they made
# QR and SVD calls 10-100x slower. Must be set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Order the tests so that two workers stay busy, with the browser tests last.

    The browser tests drive Chromium through Playwright's synchronous API, which keeps an
    asyncio event loop running in its process until the session ends; tests that call
    `asyncio.run` (notebook execution with nbclient) cannot run there after it, so they
    run last. The `xdist_group` mark is kept for when pytest-xdist honours it again: with
    pytest 9.2 and pytest-xdist 3.8, `--dist loadgroup` ignores it (xdist renames
    `item._nodeid`, which pytest 9 no longer reads). The strict build the site checks
    read, and the visit of every page, are made once per run in the background from the
    start (`tests/site/shared_build.py`), so no worker repeats them.
    """
    def uses_browser(item) -> bool:
        return item.get_closest_marker("browser") is not None or "browser" in getattr(
            item, "fixturenames", ())

    def order(item) -> int:
        if uses_browser(item):
            return 2
        # The second clean build (determinism) first: it runs beside the shared one.
        return 0 if item.get_closest_marker("cold_build") is not None else 1

    items.sort(key=order)  # stable: the order within each group is kept
    for item in items:
        if uses_browser(item):
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_sessionstart(session):
    """Start the shared strict build of the site when site checks are selected."""
    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller starts it
        return
    shared_build = _shared_build()
    if shared_build and shared_build.selected(session.config):
        shared_build.start(shared_build.folder(session.config),
                           visit=shared_build.browser_selected(session.config))


def pytest_sessionfinish(session):
    shared_build = _shared_build()
    if shared_build and not hasattr(session.config, "workerinput"):
        shared_build.stop()


def _shared_build():
    try:
        import shared_build
    except ImportError:  # a copy of the project without the site checks
        return None
    return shared_build

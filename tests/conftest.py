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


def pytest_collection_modifyitems(session, config, items):
    """Run the browser tests last.

    They share one Chromium, driven by Playwright's synchronous API, which keeps an
    asyncio event loop running in this thread until the session ends; tests that call
    `asyncio.run` (notebook execution with nbclient) cannot run while it does.
    """
    def uses_browser(item) -> bool:
        return item.get_closest_marker("browser") is not None or "browser" in getattr(
            item, "fixturenames", ())

    items.sort(key=uses_browser)  # stable: the order within each group is kept
    # Under pytest-xdist (`make test`), every check of the built site runs in one worker, which
    # builds the site once; the other tests spread over the remaining workers.
    import pytest

    for item in items:
        if item.get_closest_marker("site") is not None or "/tests/site/" in str(item.fspath):
            item.add_marker(pytest.mark.xdist_group("site"))

"""Fixtures for the checks of the built site.

The strict build they read is made once per test run, in the background from the start of
the run, and shared by every worker (`shared_build.py` beside this file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import shared_build  # noqa: E402  (a plain module beside this file)
from shared_build import ROOT, Build, build_site  # noqa: E402,F401


@pytest.fixture(scope="session")
def built(pytestconfig) -> Build:
    """The site, built once per run from a clean cache (shared by every worker).

    Tests must not write into it; a build that wants its cache warm copies it
    (`warm_cache`)."""
    return shared_build.wait(shared_build.folder(pytestconfig))


@pytest.fixture
def warm_cache(built, tmp_path) -> Path:
    """A copy of the shared build's cache, for a build of a test's own."""
    import shutil

    return Path(shutil.copytree(built.cache, tmp_path / "warm-cache"))


@pytest.fixture(scope="session")
def site(built) -> Path:
    return built.site


@pytest.fixture(scope="session")
def builder():
    """`build_site` itself, for tests that need builds of their own."""
    return build_site


# --------------------------------------------------------------------------- scans of the build

import sitelib  # noqa: E402  (a plain module beside this file, shared with the benchmark)


@pytest.fixture(scope="session")
def site_config() -> dict:
    """mkdocs.yml as data (tags left unresolved)."""
    return sitelib.read_config(ROOT / "mkdocs.yml")


@pytest.fixture(scope="session")
def site_url(site_config) -> str:
    return sitelib.site_url(site_config)


@pytest.fixture(scope="session")
def scanned(site) -> dict[str, sitelib.HtmlScan]:
    """Every built HTML file, by its path relative to the site, parsed once."""
    return {p.relative_to(site).as_posix(): sitelib.scan_html(p.read_text(encoding="utf-8"))
            for p in sitelib.html_pages(site)}


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def served(site, site_config) -> str:
    """The built site served on 127.0.0.1 under the path it is published at (site_url's path)."""
    with sitelib.serve(site, sitelib.site_prefix(site_config)) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's, driven by Playwright).

    Without Chromium the browser tests skip on a developer machine and fail under CI
    (CI=true), where `.ci/run` installs it.
    """
    path = sitelib.chromium_path()
    if path is None:
        message = f"Chromium not found: {sitelib.INSTALL_HINT}"
        if sitelib.under_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=sitelib.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def visits(request, pytestconfig, scanned):
    """Every built page visited once; what the browser saw, by site-relative path.

    Made in the background right after the shared build (`browsing.visit_site`), once
    for all workers; here only when this run did not start that."""
    try:
        done = shared_build.visits(shared_build.folder(pytestconfig))
    except LookupError:
        request.getfixturevalue("browser")  # skips, or fails under CI, as every browser test
        raise
    if done is not None:
        assert sorted(done) == sorted(scanned)
        return done
    import browsing

    browser, served = request.getfixturevalue("browser"), request.getfixturevalue("served")
    return browsing.visit_all(browser, served, sorted(scanned))

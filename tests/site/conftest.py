"""A strict build of the site, made once per test session into a temporary folder.

`build_site` runs `mkdocs build --strict` as a subprocess (exactly what `make site` does)
with its own figure cache, so the checks here never depend on an earlier build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EPOCH = "1764115200"


@dataclass(frozen=True)
class Build:
    site: Path
    cache: Path
    log: str


def build_site(dest: Path, cache: Path, config: Path = ROOT / "mkdocs.yml",
               extra_env: dict[str, str] | None = None) -> Build:
    env = dict(os.environ, INITNOTES_CACHE_DIR=str(cache), SOURCE_DATE_EPOCH=EPOCH,
               PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.pop("INITNOTES_PLAIN", None)
    env.pop("INITNOTES_REPO_URL", None)
    env["INITNOTES_SITE_URL"] = sitelib.SITE_URL  # published somewhere, as by the Pages workflow
    env.update(extra_env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(dest)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    return Build(dest, cache, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Build:
    """The site, built once from a clean cache."""
    tmp = tmp_path_factory.mktemp("build")
    return build_site(tmp / "site", tmp / "cache")


@pytest.fixture(scope="session")
def site(built) -> Path:
    return built.site


@pytest.fixture(scope="session")
def builder():
    """`build_site` itself, for tests that need builds of their own."""
    return build_site


# --------------------------------------------------------------------------- scans of the build

sys.path.insert(0, str(Path(__file__).resolve().parent))
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
def visits(browser, served, scanned):
    """Every built page visited once; what the browser saw, by site-relative path."""
    import browsing

    return browsing.visit_all(browser, served, sorted(scanned))

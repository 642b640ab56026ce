"""ProperDocs 1.6.7 (the maintained fork of MkDocs 1.6) builds the same site.

`make site-properdocs` runs ``python -m properdocs build --strict`` on the same
``mkdocs.yml``; here that build reuses the session build's cache (nothing is computed
again, a few seconds), and must give the same pages, byte-identical figures, the same
wheel and notebooks, and pass the render check.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from initnotes import publish, sitecheck

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import sitelib  # noqa: E402
EPOCH = "1764115200"

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def properdocs_site(built, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("properdocs") / "site"
    env = dict(os.environ, INITNOTES_CACHE_DIR=str(built.cache), SOURCE_DATE_EPOCH=EPOCH,
               PYTHONHASHSEED="0", MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1")
    for var in ("INITNOTES_PLAIN", "INITNOTES_REPO_URL"):
        env.pop(var, None)
    env["INITNOTES_SITE_URL"] = sitelib.SITE_URL  # the session build's address (conftest)
    proc = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict",
                           "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(dest)],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "runs: 0 computed" in proc.stderr + proc.stdout  # the session's cache was reused
    return dest


def files_under(site: Path, pattern: str) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.glob(pattern) if p.is_file()}


def test_properdocs_builds_the_same_pages(site, properdocs_site):
    assert files_under(properdocs_site, "**/*.html") == files_under(site, "**/*.html")


def test_properdocs_site_has_byte_identical_figures_wheel_and_notebooks(site, properdocs_site):
    for pattern in ("figures/*", f"{publish.WHEEL_FOLDER}/*", "tutorials/*/*.ipynb",
                    "tutorials/*/*.png"):
        names = files_under(site, pattern)
        assert names, pattern
        assert files_under(properdocs_site, pattern) == names, pattern
        different = [n for n in sorted(names)
                     if (site / n).read_bytes() != (properdocs_site / n).read_bytes()]
        assert not different, different


def test_properdocs_site_passes_the_render_check(properdocs_site, built, monkeypatch):
    monkeypatch.setenv("INITNOTES_CACHE_DIR", str(built.cache))
    problems, pages = sitecheck.check_site(properdocs_site, ROOT / "docs")
    assert pages > 20 and not problems, "\n".join(map(str, problems))


def test_every_other_file_is_the_same_but_for_the_generator_tag(site, properdocs_site):
    """Beyond the figures: every page is the same bytes, but for ``<meta name="generator">``
    (``mkdocs-1.6.1`` against ``mkdocs-ProperDocs 1.6.7``)."""
    import re

    generator = re.compile(rb'<meta name="generator" content="[^"]*">')
    names = files_under(site, "**/*")
    assert files_under(properdocs_site, "**/*") == names
    different = []
    for name in sorted(names):
        a, b = (site / name).read_bytes(), (properdocs_site / name).read_bytes()
        if a != b and generator.sub(b"", a) != generator.sub(b"", b):
            different.append(name)
    assert not different, different

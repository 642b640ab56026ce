"""The render check (`initnotes.sitecheck`, ``python -m initnotes check-site``) passes on
the built site and catches a page that lost a figure, a value or its install cell."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from initnotes import placeholders, sitecheck

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def value_text(built, tmp_path_factory) -> dict[str, str]:
    """Every value the pages use, as the build cached it."""
    folder = next(p for p in built.cache.iterdir() if (p / "values").is_dir())
    return {p.stem: p.read_text(encoding="utf-8") for p in (folder / "values").glob("*.md")}


def test_every_page_carries_its_figures_and_values(site, value_text):
    problems, pages = sitecheck.check_site(site, DOCS, value_text)
    assert pages >= len(list(DOCS.rglob("*.md"))) and not problems, "\n".join(map(str, problems))


def a_page_with(kind: str) -> str:
    for path in sorted(DOCS.rglob("*.md")):
        if placeholders.names(path.read_text(encoding="utf-8"), kind):
            return path.relative_to(DOCS).as_posix()
    raise AssertionError(f"no page has a {kind}")


def test_the_check_catches_what_a_generator_without_the_hook_leaves(site, value_text, tmp_path):
    broken = tmp_path / "site"
    shutil.copytree(site, broken)
    fig_page = sitecheck.page_file(broken, a_page_with("figure"))
    fig_page.write_text(re.sub(r'<figure\b[^>]*id="fig-.*?</figure>', "", fig_page.read_text(
        encoding="utf-8"), flags=re.S), encoding="utf-8")
    source = a_page_with("value")
    name = placeholders.names((DOCS / source).read_text(encoding="utf-8"), "value")[0]
    value_page = sitecheck.page_file(broken, source)
    value_page.write_text("<html><body><p>{{ value:" + name + " }}</p></body></html>",
                          encoding="utf-8")
    tutorial = next((broken / "tutorials").glob("*/index.html"))
    tutorial.write_text(tutorial.read_text(encoding="utf-8").replace("Installs initnotes", "x"),
                        encoding="utf-8")
    problems, _ = sitecheck.check_site(broken, DOCS, value_text)
    text = "\n".join(map(str, problems))
    assert f"{a_page_with('figure')}: figure" in text
    assert f"{source}: value {name!r}" in text and "placeholder was left" in text
    assert "has no install cell" in text


def test_no_page_depends_on_the_path_the_site_is_served_from(site):
    """Every link, script and Material's base are relative (the print page's base too), so
    the site works from / and from /any/path/. Only 404.html is absolute, by design: it is
    served at any missing address, and its links follow site_url."""
    absolute = re.compile(r'\b(?:href|src)="/(?!/)[^"]*"|"base": "/[^"]*"')
    found = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        hits = absolute.findall(path.read_text(encoding="utf-8"))
        if hits:
            found[rel] = hits[:3]
    assert not found, found

"""Light pages: math typeset at build time, figures that reserve their size and load
lazily, a search that loads only when used, and the weight of a few representative
pages (the full weighing, with Lighthouse, is `make bench`)."""

from __future__ import annotations

import json
import re

import pytest
import sitelib
from browsing import PHONE
from sitelib import listing

pytestmark = pytest.mark.site

#: Representative pages and the most HTML each may have (issue targets: articles 150 KB,
#: tutorial pages 200 KB, API reference pages 400 KB; reference/experiments/, the largest,
#: is held to its target by `make bench`).
HTML_LIMITS = {
    "concepts/he/index.html": 150_000,
    "concepts/xavier/index.html": 150_000,
    "tutorials/symmetry/index.html": 200_000,
    "reference/init/index.html": 400_000,
}
#: The search index (fetched only when a reader searches) holds prose only.
SEARCH_INDEX_LIMIT = 400_000

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
IMG = re.compile(r"<img\b[^>]*>")


def _pages(site):
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sitelib.html_pages(site)}


@pytest.fixture(scope="module")
def pages(site):
    return _pages(site)


def test_math_is_typeset_in_the_html(pages):
    """Every arithmatex element of every page (articles, API reference, print page) holds
    MathML as built (MathML Core: no mathvariant letters left), and no page loads a script,
    stylesheet or font for math."""
    problems, typeset = [], 0
    for rel, text in pages.items():
        for _tag, body in ARITHMATEX.findall(text):
            if not body.startswith('<span class="katex"><math xmlns="http://www.w3.org/1998/Math/MathML"'):
                problems.append(f"{rel}: not typeset: {body[:80]!r}")
            elif re.search(r'mathvariant="(?!normal")', body):
                problems.append(f"{rel}: a mathvariant MathML Core does not draw: {body[:120]!r}")
            typeset += 1
        loads = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', text)
        problems += [f"{rel}: loads {s}" for s in loads if "katex" in s or "math.js" in s]
    assert typeset > 100, f"only {typeset} formulas found: is the detection working?"
    assert not problems, listing(problems, "math problems")


def test_no_katex_file_is_served(site):
    """KaTeX runs at build time only: none of its files is in the site."""
    assert not (site / "assets" / "vendor" / "katex").exists()


def test_figures_reserve_their_size_and_load_lazily_below_the_first(pages):
    """Each figure's image has width and height (the SVG's aspect ratio), decodes
    asynchronously, and links to its SVG; only the first figure of a page loads eagerly."""
    problems, seen = [], 0
    for rel, text in pages.items():
        eager = 2 if rel.startswith("print_page/") else 1  # see initnotes.build.print_page
        imgs = [i for i in IMG.findall(text) if re.search(r'src="[^"]*figures/[^"]+\.svg"', i)]
        for n, img in enumerate(imgs, 1):
            seen += 1
            if not re.search(r'\swidth="\d+"', img) or not re.search(r'\sheight="\d+"', img):
                problems.append(f"{rel}: figure {n} has no width/height: {img[:120]}")
            if 'decoding="async"' not in img:
                problems.append(f"{rel}: figure {n} does not decode asynchronously")
            if (n > eager) != ('loading="lazy"' in img):
                problems.append(f"{rel}: figure {n} is {'eager' if n > eager else 'lazy'}")
    assert seen > 20, f"only {seen} figures found"
    assert not problems, listing(problems, "figure problems")


@pytest.mark.parametrize("rel", sorted(HTML_LIMITS))
def test_representative_pages_stay_light(site, rel):
    size = (site / rel).stat().st_size
    assert size <= HTML_LIMITS[rel], f"{rel}: {size / 1000:.0f} KB of HTML, limit {HTML_LIMITS[rel] / 1000:.0f} KB"


def test_search_index_leaves_out_code_outputs(site):
    """The index holds prose: no tutorial output, no figure download links, and it is small."""
    path = site / "search" / "search_index.json"
    assert path.stat().st_size <= SEARCH_INDEX_LIMIT, f"search index {path.stat().st_size / 1000:.0f} KB"
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    text = " ".join(d["text"] for d in docs)
    assert "Download: SVG" not in text
    assert not re.search(r"\bOut\[\d+\]", text)


@pytest.mark.browser
def test_math_shows_with_javascript_off(browser, served):
    """With JavaScript off, a concept page and a tutorial show their formulas: the browser
    lays out the MathML (boxes with a size, a fraction taller than a line), no TeX shows."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        for rel in ("concepts/he/", "tutorials/symmetry/"):
            page.goto(served + rel, wait_until="load")
            page.wait_for_timeout(200)
            formulas = page.locator(".arithmatex math")
            assert formulas.count() > 0, rel
            first = formulas.first.bounding_box()
            assert first and first["width"] > 0 and first["height"] > 0, (rel, first)
            layout = page.locator(".arithmatex math").first.evaluate(
                "e => getComputedStyle(e).display")
            assert layout in {"inline math", "block math", "math"}, (rel, layout)  # MathML Core
            text = page.locator("article").inner_text()
            assert not re.search(r"\\\(|\\\[|\\(?:frac|sigma|mathbb)\b", text), rel
    finally:
        context.close()


@pytest.mark.browser
def test_search_loads_only_when_used(browser, served):
    """Opening a page fetches neither the search index nor the search worker; focusing
    the search box fetches both, and search then finds a page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        urls: list[str] = []
        page.on("request", lambda req: urls.append(req.url))
        page.goto(served + "concepts/symmetry/", wait_until="networkidle")
        page.wait_for_timeout(300)
        assert not [u for u in urls if "search_index" in u or "workers/search" in u], urls
        page.locator("label.md-search__icon, label[for='__search']").first.click()
        page.locator("input.md-search__input").fill("orthogonal")
        page.wait_for_function(
            "() => document.querySelector('.md-search-result__item a') !== null", timeout=15_000)
        assert [u for u in urls if u.endswith("search/search_index.json")]
        assert [u for u in urls if "workers/search" in u]
        hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
        assert any("concepts/orthogonal/" in h for h in hrefs), hrefs
    finally:
        context.close()

"""What a reader's browser shows: every built page in headless Chromium.

The pages are visited once per session (`visits` in conftest.py, see browsing.py);
these tests read what was recorded. Search and the colour toggle get pages of their own.
"""

from __future__ import annotations

import pytest
import sitelib
from browsing import DESKTOP
from sitelib import listing

pytestmark = [pytest.mark.site, pytest.mark.browser]

# A word typed into the search box, and the page (site-relative URL) it must find. A case
# runs once its page is in the nav of mkdocs.yml.
SEARCHES = [
    ("orthogonal", "concepts/orthogonal/"),
    ("symmetry", "concepts/symmetry/"),
]


def test_every_page_loads_without_errors(visits):
    """Each page answers 200 and logs no console error, throws no error, loads every file."""
    assert visits, "no page was visited"
    problems = []
    for path, v in visits.items():
        if v.status != 200:
            problems.append(f"{path}: HTTP {v.status}")
        problems += [f"{path}: console error: {m}" for m in v.console_errors]
        problems += [f"{path}: page error: {m}" for m in v.page_errors]
        problems += [f"{path}: {m}" for m in v.bad_responses]
        problems += [f"{path}: image did not load: {m}" for m in v.broken_images]
    assert not problems, listing(problems, "load errors")


def test_math_is_typeset(visits, scanned):
    """Pages with math show KaTeX output; no page shows TeX source or a KaTeX error."""
    problems = []
    with_math = 0
    for path, v in visits.items():
        m = v.math
        if scanned[path].has_math:
            with_math += 1
            if m["katex"] == 0:
                problems.append(f"{path}: the page has math but no KaTeX output")
        problems += [f"{path}: not typeset: {t!r}" for t in m["untypeset"]]
        problems += [f"{path}: KaTeX error: {t!r}" for t in m["errors"]]
        problems += [f"{path}: TeX left as text: ...{t}..." for t in m["raw"]]
    assert with_math > 0, "no page with math was found: is the detection working?"
    assert not problems, listing(problems, "math problems")


def test_every_figure_has_a_caption_and_text_alternatives(visits, scanned):
    """Each <figure>, as shown after scripts ran, has a caption, and each of its images,
    SVGs and canvases a text alternative (alt, aria-label, <title>), or is aria-hidden
    and described by the caption. Every <img> has alt text."""
    assert any(s.figures for s in scanned.values()), "no <figure> in the site: is the pipeline broken?"
    problems = [f"{path}: {p}" for path, v in visits.items() for p in v.figures]
    assert not problems, listing(problems, "figure problems")


def test_no_page_scrolls_sideways_on_a_phone(visits):
    """At 375 px wide no page is wider than the screen (wide formulas scroll in their box)."""
    problems = []
    for path, v in visits.items():
        p = v.phone
        if p["width"] > p["viewport"] + 1:
            problems.append(f"{path}: {p['width']} px wide at {p['viewport']} px; "
                            f"widest parts: {'; '.join(p['wide'])}")
    assert not problems, listing(problems, "pages wider than a phone")


@pytest.mark.parametrize(("word", "expected"), SEARCHES)
def test_search_finds_the_page(browser, served, site_config, word, expected):
    """Typing a word into the search box lists the page about it among the results."""
    nav_urls = {sitelib.page_url(src) for _, src in sitelib.nav_pages(site_config)}
    if expected not in nav_urls:
        pytest.skip(f"{expected} is not in the nav of mkdocs.yml yet: nothing to find")
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(served, wait_until="networkidle")
        box = page.locator("input.md-search__input")
        initial = page.locator(".md-search-result__meta").inner_text().strip()
        box.click()
        box.press_sequentially(word, delay=20)
        # Wait until Material has answered: a list of results, or its "no match" line.
        page.wait_for_function(
            """(initial) => {
              const meta = document.querySelector(".md-search-result__meta");
              return document.querySelector(".md-search-result__item a") !== null
                || (meta !== null && meta.textContent.trim() !== initial);
            }""", arg=initial, timeout=15_000)
        hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    finally:
        context.close()
    pages = {h.split("#")[0].split("?")[0] for h in hrefs}  # drop ?h=word (highlighting)
    assert served + expected in pages, f"searching {word!r} found {sorted(pages)}"


def _scheme(page):
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def _wait_background(page, dark: bool):
    """Wait until the page background is dark (or light), after any transition."""
    page.wait_for_function(
        """(dark) => {
          const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
          return dark ? r + g + b < 200 : r + g + b > 600;
        }""", arg=dark, timeout=5_000)


def test_colour_toggle_switches_and_persists(browser, served):
    """The header toggle turns the page dark and back, and the choice holds across pages."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    try:
        page = context.new_page()
        page.goto(served, wait_until="networkidle")
        toggle = page.locator('[data-md-component="palette"] label:not([hidden])')
        assert toggle.count() == 1, "no light/dark toggle in the header"
        assert _scheme(page) == "default"
        _wait_background(page, dark=False)

        toggle.click()
        assert _scheme(page) == "slate"
        _wait_background(page, dark=True)

        page.goto(served + "concepts/symmetry/", wait_until="networkidle")
        assert _scheme(page) == "slate", "the dark choice did not carry to the next page"
        _wait_background(page, dark=True)
        page.reload(wait_until="networkidle")
        assert _scheme(page) == "slate", "the dark choice did not survive a reload"

        toggle.click()
        assert _scheme(page) == "default"
        _wait_background(page, dark=False)
        page.goto(served, wait_until="networkidle")
        assert _scheme(page) == "default", "the light choice did not carry to the next page"
    finally:
        context.close()


def test_dark_system_preference_starts_dark(browser, served):
    """A reader whose system is set to dark gets the dark scheme without touching the toggle."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(served, wait_until="networkidle")
        assert _scheme(page) == "slate"
        _wait_background(page, dark=True)
    finally:
        context.close()

"""The site loads nothing from other hosts: read in the files, and seen in the browser.

A copy of `site/` must work in a classroom without internet, in an archive, and without
telling a third party who reads what. Links (<a href>) to other sites are fine; what the
browser fetches by itself (scripts, stylesheets, fonts, images, frames, CSS url()) must
come from the site's own folder.
"""

from __future__ import annotations

import fnmatch
from urllib.parse import urljoin, urlsplit

import pytest
import sitelib

pytestmark = pytest.mark.site

# Outside URLs inside Material's own JavaScript bundle, each used only under a condition
# that `test_material_never_meets_its_outside_load_conditions` shows this site never meets.
MATERIAL_BUNDLE = "assets/javascripts/bundle.*.min.js"
ALLOWED_IN_JS = {
    # Loaded only for a page holding a Mermaid diagram (<pre class="mermaid">).
    (MATERIAL_BUNDLE, "https://unpkg.com/mermaid@11/dist/mermaid.min.js"),
    # Loaded only by browsers without ResizeObserver (none since 2020: Chrome 64,
    # Firefox 69, Safari 13.1); cannot be removed without patching Material's bundle.
    (MATERIAL_BUNDLE, "https://unpkg.com/resize-observer-polyfill"),
    # Asked only when the header shows the repository (repo_url set: the `source` component).
    (MATERIAL_BUNDLE, "https://api.github.com/repos/${e}/${t}"),
    (MATERIAL_BUNDLE, "https://api.github.com/users/${e}"),
    (MATERIAL_BUNDLE, "https://${e}/api/v4/projects/${encodeURIComponent"),
}


def _js_files(site):
    return sorted(p for p in site.rglob("*") if p.suffix in (".js", ".mjs") and p.is_file())


def test_html_loads_nothing_from_other_hosts(scanned):
    """No script, stylesheet, icon, image, frame, font or CSS url() in any page names a host."""
    problems = []
    for rel, scan in scanned.items():
        for ref in scan.refs:
            if ref.loads and sitelib.is_absolute(ref.value):
                problems.append(f"{rel}:{ref.line} <{ref.tag} {ref.attr}={ref.value!r}>")
        for line, css in scan.styles:
            problems += [f"{rel}:{line} CSS url({u})" for u in sitelib.css_urls(css)
                         if sitelib.is_absolute(u)]
        for line, js in scan.scripts:
            problems += [f"{rel}:{line} inline script loads {u}" for u in sitelib.js_loads(js)]
        for line, content in scan.refresh:
            if "url=" in content.lower() and sitelib.is_absolute(content.lower().split("url=", 1)[1]):
                problems.append(f"{rel}:{line} <meta http-equiv=refresh content={content!r}>")
    assert not problems, sitelib.listing(problems, "loads from other hosts in pages")


def test_css_loads_nothing_from_other_hosts(site):
    """No stylesheet imports or url()s a file from another host (web fonts, CDN images)."""
    problems = []
    css_files = sorted(site.rglob("*.css"))
    assert css_files, "the site has no stylesheet"
    for css in css_files:
        for url in sitelib.css_urls(css.read_text(encoding="utf-8")):
            if sitelib.is_absolute(url):
                problems.append(f"{css.relative_to(site)}: url({url})")
    assert not problems, sitelib.listing(problems, "stylesheet loads from other hosts")


def test_js_loads_nothing_from_other_hosts(site):
    """No script names an outside script, style, font, image, data file, CDN or API to load."""
    problems = []
    files = _js_files(site)
    assert files, "the site has no script"
    seen_allowed = set()
    for js in files:
        rel = js.relative_to(site).as_posix()
        for url in sitelib.js_loads(js.read_text(encoding="utf-8", errors="replace")):
            allowed = [(pat, u) for pat, u in ALLOWED_IN_JS if u == url and fnmatch.fnmatch(rel, pat)]
            if allowed:
                seen_allowed.update(allowed)
            else:
                problems.append(f"{rel}: {url}")
    assert not problems, sitelib.listing(problems, "script loads from other hosts")
    # The scan must still see the URLs it lets through (else it has gone blind).
    assert seen_allowed == ALLOWED_IN_JS, f"not found any more: {ALLOWED_IN_JS - seen_allowed}"


def test_material_never_meets_its_outside_load_conditions(scanned, site_config):
    """No page has a Mermaid diagram or the repository widget, so Material fetches nothing."""
    assert "repo_url" not in site_config, (
        "repo_url makes every page ask api.github.com for stars and forks: "
        "link the repository in the footer (copyright) instead")
    problems = []
    for rel, scan in scanned.items():
        if "mermaid" in scan.classes:
            problems.append(f"{rel}: a Mermaid diagram (Material loads mermaid from unpkg.com)")
        if "source" in scan.components:
            problems.append(f"{rel}: the repository widget (Material asks api.github.com)")
    assert not problems, sitelib.listing(problems, "outside loads Material would make")


@pytest.mark.browser
def test_browser_requests_stay_on_localhost(visits):
    """Loading every page in Chromium sends no request anywhere but the local server."""
    problems, total = [], 0
    for path, visit in visits.items():
        origin = urlsplit(visit.url)  # the server the page was loaded from
        assert origin.hostname == "127.0.0.1", visit.url
        for url in visit.requests:
            total += 1
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if (parts.hostname, parts.port) != (origin.hostname, origin.port):
                problems.append(f"{path}: {url}")
    assert total >= len(visits), "fewer requests than pages: is the request log working?"
    assert not problems, sitelib.listing(problems, "requests that left 127.0.0.1")


def test_no_page_refers_to_a_local_machine_path(site):
    """No built page points at a file on the machine that built it (file://, /tmp, /home)."""
    problems = []
    for page in sitelib.html_pages(site):
        text = page.read_text(encoding="utf-8")
        for marker in ("file://", "/tmp/", "/home/", "/root/", "/Users/"):
            if marker in text:
                i = text.index(marker)
                problems.append(f"{page.relative_to(site)}: ...{text[max(0, i - 40):i + 40]!r}...")
    assert not problems, sitelib.listing(problems, "machine paths in pages")


def test_scanner_tells_loads_from_links(site_url):
    """Self-check: only URLs naming a host are absolute; licence and namespace URLs are no loads."""
    assert sitelib.is_absolute("https://cdn.example.org/x.js")
    assert sitelib.is_absolute("//cdn.example.org/x.js")
    assert not sitelib.is_absolute("../assets/x.js")
    assert not sitelib.is_absolute("/initnotes/assets/x.js")
    assert urljoin(site_url + "404.html", "/initnotes/x").startswith(site_url)
    assert sitelib.js_loads('s.src="https://example.org/a"; x="http://www.w3.org/2000/svg"') == [
        "https://example.org/a"]
    assert sitelib.css_urls("/* url(https://a.b/c) */ a{background:url('https://x.y/z.png')}") == [
        "https://x.y/z.png"]

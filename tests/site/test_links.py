"""Links, anchors and images in the built HTML, checked file by file.

`mkdocs build --strict` already validates the links written in Markdown; these checks
read what was actually written to `site/` (theme, hook output, notebooks, generated
pages), the way a browser would resolve it against the page's published address.
"""

from __future__ import annotations

import ipaddress
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import sitelib

import initnotes

pytestmark = pytest.mark.site

# nbconvert writes this when a notebook image has no alt text of its own.
PLACEHOLDER_ALTS = {"no description has been provided for this image", "image", "figure", "img"}
IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico"}
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$")
_BAD_CHARS = re.compile(r"[\s\x00-\x1f\x7f<>\"\\`{}]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def page_address(site_url: str, rel: str, scan: sitelib.HtmlScan) -> str:
    url = site_url + rel
    return urljoin(url, scan.base) if scan.base else url


def _versions() -> set[str]:
    """Names under which a version of the site is published beside site_url (mike):
    the package's version and the canonical alias ('latest'), so that a citation's
    link to `SITE_URL/0.1.0/page/` is checked against this build's `page/`."""
    config = sitelib.read_config()
    names = {initnotes.__version__}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "mike" in plugin:
            names.add((plugin["mike"] or {}).get("canonical_version") or "latest")
    return names


VERSIONS = _versions()


def internal_path(site_url: str, url: str) -> str | None:
    """The site-relative path of `url` if it points into the site, else None."""
    root, target = urlsplit(site_url), urlsplit(url)
    if (target.scheme, target.netloc) != (root.scheme, root.netloc):
        return None
    if not target.path.startswith(root.path):
        return None
    rel = target.path[len(root.path):]
    first, slash, rest = rel.partition("/")
    return rest if slash and first in VERSIONS else rel


def check_internal(site: Path, scanned, site_url: str, where: str, url: str) -> str | None:
    """None if `url` (absolute, inside the site) names a file and, if any, an existing anchor."""
    rel = internal_path(site_url, url)
    assert rel is not None
    target = sitelib.resolve_path(site, rel)
    if target is None:
        return f"{where}: {url} -> no such file in the site"
    fragment = unquote(urlsplit(url).fragment)
    if fragment and target.suffix == ".html" and not fragment.startswith(":~:"):
        key = target.relative_to(site).as_posix()
        if fragment not in scanned[key].ids:
            return f"{where}: {url} -> {key} has no element with id {fragment!r}"
    return None


def external_problem(url: str) -> str | None:
    """Why an outside http(s) link is malformed, or None when it is fine."""
    if _BAD_CHARS.search(url):
        return "contains a space, quote, brace or control character (must be percent-encoded)"
    if _BAD_PERCENT.search(url):
        return "has a '%' not followed by two hex digits"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as err:
        return f"cannot be parsed ({err})"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme!r} is not http or https"
    if parts.username or parts.password:
        return "carries a user name or password"
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return f"host {host!r} is not a valid domain name"
    if ascii_host == "localhost" or _is_ip(ascii_host):
        return None  # e.g. the address `make serve` prints: a valid URL
    if not _HOST.match(ascii_host):
        return f"host {host!r} is not a domain name with a top-level domain (typo?)"
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def test_internal_links_and_anchors_resolve(site, scanned, site_url):
    """Every href/src into the site names a file that exists, and every #anchor an element.

    Covers links, stylesheets, scripts, images, iframes and the canonical link, as
    the browser resolves them against the page's published address (site_url).
    """
    problems = []
    checked = 0
    for rel, scan in scanned.items():
        base = page_address(site_url, rel, scan)
        for ref in scan.refs:
            where = f"{rel}:{ref.line} <{ref.tag} {ref.attr}>"
            value = ref.value
            if value == "":
                problems.append(f"{where}: empty URL")
                continue
            scheme = urlsplit(value).scheme.lower()
            if scheme == "javascript":
                problems.append(f"{where}: javascript: URL {value!r} (use a <button>)")
                continue
            if scheme in ("mailto", "tel", "data", "blob"):
                continue
            if scheme == "file":
                problems.append(f"{where}: file: URL {value!r} points into one machine")
                continue
            url = urljoin(base, value)
            if internal_path(site_url, url) is not None:
                checked += 1
                problem = check_internal(site, scanned, site_url, where, url)
                if problem:
                    problems.append(problem)
            elif urlsplit(url).netloc == urlsplit(site_url).netloc:
                problems.append(f"{where}: {value!r} leaves the site's path {site_url}")
    assert checked > 0, "no internal link was found: is the scan reading the pages?"
    assert not problems, sitelib.listing(problems, "broken internal links")


def test_stylesheet_urls_resolve(site):
    """Every relative url() and @import in the site's CSS names a file (fonts, icons)."""
    problems = []
    for css in sorted(site.rglob("*.css")):
        for url in sitelib.css_urls(css.read_text(encoding="utf-8")):
            if url.startswith(("data:", "#")) or sitelib.is_absolute(url) or url == "":
                continue
            target = (css.parent / unquote(urlsplit(url).path)).resolve()
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                problems.append(f"{css.relative_to(site)}: url({url}) -> no such file")
    assert not problems, sitelib.listing(problems, "stylesheet URLs with no file")


def test_external_links_are_well_formed(scanned, site_url):
    """Links to other sites are http(s) URLs with a public host name and nothing unescaped."""
    problems = []
    for rel, scan in scanned.items():
        base = page_address(site_url, rel, scan)
        for ref in scan.refs:
            scheme = urlsplit(ref.value).scheme.lower()
            if scheme == "mailto":
                if "@" not in ref.value:
                    problems.append(f"{rel}:{ref.line}: {ref.value!r} has no address")
                continue
            if scheme not in ("http", "https") and not ref.value.startswith("//"):
                continue
            url = urljoin(base, ref.value)
            if internal_path(site_url, url) is not None:
                continue
            why = external_problem(ref.value if scheme else "https:" + ref.value)
            if why:
                problems.append(f"{rel}:{ref.line} <{ref.tag} {ref.attr}> {ref.value!r}: {why}")
    assert not problems, sitelib.listing(problems, "malformed outside links")


def test_sitemap_lists_pages_that_exist(site, site_url):
    """sitemap.xml names only pages that were built, at the site's address."""
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    # Without an address (INITNOTES_SITE_URL unset, a local build) MkDocs writes each
    # page's path from the site's root instead of an absolute URL.
    locs = [urljoin(site_url, e.text.strip())
            for e in ET.parse(site / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert locs, "sitemap.xml lists no page"
    bad = [loc for loc in locs
           if internal_path(site_url, loc) is None
           or sitelib.resolve_path(site, internal_path(site_url, loc)) is None]
    assert not bad, f"sitemap entries with no page behind them: {bad}"


def test_every_image_has_alt_text(scanned):
    """Every <img> says what it shows: a non-empty alt that is not a placeholder."""
    problems = []
    count = 0
    for rel, scan in scanned.items():
        for img in scan.imgs:
            count += 1
            alt = img.attrs.get("alt")
            src = img.attrs.get("src", "")
            if alt is None or not alt.strip():
                problems.append(f"{rel}:{img.line}: <img src={src[:80]!r}> has no alt text")
            elif alt.strip().lower() in PLACEHOLDER_ALTS or alt.strip() == Path(src).name:
                problems.append(f"{rel}:{img.line}: <img src={src[:80]!r}> has placeholder alt {alt!r}")
    assert count > 0, "no <img> in the site: the figure pipeline wrote none?"
    assert not problems, sitelib.listing(problems, "images without alt text")


def test_every_referenced_image_exists(site, scanned, site_url):
    """Each image a page shows (img, picture source, poster, icon) is a non-empty file."""
    problems = []
    for rel, scan in scanned.items():
        base = page_address(site_url, rel, scan)
        for ref in scan.refs:
            is_image = (ref.tag in ("img", "image", "input") or ref.attr in ("srcset", "poster")
                        or (ref.tag == "link" and ref.loads
                            and Path(urlsplit(ref.value).path).suffix.lower() in IMAGE_SUFFIXES))
            if not is_image or ref.value.startswith("data:"):
                continue
            url = urljoin(base, ref.value)
            path = internal_path(site_url, url)
            target = sitelib.resolve_path(site, path) if path is not None else None
            if target is None or target.stat().st_size == 0:
                problems.append(f"{rel}:{ref.line}: image {ref.value!r} is missing or empty")
            elif target.suffix.lower() not in IMAGE_SUFFIXES:
                problems.append(f"{rel}:{ref.line}: image {ref.value!r} is not an image file")
    assert not problems, sitelib.listing(problems, "missing images")

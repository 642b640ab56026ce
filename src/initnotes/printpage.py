"""Repair the in-page links of the print page (the whole course on one page).

mkdocs-print-site-plugin makes each page a ``<section class="print-page" id="KEY">`` of
one page and prefixes in-page links with the page's key (``href="#x"`` in page KEY
becomes ``href="#KEY-x"``), but it renames only some ids: those of headings, list items
and ``<sup>`` elements it recognises. Code-line anchors (pymdownx.highlight) and some
footnote references keep their old id, so their links land nowhere. Links to API
entries on pages the print page leaves out (the reference) become ``href="#identifier"``
with no such anchor on the page.

Links to a page left out of the print page become ``#KEY`` or ``#KEY-anchor`` for a
section that is not there.

`repair` fixes these: inside section KEY it renames an id ``y`` to ``KEY-y`` when the page
links ``#KEY-y`` and has no such anchor; a link that still has no anchor is pointed where
`elsewhere` says (the page left out, or the one page that has the anchor).
"""

from __future__ import annotations

import re
from collections.abc import Callable

SECTION = re.compile(r'<section class="print-page" id="([^"]+)"')
ANCHOR = re.compile(r'\b(id|name)="([^"]+)"')
IN_PAGE_LINK = re.compile(r'href="#([^"]+)"')


def anchors(html: str) -> set[str]:
    """Every id and name in `html`."""
    return {m.group(2) for m in ANCHOR.finditer(html)}


def missing_targets(html: str) -> set[str]:
    """The in-page link targets (``href="#x"``) of `html` that name no anchor in it."""
    have = anchors(html)
    return {x for x in IN_PAGE_LINK.findall(html) if x not in have}


def repair(html: str, elsewhere: Callable[[str], str | None]) -> tuple[str, int]:
    """`html` with its dead in-page links mended, and how many anchors or links changed.

    `elsewhere(x)` gives the URL (relative to the print page) that the dead link ``#x``
    should have pointed to, or None to leave it.
    """
    missing = missing_targets(html)
    if not missing:
        return html, 0
    changed = 0
    cuts = [m.start() for m in SECTION.finditer(html)]
    keys = [m.group(1) for m in SECTION.finditer(html)]
    pieces = [html[: cuts[0]] if cuts else html]
    for i, (start, key) in enumerate(zip(cuts, keys)):
        chunk = html[start: cuts[i + 1] if i + 1 < len(cuts) else len(html)]
        prefix = key + "-"
        wanted = {x[len(prefix):] for x in missing if x.startswith(prefix)}

        def rename(m: re.Match, prefix=prefix, wanted=wanted) -> str:
            nonlocal changed
            if m.group(2) not in wanted:
                return m.group(0)
            changed += 1
            return f'{m.group(1)}="{prefix}{m.group(2)}"'

        pieces.append(ANCHOR.sub(rename, chunk) if wanted else chunk)
    html = "".join(pieces)

    have = anchors(html)

    def relink(m: re.Match) -> str:
        nonlocal changed
        target = m.group(1)
        url = None if target in have else elsewhere(target)
        if url is None:
            return m.group(0)
        changed += 1
        return f'href="{url}"'

    return IN_PAGE_LINK.sub(relink, html), changed


def page_key(url: str) -> str:
    """The print plugin's key of a page (its section id): 'a/b/' -> 'a-b', '' -> 'index'."""
    return url.strip("/").removesuffix(".html").replace("/", "-") or "index"


_CONFIG = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def relative_base(html: str, page_url: str) -> tuple[str, bool]:
    """`html` with Material's ``__config`` ``base`` made relative to the page at `page_url`
    (e.g. ``print_page/``: ``..``), and whether it changed.

    The print plugin renders its page with an absolute base (the path of ``site_url``,
    ``/`` without one), so from anywhere else the page asked for ``/.../search/
    search_index.json`` and got a 404; every other page has a relative base and works
    wherever the site is served.
    """
    import json

    m = _CONFIG.search(html)
    if m is None:
        return html, False
    data = json.loads(m.group(2))
    depth = page_url.strip("/").count("/") + 1 if page_url.strip("/") else 0
    base = "/".join([".."] * depth) or "."
    if data.get("base") == base:
        return html, False
    data["base"] = base
    text = json.dumps(data)
    return html[:m.start(2)] + text + html[m.end(2):], True

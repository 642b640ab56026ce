"""The render check: does every built page carry the figures and values its source asks for?

A build that exits 0 proves little: a generator that ignores the hook (or a broken hook)
writes pages without figures or numbers and still says "no issues". This check reads
the sources in ``docs/`` and the built HTML in ``site/`` and reports, page by page,

* a ``{{ figure:NAME }}`` whose page has no ``<figure id="fig-NAME">`` with an image
  file that exists in the site;
* a ``{{ value:NAME }}`` whose numbers (every number in the value's Markdown, from the
  cache) do not all appear, in order, in the page's text;
* any ``{{ figure:`` / ``{{ value:`` / ``{{ cite:`` left in a page's text (outside code);
* a tutorial page without its install cell, or whose notebook download lacks it.

    python -m initnotes check-site SITE [--docs DOCS]

prints one line per problem and exits 1 if there is any (0 and a count otherwise).
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from initnotes import placeholders

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.S | re.I)
_LEFTOVER = re.compile(r"\{\{\s*(?:figure|value|cite):")
_FIGURE = re.compile(r'<figure\b[^>]*\bid="fig-([^"]+)"[^>]*>(.*?)</figure>', re.S)
_IMG_SRC = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')


@dataclass(frozen=True)
class Problem:
    page: str
    message: str

    def __str__(self) -> str:
        return f"{self.page}: {self.message}"


def page_file(site: Path, src_uri: str) -> Path:
    """The HTML file MkDocs writes for the source `src_uri` (directory URLs)."""
    stem = src_uri.rsplit(".", 1)[0]
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


def text_of(page_html: str) -> str:
    """The page's visible text (scripts, styles and tags removed, entities decoded)."""
    return html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", page_html)))


def numbers(text: str) -> list[str]:
    return _NUMBER.findall(text)


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    it = iter(haystack)
    return all(any(x == y for y in it) for x in needle)


def check_page(site: Path, src_uri: str, source: str, page_html: str,
               value_text: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    figures = {name: body for name, body in _FIGURE.findall(page_html)}
    page_url = page_file(site, src_uri).relative_to(site).as_posix()
    for name in placeholders.names(source, "figure"):
        body = figures.get(name)
        if body is None:
            problems.append(Problem(src_uri, f"figure {name!r} is not on the page"))
            continue
        srcs = _IMG_SRC.findall(body)
        target = (posixpath.normpath(posixpath.join(posixpath.dirname(page_url), srcs[0]))
                  if srcs else None)
        if target is None or not (site / target).is_file():
            problems.append(Problem(src_uri, f"figure {name!r} has no image file ({srcs[:1]})"))
    page_numbers = numbers(text_of(page_html))
    for name in placeholders.names(source, "value"):
        if name not in value_text:
            problems.append(Problem(src_uri, f"value {name!r} is unknown"))
            continue
        wanted = numbers(value_text[name])
        if not wanted:
            continue
        if not is_subsequence(wanted, page_numbers):
            problems.append(Problem(src_uri, f"value {name!r}: its numbers {wanted[:8]} are "
                                             "not on the page"))
    if _LEFTOVER.search(text_of(_CODE.sub(" ", page_html))):  # code may show the syntax
        problems.append(Problem(src_uri, "a {{ ... }} placeholder was left in the page"))
    return problems


def check_site(site: str | Path, docs: str | Path, value_text: dict[str, str] | None = None
               ) -> tuple[list[Problem], int]:
    """Every problem found, and how many pages were checked.

    `value_text` maps value names to their Markdown (default: the cache's, computing any
    missing value)."""
    from initnotes import publish

    site, docs = Path(site), Path(docs)
    if not (site / "index.html").is_file():
        raise ValueError(f"not a built site (no index.html): {str(site)!r}")
    if not docs.is_dir():
        raise ValueError(f"not a docs folder: {str(docs)!r}")
    sources = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8")
               for p in sorted(docs.rglob("*.md"))}
    if value_text is None:
        value_text = _cached_values({n for s in sources.values()
                                     for n in placeholders.names(s, "value")})
    problems: list[Problem] = []
    for src_uri, source in sources.items():
        path = page_file(site, src_uri)
        if not path.is_file():
            problems.append(Problem(src_uri, f"no page {path.relative_to(site).as_posix()}"))
            continue
        problems += check_page(site, src_uri, source, path.read_text(encoding="utf-8"), value_text)
    tutorials = sorted((docs / "tutorials").glob("*.py"))
    wheel = any((site / publish.WHEEL_FOLDER).glob("initnotes-*-py3-none-any.whl"))
    for tutorial in tutorials:
        src_uri = tutorial.relative_to(docs).as_posix()
        path = page_file(site, src_uri)
        if not path.is_file():
            problems.append(Problem(src_uri, "the tutorial has no page"))
            continue
        if not wheel:
            continue
        if "Installs initnotes" not in text_of(path.read_text(encoding="utf-8")):
            problems.append(Problem(src_uri, "the page has no install cell"))
        nb = path.parent / f"{tutorial.stem}.ipynb"
        if not nb.is_file() or publish.INSTALL_CELL_ID not in nb.read_text(encoding="utf-8"):
            problems.append(Problem(src_uri, "the notebook download has no install cell"))
    if tutorials and not wheel:
        problems.append(Problem(publish.WHEEL_FOLDER, "the site serves no wheel of the package"))
    return problems, len(sources) + len(tutorials)


def _cached_values(names: set[str]) -> dict[str, str]:
    from initnotes import registry, runs
    from initnotes.render import Cache

    cache = Cache(runs.default_cache_root())
    with runs.preserved():
        runs.activate(cache.dir)
        known = registry.values()
        return {n: cache.value(n) for n in sorted(names) if n in known}

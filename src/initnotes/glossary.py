r"""Glossary links: on every concept page, the first use of each glossary term links to
its definition.

The terms are the headings of ``docs/glossary.md`` that carry an explicit id; other
spellings of a term go in a ``data-aliases`` attribute, separated by ``;``::

    ## Fan-in {#fan-in data-aliases="fan in"}

A term also matches with a plural ``s``/``es`` ending, in any letter case. The linking is
a Markdown tree processor, so it sees the rendered structure of a page: it links text
only, never inside headings, bold text, code, math, links, image text or the "Cite this
page" block,
and MkDocs checks the links and their anchors like any other link (a strict build fails
on a term whose id is missing). Pages written later get their links without doing
anything; a page opts out with ``glossary: false`` in its front matter (or opts in,
outside ``concepts/``, with ``glossary: true``).

This module reads the terms and links them in a Markdown tree; the build's glossary
feature (`initnotes.build.glossary`) adds the extension and tells it which page it renders.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Any

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

from initnotes import cite

GLOSSARY_PAGE = "glossary.md"
#: Pages under these folders get glossary links.
SECTIONS: tuple[str, ...] = ("concepts/",)
#: Class of the links, for styling.
LINK_CLASS = "initnotes-term"
#: Never linked inside: links, code, math, headings, and bold text (a bold lead-in such as
#: "**Exploding through the rest.**" reads as a heading, and a link would cut it in half).
SKIP_TAGS = frozenset({
    "a", "code", "pre", "kbd", "samp", "script", "style", "img", "svg", "math", "abbr",
    "h1", "h2", "h3", "h4", "h5", "h6", "summary", "dt", "strong", "b",
})
SKIP_CLASSES = frozenset({
    "arithmatex", "katex", cite.BLOCK_CLASS, "admonition-title", "initnotes-downloads",
    "headerlink", "md-button", "highlight",
})

_HEADING = re.compile(r"^##[ \t]+(?P<name>.+?)[ \t]*\{(?P<attrs>[^}]*)\}[ \t]*$", re.MULTILINE)
_ID = re.compile(r"(?:^|\s)#([A-Za-z][\w-]*)")
_ALIASES = re.compile(r"""data-aliases\s*=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass(frozen=True)
class Term:
    """One glossary entry: its anchor id, its display name and every form that matches it."""

    id: str
    name: str
    forms: tuple[str, ...]


def parse_terms(markdown: str) -> list[Term]:
    """The terms of a glossary page: every ``## Name {#id ...}`` heading."""
    terms = []
    for m in _HEADING.finditer(markdown):
        ident = _ID.search(m.group("attrs"))
        if not ident:
            continue
        name = m.group("name").strip()
        forms = [name]
        aliases = _ALIASES.search(m.group("attrs"))
        if aliases:
            forms += [a.strip() for a in (aliases.group(1) or aliases.group(2)).split(";") if a.strip()]
        terms.append(Term(ident.group(1), name, tuple(dict.fromkeys(f.lower() for f in forms))))
    return terms


class Matcher:
    """Finds glossary terms in text: whole words, any case, optional plural ending."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = list(terms)
        # One group per form, longest first across all terms ("vanishing gradients" is
        # tried before "vanishing"); words may be joined by spaces, hyphens or a line break.
        forms = sorted(((f, t.id) for t in self.terms for f in t.forms), key=lambda x: -len(x[0]))
        self.ids = [ident for _, ident in forms]
        alternatives = [
            f"(?P<f{i}>" + r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", form)) + ")"
            for i, (form, _) in enumerate(forms)
        ]
        self.pattern = re.compile(
            r"(?<![\w\-])(?:" + "|".join(alternatives) + r")(?:e?s)?(?![\w\-])", re.IGNORECASE
        ) if alternatives else None

    def find(self, text: str):
        """Yield (start, end, term id) for every match in `text`."""
        if self.pattern is None or not text:
            return
        for m in self.pattern.finditer(text):
            yield m.start(), m.end(), self.ids[int(m.lastgroup[1:])]


def _skipped(el: etree.Element) -> bool:
    if not isinstance(el.tag, str) or el.tag.lower() in SKIP_TAGS:
        return True
    classes = set((el.get("class") or "").split())
    return bool(classes & SKIP_CLASSES)


class _LinkTerms(Treeprocessor):
    def __init__(self, md, extension: GlossaryExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        page = self.extension.page
        if page is None:
            return
        self.href: str = page.href
        self.linked: set[str] = page.linked
        self.matcher = self.extension.matcher
        self._walk(root)

    def _link(self, text: str) -> tuple[str, list[etree.Element]]:
        """Split `text` at the first unlinked use of each term: (leading text, new links
        whose tails carry the rest)."""
        head, links, pos = None, [], 0
        for start, end, ident in self.matcher.find(text):
            if ident in self.linked:
                continue
            self.linked.add(ident)
            a = etree.Element("a", {"href": f"{self.href}#{ident}", "class": LINK_CLASS})
            a.text = text[start:end]
            if links:
                links[-1].tail = text[pos:start]
            else:
                head = text[:start]
            links.append(a)
            pos = end
        if not links:
            return text, []
        links[-1].tail = text[pos:]
        return head, links

    def _walk(self, el: etree.Element) -> None:
        if el.text:
            el.text, links = self._link(el.text)
            for i, a in enumerate(links):
                el.insert(i, a)
        for child in list(el):
            if child.get("class") == LINK_CLASS and child.tag == "a":
                # A link this pass made: its tail was already scanned.
                continue
            if not _skipped(child):
                self._walk(child)
            if child.tail:
                child.tail, links = self._link(child.tail)
                at = list(el).index(child) + 1
                for i, a in enumerate(links):
                    el.insert(at + i, a)


@dataclass
class PageLinks:
    """Where the page being rendered links its terms to, and the terms linked so far."""

    href: str  #: the glossary page, relative to the page's source file
    linked: set[str] = field(default_factory=set)


def page_href(src_uri: str, meta: dict[str, Any] | None,
              sections: tuple[str, ...] = SECTIONS, glossary_page: str = GLOSSARY_PAGE) -> str | None:
    """The link to the glossary from page `src_uri`, or None if that page links no terms.

    Pages under `sections` link terms unless their front matter (`meta`) says
    ``glossary: false``; other pages only if it says ``glossary: true``; the glossary
    itself never does.
    """
    if src_uri == glossary_page:
        return None
    flag = (meta or {}).get("glossary")
    if not (flag if flag is not None else src_uri.startswith(tuple(sections))):
        return None
    here = posixpath.dirname(src_uri) or "."
    return posixpath.relpath(glossary_page, here)


class GlossaryExtension(Extension):
    """The Markdown extension that links the terms `matcher` finds on the page `page`
    (set before each page is rendered; None: link nothing)."""

    def __init__(self, matcher: Matcher) -> None:
        super().__init__()
        self.matcher = matcher
        self.page: PageLinks | None = None

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        # After inline patterns (20) and the table of contents (5), before MkDocs turns
        # ".md" links into URLs and records them for anchor checks ("relpath", 0).
        md.treeprocessors.register(_LinkTerms(md, self), "initnotes_glossary", 2)

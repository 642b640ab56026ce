"""Stable heading anchors: section headings carry an explicit id in the Markdown source.

An anchor made from a heading's text changes when the wording does, and every link and
citation to that section breaks. So the section headings of the concept pages
(``##`` and ``###``) carry an explicit id written next to them, ``## The worked example
{#worked-example}``, which stays put when the text changes (figures are anchored by
their registered name, ``#fig-NAME``). `missing_ids` finds headings without one and
`add_ids` writes the id the heading has today, so adding them breaks no existing link:
``python -m initnotes anchors --fix docs/concepts/*.md``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Heading levels that need an explicit id.
LEVELS: tuple[int, ...] = (2, 3)

_ATX = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.*?)[ \t]*#*[ \t]*$")
_ATTRS = re.compile(r"[ \t]*\{(?P<attrs>[^{}]*)\}[ \t]*$")
_ID = re.compile(r"(?:^|\s)#(?P<id>[^\s}]+)")
_FENCE = re.compile(r"^[ \t]*(?P<fence>`{3,}|~{3,})")


@dataclass(frozen=True)
class Heading:
    """A section heading of a Markdown page."""

    line: int  #: 1-based line number
    level: int
    text: str  #: the heading's text, without its attribute list
    id: str | None  #: the explicit id, if it has one


def slugify(text: str) -> str:
    """The id Python-Markdown's table of contents gives a heading today (its ``slugify``)."""
    text = re.sub(r"[`*]", "", text)  # Markdown code and emphasis marks
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[-\s]+", "-", value)


def headings(markdown: str) -> list[Heading]:
    """Every ATX heading outside fenced code, with its explicit id if any."""
    found: list[Heading] = []
    fence: str | None = None
    for number, line in enumerate(markdown.splitlines(), 1):
        m = _FENCE.match(line)
        if m:
            marker = m.group("fence")
            if fence is None:
                fence = marker
            elif marker.startswith(fence[0]) and len(marker) >= len(fence):
                fence = None
            continue
        if fence is not None:
            continue
        m = _ATX.match(line)
        if not m:
            continue
        text, ident = m.group("text"), None
        attrs = _ATTRS.search(text)
        if attrs:
            text = text[: attrs.start()]
            idm = _ID.search(attrs.group("attrs"))
            ident = idm.group("id") if idm else None
        found.append(Heading(number, len(m.group("hashes")), text.strip(), ident))
    return found


def missing_ids(markdown: str, levels: tuple[int, ...] = LEVELS) -> list[Heading]:
    """The headings of `levels` that have no explicit id."""
    return [h for h in headings(markdown) if h.level in levels and h.id is None]


def duplicate_ids(markdown: str) -> list[str]:
    """Explicit ids used by more than one heading of the page."""
    seen: dict[str, int] = {}
    for h in headings(markdown):
        if h.id:
            seen[h.id] = seen.get(h.id, 0) + 1
    return sorted(i for i, n in seen.items() if n > 1)


def add_ids(markdown: str, levels: tuple[int, ...] = LEVELS) -> str:
    """`markdown` with ``{#id}`` appended to each heading of `levels` that lacks one; the
    id is the one the heading has today (see `slugify`), made unique on the page."""
    lines = markdown.split("\n")
    taken = {h.id for h in headings(markdown) if h.id}
    for h in missing_ids(markdown, levels):
        base = slugify(h.text) or f"section-{h.line}"
        ident, n = base, 1
        while ident in taken:
            ident, n = f"{base}_{n}", n + 1
        taken.add(ident)
        line = lines[h.line - 1].rstrip()
        attrs = _ATTRS.search(line)
        if attrs:  # an attribute list without an id: put the id first in it
            inner = attrs.group("attrs").strip()
            lines[h.line - 1] = line[: attrs.start()] + f" {{#{ident} {inner}}}"
        else:
            lines[h.line - 1] = re.sub(r"[ \t]+#+$", "", line) + f" {{#{ident}}}"
    return "\n".join(lines)

"""The placeholders a page's Markdown may hold, and how the build finds and fills them.

A placeholder is ``{{ KIND:NAME }}``: two braces, a kind, a colon, a name with no space or
closing brace in it, two braces; spaces are allowed around the kind, the colon and the
name. The kinds are

* ``figure``: ``{{ figure:NAME }}`` becomes the registered figure NAME (`initnotes.registry`);
* ``value``: ``{{ value:NAME }}`` becomes the Markdown of the registered value NAME;
* ``cite``: ``{{ cite:site }}``, ``{{ cite:figure }}``, ``{{ cite:version }}``,
  ``{{ cite:url }}`` and ``{{ cite:published }}`` become citations (`initnotes.cite`).

This module is the grammar's one definition: the build's features (`initnotes.build`)
and `initnotes.cite` find and replace placeholders only through it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: Every kind of placeholder.
KINDS: tuple[str, ...] = ("figure", "value", "cite")


@functools.cache
def pattern(*kinds: str) -> re.Pattern[str]:
    """The regular expression of the placeholders of `kinds` (all kinds if none is given).

    Groups: ``kind`` and ``name`` (the name may be empty: ``{{ figure: }}`` is a
    placeholder with no name, which the build reports as unknown).
    """
    kinds = kinds or KINDS
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"placeholder kinds must be among {KINDS}, got {unknown}")
    return re.compile(r"\{\{\s*(?P<kind>" + "|".join(map(re.escape, kinds))
                      + r")\s*:\s*(?P<name>[^}\s]*)\s*\}\}")


@dataclass(frozen=True)
class Placeholder:
    """One placeholder found in a text."""

    kind: str
    name: str
    text: str  #: the placeholder as written, braces included


def _placeholder(match: re.Match[str]) -> Placeholder:
    return Placeholder(match.group("kind"), match.group("name"), match.group(0))


def find(text: str, *kinds: str) -> Iterator[Placeholder]:
    """Every placeholder of `kinds` (all kinds if none is given) in `text`, in order."""
    for match in pattern(*kinds).finditer(text):
        yield _placeholder(match)


def names(text: str, kind: str) -> list[str]:
    """The names of the placeholders of one `kind` in `text`, each once, in order of first use."""
    return list(dict.fromkeys(p.name for p in find(text, kind)))


def replace(text: str, fill: Callable[[Placeholder], str], *kinds: str) -> str:
    """`text` with every placeholder of `kinds` replaced by ``fill(placeholder)``.

    One pass from left to right: what `fill` returns is not searched for placeholders.
    """
    return pattern(*kinds).sub(lambda match: fill(_placeholder(match)), text)


def remove(text: str, *kinds: str) -> str:
    """`text` without its placeholders of `kinds`."""
    return pattern(*kinds).sub("", text)

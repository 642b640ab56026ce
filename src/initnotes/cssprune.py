"""Keep of a stylesheet only the rules that can match the pages that link it.

`prune` drops every style rule none of whose selectors can match: a selector can match
when each class and id it requires is used by the pages (`used_names` reads them from
HTML) and it does not put ``:root`` below another element. Element names, attributes and
pseudo-classes do not decide (a selector with only those is kept), nor does what sits
inside ``:not()``, ``:is()``, ``:where()`` and ``:has()``; ``@media``, ``@supports`` and
``@layer`` blocks are pruned inside and dropped when empty; other at-rules
(``@font-face``, ``@keyframes``, ...) are kept as they are. Then every custom property
(``--name: ...``) that no kept rule (nor the `also` text, e.g. the site's own stylesheet)
reads with ``var(--name`` is dropped. The result is a subset of the input's rules and
declarations, in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
_ID_ATTR = re.compile(r'\bid="([^"]*)"')
_FUNCTIONAL = re.compile(r":(?:not|is|where|has|matches|-webkit-any|-moz-any)\(")
_NAME = r"-?[_a-zA-Z\u00a0-\uffff][\w\-\u00a0-\uffff]*"
_CLASS = re.compile(r"\.(" + _NAME + ")")
_ID = re.compile(r"#(" + _NAME + ")")
_GROUPS = ("@media", "@supports", "@layer", "@container", "@document")


def used_names(html: str) -> tuple[set[str], set[str]]:
    """The classes and the ids used in `html`."""
    classes = {c for value in _CLASS_ATTR.findall(html) for c in value.split()}
    return classes, set(_ID_ATTR.findall(html))


def _strip_functional(selector: str) -> str:
    """`selector` without the arguments of :not(), :is(), ... (they never rule a match out)."""
    out, i = [], 0
    for m in _FUNCTIONAL.finditer(selector):
        if m.start() < i:
            continue
        out.append(selector[i:m.end()])
        depth, j = 1, m.end()
        while j < len(selector) and depth:
            depth += {"(": 1, ")": -1}.get(selector[j], 0)
            j += 1
        out.append(")")
        i = j
    out.append(selector[i:])
    return "".join(out)


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def _can_match(selector: str, classes: set[str], ids: set[str]) -> bool:
    bare = re.sub(r"\[[^\]]*\]", "", _strip_functional(selector))
    if ":root" in bare and not bare.startswith(":root"):
        return False  # the root element is below no other
    return set(_CLASS.findall(bare)) <= classes and set(_ID.findall(bare)) <= ids


_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")


def _declarations(body: str) -> list[str]:
    """The declarations of a rule's `body` (split at ``;`` outside strings and brackets)."""
    out, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(body):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == ";" and depth == 0:
            out.append(body[start:i])
            start = i + 1
    out.append(body[start:])
    return [d.strip() for d in out if d.strip()]


def _drop_unused_properties(css: str, also: str) -> str:
    """`css` without the custom-property declarations nothing reads."""
    def is_custom(decl: str) -> str | None:
        name = decl.split(":", 1)[0].strip()
        return name if name.startswith("--") else None

    rules = [(m, _declarations(m.group(2))) for m in _RULE.finditer(css)]
    # Read by an ordinary declaration, or by a custom property that is itself read.
    read = set(_VAR.findall(also))
    defs: dict[str, list[str]] = {}
    for _, decls in rules:
        for d in decls:
            name = is_custom(d)
            if name is None:
                read.update(_VAR.findall(d))
            else:
                defs.setdefault(name, []).append(d)
    todo = list(read)
    while todo:
        for d in defs.get(todo.pop(), ()):
            for ref in _VAR.findall(d.split(":", 1)[1]):
                if ref not in read:
                    read.add(ref)
                    todo.append(ref)

    def rewrite(m: re.Match) -> str:
        decls = [d for d in _declarations(m.group(2)) if (is_custom(d) or "") in read or not is_custom(d)]
        return f"{m.group(1)}{{{';'.join(decls)}}}" if decls else ""

    out = _RULE.sub(rewrite, css)
    # At-rule groups left empty.
    previous = None
    while previous != out:
        previous = out
        out = re.sub(r"@(?:media|supports|layer|container)[^{};]*\{\s*\}", "", out)
    return re.sub(r"\n{2,}", "\n", out).strip()


def _block_end(css: str, open_brace: int) -> int:
    """The index of the ``}`` closing the ``{`` at `open_brace`."""
    depth, i, quote = 0, open_brace, ""
    while i < len(css):
        ch = css[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError(f"unbalanced braces in the stylesheet after {css[open_brace - 60:open_brace]!r}")


def _prune(css: str, classes: set[str], ids: set[str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(css):
        brace = css.find("{", i)
        semi = css.find(";", i)
        if brace < 0:
            rest = css[i:].strip()
            if rest:
                out.append(rest)
            break
        prelude = css[i:brace].strip()
        if 0 <= semi < brace and prelude.startswith("@"):  # @import, @charset, ...
            out.append(css[i:semi + 1].strip())
            i = semi + 1
            continue
        end = _block_end(css, brace)
        prelude = css[i:brace].strip()
        body = css[brace + 1:end]
        if prelude.startswith(_GROUPS):
            inner = _prune(body, classes, ids)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif prelude.startswith("@"):
            out.append(f"{prelude}{{{body}}}")
        else:
            kept = [s for s in _split_selectors(prelude) if _can_match(s, classes, ids)]
            if kept:
                out.append(f"{','.join(kept)}{{{body.strip()}}}")
        i = end + 1
    return "\n".join(out)


def prune(css: str, classes: Iterable[str], ids: Iterable[str] = (), also: str = "") -> str:
    """The rules of `css` that can match pages using `classes` and `ids`, and the custom
    properties they or `also` (CSS) read; comments dropped."""
    kept = _prune(_COMMENT.sub("", css), set(classes), set(ids))
    return _drop_unused_properties(kept, _COMMENT.sub("", also)) + "\n"

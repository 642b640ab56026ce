r"""Math typeset at build time: TeX in, MathML out, by KaTeX.

The site's own copy of KaTeX (``docs/assets/vendor/katex/katex.min.js``) runs in an embedded
V8 (the ``mini-racer`` wheel from PyPI, no Node.js needed) and writes each formula as
MathML, which every current browser lays out itself (MathML Core): a reader gets the
formulas in the page, shown with JavaScript off, read by screen readers, and loads no
script, stylesheet or font for them. KaTeX's HTML output was measured and left out: it
looks the same in every browser but costs about 1.6 KB a formula (a concept page with
170 formulas went from 78 KB to 352 KB of HTML, against a 150 KB target), MathML about
0.3 KB. `mathml_core` rewrites KaTeX's MathML for MathML Core: ``mathvariant`` letters
(``\mathbb{E}``, ``\mathcal{U}``, ``\mathbf{W}``) become the Unicode mathematical letters
(𝔼, 𝒰, 𝐖), which MathML Core draws and ``mathvariant`` is not, and the TeX annotation
goes. The output depends only on the TeX, the display mode and the KaTeX copy: builds
stay byte-identical, and a JSON store keyed on the KaTeX copy's hash (`KaTeX.load` /
`KaTeX.save`) spares a rebuild the engine.

Where math sits in the HTML:

* Markdown pages and docstrings (``pymdownx.arithmatex`` with ``generic: true``):
  ``<span class="arithmatex">\(TeX\)</span>`` and ``<div class="arithmatex">\[TeX\]</div>``
  (`typeset_arithmatex`);
* notebook markdown cells (rendered by nbconvert, which keeps ``$...$`` and ``$$...$$`` as
  written): the text of each ``jp-RenderedMarkdown`` block outside code (`typeset_notebook`).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

#: The KaTeX copy served with the site and run at build time.
KATEX_JS = Path(__file__).resolve().parents[2] / "docs" / "assets" / "vendor" / "katex" / "katex.min.js"

#: KaTeX's options for every formula (an error fails the build instead of showing red TeX).
OPTIONS = {"throwOnError": True, "output": "mathml", "strict": "ignore"}
#: The version of `mathml_core` (part of the store's key).
POSTPROCESS = 1


def _alphabet(upper: int, lower: int | None = None, digits: int | None = None, greek: int | None = None,
              holes: dict[str, str] | None = None) -> dict[str, str]:
    table = {chr(ord("A") + i): chr(upper + i) for i in range(26)}
    if lower is not None:
        table.update({chr(ord("a") + i): chr(lower + i) for i in range(26)})
    if digits is not None:
        table.update({chr(ord("0") + i): chr(digits + i) for i in range(10)})
    if greek is not None:  # capitals Α..Ω (with ϴ where U+03A2 is unassigned), ∇, then α..ω
        table.update({chr(0x391 + i): chr(greek + i) for i in range(25) if i != 17})
        table.update({chr(0x3B1 + i): chr(greek + 26 + i) for i in range(25)})
    table.update(holes or {})
    return table


#: ``mathvariant`` -> letter -> Unicode mathematical letter (with the letters Unicode has
#: in the Letterlike Symbols block instead).
MATH_ALPHABETS = {
    "bold": _alphabet(0x1D400, 0x1D41A, 0x1D7CE, 0x1D6A8),
    "italic": _alphabet(0x1D434, 0x1D44E, None, 0x1D6E2, {"h": "\u210e"}),
    "bold-italic": _alphabet(0x1D468, 0x1D482, None, 0x1D71C),
    "script": _alphabet(0x1D49C, 0x1D4B6, None, None, {
        "B": "\u212c", "E": "\u2130", "F": "\u2131", "H": "\u210b", "I": "\u2110", "L": "\u2112",
        "M": "\u2133", "R": "\u211b", "e": "\u212f", "g": "\u210a", "o": "\u2134"}),
    "bold-script": _alphabet(0x1D4D0, 0x1D4EA),
    "fraktur": _alphabet(0x1D504, 0x1D51E, None, None, {
        "C": "\u212d", "H": "\u210c", "I": "\u2111", "R": "\u211c", "Z": "\u2128"}),
    "double-struck": _alphabet(0x1D538, 0x1D552, 0x1D7D8, None, {
        "C": "\u2102", "H": "\u210d", "N": "\u2115", "P": "\u2119", "Q": "\u211a", "R": "\u211d",
        "Z": "\u2124"}),
    "bold-fraktur": _alphabet(0x1D56C, 0x1D586),
    "sans-serif": _alphabet(0x1D5A0, 0x1D5BA, 0x1D7E2),
    "bold-sans-serif": _alphabet(0x1D5D4, 0x1D5EE, 0x1D7EC, 0x1D756),
    "sans-serif-italic": _alphabet(0x1D608, 0x1D622),
    "sans-serif-bold-italic": _alphabet(0x1D63C, 0x1D656, None, 0x1D790),
    "monospace": _alphabet(0x1D670, 0x1D68A, 0x1D7F6),
}
_VARIANT = re.compile(r'<(mi|mn|mo|mtext) mathvariant="([a-z-]+)">([^<]*)</\1>')
_ANNOTATION = re.compile(r'<annotation encoding="application/x-tex">.*?</annotation>', re.DOTALL)


def mathml_core(out: str) -> str:
    """KaTeX's MathML made for MathML Core: styled letters as Unicode letters, no TeX annotation."""
    def letters(m: re.Match) -> str:
        tag, variant, text = m.groups()
        table = MATH_ALPHABETS.get(variant)
        if table is None:
            return m.group(0)
        raw = html.unescape(text)
        if not all(c in table or c.isspace() for c in raw):
            return m.group(0)
        mapped = "".join(table.get(c, c) for c in raw)
        # A styled letter is no longer a single ASCII letter: nothing italicises it again.
        return f"<{tag}>{html.escape(mapped, quote=False)}</{tag}>"

    out = _VARIANT.sub(letters, out)
    out = _ANNOTATION.sub("", out)
    return out.replace("<semantics>", "").replace("</semantics>", "")

ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<body>.*?)</(?P=tag)>', re.DOTALL)

#: Notebook markdown cells: nbconvert's wrapper div (its classes in any order).
_CELL = re.compile(r'<div class="(?=[^"]*\bjp-RenderedMarkdown\b)[^"]*"[^>]*>')
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")
#: Delimiters in notebook text, longest first, as the browser's auto-render tried them.
_NOTEBOOK_MATH = re.compile(
    r"(?<!\\)\$\$(?P<d1>.+?)\$\$|\\\[(?P<d2>.+?)\\\]|(?<![\\$])\$(?P<i1>[^$]+?)(?<!\\)\$|\\\((?P<i2>.+?)\\\)",
    re.DOTALL)
_NO_MATH_IN = {"code", "pre", "script", "style", "kbd", "samp", "textarea"}


class MathError(ValueError):
    """KaTeX cannot typeset a formula; the message names the TeX and KaTeX's reason."""


class KaTeX:
    """KaTeX run in an embedded V8, each formula typeset once (memoised).

    `script` is the ``katex.min.js`` to run (default: the site's copy). `render` returns
    the HTML of one formula; `MathError` names a formula KaTeX rejects.
    """

    def __init__(self, script: Path | str = KATEX_JS) -> None:
        self.script = Path(script)
        source = self.script.read_bytes()
        self.version = hashlib.sha256(
            source + json.dumps([OPTIONS, POSTPROCESS], sort_keys=True).encode()).hexdigest()[:16]
        self._source = source.decode("utf-8")
        self._ctx = None
        self.memo: dict[str, str] = {}
        self.rendered = 0  # formulas the engine typeset (not from the memo or the store)
        self._loaded: set[str] = set()

    @staticmethod
    def key(tex: str, display: bool) -> str:
        return ("D:" if display else "I:") + tex

    def _engine(self):
        if self._ctx is None:
            from py_mini_racer import MiniRacer

            ctx = MiniRacer()
            ctx.eval("var console = {log() {}, warn() {}, error() {}, info() {}};")
            ctx.eval(self._source)
            ctx.eval("""var initnotesTypeset = function (tex, display, options) {
                try { return [true, katex.renderToString(tex, Object.assign({displayMode: display}, options))]; }
                catch (e) { return [false, String(e && e.message || e)]; } };""")
            self._ctx = ctx
        return self._ctx

    def render(self, tex: str, display: bool = False) -> str:
        """The HTML of `tex` typeset inline, or as a display formula when `display`."""
        if not isinstance(tex, str):
            raise ValueError(f"tex must be a string, got {tex!r}")
        key = self.key(tex, display)
        out = self.memo.get(key)
        if out is None:
            ok, out = self._engine().call("initnotesTypeset", tex, bool(display), OPTIONS)
            if not ok:
                raise MathError(f"KaTeX cannot typeset {tex!r}: {out}")
            out = mathml_core(out)
            self.memo[key] = out
            self.rendered += 1
        return out

    # The store: every formula of the last builds, for this KaTeX copy and these options.
    def store_path(self, folder: Path) -> Path:
        return Path(folder) / f"katex-{self.version}.json"

    def load(self, folder: Path) -> int:
        """Read the formulas stored under `folder` (none if there is no store); their count."""
        path = self.store_path(folder)
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0
        if isinstance(stored, dict):
            self.memo.update({k: v for k, v in stored.items() if isinstance(v, str)})
            self._loaded = set(stored)
        return len(self._loaded)

    def save(self, folder: Path) -> bool:
        """Write the memo under `folder` when it holds formulas the store has not; whether it did."""
        if set(self.memo) <= self._loaded:
            return False
        path = self.store_path(folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.memo, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
        self._loaded = set(self.memo)
        return True


Render = Callable[[str, bool], str]


def _strip_delimiters(body: str, display: bool) -> str:
    tex = html.unescape(body).strip()
    pairs = [("\\[", "\\]"), ("$$", "$$")] if display else [("\\(", "\\)"), ("$", "$")]
    for left, right in pairs:
        if tex.startswith(left) and tex.endswith(right) and len(tex) >= len(left) + len(right):
            return tex[len(left):len(tex) - len(right)].strip()
    raise MathError(f"arithmatex element without its delimiters: {body!r}")


def typeset_arithmatex(page_html: str, render: Render) -> tuple[str, int]:
    """`page_html` with every arithmatex element's TeX typeset; (new HTML, formulas)."""
    count = 0

    def fill(m: re.Match) -> str:
        nonlocal count
        display = m.group("tag") == "div"
        body = m.group("body")
        if 'class="katex' in body:  # typeset already
            return m.group(0)
        count += 1
        return f'<{m.group("tag")} class="arithmatex">{render(_strip_delimiters(body, display), display)}</{m.group("tag")}>'

    return ARITHMATEX.sub(fill, page_html), count


def _cell_end(page_html: str, start: int) -> int:
    """The index just past the ``</div>`` that closes the div opened at `start`."""
    depth = 0
    for m in re.compile(r"<(/?)div\b[^>]*>").finditer(page_html, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    raise MathError("a notebook markdown cell is not closed")


def _typeset_text(text: str, render: Render) -> tuple[str, int]:
    count = 0

    def fill(m: re.Match) -> str:
        nonlocal count
        display = m.group("d1") is not None or m.group("d2") is not None
        tex = next(g for g in (m.group("d1"), m.group("d2"), m.group("i1"), m.group("i2")) if g is not None)
        count += 1
        out = render(html.unescape(tex).strip(), display)
        return f'<span class="arithmatex">{out}</span>'

    return _NOTEBOOK_MATH.sub(fill, text), count


def typeset_notebook(page_html: str, render: Render) -> tuple[str, int]:
    """`page_html` with the TeX of its notebook markdown cells typeset; (new HTML, formulas).

    Text inside code, ``pre`` and the like is left as it is.
    """
    out: list[str] = []
    count = 0
    pos = 0
    for m in _CELL.finditer(page_html):
        if m.start() < pos:
            continue
        end = _cell_end(page_html, m.start())
        out.append(page_html[pos:m.end()])
        cell = page_html[m.end():end]
        pieces: list[str] = []
        inside: list[str] = []  # open tags that hold no math
        last = 0
        for t in _TAG.finditer(cell):
            text = cell[last:t.start()]
            if text and not inside:
                text, n = _typeset_text(text, render)
                count += n
            pieces.append(text)
            pieces.append(t.group(0))
            name = t.group(2).lower()
            if name in _NO_MATH_IN:
                if t.group(1):
                    if name in inside:
                        inside.remove(name)
                elif not t.group(0).endswith("/>"):
                    inside.append(name)
            last = t.end()
        pieces.append(cell[last:])
        out.append("".join(pieces))
        pos = end
    out.append(page_html[pos:])
    return "".join(out), count

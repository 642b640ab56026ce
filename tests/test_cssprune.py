"""initnotes.cssprune: a stylesheet cut down to the rules the pages can use."""

import pytest

from initnotes import cssprune

CSS = """/* c */
@charset "UTF-8";
.w { --used: 1px; --unused: url("data:image/svg+xml;utf8,<svg a='1;2'>"); --chain: var(--deep); --deep: 2px; }
.w .a, .w .gone { color: red; width: var(--used); }
.w .gone { color: blue; }
.w :root { --dead: 1; }
.w :not(.nowhere) > p { margin: 0 }
#here .a { padding: var(--chain) }
#elsewhere { padding: 0 }
@media (max-width: 10px) { .gone { x: 1 } .a { y: 2 } }
@media print { .gone { x: 1 } }
@font-face { font-family: X; src: url(x.woff2) }
"""


def test_keeps_what_can_match_and_what_it_reads():
    out = cssprune.prune(CSS, {"w", "a"}, {"here"})
    assert ".w .a{color: red;width: var(--used)}" in out
    assert ".gone" not in out and "#elsewhere" not in out and "@media print" not in out
    assert "@media (max-width: 10px){.a{y: 2}}" in out
    assert "--used" in out and "--chain" in out and "--deep" in out
    assert "--unused" not in out and "--dead" not in out
    assert ":not(.nowhere) > p" in out and "@font-face" in out and '@charset "UTF-8";' in out
    assert "/* c */" not in out


def test_also_keeps_properties_another_stylesheet_reads():
    assert "--unused" in cssprune.prune(CSS, {"w"}, also=".x { a: var(--unused) }")


def test_used_names():
    assert cssprune.used_names('<div class="a  b" id="x"><p class="c">') == ({"a", "b", "c"}, {"x"})


def test_unbalanced_braces_raise():
    with pytest.raises(ValueError, match="unbalanced"):
        cssprune.prune(".a { color: red", {"a"})

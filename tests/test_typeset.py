"""Math typeset at build time (initnotes.typeset): KaTeX run in the embedded engine."""

import pytest

from initnotes import typeset


@pytest.fixture(scope="module")
def katex():
    return typeset.KaTeX()


def test_a_formula_becomes_mathml(katex):
    out = katex.render(r"\sigma_w^2 = 2 / n_{\text{in}}")
    assert out.startswith('<span class="katex"><math xmlns="http://www.w3.org/1998/Math/MathML">')
    assert "<msubsup><mi>σ</mi><mi>w</mi><mn>2</mn></msubsup>" in out
    assert "annotation" not in out and "semantics" not in out and "katex-html" not in out
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in katex.render("x", display=True)


@pytest.mark.parametrize("tex, letter", [
    (r"\mathbb{E}", "\U0001d53c"), (r"\mathbb{R}", "\u211d"), (r"\mathcal{U}", "\U0001d4b0"),
    (r"\mathcal{L}", "\u2112"), (r"\mathbf{W}", "\U0001d416"), (r"\boldsymbol{\delta}", "\U0001d739"),
])
def test_styled_letters_become_unicode_math_letters(katex, tex, letter):
    out = katex.render(tex)
    assert f"<mi>{letter}</mi>" in out and "mathvariant" not in out


def test_roman_text_stays_upright(katex):
    out = katex.render(r"\operatorname{Var}(w) + \mathrm{d}x")
    assert '<mi mathvariant="normal">Var</mi>' in out and '<mi mathvariant="normal">d</mi>' in out


def test_same_tex_same_html_and_memoised(katex):
    a = katex.render(r"\mathbb{E}[h_l^2]")
    n = katex.rendered
    assert katex.render(r"\mathbb{E}[h_l^2]") == a
    assert katex.rendered == n
    assert typeset.KaTeX().render(r"\mathbb{E}[h_l^2]") == a


def test_bad_tex_raises_naming_it(katex):
    with pytest.raises(typeset.MathError, match=r"\\frac\{1"):
        katex.render(r"\frac{1")
    with pytest.raises(ValueError, match="None"):
        katex.render(None)


def test_arithmatex_spans_and_blocks(katex):
    html = ('<p>A <span class="arithmatex">\\(a &lt; b\\)</span> and</p>\n'
            '<div class="arithmatex">\\[x_l = W_l h_{l-1}\\]</div>')
    out, n = typeset.typeset_arithmatex(html, katex.render)
    assert n == 2
    assert out.count('<span class="arithmatex"><span class="katex">') == 1
    assert '<div class="arithmatex"><span class="katex"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in out
    assert "<mo>&lt;</mo>" in out
    assert "\\(" not in out and "\\[" not in out
    assert typeset.typeset_arithmatex(out, katex.render) == (out, 0)  # idempotent


def test_notebook_cells_typeset_outside_code(katex):
    html = ('<div class="jp-Cell"><div class="jp-RenderedHTMLCommon jp-RenderedMarkdown" data-x="1">'
            '<p>Width $n_l$ and</p><p>$$\\operatorname{Var}(w) = 1$$</p>'
            '<p><code>$HOME$</code></p></div></div><p>$not a cell$</p>')
    out, n = typeset.typeset_notebook(html, katex.render)
    assert n == 2
    assert "<code>$HOME$</code>" in out
    assert "<p>$not a cell$</p>" in out
    assert 'display="block"' in out
    assert "$n_l$" not in out


def test_store_round_trip(tmp_path, katex):
    a = typeset.KaTeX()
    html = a.render("y = x W^\\top")
    assert a.save(tmp_path) and not a.save(tmp_path)
    b = typeset.KaTeX()
    assert b.load(tmp_path) == 1
    assert b.render("y = x W^\\top") == html and b.rendered == 0

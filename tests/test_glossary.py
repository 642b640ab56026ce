"""Glossary terms and the links to them (`initnotes.glossary`)."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from initnotes import glossary
from initnotes.build import Glossary, configure

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"

#: Terms the issue asks the glossary to define (by anchor id).
REQUIRED = {
    "fan-in", "fan-out", "gain", "receptive-field", "symmetry", "saturation",
    "vanishing-signals", "exploding-signals", "isometry", "variance-scaling", "haar-measure",
}


def terms():
    return glossary.parse_terms(GLOSSARY.read_text(encoding="utf-8"))


def test_glossary_defines_the_required_terms_with_unique_ids():
    ids = [t.id for t in terms()]
    assert REQUIRED <= set(ids), REQUIRED - set(ids)
    assert len(ids) == len(set(ids))


def test_no_form_belongs_to_two_terms():
    """A spelling that names two terms would link to whichever the matcher tries first."""
    owner: dict[str, str] = {}
    for term in terms():
        for form in term.forms:
            assert owner.setdefault(form, term.id) == term.id, form


def test_terms_are_in_alphabetical_order():
    names = [t.name.lower() for t in terms()]
    assert names == sorted(names)


def test_parse_terms_reads_ids_and_aliases():
    md = '## Fan-in {#fan-in data-aliases="fan in; input fan"}\n\ntext\n\n## No id here\n'
    assert glossary.parse_terms(md) == [glossary.Term("fan-in", "Fan-in", ("fan-in", "fan in", "input fan"))]


MATCHER = glossary.Matcher([
    glossary.Term("fan-in", "Fan-in", ("fan-in",)),
    glossary.Term("gain", "Gain", ("gain",)),
    glossary.Term("vanishing", "Vanishing signals", ("vanishing signals", "vanishing gradients", "vanishing")),
])


@pytest.mark.parametrize("text, expected", [
    ("the fan-in of a layer", [("fan-in", "fan-in")]),
    ("the Fan in of a layer", [("Fan in", "fan-in")]),            # case, space for hyphen
    ("two fan-ins", [("fan-ins", "fan-in")]),                     # plural
    ("the gains of", [("gains", "gain")]),
    ("again and gainful", []),                                     # whole words only
    ("fan-input", []),
    ("vanishing gradients hurt", [("vanishing gradients", "vanishing")]),  # longest form
    ("a vanishing\nsignals", [("vanishing\nsignals", "vanishing")]),       # across a line break
])
def test_matcher(text, expected):
    assert [(text[s:e], i) for s, e, i in MATCHER.find(text)] == expected


def render(md: str, *, active: bool = True) -> str:
    extension = glossary.GlossaryExtension(MATCHER)
    if active:
        extension.page = glossary.PageLinks("../glossary.md")
    return markdown.markdown(md, extensions=[
        "attr_list", "md_in_html", "toc", "pymdownx.arithmatex", "pymdownx.superfences",
        "admonition", extension,
    ], extension_configs={"pymdownx.arithmatex": {"generic": True}})


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="initnotes-term" href="([^"]+)">([^<]+)</a>', html)


def test_first_use_is_linked_once():
    html = render("The gain matters. Another gain here.\n\nAnd a third gain.")
    assert links(html) == [("../glossary.md#gain", "gain")]
    assert re.sub(r"<[^>]+>", "", html).count("gain") == 3  # no word lost or doubled


def test_headings_code_math_links_and_cite_block_are_skipped():
    md = (
        "# The gain\n\n"
        "## Fan-in and gain {#s}\n\n"
        "Code `gain` and math $\\text{fan-in} \\cdot \\text{gain}$ and "
        "[a gain link](x.md) and ![gain](g.png).\n\n"
        "```python\ngain = 1  # fan-in\n```\n\n"
        '!!! note "Gain in a title"\n    The body says fan-in.\n\n'
        '<div class="initnotes-cite" markdown="1">\n\nCited: gain.\n\n</div>\n\n'
        "Finally the gain, then vanishing gradients.\n"
    )
    html = render(md)
    assert links(html) == [
        ("../glossary.md#fan-in", "fan-in"),    # the admonition body, not its title
        ("../glossary.md#gain", "gain"),
        ("../glossary.md#vanishing", "vanishing gradients"),
    ]
    assert html.index('href="../glossary.md#fan-in"') > html.index("The body says")


def test_text_around_a_link_is_kept():
    html = render("Before *the gain* after, with fan-in too.")
    assert "<p>Before <em>the <a" in html
    assert '>gain</a></em> after, with <a class="initnotes-term" href="../glossary.md#fan-in">fan-in</a> too.</p>' in html


def test_inactive_page_gets_no_links():
    assert links(render("The gain.", active=False)) == []


class _Page:
    def __init__(self, src_uri: str, meta: dict | None = None) -> None:
        self.meta = meta or {}
        self.file = type("F", (), {"src_uri": src_uri})()


@pytest.mark.parametrize("src_uri, meta, href", [
    ("concepts/he.md", {}, "../glossary.md"),
    ("concepts/deep/x.md", {}, "../../glossary.md"),
    ("index.md", {}, None),
    ("index.md", {"glossary": True}, "glossary.md"),
    ("concepts/he.md", {"glossary": False}, None),
    ("glossary.md", {"glossary": True}, None),
])
def test_which_pages_link(src_uri, meta, href):
    """Concept pages link (others opt in with front matter), with a path to the glossary
    relative to the page's own source file."""
    feature = configure(Glossary())
    feature.extension = glossary.GlossaryExtension(MATCHER)
    feature.on_page_markdown("", page=_Page(src_uri, meta), config=None, files=None)
    page = feature.extension.page
    assert (page.href if page else None) == href


def test_bold_lead_ins_are_not_linked_and_the_next_plain_use_is():
    """"**Exploding** through the rest" stays whole; the term links at its first plain use."""
    import markdown

    from initnotes import glossary

    matcher = glossary.Matcher([glossary.Term("exploding", "Exploding", ("exploding",))])
    ext = glossary.GlossaryExtension(matcher)
    ext.page = glossary.PageLinks("../glossary.md")
    html = markdown.markdown("**Exploding through the rest.** Gradients keep exploding.", extensions=[ext])
    assert "<strong>Exploding through the rest.</strong>" in html
    assert 'keep <a class="initnotes-term" href="../glossary.md#exploding">exploding</a>' in html

"""Stable heading anchors (`initnotes.anchors`), and the rule that concept pages use them."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest

from initnotes import anchors

ROOT = Path(__file__).resolve().parents[1]
CONCEPTS = sorted((ROOT / "docs" / "concepts").glob("*.md"))


def toc_ids(md: str) -> list[str]:
    """The ids Python-Markdown gives the h2/h3 headings of `md` (what MkDocs publishes)."""
    html = markdown.markdown(md, extensions=["attr_list", "toc", "pymdownx.arithmatex"],
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})
    return re.findall(r'<h[23][^>]* id="([^"]+)"', html)


@pytest.mark.parametrize("page", CONCEPTS, ids=lambda p: p.name)
def test_concept_page_headings_have_explicit_ids(page):
    """Every ## and ### of a concept page has an explicit {#id}, unique on the page, so its
    anchor survives a change of wording (fix: python -m initnotes anchors --fix FILE)."""
    text = page.read_text(encoding="utf-8")
    missing = [f"line {h.line}: {h.text!r}" for h in anchors.missing_ids(text)]
    assert missing == [], f"{page.name}: headings without an explicit id: {missing}"
    assert anchors.duplicate_ids(text) == []


def test_there_are_concept_pages():
    assert CONCEPTS


def test_headings_skip_fenced_code_and_read_ids():
    md = "## A {#a .cls}\n```\n## not a heading\n```\n### B\n#### C {#c}\n"
    assert [(h.level, h.text, h.id) for h in anchors.headings(md)] == [
        (2, "A", "a"), (3, "B", None), (4, "C", "c")]


def test_missing_ids_only_for_levels_two_and_three():
    md = "# Title\n\n## A\n\n### B {#b}\n\n#### C\n"
    assert [h.text for h in anchors.missing_ids(md)] == ["A"]


HEADINGS = [
    "The worked example",
    "Why $\\sqrt{2}$? He's gain",
    "Fan-in, fan-out & the `fans` function",
    "Über *emphasis* (1998)",
    "Xavier/Glorot vs. He/Kaiming",
]


@pytest.mark.parametrize("text", HEADINGS)
def test_slugify_matches_the_table_of_contents(text):
    """`slugify` gives the id MkDocs gives the heading today."""
    assert [anchors.slugify(text)] == toc_ids(f"## {text}\n")


def test_add_ids_keeps_every_published_anchor():
    """Adding explicit ids changes no anchor: links that work today keep working."""
    md = "\n\n".join(f"## {t}" for t in HEADINGS) + "\n\n### Summary\n\n## Summary ##\n"
    fixed = anchors.add_ids(md)
    assert anchors.missing_ids(fixed) == []
    assert toc_ids(fixed) == toc_ids(md)
    assert anchors.add_ids(fixed) == fixed


def test_add_ids_keeps_other_attributes():
    assert anchors.add_ids("## A {.wide}\n") == "## A {#a .wide}\n"


def test_explicit_id_survives_a_new_wording():
    """The point of explicit ids: rewording the heading leaves its anchor alone."""
    assert toc_ids("## The worked example {#worked}\n") == toc_ids("## A worked example, redone {#worked}\n")

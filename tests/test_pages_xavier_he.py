"""The few configuration numbers the Xavier and He pages (and their tutorial) write in prose
must be the ones the package uses: a changed configuration fails here, not silently."""

from __future__ import annotations

from pathlib import Path

from initnotes.experiments import he, xavier
from initnotes.values import xavier as xavier_values

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _text(rel: str) -> str:
    """The file's words joined by single spaces (comment markers of a .py tutorial dropped)."""
    lines = (DOCS / rel).read_text(encoding="utf-8").splitlines()
    if rel.endswith(".py"):
        lines = [line.removeprefix("#") for line in lines]
    return " ".join(" ".join(lines).split())


def test_xavier_page_numbers():
    text = _text("concepts/xavier.md")
    fan_out, fan_in = xavier_values.EXAMPLE_SHAPE
    assert f"a layer with {fan_in} inputs and {fan_out} units" in text
    assert f"fan_in {fan_in} and fan_out {fan_out}" in text
    assert f"we use {xavier.GlorotConfig().width} to build the figures faster" in text


def test_he_page_numbers():
    text = _text("concepts/he.md")
    ls = he.LayerStatsConfig()
    assert f"A stack of {ls.depth} ReLU layers of width {ls.width}" in text
    sc = he.SweepConfig()
    assert f"in {sc.input_dim} dimensions" in text
    assert f"one hidden layer of {sc.teacher_width} units" in text


def test_tutorial_refers_to_the_article_configuration():
    text = _text("tutorials/xavier-he.py")
    assert f"the article uses {he.LayerStatsConfig().width}" in text
    n = len(he.SGD_LRS)
    words = {5: "five", 6: "six", 7: "seven", 8: "eight"}
    assert f"(the article: {words[n]} rates, {he.SweepConfig().steps} steps)" in text

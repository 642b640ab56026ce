"""The search index leaves out boilerplate sections, and keeps the articles' prose."""

from __future__ import annotations

import json

from initnotes.build.search import SEARCH_EXCLUDED_SECTIONS


def test_boilerplate_sections_are_not_indexed(site):
    """Citation blocks, reference lists and the figure catalogue are not in the index; the
    articles' other sections are (so the exclusion is targeted, not wholesale)."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    locations = [d["location"] for d in docs]
    for section in SEARCH_EXCLUDED_SECTIONS:
        assert not [loc for loc in locations if loc.endswith(f"#{section}")], section
    assert any(loc.startswith("concepts/scale/#") for loc in locations)
    assert any(loc == "concepts/orthogonal/#summary" for loc in locations)
    html = (site / "concepts" / "scale" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="references" data-search-exclude>' in html

"""INITNOTES_PLAIN=1: the plain MkDocs build that `make bench` compares a rebuild against."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.site


def test_plain_build_has_the_same_pages_without_figures(site, builder, tmp_path):
    """Same HTML pages, no figure files, no placeholder left, nothing drawn or cached."""
    plain = builder(tmp_path / "site", tmp_path / "cache", extra_env={"INITNOTES_PLAIN": "1"})
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert sorted(p.relative_to(plain.site) for p in plain.site.rglob("*.html")) == pages
    assert not (plain.site / "figures").exists()
    assert not (tmp_path / "cache").exists()
    assert "INITNOTES_PLAIN set" in plain.log
    # The placeholders the full build replaced are gone; any left are in both builds
    # (the API reference documents the syntax itself).
    for page in plain.site.rglob("*.html"):
        full = (site / page.relative_to(plain.site)).read_text(encoding="utf-8")
        text = page.read_text(encoding="utf-8")
        for marker in ("{{ figure:", "{{ value:"):
            assert text.count(marker) == full.count(marker), (page, marker)

"""The strict build: it succeeds, is byte-reproducible, and reuses cached figures."""

from __future__ import annotations

import filecmp
import re
import time
from pathlib import Path

import pytest

from initnotes import registry


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def drawn_count(log: str) -> int:
    m = re.search(r"initnotes: (\d+) figures, (\d+) drawn", log)
    assert m, f"the hook did not report its figures:\n{log}"
    return int(m.group(2))


def test_every_registered_figure_is_in_the_site(site):
    """Each figure in the registry is published as SVG, PNG and PDF."""
    for name in registry.figures():
        for fmt in ("svg", "png", "pdf"):
            assert (site / "figures" / f"{name}.{fmt}").stat().st_size > 0


@pytest.mark.cold_build
def test_two_clean_builds_are_byte_identical(request, builder, tmp_path):
    """Two builds from empty caches produce the same files with the same bytes."""
    again = builder(tmp_path / "site", tmp_path / "cache")  # beside the shared one
    built = request.getfixturevalue("built")
    assert drawn_count(again.log) == len(registry.figures())
    assert tree(built.site) == tree(again.site)
    _, mismatch, errors = filecmp.cmpfiles(built.site, again.site, tree(built.site), shallow=False)
    assert mismatch == [] and errors == []


def test_rebuild_with_unchanged_package_draws_nothing(warm_cache, builder, tmp_path):
    """A second build that finds the cache of the first draws no figure and is faster."""
    start = time.perf_counter()
    warm = builder(tmp_path / "site", warm_cache)
    warm_seconds = time.perf_counter() - start
    assert drawn_count(warm.log) == 0
    print(f"\nwarm rebuild: {warm_seconds:.2f} s, 0 figures drawn")


def test_unknown_figure_fails_the_build(warm_cache, builder, tmp_path):
    """A page that names a figure the registry does not have fails the build, naming it."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Test\n\n{{ figure:no-such-figure }}\n")
    root = Path(__file__).resolve().parents[2]
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\n"
        f"docs_dir: {docs}\n"
        f"hooks:\n  - {root / 'src/initnotes/mkdocs_hook.py'}\n"
        "markdown_extensions: [md_in_html]\n"
    )
    try:
        builder(tmp_path / "site", warm_cache, config=config)
    except AssertionError as err:
        assert "no figure named 'no-such-figure'" in str(err)
    else:
        raise AssertionError("the build passed with an unknown figure")


def test_unknown_value_fails_the_build(warm_cache, builder, tmp_path):
    """Likewise for a value the registry does not have."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Test\n\n{{ value:no-such-value }}\n")
    root = Path(__file__).resolve().parents[2]
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\n"
        f"docs_dir: {docs}\n"
        f"hooks:\n  - {root / 'src/initnotes/mkdocs_hook.py'}\n"
    )
    try:
        builder(tmp_path / "site", warm_cache, config=config)
    except AssertionError as err:
        assert "index.md: no value named 'no-such-value'" in str(err)
    else:
        raise AssertionError("the build passed with an unknown value")

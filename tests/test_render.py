"""Rendering and caching of registered figures."""

from __future__ import annotations

import pytest

from initnotes import registry, render

NAME = "symmetry-weights"


def test_same_figure_same_bytes_in_every_format(tmp_path):
    """Rendering a figure twice gives byte-identical SVG, PNG and PDF files."""
    a = render.render_figure(NAME, tmp_path / "a")
    b = render.render_figure(NAME, tmp_path / "b")
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_svg_carries_no_date(tmp_path):
    """The SVG has no <dc:date> (it would change the bytes every build)."""
    (svg,) = render.render_figure(NAME, tmp_path, formats=("svg",))
    assert b"<dc:date>" not in svg.read_bytes()


def test_cache_draws_only_what_is_missing(tmp_path):
    """A second `ensure_figures` with the same fingerprint draws nothing."""
    cache = render.Cache(tmp_path, fp="test")
    first = cache.ensure_figures([NAME], jobs=1)
    second = cache.ensure_figures([NAME], jobs=1)
    assert list(first.drawn) == [NAME]
    assert second.drawn == {} and second.cached == [NAME]


def test_new_fingerprint_redraws_and_prunes_the_old(tmp_path):
    """A changed fingerprint (changed package) draws again and removes the stale cache."""
    render.Cache(tmp_path, fp="old").ensure_figures([NAME], jobs=1)
    report = render.Cache(tmp_path, fp="new").ensure_figures([NAME], jobs=1)
    assert list(report.drawn) == [NAME]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]


def test_fingerprint_changes_with_package_source(monkeypatch, tmp_path):
    """The fingerprint hashes the package source: editing a file changes it."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    monkeypatch.setattr(render, "PACKAGE_DIR", pkg)
    before = render.fingerprint()
    (pkg / "a.py").write_text("x = 2\n")
    assert render.fingerprint() != before


def test_fingerprint_ignores_a_version_bump_only(monkeypatch, tmp_path):
    """A release changes `__version__` and nothing computed: runs and figures are reused."""
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    init = pkg / "__init__.py"
    init.write_text('"""doc"""\n\n__version__ = "0.1.0"\n')
    monkeypatch.setattr(render, "PACKAGE_DIR", pkg)
    before = render.fingerprint()
    init.write_text('"""doc"""\n\n__version__ = "99.0.0"\n')
    assert render.fingerprint() == before
    init.write_text('"""doc"""\n\n__version__ = "99.0.0"\nX = 1\n')
    assert render.fingerprint() != before


def test_unknown_figure_names_known_ones():
    with pytest.raises(KeyError, match="no figure named 'nope'; known figures: .*symmetry-weights"):
        render.render_figure("nope", "unused")


def test_every_figure_has_alt_text_and_caption():
    """Registered figures carry alt text and a caption (they are checked on registration too)."""
    specs = registry.figures()
    assert specs
    for spec in specs.values():
        assert len(spec.alt) > 40 and spec.caption


def test_figure_specs_are_remembered_per_fingerprint(tmp_path):
    """The first call lists the registry and writes figures.json; the next reads it back."""
    first = render.Cache(tmp_path, fp="t").figure_specs()
    assert (tmp_path / "t" / "figures.json").exists()
    again = render.Cache(tmp_path, fp="t").figure_specs()
    assert list(again) == list(first) == list(registry.figures())
    for name, spec in first.items():
        assert (again[name].alt, again[name].caption, again[name].module) == (
            spec.alt, spec.caption, spec.module)


def test_rebuild_with_unchanged_package_loads_no_plotting_library(tmp_path):
    """With figures.json cached, listing the figures and the fingerprint import neither
    NumPy nor Matplotlib: a rebuild costs what a plain MkDocs build costs (make bench)."""
    import subprocess
    import sys

    render.Cache(tmp_path, fp=render.fingerprint()).figure_specs()
    code = (
        "import sys\n"
        "from initnotes import render\n"
        f"specs = render.Cache({str(tmp_path)!r}).figure_specs()\n"
        f"assert {NAME!r} in specs, specs\n"
        "loaded = sorted(m for m in ('numpy', 'matplotlib') if m in sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr

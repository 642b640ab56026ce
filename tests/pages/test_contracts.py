"""Contracts every page module keeps, checked once over the registry (not per page)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from initnotes import pages, registry

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "initnotes"
DOCS = ROOT / "docs"
PLACEHOLDER = re.compile(r"\{\{\s*(figure|value)\s*:\s*([^}\s]*)\s*\}\}")


def _used() -> dict[str, set[str]]:
    used: dict[str, set[str]] = {"figure": set(), "value": set()}
    for path in DOCS.rglob("*.md"):
        for kind, name in PLACEHOLDER.findall(path.read_text(encoding="utf-8")):
            used[kind].add(name)
    return used


def test_every_placeholder_in_the_docs_resolves():
    used = _used()
    assert used["figure"] and used["value"]
    assert used["figure"] <= set(registry.figures()), used["figure"] - set(registry.figures())
    assert used["value"] <= set(registry.values()), used["value"] - set(registry.values())


def test_every_figure_is_shown_on_a_page():
    assert set(registry.figures()) <= _used()["figure"]


@pytest.mark.parametrize("name", sorted(registry.figures()))
def test_every_figure_has_alt_text_and_caption(name):
    spec = registry.figures()[name]
    assert len(spec.alt) > 40, spec.alt
    assert len(spec.caption) > 20, spec.caption
    assert "$" not in spec.alt and "\\" not in spec.alt, "alt text is plain words, read aloud"


@pytest.mark.parametrize("name", sorted(registry.values()))
def test_every_value_builds_to_markdown(name):
    text = registry.values()[name].build()
    assert isinstance(text, str) and text.strip(), name
    assert "nan" not in re.findall(r"[a-z]+", text.lower()), f"{name} shows a NaN: {text[:200]}"


def test_every_binding_names_a_plot_function_and_declared_runs():
    declared = pages.all_runs()
    for name, b in pages.all_figures().items():
        assert callable(b.plot_function()), name
        for run in b.runs:
            assert declared[run.name] is run, (name, run.name)
    for name, b in pages.all_values().items():
        for run in b.runs:
            assert declared[run.name] is run, (name, run.name)


def test_every_page_module_names_a_page_that_exists():
    for page in pages.load().values():
        assert (DOCS / page.doc).is_file(), page.doc


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def test_figure_modules_are_pure_plotting():
    """No seed, no experiment call, no registration, no memo in `initnotes.figures`."""
    for path in sorted((SRC / "figures").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        names = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets
                 if isinstance(t, ast.Name)}
        assert not {n for n in names if n == "SEED" or n.endswith("_SEED")}, path.name
        assert "default_rng" not in text, path.name
        assert not any(i.startswith("initnotes.registry") for i in _imports(path)), path.name
        assert "functools.cache" not in text and "lru_cache" not in text, path.name


def test_number_code_never_imports_figure_code():
    """Page modules and the formatting module import neither Matplotlib nor `initnotes.figures`,
    statically and when loaded."""
    for path in [*sorted((SRC / "pages").glob("*.py")), SRC / "format.py", SRC / "runs.py"]:
        bad = {i for i in _imports(path) if i.startswith(("matplotlib", "initnotes.figures"))}
        assert not bad, (path.name, bad)
    code = ("import sys\nfrom initnotes import pages, format, runs\npages.load()\n"
            "bad = sorted(m for m in sys.modules if m.startswith(('matplotlib', 'initnotes.figures')))\n"
            "assert not bad, bad\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_no_experiment_imports_matplotlib():
    mods = sorted(p.stem for p in (SRC / "experiments").glob("*.py") if p.stem != "__init__")
    code = ("import sys, importlib\n"
            f"for m in {mods!r}: importlib.import_module('initnotes.experiments.' + m)\n"
            "for m in ('init', 'nn', 'data', 'runs', 'format'): importlib.import_module('initnotes.' + m)\n"
            "bad = sorted(m for m in sys.modules if m.startswith('matplotlib'))\n"
            "assert not bad, bad\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr

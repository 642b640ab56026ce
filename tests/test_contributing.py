"""CONTRIBUTING.md's recipe works: a throwaway page added by it, in a copy of the project, in
the five files it names, shows its figure and its value and passes its own test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^\*\*\d\. [^*]+\*\*, `(?P<path>[^`]+)`.*?\n```(?P<lang>\w+)\n(?P<code>.*?)\n```",
                   re.MULTILINE | re.DOTALL)


def recipe() -> list[tuple[str, str, str]]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text.split("## Add a page in five files", 1)[1].split("\n## ", 1)[0]
    return [(m["path"], m["lang"], m["code"]) for m in FENCE.finditer(section)]


def test_the_recipe_names_five_files():
    files = [path for path, _, _ in recipe()]
    assert len(files) == len(set(files)) == 5, files
    assert "mkdocs.yml" in files


def test_a_page_added_by_the_recipe_builds_and_passes_its_test(tmp_path):
    copy = tmp_path / "project"
    for name in ("src", "docs", "overrides"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("mkdocs.yml", "CITATION.cff", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    (copy / "tests" / "pages").mkdir(parents=True)
    shutil.copy2(ROOT / "tests" / "conftest.py", copy / "tests" / "conftest.py")
    for path, lang, code in recipe():
        target = copy / path
        if path == "mkdocs.yml":  # one nav line, after the last Concepts entry
            lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
            last = max(i for i, line in enumerate(lines) if "concepts/" in line and ".md" in line)
            lines.insert(last + 1, code + "\n")
            target.write_text("".join(lines), encoding="utf-8")
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(code + "\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(copy / "src"), INITNOTES_CACHE_DIR=str(tmp_path / "cache"),
               MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", NO_MKDOCS_2_WARNING="1")

    def run(*args: str) -> str:
        proc = subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
        return proc.stdout

    # The page's own test passes, on its memoised run.
    run("-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/pages/test_example.py")
    # The figure renders with generated alt text; the value is a number.
    out = run("-m", "initnotes", "figures", "--out", str(tmp_path / "figs"), "--format", "svg",
              "--name", "example-std")
    assert "wrote 1 file" in out and (tmp_path / "figs" / "example-std.svg").stat().st_size > 1000
    value = run("-m", "initnotes", "values", "--name", "example-last-std")
    assert re.search(r"^    \d\.\d+$", value, re.MULTILINE), value
    listed = run("-m", "initnotes", "runs")
    assert re.search(r"^example +example-tanh +initnotes\.experiments\.signal\.propagate ", listed,
                     re.MULTILINE), listed
    alt = run("-c", "from initnotes import registry; print(registry.get_figure('example-std').alt)")
    assert "each of the 8 layers" in alt
    # The page and its nav entry pass a strict build (the plain build: no figures drawn).
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=copy, env=dict(env, INITNOTES_PLAIN="1"), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (site / "concepts" / "example" / "index.html").read_text(encoding="utf-8")
    assert "An example page" in html
    assert 'href="../example/"' in (site / "concepts" / "symmetry" / "index.html").read_text(encoding="utf-8")

"""The tutorial pages of the built site, and how builds execute and cache the tutorials.

The first part checks the site built once per session (`built`): light pages that load
nothing from other hosts, downloads that match the page, math that gets typeset. The
second part builds a small throwaway project (one tutorial, a copy of the package with
no page modules so that only notebooks cost time) to show that a failing cell
fails the build, that the cache re-executes exactly when the package changes, and that
the working directory does not matter.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
import yaml

from initnotes import notebooks
from shared_build import EPOCH  # CITATION.cff's release date, as the Makefile exports it

ROOT = Path(__file__).resolve().parents[2]
TUTORIALS = sorted(p.stem for p in (ROOT / "docs" / "tutorials").glob("*.py"))
MAX_PAGE_BYTES = 200_000


class Tags(HTMLParser):
    """Every start tag of a page, with its attributes, and the ids on the page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]


def page_path(site: Path, name: str) -> Path:
    return site / "tutorials" / name / "index.html"


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file a relative link on `page` points to."""
    url = urlparse(urljoin("http://site/" + page.relative_to(site).as_posix(), href)).path
    target = site / url.lstrip("/")
    return target / "index.html" if url.endswith("/") or target.is_dir() else target


def notebook_part(text: str) -> str:
    return text[text.index('<div class="jupyter-wrapper">'):]


# --- the built site --------------------------------------------------------------------


def test_cold_build_executed_every_tutorial(built):
    m = re.search(r"initnotes: (\d+) tutorials, (\d+) executed \(([^)]*)\), (\d+) from cache", built.log)
    assert m, built.log
    assert int(m.group(1)) == int(m.group(2)) == len(TUTORIALS) and m.group(4) == "0"
    print(f"\ncold build: {m.group(3)}")


def test_mkdocs_jupyter_runs_nothing_itself_and_allows_no_errors():
    """mkdocs-jupyter's own execution (whose allow_errors defaults to true, and whose cache
    ignores the package) is off; the hook executes, with errors not allowed."""
    text = (ROOT / "mkdocs.yml").read_text()
    config = yaml.load(text, Loader=yaml.BaseLoader)  # BaseLoader: every scalar a string
    (options,) = [p["mkdocs-jupyter"] for p in config["plugins"]
                  if isinstance(p, dict) and "mkdocs-jupyter" in p]
    assert options["execute"] == "false" and options["allow_errors"] == "false"
    assert options["include_source"] == "false" and options["cache"] == "false"


@pytest.mark.parametrize("name", TUTORIALS)
def test_tutorial_page_is_light_and_styled_by_one_shared_stylesheet(site, name):
    """Under 200 KB of HTML, no inlined CSS or images, and the shared JupyterLab
    stylesheet (written once into the site) linked once."""
    page = page_path(site, name)
    text = page.read_text(encoding="utf-8")
    css = site / "assets" / "notebooks" / "jupyterlab.css"
    print(f"\n{name}: page {len(text.encode()) / 1000:.1f} KB "
          f"(shared stylesheet {css.stat().st_size / 1000:.0f} KB, loaded once for the site)")
    assert len(text.encode()) < MAX_PAGE_BYTES
    assert "<style" not in text and "data:image" not in text
    tags = Tags(text)
    sheets = [a["href"] for a in tags.all("link") if a.get("rel") == "stylesheet"]
    assert sum(resolve(site, page, h) == css for h in sheets) == 1
    assert any(resolve(site, page, h).name == "notebooks.css" for h in sheets)
    assert ".jupyter-wrapper" in css.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", TUTORIALS)
def test_tutorial_page_loads_nothing_from_other_hosts(site, name):
    """No script, stylesheet or image from another host: no MathJax or Mermaid CDN, no
    RequireJS, no empty <script src="">."""
    page = page_path(site, name)
    text = page.read_text(encoding="utf-8")
    tags = Tags(text)
    for tag, attrs in tags.tags:
        for attr in ("src", "href"):
            value = attrs.get(attr)
            if value is None or (tag == "a" and attr == "href"):
                continue  # links a reader may follow are not loads
            if tag == "link" and attrs.get("rel") == "canonical":
                continue
            assert value, f"<{tag} {attr}=\"\"> on {name}"
            assert not re.match(r"(?i)(https?:)?//", value), f"<{tag} {attr}={value!r}> on {name}"
    for word in ("mathjax", "cdnjs", "require.js", "mermaid", "import("):
        assert word not in text.lower(), f"{word!r} on {name}"
    shared = (site / "assets" / "notebooks").glob("*")
    for path in shared:
        assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", TUTORIALS)
def test_downloads_match_the_page(site, name):
    """The page links NAME.ipynb (executed, outputs included, no timestamps or jupytext
    metadata, ids from the cell index) and NAME.py (the source, byte for byte), and each
    figure it shows is the PNG of the notebook's output, with alt text."""
    import nbformat

    page = page_path(site, name)
    tags = Tags(page.read_text(encoding="utf-8"))
    hrefs = {resolve(site, page, a["href"]) for a in tags.all("a") if a.get("href") and "download" in a}
    ipynb, py = site / "tutorials" / name / f"{name}.ipynb", site / "tutorials" / name / f"{name}.py"
    assert {ipynb, py} <= hrefs
    assert py.read_bytes() == (ROOT / "docs" / "tutorials" / f"{name}.py").read_bytes()
    nb = nbformat.reads(ipynb.read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(nb)
    assert set(nb.metadata) == {"kernelspec", "language_info"}
    assert [c.id for c in nb.cells] == [f"cell-{i}" for i in range(len(nb.cells))]
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "every code cell ran, in order"
    assert not any("execution" in c.metadata for c in nb.cells)
    images = {img.data: img for img in notebooks.image_outputs(nb)}
    shown = [a for a in tags.all("img") if resolve(site, page, a["src"]).parent == page.parent]
    assert len(shown) == len(images)
    for attrs in shown:
        data = resolve(site, page, attrs["src"]).read_bytes()
        assert data in images and attrs["alt"] == images[data].alt and attrs["alt"]


@pytest.mark.parametrize("name", TUTORIALS)
def test_links_on_tutorial_pages_resolve(site, name):
    """Relative links (the run-it-locally note, links between pages written as .md/.py
    in the tutorial) and the table of contents' anchors all land somewhere."""
    page = page_path(site, name)
    text = page.read_text(encoding="utf-8")
    tags = Tags(text)
    for attrs in tags.all("a"):
        href = attrs.get("href") or ""
        if not href or re.match(r"(?i)[a-z][a-z0-9+.-]*:", href):
            continue
        if href.startswith("#"):
            assert href[1:] in tags.ids(), f"{name}: no anchor {href}"
            continue
        target = resolve(site, page, href)
        assert target.exists(), f"{name}: {href} -> {target}"
        fragment = urlparse(href).fragment
        if fragment:
            assert fragment in Tags(target.read_text(encoding="utf-8")).ids(), f"{name}: {href}"
    assert "#run-locally" in text


def test_math_in_markdown_cells_is_typeset_by_the_sites_katex(site):
    """Notebook markdown keeps $...$ (the first tutorials have some); every tutorial page
    loads the vendored KaTeX and math.js, which typesets .jp-RenderedMarkdown with $ and
    $$ delimiters (checked in a browser elsewhere)."""
    with_math = []
    for name in TUTORIALS:
        page = page_path(site, name)
        text = page.read_text(encoding="utf-8")
        cells = re.findall(r'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^>]*>(.*?)</div>',
                           notebook_part(text), re.S)
        if any(re.search(r"\$[^$]+\$", c) for c in cells):
            with_math.append(name)
        scripts = [resolve(site, page, a["src"]).relative_to(site).as_posix()
                   for a in Tags(text).all("script") if a.get("src")]
        assert {"assets/vendor/katex/katex.min.js", "assets/vendor/katex/contrib/auto-render.min.js",
                "assets/javascripts/math.js"} <= set(scripts), name
    assert {"hello-initializer", "symmetry"} <= set(with_math)
    js = (site / "assets" / "javascripts" / "math.js").read_text()
    assert ".jp-RenderedMarkdown" in js
    assert re.search(r'left: "\$\$", right: "\$\$", display: true', js)
    assert re.search(r'left: "\$", right: "\$", display: false', js)


def test_tutorial_pages_from_another_working_directory_are_the_same(built, warm_cache, tmp_path):
    """The real site, built from an unrelated folder with --config-file (reusing the
    executed notebooks), gives the same tutorial pages."""
    log = run_build(ROOT / "mkdocs.yml", tmp_path / "site", warm_cache, cwd=tmp_path)
    assert log.returncode == 0, log.text
    for name in TUTORIALS:
        a = page_path(built.site, name)
        assert a.read_bytes() == page_path(tmp_path / "site", name).read_bytes(), name
    assert not (tmp_path / ".cache").exists()


# --- a throwaway project ---------------------------------------------------------------


@dataclass
class Log:
    returncode: int
    text: str
    seconds: float

    def report(self) -> tuple[int, int]:
        m = re.search(r"initnotes: (\d+) tutorials, (\d+) executed", self.text)
        assert m, self.text
        return int(m.group(1)), int(m.group(2))


def run_build(config: Path, dest: Path, cache: Path, *, cwd: Path, pythonpath: Path | None = None) -> Log:
    env = dict(os.environ, INITNOTES_CACHE_DIR=str(cache), SOURCE_DATE_EPOCH=EPOCH,
               PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg")
    paths = [str(pythonpath)] if pythonpath else []
    paths += [str(Path(p).resolve()) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(dest)], cwd=cwd, env=env, capture_output=True, text=True)
    return Log(proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - start)


MINI_TUTORIAL = """\
# %% [markdown]
# # Tutorial: Mini
# Variance $\\sigma^2 = 2 / n$.

# %%
import numpy as np
from initnotes import init
rng = np.random.default_rng(0)
W = init.xavier_normal((64, 32), rng=rng)
print(f"std {W.std():.4f}")
open("scratch.txt", "w").write("a tutorial may write files")

# %% [markdown]
# ## Try this
# Change the shape.
"""


@dataclass
class Project:
    root: Path
    src: Path

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    def tutorial(self, name: str) -> Path:
        return self.root / "docs" / "tutorials" / f"{name}.py"

    def build(self, dest: Path, cache: Path, cwd: Path | None = None) -> Log:
        return run_build(self.config, dest, cache, cwd=cwd or self.root, pythonpath=self.src)


def make_project(folder: Path, tutorials: dict[str, str]) -> Project:
    """A minimal site with the real hook and mkdocs-jupyter settings, and its own copy
    of the package without page modules (so no run is computed and no figure drawn)."""
    src = folder / "src"
    shutil.copytree(ROOT / "src" / "initnotes", src / "initnotes",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for path in (src / "initnotes" / "pages").glob("*.py"):
        if path.name != "__init__.py":
            path.unlink()
    docs = folder / "docs"
    (docs / "tutorials").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    (docs / "tutorials" / "index.md").write_text("# Tutorials\n\n## Run them {#run-locally}\n")
    for name, text in tutorials.items():
        (docs / "tutorials" / f"{name}.py").write_text(text)
    real = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    (options,) = [p["mkdocs-jupyter"] for p in real["plugins"]
                  if isinstance(p, dict) and "mkdocs-jupyter" in p]
    config = {
        "site_name": "mini",
        "docs_dir": str(docs),
        "theme": {"name": "material", "font": False},
        "hooks": [str(src / "initnotes" / "mkdocs_hook.py")],
        "plugins": [{"mkdocs-jupyter": {k: yaml.safe_load(v) if isinstance(v, str) else v
                                        for k, v in options.items()}}],
        "markdown_extensions": ["attr_list", "md_in_html"],
        "nav": [{"Home": "index.md"}, {"Tutorials": ["tutorials/index.md"] + [
            f"tutorials/{n}.py" for n in tutorials]}],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return Project(folder, src)


def test_a_failing_cell_fails_the_build(tmp_path):
    """mkdocs build --strict stops, naming the tutorial, the cell and the exception."""
    bad = MINI_TUTORIAL.replace('print(f"std {W.std():.4f}")', "ratio = len(W) / 0")
    project = make_project(tmp_path / "proj", {"bad": bad})
    log = project.build(tmp_path / "site", tmp_path / "cache")
    assert log.returncode != 0
    assert "tutorial 'bad' failed to run" in log.text and "ZeroDivisionError" in log.text
    assert "ratio = len(W) / 0" in log.text  # the failing cell is shown
    line = bad.splitlines().index("ratio = len(W) / 0") + 1
    assert f"tutorials/bad.py, line {line} (cell 1)" in log.text  # and its file and line
    assert not (tmp_path / "site" / "tutorials" / "bad").exists()


def test_tutorials_rerun_exactly_when_the_package_changes(tmp_path):
    """Cold build: executed. Rebuild, package unchanged: nothing executed. A changed package
    file: executed again. A broken package: the build fails although a cache from the
    earlier builds is there."""
    project = make_project(tmp_path / "proj", {"mini": MINI_TUTORIAL})
    cache = tmp_path / "cache"
    builds = {}
    builds["cold"] = project.build(tmp_path / "s1", cache)
    builds["unchanged"] = project.build(tmp_path / "s2", cache)
    init_py = project.src / "initnotes" / "init.py"
    init_py.write_text(init_py.read_text() + "\n# an edit that changes no behaviour\n")
    builds["changed"] = project.build(tmp_path / "s3", cache)
    for name, log in builds.items():
        assert log.returncode == 0, f"{name}:\n{log.text}"
    assert builds["cold"].report() == (1, 1)
    assert builds["unchanged"].report() == (1, 0)
    assert builds["changed"].report() == (1, 1)
    print("\n" + ", ".join(f"{k} build {v.seconds:.2f} s ({v.report()[1]} executed)"
                           for k, v in builds.items()))
    page = page_path(tmp_path / "s1", "mini").read_bytes()
    assert page == page_path(tmp_path / "s2", "mini").read_bytes()
    assert b"std 0.1" in page  # xavier_normal std sqrt(2 / 96) = 0.144

    init_py.write_text(init_py.read_text().replace(
        "def xavier_normal(", "def _removed(", 1))  # the tutorial's call now fails
    broken = project.build(tmp_path / "s4", cache)
    # The build fails, naming what broke, although every cache entry of the earlier builds
    # is still there. (Whichever part of the build first imports the broken module reports
    # it: the package's own import of its presets, before any tutorial runs.)
    assert broken.returncode != 0
    assert "xavier_normal" in broken.text
    assert not page_path(tmp_path / "s4", "mini").exists()


def test_working_directory_does_not_matter(tmp_path):
    """Cold builds started from the project and from an unrelated folder give the same
    page, and what the tutorial writes lands in neither folder nor in docs/."""
    project = make_project(tmp_path / "proj", {"mini": MINI_TUTORIAL})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    a = project.build(tmp_path / "a", tmp_path / "cache-a")
    b = project.build(tmp_path / "b", tmp_path / "cache-b", cwd=elsewhere)
    assert a.returncode == 0 and b.returncode == 0, a.text + b.text
    assert a.report() == b.report() == (1, 1)
    assert page_path(tmp_path / "a", "mini").read_bytes() == page_path(tmp_path / "b", "mini").read_bytes()
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "a" / "tutorials" / "mini",
                                           tmp_path / "b" / "tutorials" / "mini",
                                           ["mini.ipynb", "mini.py", "index.html"], shallow=False)
    assert mismatch == errors == []
    assert not list(tmp_path.rglob("scratch.txt"))
    assert sorted(p.name for p in elsewhere.iterdir()) == []


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def test_serve_keeps_answering_with_a_failing_tutorial(tmp_path):
    """`mkdocs serve --strict` (what `make serve` runs) with a failing tutorial: every page
    answers at once, the failed tutorial's page shows the error (file, line, traceback) in
    place of its content, the other tutorial is served as usual, and the terminal names
    the file and the line."""
    bad = MINI_TUTORIAL.replace('print(f"std {W.std():.4f}")', "ratio = len(W) / 0")
    line = bad.splitlines().index("ratio = len(W) / 0") + 1
    project = make_project(tmp_path / "proj", {"good": MINI_TUTORIAL, "bad": bad})
    port = _free_port()
    env = dict(os.environ, INITNOTES_CACHE_DIR=str(tmp_path / "cache"), SOURCE_DATE_EPOCH=EPOCH,
               PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
               PYTHONPATH=str(project.src))
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--strict", "--no-livereload",
             "--config-file", str(project.config), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project.root, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while "Serving on" not in log_path.read_text():
            assert server.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.3)
        status, home = _get(base, timeout=10)
        assert status == 200 and "Home" in home
        status, page = _get(base + "tutorials/bad/", timeout=10)
        assert status == 200
        assert "This tutorial failed to run" in page
        assert f"tutorials/bad.py, line {line} (cell 1)" in page
        assert "ZeroDivisionError" in page and "ratio = len(W) / 0" in page
        status, good = _get(base + "tutorials/good/", timeout=10)
        assert status == 200 and "std 0." in good and "failed to run" not in good
        text = log_path.read_text()
        assert f"tutorials/bad.py, line {line} (cell 1)" in text
        assert "Aborted" not in text and "WARNING" not in text, text
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

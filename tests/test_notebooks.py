"""The tutorials: every docs/tutorials/*.py runs, fast, and prints what the package computes.

The first part executes each tutorial once (session fixture, one at a time so that the
timings mean something) and checks the format every tutorial shares and the numbers of
the two first tutorials. The second part pins how `initnotes.notebooks` executes and
caches, with tiny tutorials written into a temporary folder.
"""

from __future__ import annotations

import math
import os
import resource
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from initnotes import init, notebooks
from initnotes.experiments import symmetry

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = sorted((ROOT / "docs" / "tutorials").glob("*.py"))
#: Limits from the project's requirements: per tutorial, and all together.
MAX_SECONDS_EACH = 10.0
MAX_SECONDS_ALL = 45.0


@dataclass(frozen=True)
class Executions:
    """Every tutorial executed once: the cache's report, and the CPU seconds each kernel used."""

    report: notebooks.NotebookReport
    cpu: dict[str, float]

    @property
    def tutorials(self):
        return self.report.tutorials

    @property
    def executed(self):
        return self.report.executed


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@pytest.fixture(scope="session")
def executed(tmp_path_factory):
    """Every tutorial, executed once into a fresh cache, one after the other.

    Besides the wall time, each kernel's CPU time is measured (the kernel is a child
    process of this one, reaped when the tutorial ends): unlike the wall time it does not
    grow when the machine is busy with other work, as it is while the tests run in
    parallel."""
    cache = notebooks.NotebookCache(tmp_path_factory.mktemp("notebooks"), fp="tests")
    cpu, tutorials = {}, {}
    for path in TUTORIALS:
        before = _children_cpu()
        one = cache.ensure([path], jobs=1)
        cpu[path.stem] = _children_cpu() - before
        tutorials.update(one.tutorials)
    report = notebooks.NotebookReport(tutorials, sum(t.seconds or 0.0 for t in tutorials.values()))
    print("\ntutorial run times: " + ", ".join(
        f"{n} {s:.2f} s ({cpu[n]:.2f} s CPU)" for n, s in report.executed.items())
        + f"; total {sum(report.executed.values()):.2f} s ({sum(cpu.values()):.2f} s CPU)")
    return Executions(report, cpu)


def nb_of(executed, name):
    return notebooks.load(executed.tutorials[name].notebook)


def code(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def test_there_are_tutorials():
    assert {"hello-initializer", "symmetry"} <= {p.stem for p in TUTORIALS}


def test_the_tutorials_index_lists_every_tutorial_in_nav_order():
    """docs/tutorials/index.md links each docs/tutorials/*.py once, in the order of the nav."""
    index = (ROOT / "docs" / "tutorials" / "index.md").read_text()
    listed = re.findall(r"^\d+\. \[[^]]+\]\(([\w-]+)\.py\)", index, flags=re.M)
    nav = re.findall(r"^\s+- .*: tutorials/([\w-]+)\.py$", (ROOT / "mkdocs.yml").read_text(), flags=re.M)
    assert listed == nav
    assert sorted(listed) == sorted(p.stem for p in TUTORIALS)


def test_every_tutorial_runs_within_its_time_budget(executed):
    """Each tutorial's kernel uses under 10 s of CPU, all of them under 45 s together (run
    one at a time; CPU time, so that a busy machine does not make the limit flaky)."""
    assert set(executed.executed) == {p.stem for p in TUTORIALS}
    assert all(s > 0 for s in executed.cpu.values()), executed.cpu  # the kernels were measured
    slow = {n: round(s, 2) for n, s in executed.cpu.items() if s >= MAX_SECONDS_EACH}
    assert not slow, f"tutorials using more than {MAX_SECONDS_EACH} s of CPU: {slow}"
    assert sum(executed.cpu.values()) < MAX_SECONDS_ALL, executed.cpu


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_follows_the_shared_format(path, executed):
    """Title cell first, "Try this" last, one seeded generator, no pyplot, no stderr,
    and every figure shown with alt text."""
    nb = nb_of(executed, path.stem)
    first, last = nb.cells[0], nb.cells[-1]
    assert first.cell_type == "markdown" and first.source.startswith("# Tutorial: ")
    assert last.cell_type == "markdown" and "## Try this" in last.source
    src = code(nb)
    assert "pyplot" not in src and "plt." not in src
    assert len(re.findall(r"default_rng\(\s*\d+\s*\)", src)) == 1, "seed one generator, once"
    assert "np.random.seed" not in src
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.get("name") != "stderr", f"cell {cell.id} wrote to stderr:\n{out.get('text')}"
    images = notebooks.image_outputs(nb)
    assert all(img.alt for img in images)


# --- hello-initializer ------------------------------------------------------------------

SHAPE = (256, 512)  # as in the tutorial
N = SHAPE[0] * SHAPE[1]


def hello_table(nb) -> dict[str, tuple[float, float, float]]:
    rows = re.findall(r"^(\w+)\s+(-?\d\.\d{5})\s+(\d\.\d{5})\s+(\d\.\d{5})$",
                      notebooks.printed(nb), re.M)
    return {name: (float(m), float(s), float(f)) for name, m, s, f in rows}


def test_hello_formula_column_is_the_textbook_formula(executed):
    """The "formula" column equals the standard deviations derived by hand for a
    (256, 512) weight: fan_in 512, fan_out 256."""
    table = hello_table(nb_of(executed, "hello-initializer"))
    by_hand = {
        "normal": 0.01,
        "uniform": 0.02 / math.sqrt(12),  # U(-0.01, 0.01): width^2 / 12
        "xavier_uniform": math.sqrt(2 / (512 + 256)),
        "xavier_normal": math.sqrt(2 / (512 + 256)),
        "he_uniform": math.sqrt(2 / 512),
        "he_normal": math.sqrt(2 / 512),
        "lecun_uniform": math.sqrt(1 / 512),
        "lecun_normal": math.sqrt(1 / 512),
        "orthogonal": math.sqrt(256 / (256 * 512)),  # 256 orthonormal rows of length 1
    }
    assert set(table) == set(by_hand)
    for name, std in by_hand.items():
        assert table[name][2] == pytest.approx(std, abs=5e-6), name  # printed to 5 decimals


def test_hello_sample_statistics_match_the_formulas(executed):
    """Sample std within 2% of the formula, mean within 5 standard errors of 0.

    With n = 131 072 draws the relative standard error of a sample std is at most
    sqrt(2 / (4 n)) = 0.2% (normal; uniform and truncated normal are lighter-tailed), so
    2% is 10 standard errors; the mean's standard error is std / sqrt(n). Orthogonal
    rows have exactly unit length, so its std is exact up to the tiny mean.
    """
    for name, (mean, std, formula) in hello_table(nb_of(executed, "hello-initializer")).items():
        assert std == pytest.approx(formula, rel=0.02), name
        assert abs(mean) <= 5 * formula / math.sqrt(N) + 5e-6, name


def test_hello_table_is_what_the_package_draws(executed):
    """The printed table is exactly what `initnotes.init` draws with the tutorial's seed
    and order of draws (so the page cannot show numbers the package does not produce)."""
    rng = np.random.default_rng(2024)
    table = hello_table(nb_of(executed, "hello-initializer"))
    for name in table:  # printed in the order drawn
        kwargs = {"nonlinearity": "relu"} if name.startswith("he_") else {}
        W = init.PRESETS[name](SHAPE, rng=rng, **kwargs)
        assert table[name][:2] == (round(W.mean(), 5) + 0.0, round(W.std(), 5)), name


def test_hello_forward_pass_claims(executed):
    """The text's claims: with normal(0.01) the activations shrink by about 6 per layer
    (256 * 0.01^2 = 0.0256, sqrt = 0.16, and tanh is nearly linear there) to around 1e-5
    after six layers; with Xavier they stay of order one, the sixth layer's standard
    deviation still about half the first's, drifting down at every layer."""
    rows = re.findall(r"^(\d)\s+(\S+)\s+(\S+)$", notebooks.printed(nb_of(executed, "hello-initializer")), re.M)
    assert [int(r[0]) for r in rows] == [1, 2, 3, 4, 5, 6]
    small = np.array([float(r[1]) for r in rows])
    xavier = np.array([float(r[2]) for r in rows])
    ratios = np.concatenate([[1.0 / small[0]], small[:-1] / small[1:]])  # input std is 1
    assert np.all((ratios > 5.5) & (ratios < 7.0)), ratios
    assert 5e-6 < small[-1] < 5e-5
    assert np.all((xavier > 0.2) & (xavier < 1.0)), xavier
    assert 0.4 < xavier[-1] / xavier[0] < 0.6 and np.all(np.diff(xavier) < 0), xavier


def test_hello_shows_the_histograms(executed):
    nb = nb_of(executed, "hello-initializer")
    (img,) = notebooks.image_outputs(nb)
    assert "6 panels" in img.alt and "lecun_normal" in img.alt


# --- symmetry ---------------------------------------------------------------------------


def by_hand(W, v, x=(1.0, 2.0), target=1.0):
    """Forward and backward pass of the 2-2-1 tanh network, written out with math."""
    z = [W[i][0] * x[0] + W[i][1] * x[1] for i in range(2)]
    h = [math.tanh(zi) for zi in z]
    y = v[0] * h[0] + v[1] * h[1]
    delta = [(y - target) * v[i] * (1 - h[i] ** 2) for i in range(2)]
    return z, h, y, 0.5 * (y - target) ** 2, [[delta[i] * x[j] for j in range(2)] for i in range(2)]


def parse_vec(text: str) -> list[float]:
    return [float(a) for a in re.findall(r"[+-]\d+\.\d{4}", text)]


def test_symmetry_worked_example_matches_a_hand_computation(executed):
    """Every number of the worked example, from all four starts, against math.tanh."""
    out = notebooks.printed(nb_of(executed, "symmetry"))
    blocks = {b.split(":\n")[0].strip(): b for b in out.split("\n\n")[1:5]}
    assert list(blocks) == list(symmetry.STARTS)
    for name, (W, v) in symmetry.STARTS.items():
        z, h, y, loss, dW = by_hand(np.asarray(W).tolist(), np.ravel(v).tolist())
        block = blocks[name]
        line = {k.strip(): val for k, val in re.findall(r"^\s+([^=\n]+?)\s*=\s*(.*)$", block, re.M)}
        assert parse_vec(line["a"]) == pytest.approx(z, abs=5e-5)
        assert parse_vec(line["h"]) == pytest.approx(h, abs=5e-5)
        y_printed, loss_printed = re.search(r"y = ([+-]\d\.\d{4}),\s+loss = (\d\.\d{4})", block).groups()
        assert float(y_printed) == pytest.approx(y, abs=5e-5)
        assert float(loss_printed) == pytest.approx(loss, abs=5e-5)
        assert parse_vec(line["dL/dW rows"]) == pytest.approx(dW[0] + dW[1], abs=5e-5)
        equal = "True" if dW[0] == dW[1] else "False"
        assert f"equal rows: {equal}" in block, name
    # The article's claim: only the random start gives the two units different gradients.
    assert [n for n in symmetry.STARTS if "equal rows: False" in blocks[n]] == ["random"]


def test_symmetry_training_table_is_the_package_run_and_its_claims_hold(executed):
    """The table shows the package's run (seed 0, default config), and the text's claims:
    zero start: hidden weights never move; constant: the two rows stay exactly equal;
    random: the rows end apart and with the lowest loss."""
    out = notebooks.printed(nb_of(executed, "symmetry"))
    found = re.findall(r"^(zero|constant|random)\s+(\d\.\d{4})\s+(\d\.\d{4})\s+(\d\.\d{4})"
                       r"\s+(\d\.\d{4})\s+(True|False)$", out, re.M)
    rows = {m[0]: [float(a) for a in m[1:5]] for m in found}
    assert list(rows) == ["zero", "constant", "random"]
    # "== 0?" is exact: True for the two symmetric starts, False for the random one
    assert [m[5] for m in found] == ["True", "True", "False"]
    results = symmetry.train_from_starts(symmetry.SymmetryConfig(), np.random.default_rng(0))
    for name, (first, last, moved, diff) in rows.items():
        run = results.runs[name]
        assert (first, last) == (round(run.loss[0], 4), round(run.loss[-1], 4))
        assert moved == round(np.abs(run.W[-1] - run.W[0]).max(), 4)
        assert diff == round(run.max_row_difference[-1], 4)
    assert rows["zero"][2] == 0.0 and np.all(results.runs["zero"].W == 0)
    assert rows["constant"][2] > 0.1 and np.all(results.runs["constant"].max_row_difference == 0)
    assert rows["random"][3] > 0.1
    assert rows["random"][1] < rows["constant"][1] < rows["zero"][1]


def test_symmetry_shows_the_article_figure(executed):
    (img,) = notebooks.image_outputs(nb_of(executed, "symmetry"))
    assert all(t in img.alt for t in ("Zero init", "Constant init (0.5)", "Random init"))


# --- how tutorials are executed and cached ---------------------------------------------


def write(folder: Path, name: str, *cells: str) -> Path:
    """A percent-format tutorial with the given code cells after a title cell."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "# %% [markdown]\n# # Tutorial: test\n" + "".join(f"\n# %%\n{c}\n" for c in cells)
    path = folder / f"{name}.py"
    path.write_text(text)
    return path


FIGURE_CELL = """\
from initnotes.figures import style
fig, ax = style.new_figure(width=3, height=2)
ax.plot([0, 1, 2], [0, 1, 4], label="squares")
ax.set_title("a test")
ax.legend()
fig"""


def test_reading_is_deterministic_and_drops_jupytext_metadata(tmp_path):
    """Cell ids come from the cell index (jupytext would give random ones), and the
    notebook's metadata is only the kernel spec."""
    path = write(tmp_path, "t", "x = 1", "y = 2")
    a, b = notebooks.read_tutorial(path), notebooks.read_tutorial(path)
    assert [c.id for c in a.cells] == ["cell-0", "cell-1", "cell-2"]
    assert notebooks.notebook_bytes(a) == notebooks.notebook_bytes(b)
    assert set(a.metadata) == {"kernelspec"}
    assert all("lines_to_next_cell" not in c.metadata for c in a.cells)


def test_execution_is_byte_reproducible_with_a_figure(tmp_path):
    """Two executions give the same .ipynb bytes, PNG of a figure included: no timestamps,
    no random ids, deterministic images; the figure gets alt text from its titles."""
    path = write(tmp_path, "fig", "import numpy as np\nprint(np.arange(3))", FIGURE_CELL)
    first, nb = notebooks.execute_file(path), notebooks.execute_file(path)
    assert notebooks.notebook_bytes(first) == notebooks.notebook_bytes(nb)
    (img,) = notebooks.image_outputs(nb)
    assert img.data.startswith(b"\x89PNG") and (img.width, img.height) == (300, 200)
    assert img.alt == "Chart with one panel: a test. Legend: squares."
    assert "execution" not in nb.cells[1].metadata and "version" not in nb.metadata["language_info"]
    assert notebooks.printed(nb) == "[0 1 2]\n"


def test_printed_text_is_one_output_per_cell_whatever_the_timing(tmp_path):
    """Printed text arrives in pieces that depend on timing (flushes); each cell's stdout
    is merged into one output, so two runs give the same notebook."""
    path = write(tmp_path, "chunks", "import sys, time\nfor i in range(5):\n"
                 "    print(i)\n    sys.stdout.flush()\n    time.sleep(0.02)")
    (out,) = notebooks.execute_file(path).cells[1].outputs
    assert out.output_type == "stream" and out.text == "0\n1\n2\n3\n4\n"


def test_kernel_is_this_python_with_this_package_in_an_empty_folder(tmp_path):
    """The kernel runs this interpreter, imports this copy of the package, and starts
    in an empty temporary folder (not the folder the build started in)."""
    path = write(tmp_path, "where", "import os, sys, initnotes\n"
                 "print(sys.executable)\nprint(initnotes.__file__)\n"
                 "print(os.getcwd())\nprint(os.listdir('.'))")
    exe, pkg, cwd, listing = notebooks.printed(notebooks.execute_file(path)).splitlines()
    assert Path(exe).resolve() == Path(sys.executable).resolve()
    assert Path(pkg).resolve() == Path(notebooks.__file__).resolve().parent / "__init__.py"
    assert listing == "[]"
    assert Path(cwd).resolve() not in (Path.cwd().resolve(), tmp_path.resolve())
    assert not Path(cwd).exists(), "the temporary working folder is removed afterwards"


def test_failing_cell_raises_naming_the_tutorial_and_the_error(tmp_path):
    path = write(tmp_path, "broken", "x = 1", "y = x / 0")
    with pytest.raises(notebooks.TutorialError, match=r"(?s)tutorial 'broken' failed.*ZeroDivisionError"):
        notebooks.execute_file(path)


def test_failing_cell_error_names_the_file_and_line(tmp_path):
    """The error says which file and which line of it failed (not only the cell number),
    and carries the traceback without terminal colours."""
    path = write(tmp_path, "broken", "x = 1", "y = 2\nz = y / 0\nw = 3")
    line = path.read_text().splitlines().index("z = y / 0") + 1
    with pytest.raises(notebooks.TutorialError) as info:
        notebooks.execute_file(path)
    err = info.value
    assert (err.name, err.source, err.line) == ("broken", path, line)
    assert err.cell == 2 and err.where.endswith(f", line {line} (cell 2)")
    assert f"line {line}" in str(err) and "ZeroDivisionError" in err.traceback
    assert "\x1b[" not in err.traceback


def test_keep_going_reports_failures_and_runs_the_rest(tmp_path):
    """With keep_going (mkdocs serve) a failing tutorial is reported, not raised; the others
    are executed and cached; the failure is not."""
    good = write(tmp_path / "docs", "good", "print(1)")
    bad = write(tmp_path / "docs", "bad", "1 / 0")
    cache = notebooks.NotebookCache(tmp_path / "cache", fp="one")
    report = cache.ensure([good, bad], jobs=1, keep_going=True)
    assert list(report.tutorials) == ["good"] and list(report.failed) == ["bad"]
    assert report.failed["bad"].source == bad and "1 failed (bad)" in report.summary()
    assert not cache.path(bad).exists() and cache.path(good).exists()
    page = notebooks.error_page_html(report.failed["bad"], title="Bad <one>")
    assert "<h1>Bad &lt;one&gt;</h1>" in page and "ZeroDivisionError" in page
    assert f"line {report.failed['bad'].line}" in page


def test_cache_runs_only_what_changed(tmp_path):
    """Same tutorial and fingerprint: nothing runs. A new fingerprint (changed package) or
    an edited tutorial: it runs again, and the stale notebook is removed."""
    a = write(tmp_path / "docs", "a", "print(1)")
    b = write(tmp_path / "docs", "b", "print(2)")
    cache = notebooks.NotebookCache(tmp_path / "cache", fp="one")
    first = cache.ensure([a, b], jobs=2)
    assert sorted(first.executed) == ["a", "b"] and first.cached == []
    start = time.perf_counter()
    again = cache.ensure([a, b])
    warm = time.perf_counter() - start
    assert again.executed == {} and again.cached == ["a", "b"]
    print(f"\nwarm: {warm * 1000:.1f} ms for 2 cached tutorials; cold: {first.seconds:.2f} s")
    assert warm < 0.5
    # In the site, each fingerprint has its own folder (inside the figure cache's).
    other = notebooks.NotebookCache(tmp_path / "cache-two", fp="two").ensure([a, b])
    assert sorted(other.executed) == ["a", "b"]
    write(tmp_path / "docs", "a", "print(3)")
    edited = cache.ensure([a, b])
    assert list(edited.executed) == ["a"]
    assert notebooks.printed(notebooks.load(edited.tutorials["a"].notebook)) == "3\n"
    assert len(list((tmp_path / "cache" / "a").glob("*.ipynb"))) == 1


def test_cache_key_covers_tutorial_fingerprint_and_libraries(monkeypatch):
    key = notebooks.cache_key(b"print(1)", "fp")
    assert notebooks.cache_key(b"print(2)", "fp") != key
    assert notebooks.cache_key(b"print(1)", "other") != key
    monkeypatch.setattr(notebooks, "library_versions", lambda: "nbclient 0.0")
    assert notebooks.cache_key(b"print(1)", "fp") != key
    monkeypatch.undo()
    import initnotes
    monkeypatch.setattr(initnotes, "__version__", "99.0.0")  # tutorials print the version
    assert notebooks.cache_key(b"print(1)", "fp") != key


def test_a_failure_is_not_cached(tmp_path):
    bad = write(tmp_path / "docs", "bad", "raise RuntimeError('nope')")
    cache = notebooks.NotebookCache(tmp_path / "cache", fp="one")
    for _ in range(2):  # the second call runs it again, and fails again
        with pytest.raises(notebooks.TutorialError, match="RuntimeError: nope"):
            cache.ensure([bad])
    assert not list((tmp_path / "cache").rglob("*.ipynb"))


def test_kernel_env_puts_this_package_first(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "relative/dir")
    paths = notebooks.kernel_env()["PYTHONPATH"].split(os.pathsep)
    assert paths[0] == str(Path(notebooks.__file__).resolve().parents[1])
    assert paths[1] == str(Path("relative/dir").resolve())


# ---------------------------------------------------------------------------
# Alt text
# ---------------------------------------------------------------------------

#: Characters of TeX source that a screen reader would read out one by one.
TEX_CHARACTERS = ("$", "\\", "{", "}", "^")


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.stem)
def test_tutorial_alt_texts_are_plain_words(path, executed):
    """Every image a tutorial shows has alt text without TeX source (``$``, ``\\``, braces)."""
    images = notebooks.image_outputs(nb_of(executed, path.stem))
    for image in images:
        assert image.alt, f"{image.filename} has no alt text"
        bad = [c for c in TEX_CHARACTERS if c in image.alt]
        assert not bad, f"{path.stem} {image.filename}: {image.alt!r}"


def _one_image_notebook(tmp_path: Path) -> Path:
    import base64

    import nbformat
    from matplotlib.figure import Figure

    from initnotes.figures import style

    fig = Figure(figsize=(1, 1))
    fig.subplots().plot([0, 1])
    png = base64.b64encode(style.notebook_png(fig)).decode("ascii")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("fig", outputs=[nbformat.v4.new_output(
        "display_data", data={"image/png": png}, metadata={"image/png": {"alt": "A line."}})])]
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    path = tmp_path / "one.ipynb"
    nbformat.write(nb, str(path))
    return path


def test_no_false_missing_alt_text_warning(tmp_path, caplog):
    """nbconvert's "Alternative text is missing" (its template writes no alt) is not logged
    once the build silences it, other nbconvert messages still are, and the page's image
    gets the notebook's alt text."""
    import logging

    from mkdocs_jupyter.nbconvert2 import nb2html

    notebooks.silence_false_alt_warning()
    notebooks.silence_false_alt_warning()  # twice: one filter
    assert logging.getLogger("traitlets").filters.count(notebooks._ALT_FILTER) == 1
    path = _one_image_notebook(tmp_path)
    with caplog.at_level(logging.INFO):
        html = nb2html(str(path))
        logging.getLogger("traitlets").warning("another nbconvert warning")
    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if m.startswith(notebooks.NBCONVERT_ALT_WARNING)], messages
    assert "another nbconvert warning" in messages
    images = notebooks.image_outputs(notebooks.load(path))
    page = notebooks.tidy_page_html(html, images=images)
    assert 'alt="A line."' in page

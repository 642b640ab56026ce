"""A downloaded tutorial runs as a reader runs it: from the site alone.

A small throwaway project (one tutorial, a copy of the package and its pyproject) is
built with ``INITNOTES_SITE_URL=http://127.0.0.1:PORT/`` and served at that address; a
fresh virtual environment holding only a kernel (ipykernel and nbclient, at the pinned
versions) downloads the tutorial's notebook into an empty folder and executes it top to
bottom. Its first cell installs initnotes from the site's wheel (NumPy and Matplotlib
come from the package index pip is set up with), and the notebook then prints what
the page shows. About 30-60 s, most of it pip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import initnotes
from initnotes import notebooks, publish

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import sitelib  # noqa: E402
from test_tutorials import MINI_TUTORIAL, make_project, page_path, run_build  # noqa: E402

pytestmark = pytest.mark.site

KERNEL_PACKAGES = ("ipykernel", "nbclient")

EXECUTE = """\
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
for cell in nb.cells:
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
NotebookClient(nb, kernel_name="python3", timeout=300, allow_errors=False,
               resources={"metadata": {"path": sys.argv[2]}}).execute()
nbformat.write(nb, sys.argv[3])
"""


def reader_env(venv: Path) -> dict[str, str]:
    """The environment of a reader's shell with `venv` activated: no trace of this project."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "INITNOTES_", "VIRTUAL_ENV", "JUPYTER", "MPL"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def test_a_downloaded_notebook_runs_in_a_fresh_environment(tmp_path, monkeypatch):
    timings: dict[str, float] = {}
    start = time.perf_counter()
    project = make_project(tmp_path / "proj", {"mini": MINI_TUTORIAL})
    for name in ("pyproject.toml", "README.md", "LICENSE"):  # what the wheel is built from
        shutil.copy(ROOT / name, project.root / name)
    with project.config.open("a", encoding="utf-8") as f:
        f.write("site_url: !ENV INITNOTES_SITE_URL\n")  # as the real mkdocs.yml
    port = sitelib.free_port()
    site_url = f"http://127.0.0.1:{port}/"
    monkeypatch.setenv("INITNOTES_SITE_URL", site_url)
    log = run_build(project.config, tmp_path / "site", tmp_path / "cache", cwd=project.root,
                    pythonpath=project.src)
    assert log.returncode == 0, log.text
    timings["build"] = time.perf_counter() - start
    site = tmp_path / "site"
    assert (site / publish.wheel_path()).is_file()
    page = page_path(site, "mini").read_text(encoding="utf-8")
    assert publish.wheel_url(site_url) in page  # the install cell names the served wheel

    t = time.perf_counter()
    venv = tmp_path / "reader-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    constraints = ROOT / "requirements" / "constraints.txt"
    proc = subprocess.run([str(py), "-m", "pip", "install", "--quiet", "-c", str(constraints),
                           *KERNEL_PACKAGES], env=reader_env(venv), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    timings["kernel venv"] = time.perf_counter() - t
    absent = subprocess.run([str(py), "-c", "import initnotes"], env=reader_env(venv),
                            capture_output=True, text=True)
    assert absent.returncode != 0  # the reader has no initnotes yet

    t = time.perf_counter()
    folder = tmp_path / "empty"
    folder.mkdir()
    with sitelib.serve(site, "/", port) as base:
        assert base == site_url
        with urllib.request.urlopen(f"{base}tutorials/mini/mini.ipynb", timeout=30) as response:
            (folder / "mini.ipynb").write_bytes(response.read())
        proc = subprocess.run([str(py), "-c", EXECUTE, "mini.ipynb", str(folder), "ran.ipynb"],
                              cwd=folder, env=reader_env(venv), capture_output=True, text=True)
    timings["download and run"] = time.perf_counter() - t
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    ran = notebooks.load(folder / "ran.ipynb")
    built = notebooks.load(site / "tutorials" / "mini" / "mini.ipynb")
    assert ran.cells[1].id == publish.INSTALL_CELL_ID
    assert notebooks.printed(ran) == notebooks.printed(built)  # what the page shows
    installed = subprocess.run(
        [str(py), "-c", "import initnotes, json; print(json.dumps([initnotes.__version__, "
         "initnotes.__file__]))"], env=reader_env(venv), capture_output=True, text=True)
    version, where = json.loads(installed.stdout)
    assert version == initnotes.__version__ and str(venv) in where
    print("\nreader test: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))

"""The package on the site: its wheel, and the cell that installs it in a downloaded notebook.

A reader who downloads a tutorial's notebook needs the very `initnotes` its pages were
built with. The build therefore

* builds the package's wheel (pure Python, ``py3-none-any``) with hatchling, the
  project's build backend, and serves it at ``downloads/initnotes-VERSION-py3-none-any.whl``
  (`WHEEL_FOLDER`, `wheel_name`). hatchling writes reproducible wheels: every file's
  date is ``SOURCE_DATE_EPOCH`` (hatchling's fixed date without it) and the files come
  in a fixed order, so two builds of the same source give the same bytes;
* puts one install cell (`install_cell`) at the top of every tutorial, after its title:
  it does nothing when that version of `initnotes` is already importable (the build's
  own execution, a clone with ``pip install -e .``), and otherwise installs that version
  with pip from the site's wheel (or, from a build with no address, from PyPI).

This module knows nothing about MkDocs (the build's feature is `initnotes.build.package`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

import initnotes

PACKAGE_DIR = Path(__file__).resolve().parent
#: The site folder that holds the wheel.
WHEEL_FOLDER = "downloads"
#: The id of the install cell in every tutorial notebook.
INSTALL_CELL_ID = "install-initnotes"
#: The files besides the package's own that go into the wheel (its metadata).
_PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE")


class WheelError(RuntimeError):
    """The wheel could not be built."""


def wheel_name(version: str = initnotes.__version__) -> str:
    """The wheel's file name, e.g. ``initnotes-0.1.0-py3-none-any.whl``."""
    if not version or any(c in version for c in "/- "):
        raise ValueError(f"not a package version: {version!r}")
    return f"initnotes-{version}-py3-none-any.whl"


def wheel_path(version: str = initnotes.__version__) -> str:
    """The wheel's path on the site, relative to its root."""
    return f"{WHEEL_FOLDER}/{wheel_name(version)}"


def project_root(package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The project folder the package is built from (``pyproject.toml`` two levels above
    the package, as in ``src/initnotes``), or None (an installed copy: nothing to build)."""
    root = package_dir.parent.parent
    return root if (root / "pyproject.toml").is_file() and package_dir.parent.name == "src" else None


def source_key(root: Path, package_dir: Path = PACKAGE_DIR) -> str:
    """A hash of everything the wheel is made of: the package's files, the project's
    metadata files, ``SOURCE_DATE_EPOCH`` and hatchling's version."""
    h = hashlib.sha256()
    files = sorted(p for p in package_dir.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    files += [root / name for name in _PROJECT_FILES if (root / name).is_file()]
    for path in files:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    h.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    h.update(metadata.version("hatchling").encode())
    return h.hexdigest()[:20]


def build_wheel(out_dir: str | Path, root: Path | None = None) -> Path:
    """Build the wheel of the project at `root` (default: `project_root`) into `out_dir`.

    Runs ``python -m hatchling build --target wheel`` in that folder. Raises
    `WheelError` with hatchling's output if it fails or does not write exactly the
    expected pure-Python wheel.
    """
    root = root or project_root()
    if root is None:
        raise WheelError("initnotes is installed, not in a project folder: no wheel to build")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".wheel-", dir=out_dir) as tmp:
        proc = subprocess.run(
            [sys.executable, "-m", "hatchling", "build", "--target", "wheel", "--directory", tmp],
            cwd=root, capture_output=True, text=True)
        built = sorted(Path(tmp).glob("*.whl"))
        expected = wheel_name()
        if proc.returncode != 0 or [p.name for p in built] != [expected]:
            raise WheelError(f"hatchling did not build {expected} (exit {proc.returncode}, "
                             f"wrote {[p.name for p in built]}):\n{proc.stdout}{proc.stderr}")
        target = out_dir / expected
        os.replace(built[0], target)
    return target


def cached_wheel(cache_dir: str | Path, root: Path | None = None) -> tuple[Path, bool]:
    """The wheel under ``cache_dir/wheel/KEY/`` (built if missing); (path, built now)."""
    root = root or project_root()
    if root is None:
        raise WheelError("initnotes is installed, not in a project folder: no wheel to build")
    folder = Path(cache_dir) / "wheel"
    target = folder / source_key(root) / wheel_name()
    if target.exists():
        return target, False
    path = build_wheel(target.parent, root)
    for old in folder.iterdir():  # wheels of earlier sources
        if old != target.parent:
            shutil.rmtree(old, ignore_errors=True)
    return path, True


def wheel_url(site_url: str | None, version: str = initnotes.__version__) -> str | None:
    """The wheel's address on a site published at `site_url` (None: no address)."""
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + wheel_path(version)


def install_cell(version: str = initnotes.__version__, url: str | None = None) -> str:
    """The source of the cell that installs `initnotes` `version` unless it is importable.

    `url` is the wheel on the site; without one (a build with no address) pip installs
    ``initnotes==VERSION`` from PyPI. The cell is plain Python (no ``%pip``), so the
    tutorial's ``.py`` file runs as a script too.
    """
    wheel_name(version)  # checks the version
    if url is not None and not url.startswith(("http://", "https://")):
        raise ValueError(f"the wheel's address must be http(s), got {url!r}")
    requirement = url or f"initnotes=={version}"
    source = "the site" if url else "PyPI"
    return "\n".join([
        f"# Installs initnotes {version}, the version this page was built with, from {source},",
        "# unless that version is already importable (then this cell does nothing).",
        "import importlib, subprocess, sys",
        "try:",
        "    from initnotes import __version__ as _found",
        "except ImportError:",
        "    _found = None",
        f"if _found != {version!r}:",
        "    subprocess.run([sys.executable, '-m', 'pip', 'install', '--quiet',",
        f"                    {requirement!r}], check=True)",
        "    importlib.invalidate_caches()",
        "    if _found is not None:",
        f"        raise RuntimeError('initnotes {version} is installed now, over ' + _found",
        "                           + ': restart the kernel and run the notebook again')",
    ])


def insert_into_py(text: str, cell: str) -> str:
    """A percent-format tutorial's text with `cell` as a code cell after its first cell
    (the title), where `insert_into_notebook` puts it in the notebook."""
    lines = text.splitlines(keepends=True)
    markers = [i for i, line in enumerate(lines) if line.startswith("# %%")]
    at = markers[1] if len(markers) > 1 else len(lines)
    block = "# %%\n" + cell.rstrip("\n") + "\n\n"
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        block = "\n\n" + block
    return "".join(lines[:at]) + block + "".join(lines[at:])

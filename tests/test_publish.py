"""The package on the site (`initnotes.publish`): the wheel, the install cell, and the
addresses the build reads from the environment (`initnotes.build.addresses`)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

import initnotes
from initnotes import notebooks, publish
from initnotes.build import Addresses, configure

ROOT = Path(__file__).resolve().parents[1]
VERSION = initnotes.__version__


# --------------------------------------------------------------------------- the wheel

@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> tuple[Path, Path]:
    """The wheel built twice, into two folders (about 1 s each)."""
    tmp = tmp_path_factory.mktemp("wheels")
    return publish.build_wheel(tmp / "a"), publish.build_wheel(tmp / "b")


def test_wheel_is_pure_python_and_holds_the_whole_package(wheels):
    wheel, _ = wheels
    assert wheel.name == f"initnotes-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        meta = zf.read(f"initnotes-{VERSION}.dist-info/WHEEL").decode()
    assert "Root-Is-Purelib: true" in meta and "Tag: py3-none-any" in meta
    package = ROOT / "src" / "initnotes"
    expected = {p.relative_to(package.parent).as_posix() for p in package.rglob("*.py")
                if "__pycache__" not in p.parts}
    assert expected <= names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_wheel_is_byte_reproducible(wheels):
    a, b = wheels
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as zf:  # every date is SOURCE_DATE_EPOCH's (make sets it)
        assert len({info.date_time for info in zf.infolist()}) == 1


def test_cached_wheel_is_built_once_per_source(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(publish, "build_wheel", lambda out, root: calls.append(out) or (
        Path(out).mkdir(parents=True, exist_ok=True),
        (Path(out) / publish.wheel_name()).write_bytes(b"w"))[0] or Path(out) / publish.wheel_name())
    first, built = publish.cached_wheel(tmp_path)
    again, built_again = publish.cached_wheel(tmp_path)
    assert (built, built_again) == (True, False) and first == again and len(calls) == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # another date: another wheel
    other, built = publish.cached_wheel(tmp_path)
    assert built and other != first and not first.exists()


def test_wheel_names_and_addresses():
    assert publish.wheel_path("1.2.3") == "downloads/initnotes-1.2.3-py3-none-any.whl"
    assert publish.wheel_url("http://127.0.0.1:8123", "1.2.3") == (
        "http://127.0.0.1:8123/downloads/initnotes-1.2.3-py3-none-any.whl")
    assert publish.wheel_url(None) is None
    for bad in ("", "1.0-2", "a/b"):
        with pytest.raises(ValueError, match=repr(bad)):
            publish.wheel_name(bad)


# --------------------------------------------------------------------------- the install cell

def run_cell(code: str, tmp_path: Path, *, fake_version: str | None) -> subprocess.CompletedProcess:
    """Run `code` in a fresh Python where `initnotes` is a stub of version `fake_version`
    (None: not importable) and pip is a stub that records its arguments."""
    stub = tmp_path / "stub"
    (stub / "pip").mkdir(parents=True)
    (stub / "pip" / "__main__.py").write_text(
        f"import sys; open({str(tmp_path / 'pip-args')!r}, 'w').write(' '.join(sys.argv[1:]))\n")
    (stub / "pip" / "__init__.py").write_text("")
    (stub / "initnotes").mkdir()
    (stub / "initnotes" / "__init__.py").write_text(
        f"__version__ = {fake_version!r}\n" if fake_version is not None
        else "raise ImportError('no initnotes here')\n")  # hides the real one
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env={**env, "PYTHONPATH": str(stub)})


def test_install_cell_does_nothing_when_the_version_is_importable(tmp_path):
    cell = publish.install_cell(VERSION, "http://127.0.0.1:9/downloads/x.whl")
    proc = run_cell(cell, tmp_path, fake_version=VERSION)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "" and not (tmp_path / "pip-args").exists()


def test_install_cell_installs_the_sites_wheel_when_missing(tmp_path):
    url = f"http://127.0.0.1:9/{publish.wheel_path(VERSION)}"
    proc = run_cell(publish.install_cell(VERSION, url), tmp_path, fake_version=None)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "pip-args").read_text() == f"install --quiet {url}"


def test_install_cell_over_another_version_asks_for_a_restart(tmp_path):
    proc = run_cell(publish.install_cell(VERSION, None), tmp_path, fake_version="0.0.1")
    assert (tmp_path / "pip-args").read_text() == f"install --quiet initnotes=={VERSION}"
    assert proc.returncode != 0 and "restart the kernel" in proc.stderr


def test_install_cell_rejects_a_bad_address():
    with pytest.raises(ValueError, match="'ftp://x'"):
        publish.install_cell(VERSION, "ftp://x")


TUTORIAL = "# %% [markdown]\n# # Tutorial: T\n\n# %%\nx = 1\n\n# %% [markdown]\n# end\n"


def test_the_install_cell_comes_right_after_the_title():
    cell = publish.install_cell(VERSION, None)
    nb = notebooks.read_tutorial(TUTORIAL.encode(), cell)
    assert [c.id for c in nb.cells] == ["cell-0", publish.INSTALL_CELL_ID, "cell-1", "cell-2"]
    assert nb.cells[1].cell_type == "code" and nb.cells[1].source == cell
    py = publish.insert_into_py(TUTORIAL, cell)
    again = notebooks.read_tutorial(py.encode())
    assert [c.source for c in again.cells] == [c.source for c in nb.cells]
    # The notebook without it is unchanged, and the cache key tells the two apart.
    assert [c.id for c in notebooks.read_tutorial(TUTORIAL.encode()).cells] == [
        "cell-0", "cell-1", "cell-2"]
    assert notebooks.cache_key(b"x", "fp", cell) != notebooks.cache_key(b"x", "fp")


# --------------------------------------------------------------------------- addresses

def addressed(tmp_path: Path, monkeypatch, site: str | None, repo: str | None):
    for var, value in (("INITNOTES_SITE_URL", site), ("INITNOTES_REPO_URL", repo)):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: demo\nsite_url: !ENV INITNOTES_SITE_URL\ncopyright: C\n"
        "extra:\n  repository: !ENV INITNOTES_REPO_URL\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))
    configure(Addresses()).on_config(config)
    return config


def test_addresses_come_from_the_environment(tmp_path, monkeypatch):
    config = addressed(tmp_path, monkeypatch, "https://me.example/notes", "https://git.example/me/n")
    assert config["site_url"] == "https://me.example/notes/"
    assert config["copyright"] == 'C &middot; <a href="https://git.example/me/n">source repository</a>'


def test_without_addresses_nothing_is_invented(tmp_path, monkeypatch):
    config = addressed(tmp_path, monkeypatch, None, None)
    assert config["site_url"] is None and config["copyright"] == "C"


def test_a_bad_repository_address_is_named(tmp_path, monkeypatch):
    with pytest.raises(PluginError, match="INITNOTES_REPO_URL .*'git@host:x'"):
        addressed(tmp_path, monkeypatch, None, "git@host:x")

"""A strict build of the site, made once per test session into a temporary folder.

`build_site` runs `mkdocs build --strict` as a subprocess (exactly what `make site` does)
with its own figure cache, so the checks here never depend on an earlier build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EPOCH = "1764115200"


@dataclass(frozen=True)
class Build:
    site: Path
    cache: Path
    log: str


def build_site(dest: Path, cache: Path, config: Path = ROOT / "mkdocs.yml") -> Build:
    env = dict(os.environ, INITNOTES_CACHE_DIR=str(cache), SOURCE_DATE_EPOCH=EPOCH,
               PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(dest)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    return Build(dest, cache, proc.stdout + proc.stderr)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Build:
    """The site, built once from a clean cache."""
    tmp = tmp_path_factory.mktemp("build")
    return build_site(tmp / "site", tmp / "cache")


@pytest.fixture(scope="session")
def site(built) -> Path:
    return built.site


@pytest.fixture(scope="session")
def builder():
    """`build_site` itself, for tests that need builds of their own."""
    return build_site

"""The site generator stays on MkDocs 1.x (MkDocs 2 reads no mkdocs.yml and runs no
plugins), and ProperDocs, its maintained 1.6 fork, is pinned as the way out."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]


def docs_requirements() -> dict[str, Requirement]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    reqs = [Requirement(r) for r in data["project"]["optional-dependencies"]["docs"]]
    return {r.name.lower(): r for r in reqs}


def pins() -> dict[str, str]:
    text = (ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8")
    return {m[0].lower().replace("_", "-"): m[1]
            for m in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", text, re.MULTILINE)}


def test_installed_mkdocs_is_not_mkdocs_2():
    """Fails when MkDocs 2 is installed: it refuses mkdocs.yml and has no plugins, so the
    site would lose its figures, values and tutorials."""
    version = Version(metadata.version("mkdocs"))
    assert version.major < 2, (f"MkDocs {version} is installed; this site needs MkDocs 1.6 "
                               "(or ProperDocs 1.6.x): reinstall with `make install`")


def test_pins_keep_mkdocs_below_2():
    spec = docs_requirements()["mkdocs"].specifier
    assert not spec.contains("2.0.0", prereleases=True)
    assert not spec.contains("2.0.0.dev1", prereleases=True)
    assert Version(pins()["mkdocs"]).major == 1 and spec.contains(pins()["mkdocs"])


def test_properdocs_is_pinned_to_the_1_6_fork():
    spec = docs_requirements()["properdocs"].specifier
    assert spec.contains(pins()["properdocs"]) and pins()["properdocs"] == "1.6.7"
    assert not spec.contains("2.0.0", prereleases=True)
    assert metadata.version("properdocs") == pins()["properdocs"]

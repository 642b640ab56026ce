"""The GitHub Pages workflow: valid YAML with the structure Pages needs, and the Makefile
targets it calls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as the boolean True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(job: dict) -> list[dict]:
    return job["steps"]


def uses(job: dict) -> list[str]:
    return [s["uses"] for s in steps(job) if "uses" in s]


def runs(job: dict) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


def test_triggers_on_release_tags_and_by_hand(workflow):
    assert workflow["on"]["push"]["tags"] == ["v*"]
    assert "workflow_dispatch" in workflow["on"]


def test_permissions_for_pages_deployment(workflow):
    perms = workflow["permissions"]
    assert perms["pages"] == "write" and perms["id-token"] == "write"
    assert perms["contents"] == "write"  # mike commits to gh-pages


def test_build_runs_make_site_and_uploads_site_folder(workflow):
    build = workflow["jobs"]["build"]
    assert re.search(r"^make site$", runs(build), re.MULTILINE)
    upload = [s for s in steps(build) if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert len(upload) == 1 and upload[0]["with"]["path"].rstrip("/") == "site"
    # The upload comes after the build steps.
    names = [s.get("uses") or s.get("run") for s in steps(build)]
    assert names.index(upload[0]["uses"]) == len(names) - 1


def test_checkout_has_full_history_for_mike(workflow):
    checkout = [s for s in steps(workflow["jobs"]["build"]) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout and checkout[0]["with"]["fetch-depth"] == 0


def test_deploy_job_publishes_the_artifact(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert any(u.startswith("actions/deploy-pages@") for u in uses(deploy))


def test_every_action_is_pinned_to_a_version(workflow):
    for job in workflow["jobs"].values():
        for u in uses(job):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+(\.\d+)*", u), u


def test_release_tag_must_match_package_version(workflow):
    """A tag vX.Y.Z publishes X.Y.Z only if it is initnotes.__version__ (the cited version)."""
    script = runs(workflow["jobs"]["build"])
    assert "initnotes.__version__" in script and 'v${version}' in script
    assert "make site-versions VERSION=" in script


def test_makefile_has_the_targets_the_workflow_calls(workflow):
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.MULTILINE))
    called = set(re.findall(r"\bmake ([\w-]+)", runs(workflow["jobs"]["build"])))
    assert called == {"site", "site-versions"}
    assert called <= targets
    assert "figures" in targets

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


# --------------------------------------------------------------------------- both workflows

RELEASE = ROOT / ".github" / "workflows" / "release.yml"


def load_workflow(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads `on` as True
    return data


@pytest.fixture(scope="module")
def workflow_schema():
    """GitHub's workflow schema as check-jsonschema vendors it (SchemaStore's), read from
    the installed package: nothing is downloaded."""
    import json
    from importlib import resources

    import jsonschema

    text = (resources.files("check_jsonschema.builtin_schemas.vendor")
            / "github-workflows.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    return jsonschema.validators.validator_for(schema)(schema)


@pytest.mark.parametrize("path", [WORKFLOW, RELEASE], ids=lambda p: p.name)
def test_workflow_is_valid_against_githubs_schema(workflow_schema, path):
    errors = sorted(workflow_schema.iter_errors(load_workflow(path)), key=str)
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_the_schema_check_catches_a_broken_workflow(workflow_schema):
    broken = load_workflow(RELEASE)
    broken["jobs"]["build"]["runs-on"] = None  # a typical mistake
    broken["jobs"]["pypi"]["steps"][0]["uses"] = 3
    assert list(workflow_schema.iter_errors(broken))


def test_pages_build_gets_the_site_and_repository_addresses(workflow):
    build = workflow["jobs"]["build"]
    assert any(s.get("uses", "").startswith("actions/configure-pages@") and s.get("id") == "pages"
               for s in steps(build))
    for step in steps(build):
        if re.search(r"\bmake (site|site-versions)\b", step.get("run", "")):
            env = step.get("env", {})
            assert env.get("INITNOTES_SITE_URL") == "${{ steps.pages.outputs.base_url }}/", step
            assert env.get("INITNOTES_REPO_URL") == (
                "${{ github.server_url }}/${{ github.repository }}"), step


def test_release_builds_checks_attaches_and_publishes():
    release = load_workflow(RELEASE)
    assert release["on"]["push"]["tags"] == ["v*"]
    assert release["permissions"] == {"contents": "read"}
    build, github, pypi = (release["jobs"][k] for k in ("build", "github-release", "pypi"))
    script = runs(build)
    assert "src/initnotes/__init__.py" in script and '"v${version}"' in script
    assert "-c requirements/constraints.txt build" in script  # the pinned front end
    assert "python -m build --outdir dist/" in script  # sdist and wheel
    assert github["needs"] == pypi["needs"] == "build"
    assert github["permissions"] == {"contents": "write"}
    assert "gh release create" in runs(github) and "dist/*" in runs(github)
    # Trusted publishing: an OIDC token, the pypi environment, no password anywhere.
    assert pypi["permissions"] == {"id-token": "write"}
    assert pypi["environment"]["name"] == "pypi"
    (publish,) = [s for s in steps(pypi) if s.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    assert "password" not in publish.get("with", {})
    assert "secrets." not in RELEASE.read_text(encoding="utf-8")
    for job in release["jobs"].values():
        for u in uses(job):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+(\.\d+)*", u), u


def test_release_tag_check_reads_the_same_version_as_the_package():
    """The release job's one-liner finds initnotes.__version__ (run here on this checkout)."""
    import subprocess
    import sys

    script = runs(load_workflow(RELEASE)["jobs"]["build"])
    line = next(ln for ln in script.splitlines() if ln.strip().startswith('version="$(python -c'))
    code = line.split("python -c '", 1)[1].rsplit("')\"", 1)[0]
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    import initnotes

    assert out.stdout.strip() == initnotes.__version__, out.stderr

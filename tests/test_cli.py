"""The command line, `python -m initnotes` (`initnotes.__main__`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from initnotes import __main__ as cli
from initnotes import registry, render

NAME = "symmetry-weights"


# The command uses the project's cache (`initnotes.runs.default_cache_root`), shared with the
# page tests: each run is computed and each figure drawn once per package fingerprint.


def files_under(path: Path) -> list[str]:
    return sorted(p.relative_to(path).as_posix() for p in path.rglob("*")) if path.exists() else []


def one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert captured.out == ""
    return lines[0]


def test_list_prints_every_name_with_its_caption(capsys):
    assert cli.main(["figures", "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    specs = registry.figures()
    assert len(out) == len(specs)
    for line, spec in zip(out, specs.values()):
        name, caption = line.split(None, 1)
        assert name == spec.name
        assert caption == " ".join(spec.caption.split())


def test_export_is_byte_for_byte_a_fresh_render(tmp_path, capsys):
    """The exported files equal what `render_figure` draws from scratch (no cache)."""
    out = tmp_path / "slides" / "figs"
    assert cli.main(["figures", "--out", str(out), "--format", "svg,pdf", "--name", NAME]) == 0
    assert files_under(out) == [f"{NAME}.pdf", f"{NAME}.svg"]
    fresh = render.render_figure(NAME, tmp_path / "fresh", formats=("svg", "pdf"))
    for path in fresh:
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    assert "wrote 2 files" in capsys.readouterr().out


def test_default_exports_every_figure_in_every_format(tmp_path):
    assert cli.main(["figures", "--out", str(tmp_path)]) == 0
    expected = sorted(f"{n}.{f}" for n in registry.figures() for f in ("svg", "png", "pdf"))
    assert files_under(tmp_path) == expected


def test_export_overwrites_and_leaves_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / f"{NAME}.png").write_bytes(b"old")
    assert cli.main(["figures", "--out", str(tmp_path), "--format", "png", "--name", NAME]) == 0
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert (tmp_path / f"{NAME}.png").read_bytes().startswith(b"\x89PNG")
    assert files_under(tmp_path) == sorted([f"{NAME}.png", "notes.txt"])


@pytest.mark.parametrize("args, message", [
    (["--name", "no-such-figure"], "unknown figure 'no-such-figure'; known: "),
    (["--name", NAME, "nope"], "unknown figure 'nope'"),
    (["--format", "svg,gif"], "unknown format 'gif'; known: svg, png, pdf"),
    (["--format", ","], "--format needs at least one of svg, png, pdf"),
])
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    assert cli.main(["figures", "--out", str(out), *args]) == 2
    assert message in one_line_error(capsys)
    assert not out.exists()


def test_out_inside_a_file_is_unwritable(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert cli.main(["figures", "--out", str(blocker / "sub")]) == 2
    assert f"cannot write to --out '{blocker / 'sub'}'" in one_line_error(capsys)
    assert files_under(tmp_path) == ["a-file"]


def test_out_that_is_a_file_is_refused(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert cli.main(["figures", "--out", str(blocker)]) == 2
    assert "exists and is not a folder" in one_line_error(capsys)
    assert blocker.read_text() == "x"


def test_failure_midway_writes_nothing(tmp_path, monkeypatch):
    """If writing the second file fails, neither the first nor a temporary folder is left,
    and a folder the command created is removed again."""
    real_copy = shutil.copyfile
    calls = []

    def flaky_copy(src, dst, *a, **k):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_copy(src, dst, *a, **k)

    monkeypatch.setattr(shutil, "copyfile", flaky_copy)
    out = tmp_path / "new" / "out"
    assert cli.main(["figures", "--out", str(out), "--name", NAME]) == 2
    assert len(calls) == 2
    assert files_under(tmp_path) == []


def test_failure_while_moving_into_place_writes_nothing(tmp_path, monkeypatch):
    real_replace = os.replace
    calls = []

    def flaky_replace(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", flaky_replace)
    assert cli.main(["figures", "--out", str(tmp_path), "--name", NAME]) == 2
    assert len(calls) == 3
    assert files_under(tmp_path) == []


def test_list_and_out_are_exclusive(tmp_path, capsys):
    assert cli.main(["figures", "--list", "--out", str(tmp_path)]) == 2
    assert "not allowed with argument" in one_line_error(capsys)
    assert cli.main(["figures"]) == 2
    assert "one of the arguments --out --list is required" in one_line_error(capsys)


def test_values_prints_each_registered_value(capsys):
    assert cli.main(["values"]) == 0
    out = capsys.readouterr().out
    for name, spec in registry.values().items():
        assert f"{name}: {spec.description}" in out
        for line in spec.build().splitlines():
            assert f"    {line}" in out


def test_values_by_name(capsys):
    name = next(iter(registry.values()))
    assert cli.main(["values", "--name", name]) == 0
    assert capsys.readouterr().out.startswith(f"{name}: ")
    assert cli.main(["values", "--name", "nope"]) == 2
    assert "unknown value 'nope'" in one_line_error(capsys)


def test_anchors_reports_and_fixes(tmp_path, capsys):
    page = tmp_path / "p.md"
    page.write_text("# T\n\n## The gain\n\n## Kept {#kept}\n")
    assert cli.main(["anchors", str(page)]) == 1
    assert "heading 'The gain' has no explicit id; write it as '## The gain {#the-gain}'" in capsys.readouterr().out
    assert cli.main(["anchors", "--fix", str(page)]) == 0
    assert page.read_text() == "# T\n\n## The gain {#the-gain}\n\n## Kept {#kept}\n"


def test_module_entry_point_exit_status_and_stderr(tmp_path):
    """`python -m initnotes` as a user runs it: status 2 and a single line on stderr."""
    env = dict(os.environ, PYTHONPATH=str(Path(cli.__file__).resolve().parents[1]))
    proc = subprocess.run([sys.executable, "-m", "initnotes", "figures", "--out", str(tmp_path / "o"),
                           "--name", "nope"], capture_output=True, text=True, env=env)
    assert proc.returncode == 2
    assert proc.stderr.startswith("initnotes: error: unknown figure 'nope'")
    assert proc.stderr.count("\n") == 1 and proc.stdout == ""
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------- build-assets, check-site

@pytest.mark.parametrize("args, message", [
    (["build-assets", "--docs", "no/such/docs"], "--docs 'no/such/docs' is not a folder"),
    (["build-assets", "--docs", ".", "--site-url", "ftp://x/"], "INITNOTES_SITE_URL must be"),
    (["check-site", "no/such/site"], "not a built site (no index.html): 'no/such/site'"),
])
def test_pipeline_commands_name_a_bad_argument(args, message, capsys):
    assert cli.main(args) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_check_site_fails_on_a_page_without_its_figure(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n{{ figure:some-figure }}\n")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html><body><h1>Home</h1></body></html>")
    code = cli.main(["check-site", str(tmp_path / "site"), "--docs", str(tmp_path / "docs")])
    out = capsys.readouterr().out
    assert code == cli.EXIT_FAILURE
    assert "index.md: figure 'some-figure' is not on the page" in out and "1 problem" in out

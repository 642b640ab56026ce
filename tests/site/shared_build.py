"""One strict build of the site per test run, started in the background when the run begins.

`make test` runs the tests in two processes (pytest-xdist). The checks of the built site all
read one strict build from an empty cache; building it takes most of a minute. The run's
controller starts that build as a subprocess in `pytest_sessionstart` (see
`tests/conftest.py`), so it proceeds while both workers run the unit and page tests, and
the `built` fixture waits for it. Without xdist the same happens in the one process.

`build_site` is the build itself: `mkdocs build --strict` as a subprocess, exactly what
`make site` does, with its own cache.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _release_epoch() -> str:
    from initnotes import cite

    return str(cite.release_epoch(cite.load_cff(ROOT / cite.CFF_FILE)))


#: The release date of CITATION.cff, as the Makefile exports it.
EPOCH = _release_epoch()
#: How long the `built` fixture waits for the background build before giving up.
WAIT_SECONDS = 1800.0

_running: list[subprocess.Popen] = []


@dataclass(frozen=True)
class Build:
    site: Path
    cache: Path
    log: str


def build_env(cache: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ, INITNOTES_CACHE_DIR=str(cache), SOURCE_DATE_EPOCH=EPOCH,
               PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.pop("INITNOTES_PLAIN", None)
    env.update(extra_env or {})
    return env


def build_command(dest: Path, config: Path = ROOT / "mkdocs.yml") -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
            "--site-dir", str(dest)]


def build_site(dest: Path, cache: Path, config: Path = ROOT / "mkdocs.yml",
               extra_env: dict[str, str] | None = None) -> Build:
    proc = subprocess.run(build_command(dest, config), cwd=ROOT,
                          env=build_env(cache, extra_env), capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    return Build(dest, cache, proc.stdout + proc.stderr)


# --------------------------------------------------------------------------- the shared build


def folder(config) -> Path:
    """Where this run's shared build lives: beside the workers' temporary folders."""
    base = config._tmp_path_factory.getbasetemp()
    if hasattr(config, "workerinput"):  # an xdist worker's basetemp is <controller's>/gwN
        base = base.parent
    return base / "shared-build"


def selected(config) -> bool:
    """Whether this run may need the build: site checks are not deselected by `-m` and a
    path given (or the default `tests`) holds them."""
    if "not site" in (config.option.markexpr or ""):
        return False
    site_dir = ROOT / "tests" / "site"
    for arg in config.args or [str(ROOT / "tests")]:
        path = Path(arg.split("::", 1)[0]).resolve()
        if path == site_dir or site_dir in path.parents or path in site_dir.parents:
            return True
    return False


def browser_selected(config) -> bool:
    return "not browser" not in (config.option.markexpr or "")


def start(where: Path, *, visit: bool = True) -> None:
    """Start the build into `where` (site/, cache/, log, and rc once it has finished) and,
    with `visit`, then every page's visit in Chromium (visits.pickle, visits.log, visits.rc:
    see `browsing.visit_site`)."""
    where.mkdir(parents=True, exist_ok=True)
    q = {name: f'"{where / name}"' for name in ("log", "rc", "site", "visits.pickle", "visits.log",
                                                  "visits.rc")}
    script = f'"$0" "$@" >{q["log"]} 2>&1; echo $? >{q["rc"]}.part && mv {q["rc"]}.part {q["rc"]}'
    if visit:
        browsing = Path(__file__).resolve().with_name("browsing.py")
        script += (f'; if [ "$(cat {q["rc"]})" = 0 ]; then "$0" "{browsing}" {q["site"]} '
                   f'{q["visits.pickle"]} >{q["visits.log"]} 2>&1; echo $? >{q["visits.rc"]}.part'
                   f' && mv {q["visits.rc"]}.part {q["visits.rc"]}; fi')
        (where / "visiting").write_text("")
    (where / "started").write_text("")
    _running.append(subprocess.Popen(
        ["/bin/sh", "-c", script, *build_command(where / "site")],
        cwd=ROOT, env=build_env(where / "cache"), start_new_session=True,
    ))


def stop() -> None:
    """End a build still running when the run ends (a run stopped early)."""
    while _running:
        proc = _running.pop()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the shell and the build or browser under it
            proc.wait()


def _wait_for(path: Path, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not finish in {WAIT_SECONDS:.0f} s")
        time.sleep(0.5)


def visits(where: Path):
    """The pages' visits made in the background after the build, or None if this run did
    not start them; raises `LookupError` when the machine has no Chromium."""
    if not (where / "visiting").exists():
        return None
    wait(where)
    _wait_for(where / "visits.rc", "the visits of the built pages")
    rc = (where / "visits.rc").read_text().strip()
    if rc == "3":
        raise LookupError("Chromium not found")
    if rc != "0":
        log = (where / "visits.log").read_text(encoding="utf-8", errors="replace")
        raise AssertionError(f"visiting the built pages failed:\n{log}")
    return pickle.loads((where / "visits.pickle").read_bytes())


def wait(where: Path) -> Build:
    """The shared build, once it has finished; it is made here if no one started it."""
    if not (where / "started").exists():  # e.g. a run that selected no site test by path
        where.mkdir(parents=True, exist_ok=True)
        import fcntl

        with open(where.parent / "shared-build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not (where / "rc").exists():
                build = build_site(where / "site", where / "cache")
                (where / "log").write_text(build.log)
                (where / "rc").write_text("0\n")
    _wait_for(where / "rc", "the shared site build")
    log = (where / "log").read_text(encoding="utf-8", errors="replace")
    if (where / "rc").read_text().strip() != "0":
        raise AssertionError(f"mkdocs build --strict failed:\n{log}")
    return Build(where / "site", where / "cache", log)

"""The run store: each declared run computed once per fingerprint, shared across processes."""

from __future__ import annotations

import dataclasses
import multiprocessing
import subprocess
import sys

import numpy as np
import pytest

from initnotes import runs


@dataclasses.dataclass(frozen=True)
class Cfg:
    n: int = 3
    scale: float = 1.5
    names: tuple[str, ...] = ("a", "b")


CALLS: list[int] = []


def draw(cfg: Cfg, rng: np.random.Generator) -> np.ndarray:
    CALLS.append(1)
    return cfg.scale * rng.standard_normal(cfg.n)


def constant(cfg: Cfg) -> float:
    return cfg.scale * cfg.n


def _run(**kw) -> runs.Run:
    return runs.Run("test", kw.pop("name", "test-draw"), kw.pop("function", draw),
                    kw.pop("config", Cfg()), **kw)


def test_result_is_the_seeded_call(tmp_path):
    """A stored result equals the experiment called with default_rng(seed)."""
    store = runs.RunStore(tmp_path)
    got = _run(seed=7).result(store)
    np.testing.assert_array_equal(got, draw(Cfg(), np.random.default_rng(7)))


def test_computed_once_then_reused_from_disk(tmp_path):
    """A second store on the same folder (another process, a rebuild) loads, never recomputes."""
    CALLS.clear()
    run = _run(seed=1)
    first = runs.RunStore(tmp_path)
    a = first.get(run)
    first.get(run)  # from memory
    assert (first.computed, first.reused, len(CALLS)) == (["test-draw"], [], 1)
    second = runs.RunStore(tmp_path)
    b = second.get(run)
    assert (second.computed, second.reused, len(CALLS)) == ([], ["test-draw"], 1)
    np.testing.assert_array_equal(a, b)


def test_key_depends_on_function_config_and_seed():
    base = _run(seed=0)
    others = [_run(seed=1), _run(config=Cfg(n=4)), _run(function=lambda c, r: 0)]
    assert len({base.key, *(o.key for o in others)}) == 4
    assert _run(seed=0, name="other-name").key == base.key  # the name is a label, not an input


def test_seed_none_calls_without_a_generator(tmp_path):
    assert _run(function=constant, seed=None).result(runs.RunStore(tmp_path)) == 4.5


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0"])
def test_bad_seed_is_refused_naming_it(seed):
    with pytest.raises(ValueError, match=f"seed must be a non-negative int or None, got {seed!r}"):
        _run(seed=seed)


def test_ensure_computes_only_the_missing_in_parallel(tmp_path):
    store = runs.RunStore(tmp_path)
    a, b = _run(seed=0, name="run-a"), _run(seed=1, name="run-b")
    store.get(a)
    computed, reused = store.ensure([a, b], jobs=2)
    assert (computed, reused) == (["run-b"], ["run-a"])
    assert store.path(b).exists()
    assert runs.RunStore(tmp_path).ensure([a, b]) == ([], ["run-a", "run-b"])


def _get_in_child(directory: str, q) -> None:
    store = runs.RunStore(directory)
    store.get(_run(seed=3))
    q.put(store.computed)


def test_two_processes_wanting_one_run_compute_it_once(tmp_path):
    """The file lock makes the second process wait and load the first one's result."""
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=_get_in_child, args=(str(tmp_path), q)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    computed = [q.get(timeout=5) for _ in procs]
    assert sorted(map(len, computed)) == [0, 1]


def test_code_reproduces_the_run_exactly(tmp_path):
    """`Run.code()` is Python a reader can paste: its config equals the run's, its result too."""
    from initnotes import pages

    for run in pages.all_runs().values():
        code = run.code()
        namespace: dict = {}
        setup = code.rsplit("\nresults = ", 1)[0]
        exec(compile(setup, f"<{run.name}>", "exec"), namespace)
        assert namespace["config"] == run.config, run.name
        assert f"default_rng({run.seed})" in code or run.seed is None
    run = pages.all_runs()["symmetry-small"]
    namespace = {}
    exec(run.code(), namespace)
    expected = run.result()
    for start, r in expected.runs.items():
        np.testing.assert_array_equal(namespace["results"].runs[start].W, r.W)


def test_default_cache_root_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INITNOTES_CACHE_DIR", str(tmp_path))
    assert runs.default_cache_root() == tmp_path
    monkeypatch.delenv("INITNOTES_CACHE_DIR")
    assert runs.default_cache_root().parts[-2:] == (".cache", "initnotes")


def test_cli_lists_runs_and_shows_code():
    out = subprocess.run([sys.executable, "-m", "initnotes", "runs"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    assert out[0].split() == ["page", "name", "function", "config", "seed"]
    from initnotes import pages

    declared = pages.all_runs()
    assert len(out) == 1 + len(declared)
    for line, run in zip(out[1:], declared.values()):
        assert line.split()[:3] == [run.page, run.name, run.function_path]
        assert line.rstrip().endswith(f"  {run.seed}")
    shown = subprocess.run([sys.executable, "-m", "initnotes", "runs", "--show", "symmetry-wide"],
                           capture_output=True, text=True, check=True).stdout
    assert shown == declared["symmetry-wide"].code()
    bad = subprocess.run([sys.executable, "-m", "initnotes", "runs", "--show", "nope"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "unknown run 'nope'" in bad.stderr and not bad.stdout

"""Declared runs and the store that computes each of them once per build.

A *run* is one call of an experiment function: ``function(config, rng)`` with
``rng = numpy.random.default_rng(seed)`` (or ``function(config)`` for a deterministic
experiment, ``seed=None``). Page modules (`initnotes.pages`) declare their runs once;
figures, values, the command line and the tests all read a run's result through
`Run.result`, which asks the `RunStore`:

* in memory, a result already loaded in this process is returned as it is;
* on disk, ``<cache>/<fingerprint>/runs/<name>-<key>.pickle`` is loaded if it exists;
* otherwise the run is computed, written there (atomically, under a file lock, so two
  processes that want the same run compute it once) and returned.

The key is a hash of the function's qualified name, the config's ``repr`` and the seed;
the fingerprint (a hash of the package source and the numeric libraries' versions, see
`initnotes.render.fingerprint`) is the folder, so any change to the package computes
every run again and an unchanged rebuild computes none.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import os
import pickle
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Version of the pickle protocol the store writes (fixed, so a Python upgrade does not
#: silently change the files; the fingerprint includes the Python version anyway).
PICKLE_PROTOCOL = 5


@dataclass(frozen=True)
class Run:
    """One declared experiment run: ``function(config, default_rng(seed))``.

    `page` and `name` say where it is declared (run names are unique across the site);
    `seed` is ``None`` for experiments that draw nothing at random (then the function is
    called as ``function(config)``).
    """

    page: str
    name: str
    function: Callable[..., Any]
    config: Any
    seed: int | None = 0

    def __post_init__(self) -> None:
        if self.seed is not None and (not isinstance(self.seed, int) or isinstance(self.seed, bool)
                                      or self.seed < 0):
            raise ValueError(f"run {self.name!r}: seed must be a non-negative int or None, "
                             f"got {self.seed!r}")

    @property
    def function_path(self) -> str:
        """``module.qualname`` of the experiment function."""
        return f"{self.function.__module__}.{self.function.__qualname__}"

    @property
    def key(self) -> str:
        """Hash of (function, config, seed): what the stored result depends on."""
        text = f"{self.function_path}\0{self.config!r}\0{self.seed!r}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def compute(self) -> Any:
        """Run the experiment now (no store involved)."""
        import numpy as np

        if self.seed is None:
            return self.function(self.config)
        return self.function(self.config, np.random.default_rng(self.seed))

    def result(self, store: RunStore | None = None) -> Any:
        """The run's result, computed at most once per fingerprint (see `RunStore`)."""
        return (store or default_store()).get(self)

    def code(self) -> str:
        """Python that reproduces this run exactly, for a reader to paste and rerun."""
        return reproduce_code(self)


def _config_expression(config: Any, imports: dict[str, set[str]]) -> str:
    """``config`` as a Python expression, collecting the imports it needs."""
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        cls = type(config)
        imports.setdefault(cls.__module__, set()).add(cls.__qualname__)
        args = []
        for f in dataclasses.fields(config):
            if not f.init:
                continue
            v = getattr(config, f.name)
            args.append(f"{f.name}={_config_expression(v, imports)}")
        return f"{cls.__qualname__}({', '.join(args)})"
    if isinstance(config, tuple):
        inner = ", ".join(_config_expression(v, imports) for v in config)
        return f"({inner},)" if len(config) == 1 else f"({inner})"
    if isinstance(config, list):
        return "[" + ", ".join(_config_expression(v, imports) for v in config) + "]"
    if isinstance(config, dict):
        return "{" + ", ".join(f"{_config_expression(k, imports)}: {_config_expression(v, imports)}"
                               for k, v in config.items()) + "}"
    if type(config).__module__ == "numpy" and hasattr(config, "item"):  # a numpy scalar
        config = config.item()
    if config is None or isinstance(config, (bool, str)):
        return repr(config)
    if isinstance(config, int):
        return repr(int(config))
    if isinstance(config, float):
        return repr(float(config))
    raise TypeError(f"cannot write {type(config).__name__} {config!r} as Python for a run's code")


def _split_top_level(text: str) -> list[str]:
    """Split ``a=1, b=(2, 3)`` at the commas outside brackets and strings."""
    parts, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote and text[i - 1] != "\\" else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def reproduce_code(run: Run) -> str:
    """The lines that rerun `run`: imports, the config, the call."""
    imports: dict[str, set[str]] = {}
    config = _config_expression(run.config, imports)
    module, _, qualname = run.function_path.rpartition(".")
    imports.setdefault(module, set()).add(qualname.partition(".")[0])
    lines = [f"# {run.page} page, run {run.name!r}", "import numpy as np"]
    for mod in sorted(imports):
        lines.append(f"from {mod} import {', '.join(sorted(imports[mod]))}")
    lines += ["", "# every field written out: change any of them"]
    line = f"config = {config}"
    if len(line) > 88 and config.endswith(")") and "(" in config:
        head, _, body = config.partition("(")
        fields = _split_top_level(body[:-1])
        line = "config = " + head + "(\n" + "".join(f"    {f},\n" for f in fields) + ")"
    lines.append(line)
    if run.seed is None:
        lines.append(f"results = {qualname}(config)")
    else:
        lines.append(f"results = {qualname}(config, np.random.default_rng({run.seed}))")
    return "\n".join(lines) + "\n"


_FILE_RE = re.compile(r"[^a-z0-9-]+")


@dataclass
class RunStore:
    """Results of runs under ``dir`` (one pickle a run), computed once and shared.

    `computed` and `reused` name the runs this store computed or found on disk, in order
    (`ensure` returns the same for one call: what a build reports as
    ``runs: N computed, M reused``).
    """

    dir: Path
    computed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    _memory: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.dir = Path(self.dir)

    def path(self, run: Run) -> Path:
        return self.dir / f"{_FILE_RE.sub('-', run.name.lower())}-{run.key}.pickle"

    def has(self, run: Run) -> bool:
        return run.key in self._memory or self.path(run).exists()

    def get(self, run: Run) -> Any:
        """The result of `run`: from memory, from disk, or computed now and stored."""
        if run.key in self._memory:
            return self._memory[run.key]
        path = self.path(run)
        result = self._load(path)
        if result is None:
            with self._lock(path):
                result = self._load(path)  # another process may have finished it meanwhile
                if result is None:
                    start = time.perf_counter()
                    result = run.compute()
                    self.seconds[run.name] = time.perf_counter() - start
                    self._write(path, result)
                    self.computed.append(run.name)
                else:
                    self.reused.append(run.name)
        else:
            self.reused.append(run.name)
        self._memory[run.key] = result
        return result

    def ensure(self, runs: Iterable[Run], jobs: int | None = None) -> tuple[list[str], list[str]]:
        """Compute every run of `runs` not stored yet (in parallel processes), keep the rest.

        Returns the names (computed, reused). Results are left on disk, not loaded here.
        """
        runs = list(runs)
        missing = [r for r in runs if not self.has(r)]
        reused = [r.name for r in runs if r not in missing]
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(missing)))
        if jobs == 1:
            for run in missing:
                self.get(run)
        elif missing:
            # The costliest runs are not known in advance; one task a run keeps both busy.
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for name, secs in pool.map(_compute_into, missing, [str(self.dir)] * len(missing)):
                    if secs is not None:
                        self.seconds[name] = secs
        computed = [r.name for r in missing]
        self.computed += [n for n in computed if n not in self.computed]
        self.reused += reused
        return computed, reused

    # -- files

    @staticmethod
    def _load(path: Path) -> Any:
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except FileNotFoundError:
            return None

    def _write(self, path: Path, result: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(result, fh, protocol=PICKLE_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @contextlib.contextmanager
    def _lock(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_suffix(".lock"), "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)


def _compute_into(run: Run, directory: str) -> tuple[str, float | None]:
    store = RunStore(Path(directory))
    store.get(run)
    return run.name, store.seconds.get(run.name)


# --------------------------------------------------------------------------- the default store

_STORES: dict[str, RunStore] = {}
#: The store `Run.result` uses when none is given: set by `activate` (the build hook and its
#: figure workers activate their cache's store), else the one under `default_cache_root`.
_ACTIVE: list[RunStore] = []


def default_cache_root() -> Path:
    """Where results and figures are cached: ``$INITNOTES_CACHE_DIR``, else ``.cache/initnotes``
    in the project checkout the package runs from, else ``~/.cache/initnotes``."""
    env = os.environ.get("INITNOTES_CACHE_DIR")
    if env:
        return Path(env)
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").exists() and (root / "src" / "initnotes").is_dir():
        return root / ".cache" / "initnotes"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "initnotes"


def store_for(cache_dir: str | Path) -> RunStore:
    """The store of one fingerprint's cache folder (``<root>/<fingerprint>``), one per process."""
    directory = Path(cache_dir) / "runs"
    key = str(directory.resolve())
    if key not in _STORES:
        _STORES[key] = RunStore(directory)
    return _STORES[key]


def activate(cache_dir: str | Path) -> RunStore:
    """Make the store of ``cache_dir`` (``<root>/<fingerprint>``) the one runs use by default."""
    store = store_for(cache_dir)
    _ACTIVE[:] = [store]
    return store


@contextlib.contextmanager
def preserved():
    """Within the block, `activate` may be called; the active store is restored after it."""
    previous = list(_ACTIVE)
    try:
        yield
    finally:
        _ACTIVE[:] = previous


@contextlib.contextmanager
def using(store: RunStore):
    """Within the block, `Run.result` uses `store` (tests, throwaway builds)."""
    previous = list(_ACTIVE)
    _ACTIVE[:] = [store]
    try:
        yield store
    finally:
        _ACTIVE[:] = previous


def default_store() -> RunStore:
    """The active store, else the one under `default_cache_root` for the current fingerprint."""
    if _ACTIVE:
        return _ACTIVE[0]
    from initnotes.render import fingerprint

    return activate(default_cache_root() / fingerprint())

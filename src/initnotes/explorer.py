"""The data behind the explorer page: the signal experiment over a grid of settings.

The page lets a reader pick an initializer, an activation, a depth and a weight-scale
multiplier, and shows, for that network, the per-layer standard deviation of the
activations and of the back-propagated gradients, a histogram of the activations at one
layer, and a sentence that reads the result. The browser computes none of it: this module
runs `initnotes.experiments.signal.propagate` once for every point of the grid at build
time and packs the results into two files the page looks up:

* ``explorer.json``, the index: the grid, labels, colours, sentence templates, the
  layout of one record, and which record belongs to which setting;
* ``explorer.bin``, the records, one fixed-size little-endian block per distinct
  (initializer, activation, scale): ``log10`` of every standard deviation as float32,
  the reading of each depth as small codes, and histogram counts as uint16.

Depth. The gradient of a network depends on where it starts (its last layer), so every
depth of the grid is its own `propagate` call. All calls use the same seed and draw
``stack_depth = 50`` weight matrices (see `SignalConfig.stack_depth`), so a network of
depth ``d`` is exactly the first ``d`` layers of the 50-layer one, on the same inputs: its
activations are the 50-layer network's first ``d`` layers, and one activation curve and one
set of histograms per (initializer, activation, scale) serve every depth. `compute_record`
checks this equality instead of assuming it.

Budget (2 CPU cores, 20 s). One layer of `propagate` at width 64 and batch 64 costs about
0.2 ms and drawing one 64 x 64 weight matrix about 0.1 ms (small matrices: Python overhead
dominates, so a larger width costs time without changing the picture). Per (initializer,
activation, scale) the grid makes one call per depth, 7 calls that draw 7 x 50 weight
matrices and run 2 + 5 + ... + 50 = 157 layers: about 0.05 s of CPU. The 260 distinct
(initializer, activation, scale) take about 13 s of CPU, so about 7 s on two free cores
(one process per core, one BLAS thread each). Width 64 and batch 64 still give 4096 values
per layer, so a standard deviation carries about 1 % sampling noise, far below what a log
axis shows.

Size (500 KB for the page and its data). A record is 1,272 bytes; identical records are
stored once (a zero initializer gives the same network at every scale, and the same
record for linear, tanh and ReLU), 258 records in all: 328 KB, plus a 5 KB index.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from initnotes.experiments.signal import SignalConfig, SignalResults, propagate

#: The one seed of every grid point: a constant written here, the first one, not picked for
#: how its networks look (other seeds move the ReLU curves most, see the page).
SEED = 0
WIDTH = 64
BATCH = 64
#: Keep every activation value (width x batch) so the histograms count all of them.
KEEP = WIDTH * BATCH

#: Initializer keys (as `SignalConfig.init` takes them) and the labels the page shows.
INITS: dict[str, str] = {
    "zeros": "Zeros",
    "constant": "Constant 0.5",
    "normal": "Normal, std 0.01",
    "uniform": "Uniform(\u22120.01, 0.01)",
    "xavier_uniform": "Xavier/Glorot uniform",
    "xavier_normal": "Xavier/Glorot normal",
    "he_normal": "He/Kaiming normal",
    "lecun_normal": "LeCun normal",
    "orthogonal": "Orthogonal",
}
ACTIVATIONS: dict[str, str] = {
    "linear": "linear",
    "tanh": "tanh",
    "relu": "ReLU",
    "sigmoid": "sigmoid",
}
DEPTHS: tuple[int, ...] = (2, 5, 10, 20, 30, 40, 50)
MAX_DEPTH = DEPTHS[-1]
#: Weight-scale multipliers: dense around 1, where deep networks turn from vanishing to
#: exploding, plus a halving and a doubling.
SCALES: tuple[float, ...] = (0.5, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0)
#: Layers with a histogram: the first, and the last layer of every depth of the grid.
HIST_LAYERS: tuple[int, ...] = (1, *DEPTHS)
#: Odd, so that 0 sits in the middle of a bin on a symmetric axis.
BINS = 25
#: Histogram ranges are nice numbers m * 10**e with m one of these.
MANTISSAS: tuple[int, ...] = (1, 2, 5)

#: What the page shows first (and the static figure for readers without JavaScript).
DEFAULT: dict[str, Any] = {"init": "xavier_normal", "activation": "tanh", "depth": 30,
                           "scale": 1.0, "layer": 30}

#: A standard deviation below VANISH (or above EXPLODE) times its reference "vanishes"
#: ("explodes"); the reference is the input's std (1) for activations and the gradient's
#: std at the last layer for gradients. A change by more than DRIFT either way "shrinks"
#: or "grows"; less "keeps its scale".
VANISH = 1e-2
EXPLODE = 1e2
DRIFT = 3.0

_ACT_TEXT = "std {act_first} at layer 1, {act_last} at layer {depth}"
_GRAD_TEXT = "std {grad_last} at layer {depth}, {grad_first} at layer 1"
#: Reading codes and the words the page fills in (the browser only substitutes numbers).
ACTIVATION_READINGS: dict[str, str] = {
    "steady": f"activations keep their scale ({_ACT_TEXT})",
    "shrink": f"activations shrink ({_ACT_TEXT})",
    "grow": f"activations grow ({_ACT_TEXT})",
    "vanish": f"activations vanish: their std falls below {VANISH:g} at layer {{k}} "
              "and is {act_last} at layer {depth}",
    "explode": f"activations explode: their std passes {EXPLODE:g} at layer {{k}} "
               "and is {act_last} at layer {depth}",
    "constant": "every unit outputs the same value from layer {k} on (activation std 0)",
    "symmetric": "all units of a layer compute the same value (the weights are equal, so nothing "
                 f"tells the units apart), although the std over units and examples looks "
                 f"healthy ({_ACT_TEXT})",
    "overflow": "activations overflow to infinity at layer {k}",
}
GRADIENT_READINGS: dict[str, str] = {
    "steady": f"gradients keep their scale on the way back ({_GRAD_TEXT})",
    "shrink": f"gradients shrink on the way back ({_GRAD_TEXT})",
    "grow": f"gradients grow on the way back ({_GRAD_TEXT})",
    "vanish": f"gradients vanish on the way back: from std {{grad_last}} at layer {{depth}} they "
              f"fall below {VANISH:.0%} of that by layer {{k}} and are {{grad_first}} at layer 1",
    "explode": f"gradients explode on the way back: from std {{grad_last}} at layer {{depth}} they "
               f"pass {EXPLODE:g} times that by layer {{k}} and are {{grad_first}} at layer 1",
    "zero": "gradients are exactly 0 at layer {k} and below",
    "overflow": "gradients overflow to infinity by layer {k}",
}
SENTENCE = "{init}, {activation}, {depth} layers, weight scale {scale}: {act}; {grad}."
#: Appended to the histogram's caption for the activations whose outputs are often exactly 0.
ZERO_NOTES: dict[str, str] = {
    "relu": "The first bar also holds the values that are exactly 0: a ReLU outputs 0 for "
            "every negative input, about half of them.",
}

REPRODUCE = """import numpy as np
from initnotes.experiments.signal import SignalConfig, propagate
from initnotes.explorer import histogram

config = SignalConfig(init="{init}", activation="{activation}", depth={depth},
                      width={width}, batch={batch}, scale={scale}, keep={keep},
                      stack_depth={stack_depth})
results = propagate(config, np.random.default_rng({seed}))
print(results.activation_std)  # activations, layers 1 to {depth}
print(results.gradient_std)  # gradients, layers 1 to {depth}
print(histogram(results.activation_samples[{layer_index}]).counts)  # histogram, layer {layer}
"""

#: Labels shared with the static figure.
LABELS: dict[str, str] = {
    "layer": "layer",
    "std": "standard deviation (log scale)",
    "activations": "activations",
    "gradients": "gradients (back-propagated)",
    "value": "activation value",
    "share": "share of values",
}

PAGE = "explore/index.md"
INDEX_NAME = "explorer.json"
BLOB_NAME = "explorer.bin"
FORMAT = 1


def colours() -> dict[str, str]:
    """Series colours, from the house palette (activations blue, gradients vermillion)."""
    from initnotes.figures import style  # matplotlib is loaded only when asked

    return {"activations": style.BLUE, "gradients": style.VERMILLION}


# -- numbers as the page writes them -------------------------------------------------------


def fmt(x: float) -> str:
    """Three significant digits: ``0.632``, ``12.0``, ``1230``, ``3.16e-6``, ``0``.

    Fixed notation for magnitudes in [1e-3, 1e4), scientific otherwise. The page's script
    has the same function (a browser test compares the two), so keep them in step.
    """
    x = float(x)
    if x == 0:
        return "0"
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "infinity" if x > 0 else "-infinity"
    mantissa, exponent = f"{x:.2e}".split("e")
    e = int(exponent)
    if -3 <= e < 4:
        return f"{float(mantissa) * 10.0**e:.{max(0, 2 - e)}f}"
    return f"{mantissa}e{e}"


# -- histograms ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Histogram:
    """Counts of values in `BINS` equal bins from `lo` to `hi`.

    ``hi = MANTISSAS[mantissa] * 10**exponent`` is the smallest such nice number at least
    the largest absolute value; ``lo`` is ``-hi`` if some value is negative, else 0. So the
    axis holds every value, and 0 is the middle of a bin (or the left edge).
    """

    exponent: int
    mantissa: int
    symmetric: bool
    counts: np.ndarray

    @property
    def hi(self) -> float:
        return MANTISSAS[self.mantissa] * 10.0**self.exponent

    @property
    def lo(self) -> float:
        return -self.hi if self.symmetric else 0.0

    @property
    def edges(self) -> np.ndarray:
        return np.linspace(self.lo, self.hi, len(self.counts) + 1)


def _nice_ceiling(m: float) -> tuple[int, int]:
    """(exponent, mantissa index) of the smallest ``MANTISSAS[i] * 10**e >= m > 0``."""
    e = math.floor(math.log10(m))
    while True:
        for i, mant in enumerate(MANTISSAS):
            if mant * 10.0**e >= m:
                return e, i
        e += 1


def histogram(values: np.ndarray, bins: int = BINS) -> Histogram:
    """The histogram the page draws for one layer's activations (non-finite values dropped).

    Args:
        values: the activations, any shape (e.g. ``results.activation_samples[l - 1]``).
        bins: number of equal bins.

    Raises:
        ValueError: if `bins` is not a positive integer, or no value is finite.
    """
    if isinstance(bins, bool) or not isinstance(bins, int | np.integer) or bins < 1:
        raise ValueError(f"bins must be a positive integer, got {bins!r}")
    v = np.asarray(values, dtype=np.float64).ravel()
    v = v[np.isfinite(v)]
    if v.size == 0:
        raise ValueError(f"histogram needs at least one finite value, got {np.size(values)} "
                         "values, none finite")
    m = float(np.abs(v).max())
    e, i = _nice_ceiling(m) if m > 0 else (0, 0)
    h = Histogram(e, i, bool(v.min() < 0) or m == 0, np.zeros(bins, dtype=np.int64))
    counts, _ = np.histogram(v, bins=h.edges)
    return Histogram(h.exponent, h.mantissa, h.symmetric, counts)


# -- readings ------------------------------------------------------------------------------


def units_identical(samples: np.ndarray) -> bool:
    """Whether every unit of a layer computes the same value for every example: ``samples``
    holds one layer's activations, ``(batch, width)`` flattened row by row (as
    `signal.propagate` keeps them)."""
    h = np.asarray(samples, dtype=np.float64).reshape(BATCH, WIDTH)
    return bool(np.all(np.ptp(h, axis=1) == 0))


def read_activations(std: np.ndarray, *, symmetric: bool = False) -> tuple[str, int]:
    """(code in `ACTIVATION_READINGS`, layer ``k`` the text names) for one network;
    ``symmetric``: all units of the last layer compute the same value (`units_identical`)."""
    std = np.asarray(std, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(std))
    if bad.size:
        return "overflow", int(bad[0]) + 1
    if std[-1] == 0:
        nonzero = np.flatnonzero(std != 0)
        return "constant", int(nonzero[-1]) + 2 if nonzero.size else 1
    if std[-1] < VANISH:
        return "vanish", int(np.flatnonzero(std < VANISH)[0]) + 1
    if std[-1] > EXPLODE:
        return "explode", int(np.flatnonzero(std > EXPLODE)[0]) + 1
    ratio = std[-1] / std[0]
    code = "shrink" if ratio < 1 / DRIFT else "grow" if ratio > DRIFT else "steady"
    if symmetric:
        code = "symmetric"
    return code, len(std)


def read_gradients(std: np.ndarray) -> tuple[str, int]:
    """(code in `GRADIENT_READINGS`, layer ``k``) for gradients that start at the last layer."""
    std = np.asarray(std, dtype=np.float64)
    bad = np.flatnonzero(~np.isfinite(std))
    if bad.size:
        return "overflow", int(bad[-1]) + 1
    zero = np.flatnonzero(std == 0)
    if zero.size:
        return "zero", int(zero[-1]) + 1
    ref = std[-1]
    # k: the first layer, going back from the last, where the gradient crosses the threshold
    if std[0] < VANISH * ref:
        return "vanish", int(np.flatnonzero(std < VANISH * ref)[-1]) + 1
    if std[0] > EXPLODE * ref:
        return "explode", int(np.flatnonzero(std > EXPLODE * ref)[-1]) + 1
    ratio = std[0] / ref
    code = "shrink" if ratio < 1 / DRIFT else "grow" if ratio > DRIFT else "steady"
    return code, 1


def reading(results: SignalResults) -> tuple[str, int, str, int]:
    """(activation code, k, gradient code, k) of one `propagate` call: `read_activations`
    (told whether the last layer's units are all identical) and `read_gradients`."""
    a, ka = read_activations(results.activation_std,
                             symmetric=units_identical(results.activation_samples[-1]))
    g, kg = read_gradients(results.gradient_std)
    return a, ka, g, kg


# -- the grid ------------------------------------------------------------------------------


def signal_config(init: str, activation: str, depth: int, scale: float) -> SignalConfig:
    """The `SignalConfig` of one grid point (the call the page's "reproduce" box prints)."""
    return SignalConfig(init=init, activation=activation, depth=depth, width=WIDTH,
                        batch=BATCH, scale=scale, keep=KEEP, stack_depth=MAX_DEPTH)


@dataclass(frozen=True)
class Record:
    """Everything the page shows for one (initializer, activation, scale), every depth."""

    init: str
    activation: str
    scale: float
    activation_std: np.ndarray  # (MAX_DEPTH,), layer l at index l - 1
    gradient_std: dict[int, np.ndarray]  # depth -> (depth,)
    histograms: dict[int, Histogram]  # layer -> histogram of its activations
    readings: dict[int, tuple[str, int, str, int]]  # depth -> (act code, k, grad code, k)


def compute_record(init: str, activation: str, scale: float) -> Record:
    """Run `propagate` for every depth of the grid (same seed) and collect what the page needs.

    Raises:
        RuntimeError: if a shallower network's activations are not exactly the first layers
            of the deepest one's (they must be, see `SignalConfig.stack_depth`).
    """
    runs = {d: propagate(signal_config(init, activation, d, scale), np.random.default_rng(SEED))
            for d in DEPTHS}
    deepest = runs[MAX_DEPTH]
    act = deepest.activation_std
    for d, r in runs.items():
        if not np.array_equal(r.activation_std, act[:d], equal_nan=True):
            raise RuntimeError(f"depth {d} of {init}/{activation}/scale {scale} does not repeat "
                               f"the first {d} layers of depth {MAX_DEPTH}")
    readings = {d: reading(runs[d]) for d in DEPTHS}
    return Record(
        init=init, activation=activation, scale=scale, activation_std=act,
        gradient_std={d: runs[d].gradient_std for d in DEPTHS},
        histograms={layer: histogram(deepest.activation_samples[layer - 1])
                    for layer in HIST_LAYERS},
        readings=readings,
    )


def settings() -> list[tuple[str, str, float]]:
    """Every (init, activation, scale) of the grid, in the order the index lists records."""
    return [(i, a, s) for i in INITS for a in ACTIVATIONS for s in SCALES]


def _compute_star(args: tuple[str, str, float]) -> Record:
    return compute_record(*args)


#: Environment of the worker processes: one BLAS thread each. With several threads per
#: process the small products of this grid fight over the cores (measured: twice as slow).
_WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def compute_grid(jobs: int | None = None) -> list[Record]:
    """`compute_record` for every setting, in the order of `settings()`, on `jobs` processes.

    Zero weights times any scale are zero weights, so the zero initializer is run at scale
    1 only and its record reused for the other scales (the tests compare every scale with
    `propagate` all the same).

    With ``jobs > 1`` the workers are started fresh ("spawn"), so a script that calls this
    needs the usual ``if __name__ == "__main__":`` guard around its own code.
    """
    todo = [s for s in settings() if s[0] != "zeros" or s[2] == 1.0]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if jobs == 1:
        done = [compute_record(*s) for s in todo]
    else:
        # Fresh ("spawn") workers read the BLAS thread count from the environment at start.
        saved = {k: os.environ.get(k) for k in _WORKER_ENV}
        os.environ.update(_WORKER_ENV)
        try:
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
                done = list(pool.map(_compute_star, todo, chunksize=4))
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    by_key = {(r.init, r.activation, r.scale): r for r in done}
    return [by_key.get((i, a, s)) or replace(by_key[(i, a, 1.0)], scale=s)
            for i, a, s in settings()]


# -- the files -----------------------------------------------------------------------------


def record_dtype() -> np.dtype:
    """Layout of one record in ``explorer.bin`` (packed, little-endian)."""
    return np.dtype([
        ("activation_log10_std", "<f4", (MAX_DEPTH,)),
        ("gradient_log10_std", "<f4", (sum(DEPTHS),)),
        ("readings", "u1", (len(DEPTHS), 4)),
        ("hist_exponent", "i1", (len(HIST_LAYERS),)),
        ("hist_flags", "u1", (len(HIST_LAYERS),)),  # mantissa index | 4 if symmetric
        ("hist_counts", "<u2", (len(HIST_LAYERS), BINS)),
    ])


def _log10(std: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(np.asarray(std, dtype=np.float64)).astype("<f4")


def _pack(record: Record) -> np.ndarray:
    codes_a, codes_g = list(ACTIVATION_READINGS), list(GRADIENT_READINGS)
    out = np.zeros((), dtype=record_dtype())
    out["activation_log10_std"] = _log10(record.activation_std)
    out["gradient_log10_std"] = _log10(np.concatenate([record.gradient_std[d] for d in DEPTHS]))
    out["readings"] = [(codes_a.index(a), ka, codes_g.index(g), kg)
                       for a, ka, g, kg in (record.readings[d] for d in DEPTHS)]
    hists = [record.histograms[layer] for layer in HIST_LAYERS]
    if any(not -128 <= h.exponent <= 127 or h.counts.max() > 65535 for h in hists):
        raise ValueError(f"histogram of {record.init}/{record.activation} does not fit the format")
    out["hist_exponent"] = [h.exponent for h in hists]
    out["hist_flags"] = [h.mantissa | (4 if h.symmetric else 0) for h in hists]
    out["hist_counts"] = [h.counts for h in hists]
    return out


def _fields(dtype: np.dtype) -> list[dict[str, Any]]:
    fields = []
    for name in dtype.names:
        sub, offset = dtype.fields[name][:2]
        fields.append({"name": name, "offset": offset, "type": sub.base.str.lstrip("<|"),
                       "shape": list(sub.shape)})
    return fields


def encode(records: list[Record], fingerprint: str = "") -> tuple[bytes, bytes]:
    """(``explorer.json`` bytes, ``explorer.bin`` bytes) for the records of `compute_grid`.

    Identical records are stored once; ``index["records"][i]`` is the record number of
    ``settings()[i]``.
    """
    keys = [(r.init, r.activation, r.scale) for r in records]
    if keys != settings():
        raise ValueError("records must be compute_grid()'s, one per setting, in settings() order")
    blobs: dict[bytes, int] = {}
    order = []
    for r in records:
        order.append(blobs.setdefault(_pack(r).tobytes(), len(blobs)))
    dtype = record_dtype()
    index = {
        "format": FORMAT,
        "fingerprint": fingerprint,
        "seed": SEED, "width": WIDTH, "batch": BATCH, "keep": KEEP, "stack_depth": MAX_DEPTH,
        "inits": [{"key": k, "label": v} for k, v in INITS.items()],
        "activations": [{"key": k, "label": v} for k, v in ACTIVATIONS.items()],
        "depths": list(DEPTHS),
        "scales": [{"value": s, "code": repr(s), "label": f"{s:g}"} for s in SCALES],
        "hist_layers": list(HIST_LAYERS), "bins": BINS, "mantissas": list(MANTISSAS),
        "record_size": dtype.itemsize, "fields": _fields(dtype), "records": order,
        "activation_readings": [{"code": c, "text": t} for c, t in ACTIVATION_READINGS.items()],
        "gradient_readings": [{"code": c, "text": t} for c, t in GRADIENT_READINGS.items()],
        "sentence": SENTENCE, "reproduce": REPRODUCE, "zero_notes": ZERO_NOTES,
        "labels": LABELS, "colours": colours(), "default": DEFAULT,
    }
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.encode("utf-8"), b"".join(blobs)


@dataclass(frozen=True)
class Shown:
    """What the page shows for one setting, decoded from the files (the stored precision)."""

    activation_std: np.ndarray  # (depth,)
    gradient_std: np.ndarray  # (depth,)
    histograms: dict[int, Histogram]  # layers <= depth
    reading: tuple[str, int, str, int]


def decode_record(rec: np.void, depth: int) -> Shown:
    """What the page shows at `depth` from one record of ``explorer.bin``."""
    if depth not in DEPTHS:
        raise ValueError(f"depth must be one of {DEPTHS}, got {depth!r}")
    start = sum(DEPTHS[:DEPTHS.index(depth)])
    a, ka, g, kg = (int(v) for v in rec["readings"][DEPTHS.index(depth)])
    hists = {}
    for j, layer in enumerate(HIST_LAYERS):
        if layer <= depth:
            flags = int(rec["hist_flags"][j])
            hists[layer] = Histogram(int(rec["hist_exponent"][j]), flags & 3, bool(flags & 4),
                                     rec["hist_counts"][j].astype(np.int64))
    return Shown(
        activation_std=10.0 ** rec["activation_log10_std"][:depth].astype(np.float64),
        gradient_std=10.0 ** rec["gradient_log10_std"][start:start + depth].astype(np.float64),
        histograms=hists,
        reading=(list(ACTIVATION_READINGS)[a], ka, list(GRADIENT_READINGS)[g], kg),
    )


def decode(index_bytes: bytes, blob: bytes, init: str, activation: str, depth: int,
           scale: float) -> Shown:
    """The numbers the page shows for one setting, read back from the two files."""
    index = json.loads(index_bytes)
    dtype = record_dtype()
    if index["record_size"] != dtype.itemsize or index["fields"] != _fields(dtype):
        raise ValueError("the data file was written with another record layout")
    setting = (init, activation, float(scale))
    try:
        pos = settings().index(setting)
    except ValueError:
        raise ValueError(f"not a grid point: {setting!r}") from None
    return decode_record(np.frombuffer(blob, dtype=dtype)[index["records"][pos]], depth)


def describe(shown: Shown, init: str, activation: str, depth: int, scale: float) -> str:
    """The sentence the page shows (and reads out) for one setting."""
    a, ka, g, kg = shown.reading
    act, grad = shown.activation_std, shown.gradient_std
    numbers = {"depth": str(depth), "act_first": fmt(act[0]), "act_last": fmt(act[-1]),
               "grad_first": fmt(grad[0]), "grad_last": fmt(grad[-1])}
    return SENTENCE.format(
        init=INITS[init], activation=ACTIVATIONS[activation], depth=depth, scale=f"{scale:g}",
        act=ACTIVATION_READINGS[a].format(k=ka, **numbers),
        grad=GRADIENT_READINGS[g].format(k=kg, **numbers),
    )


def reproduce_code(init: str, activation: str, depth: int, scale: float, layer: int) -> str:
    """The Python the page's "reproduce this" box shows for one setting."""
    return REPRODUCE.format(init=init, activation=activation, depth=depth, width=WIDTH,
                            batch=BATCH, scale=repr(float(scale)), keep=KEEP,
                            stack_depth=MAX_DEPTH, seed=SEED, layer_index=layer - 1,
                            layer=layer)


def default_shown() -> Shown:
    """What the page shows first, computed (one record) and decoded like the shipped files."""
    d = DEFAULT
    blob = _pack(compute_record(d["init"], d["activation"], d["scale"])).tobytes()
    return decode_record(np.frombuffer(blob, dtype=record_dtype())[0], d["depth"])


def shown(results: SignalResults) -> Shown:
    """What the page shows for one grid point, from its one `propagate` call.

    The same numbers `decode` reads back from the files for that setting: a network of
    depth ``d`` is the first ``d`` layers of the deepest one (see `compute_record`), so its
    own activations give the histograms of its layers, and the standard deviations go
    through the float32 ``log10`` the files store. The explorer page declares its first
    view as such a run (`initnotes.pages.explorer`).
    """
    return Shown(
        activation_std=10.0 ** _log10(results.activation_std).astype(np.float64),
        gradient_std=10.0 ** _log10(results.gradient_std).astype(np.float64),
        histograms={layer: histogram(results.activation_samples[layer - 1])
                    for layer in HIST_LAYERS if layer <= results.config.depth},
        reading=reading(results),
    )


def ensure_data(directory: str | Path, fingerprint: str = "",
                jobs: int | None = None) -> tuple[dict[str, Path], float | None]:
    """Write ``explorer.json`` and ``explorer.bin`` into `directory` unless both are there.

    Returns the two paths by file name and the seconds spent computing (None if cached).
    Each file is written under a temporary name and renamed, so an interrupted build
    leaves no half-written file behind.
    """
    directory = Path(directory)
    paths = {INDEX_NAME: directory / INDEX_NAME, BLOB_NAME: directory / BLOB_NAME}
    if all(p.exists() for p in paths.values()):
        return paths, None
    start = time.perf_counter()
    index, blob = encode(compute_grid(jobs), fingerprint)
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in ((BLOB_NAME, blob), (INDEX_NAME, index)):
        tmp = paths[name].with_suffix(".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, paths[name])
    return paths, time.perf_counter() - start

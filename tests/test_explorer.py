"""The explorer's data: formatting, histograms, readings, the file format, and the page's claims.

The shipped files of a real build, and the claims the page makes about them, are checked in
`tests/site/test_explorer.py`; here a few records are computed directly (about 0.1 s each),
so these tests run without a build.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path
from functools import cache

import numpy as np
import pytest

from initnotes import explorer as ex
from initnotes.experiments.signal import propagate


@cache
def _record(init: str, activation: str, scale: float) -> np.void:
    blob = ex._pack(ex.compute_record(init, activation, scale)).tobytes()
    return np.frombuffer(blob, dtype=ex.record_dtype())[0]


def shown(init: str, activation: str, depth: int, scale: float) -> ex.Shown:
    """What the page shows for one setting: one record computed, packed and unpacked."""
    return ex.decode_record(_record(init, activation, scale), depth)


# -- numbers and histograms ------------------------------------------------------------


@pytest.mark.parametrize("x, text", [
    (0.0, "0"), (0.632, "0.632"), (0.5, "0.500"), (-0.25, "-0.250"), (1.0, "1.00"),
    (12.0, "12.0"), (1234.5, "1230"), (9999.9, "1.00e4"), (1e-3, "0.00100"),
    (9.996e-4, "0.00100"), (3.16227e-6, "3.16e-6"), (2.5e89, "2.50e89"),
    (math.inf, "infinity"), (math.nan, "NaN"),
])
def test_fmt_gives_three_significant_digits(x, text):
    """Fixed notation in [1e-3, 1e4), scientific outside, rounding carried into the exponent."""
    assert ex.fmt(x) == text


@pytest.mark.parametrize("m, exponent, mantissa", [
    (0.7, 0, 0), (0.9999, 0, 0), (1.0, 0, 0), (1.0001, 0, 1), (2.5, 0, 2), (5.1, 1, 0),
    (3e-7, -7, 2), (1.5e40, 40, 1),
])
def test_histogram_range_is_the_next_nice_number(m, exponent, mantissa):
    """hi = 1, 2 or 5 times a power of ten, the smallest at least max |value|."""
    h = ex.histogram(np.array([-m, 0.0]))
    assert (h.exponent, h.mantissa) == (exponent, mantissa)
    assert h.hi >= m and h.lo == -h.hi


def test_histogram_counts_by_hand():
    """[-0.3, 0.1, 0.7] on [-1, 1] in 25 bins of 0.08: bins 8, 13 and 21."""
    h = ex.histogram(np.array([-0.3, 0.1, 0.7, np.nan, np.inf]))
    expected = np.zeros(25, dtype=int)
    expected[[8, 13, 21]] = 1
    np.testing.assert_array_equal(h.counts, expected)
    assert (h.lo, h.hi) == (-1.0, 1.0)


def test_histogram_of_non_negative_values_starts_at_zero():
    """ReLU or sigmoid outputs: [0, hi], zeros in the first bin; all zeros sit mid-axis."""
    h = ex.histogram(np.array([0.0, 0.0, 0.2, 3.0]))
    assert (h.lo, h.hi) == (0.0, 5.0)  # bins of 0.2: 0, 0 | 0.2 | ... | 3.0 in bin 15
    assert (h.counts[0], h.counts[1], h.counts[15], h.counts.sum()) == (2, 1, 1, 4)
    z = ex.histogram(np.zeros(10))
    assert (z.lo, z.hi) == (-1.0, 1.0) and z.counts[12] == 10


@pytest.mark.parametrize("values, bins, match", [
    (np.array([np.nan]), 25, "none finite"),
    (np.array([1.0]), 0, "bins must be a positive integer, got 0"),
])
def test_histogram_rejects_bad_input(values, bins, match):
    with pytest.raises(ValueError, match=match):
        ex.histogram(values, bins=bins)


# -- readings --------------------------------------------------------------------------


@pytest.mark.parametrize("std, reading", [
    ([1.0, 0.1, 0.005, 0.001], ("vanish", 3)),
    ([1.0, 10.0, 200.0], ("explode", 3)),
    ([1.0, 0.5, 0.4], ("steady", 3)),
    ([1.0, 0.2], ("shrink", 2)),
    ([0.5, 2.0], ("grow", 2)),
    ([1.0, 0.0, 0.0], ("constant", 2)),
    ([0.0, 0.0], ("constant", 1)),
    ([1.0, np.inf, np.nan], ("overflow", 2)),
])
def test_read_activations(std, reading):
    assert ex.read_activations(np.array(std)) == reading


@pytest.mark.parametrize("std, reading", [
    ([1e-4, 1e-3, 0.1, 1.0], ("vanish", 2)),  # going down from layer 4, below 0.01 at 2
    ([500.0, 50.0, 1.0], ("explode", 1)),
    ([0.0, 0.0, 1.0], ("zero", 2)),
    ([5.0, 1.0], ("grow", 1)),
    ([0.5, 1.0], ("steady", 1)),
    ([np.inf, 2.0, 1.0], ("overflow", 1)),
])
def test_read_gradients(std, reading):
    assert ex.read_gradients(np.array(std)) == reading


# -- the record format -----------------------------------------------------------------


@pytest.mark.parametrize("init, activation, depth, scale", [
    ("xavier_normal", "tanh", 30, 1.0), ("he_normal", "relu", 10, 1.1),
    ("zeros", "sigmoid", 5, 2.0), ("constant", "linear", 50, 0.5),
])
def test_packed_record_matches_propagate(init, activation, depth, scale):
    """Stored log10 std is float32 (error <= half a float32 step); histograms are exact."""
    res = propagate(ex.signal_config(init, activation, depth, scale), np.random.default_rng(ex.SEED))
    got = shown(init, activation, depth, scale)
    for stored, true in ((got.activation_std, res.activation_std), (got.gradient_std, res.gradient_std)):
        with np.errstate(divide="ignore"):
            exact = np.log10(true)
        with np.errstate(divide="ignore"):
            stored_log = np.log10(stored)
        finite = np.isfinite(exact)
        np.testing.assert_array_equal(np.isfinite(stored_log), finite)
        step = np.spacing(np.abs(exact[finite]).astype(np.float32)).astype(np.float64)
        assert np.all(np.abs(stored_log[finite] - exact[finite]) <= step + 1e-12)
        np.testing.assert_array_equal(stored[~finite], true[~finite])
    for layer, h in got.histograms.items():
        expected = np.histogram(res.activation_samples[layer - 1], bins=h.edges)[0]
        np.testing.assert_array_equal(h.counts, expected)
        assert h.counts.sum() == ex.WIDTH * ex.BATCH  # every value counted


def test_reproduce_code_runs_and_gives_the_shown_numbers():
    """The "reproduce this" text, executed, computes exactly the numbers the page shows."""
    d = ex.DEFAULT
    code = ex.reproduce_code(d["init"], d["activation"], d["depth"], d["scale"], d["layer"])
    ns: dict = {}
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        exec(compile(code, "<reproduce>", "exec"), ns)  # noqa: S102 - our own generated code
    assert printed.getvalue().count("\n") >= 3
    page = shown(d["init"], d["activation"], d["depth"], d["scale"])
    np.testing.assert_allclose(ns["results"].activation_std, page.activation_std, rtol=1e-6)
    np.testing.assert_allclose(ns["results"].gradient_std, page.gradient_std, rtol=1e-6)
    counts = ex.histogram(ns["results"].activation_samples[d["layer"] - 1]).counts
    np.testing.assert_array_equal(counts, page.histograms[d["layer"]].counts)


def test_encode_names_its_layout_and_rejects_foreign_records():
    """The index describes the record layout that decode checks; wrong records fail."""
    rec = ex.compute_record("orthogonal", "linear", 1.0)
    with pytest.raises(ValueError, match="one per setting"):
        ex.encode([rec])
    names = [f["name"] for f in ex._fields(ex.record_dtype())]
    assert names == ["activation_log10_std", "gradient_log10_std", "readings",
                     "hist_exponent", "hist_flags", "hist_counts"]
    assert json.loads(json.dumps(ex._fields(ex.record_dtype()))) == ex._fields(ex.record_dtype())


def test_decode_rejects_settings_off_the_grid():
    with pytest.raises(ValueError, match="depth must be one of .* got 7"):
        ex.decode_record(np.zeros((), dtype=ex.record_dtype()), 7)


def test_grid_and_data_fit_the_budgets():
    """Under 400 KB of records even without deduplication (the page budget is 500 KB)."""
    assert ex.record_dtype().itemsize * len(ex.settings()) < 400_000
    assert len(ex.settings()) == len(ex.INITS) * len(ex.ACTIVATIONS) * len(ex.SCALES)
    assert ex.DEFAULT["depth"] in ex.DEPTHS and ex.DEFAULT["layer"] in ex.HIST_LAYERS
    assert ex.DEFAULT["scale"] in ex.SCALES and ex.MAX_DEPTH == max(ex.DEPTHS)


def test_sentence_uses_the_shown_numbers():
    d = ex.DEFAULT
    s = shown(d["init"], d["activation"], d["depth"], d["scale"])
    text = ex.describe(s, d["init"], d["activation"], d["depth"], d["scale"])
    assert text.startswith("Xavier/Glorot normal, tanh, 30 layers, weight scale 1: ")
    assert ex.fmt(s.activation_std[-1]) in text and ex.fmt(s.gradient_std[0]) in text
    assert "{" not in text and text.endswith(".")


def test_the_build_hook_names_the_explorer_page():
    """The hook names the page itself (so that it need not import the explorer)."""
    from initnotes.build.explorer import EXPLORER_PAGE

    assert EXPLORER_PAGE == ex.PAGE


# -- the sentences say what they mean (issue 12) -------------------------------------------


def _sentence(init, activation, depth, scale):
    return ex.describe(shown(init, activation, depth, scale), init, activation, depth, scale)


def test_vanishing_gradient_sentence_reads_from_the_top_down():
    """Normal 0.01, tanh, 30 layers: the gradient starts at layer 30, falls below 1 % of that
    by layer k (going down, the first layer where it is below), and the numbers say so."""
    s = shown("normal", "tanh", 30, 1.0)
    code, k = ex.read_gradients(s.gradient_std)
    assert code == "vanish"
    g = s.gradient_std
    assert g[k - 1] < 0.01 * g[-1] and np.all(g[k:] >= 0.01 * g[-1])
    text = _sentence("normal", "tanh", 30, 1.0)
    assert (f"from std {ex.fmt(g[-1])} at layer 30 they fall below 1% of that by layer {k} and "
            f"are {ex.fmt(g[0])} at layer 1") in text
    assert "times that at layer" not in text


def test_exploding_gradient_sentence_reads_from_the_top_down():
    """Orthogonal, linear, x1.1, 50 layers: grows 1.1 per layer going down, passes 100 times
    the top's value by layer k and ends near 1.1^49 times it at layer 1."""
    s = shown("orthogonal", "linear", 50, 1.1)
    code, k = ex.read_gradients(s.gradient_std)
    g = s.gradient_std
    assert code == "explode" and g[k - 1] > 100 * g[-1] and np.all(g[k:] <= 100 * g[-1])
    assert g[0] / g[-1] == pytest.approx(1.1 ** 49, rel=0.05)
    assert (f"from std {ex.fmt(g[-1])} at layer 50 they pass 100 times that by layer {k}"
            in _sentence("orthogonal", "linear", 50, 1.1))


@pytest.mark.parametrize("activation", ["tanh", "linear", "sigmoid"])
def test_constant_weights_are_read_as_symmetric(activation):
    """Constant 0.5: every unit of a layer computes the same value (checked on the kept
    samples); the sentence says so instead of 'keep their scale'. Random inits never do."""
    rec = ex.compute_record("constant", activation, 1.0)
    codes = {rec.readings[d][0] for d in ex.DEPTHS}
    assert codes <= {"symmetric", "vanish", "explode", "constant", "overflow"}
    assert "steady" not in codes and "grow" not in codes and "shrink" not in codes
    if activation == "tanh":
        assert rec.readings[30][0] == "symmetric"
        assert _sentence("constant", "tanh", 30, 1.0).startswith(
            "Constant 0.5, tanh, 30 layers, weight scale 1: all units of a layer compute the same value")
    r = ex.propagate(ex.signal_config("xavier_normal", activation, 10, 1.0), np.random.default_rng(0))
    assert not ex.units_identical(r.activation_samples[-1])


def test_relu_histograms_announce_their_zeros():
    assert "exactly 0" in ex.ZERO_NOTES["relu"] and set(ex.ZERO_NOTES) <= set(ex.ACTIVATIONS)
    js = (Path(__file__).resolve().parents[1] / "docs" / "explore" / "explorer.js").read_text()
    assert "index.zero_notes" in js


def test_shown_reads_a_constant_start_as_symmetric():
    res = ex.propagate(ex.signal_config("constant", "tanh", 30, 1.0), np.random.default_rng(ex.SEED))
    assert ex.shown(res).reading[0] == "symmetric" == ex.reading(res)[0]

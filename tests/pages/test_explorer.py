"""The explorer page's first view and its sentences (``initnotes.pages.explorer``).

The grid and its data files are tested in ``tests/test_explorer.py`` and
``tests/site/test_explorer.py``; here, that the page's one declared run is the grid's first
view.
"""

from __future__ import annotations

import numpy as np

from initnotes import explorer as ex
from initnotes.pages import explorer as page


def test_the_run_is_the_default_setting_of_the_grid():
    d = ex.DEFAULT
    assert page.DEFAULT.config == ex.signal_config(d["init"], d["activation"], d["depth"], d["scale"])
    assert page.DEFAULT.seed == ex.SEED
    assert dict(page.page.figures["explore-default"].kwargs) == {"layer": d["layer"]}


def test_the_run_shows_exactly_what_the_files_hold():
    """One `propagate` call gives the numbers the shipped record decodes to at the default
    depth (float32 log10 of every std, exact histograms, the same reading): the static
    figure and sentence are the interactive page's first view, bit for bit."""
    got, files = ex.shown(page.DEFAULT.result()), ex.default_shown()
    np.testing.assert_array_equal(got.activation_std, files.activation_std)
    np.testing.assert_array_equal(got.gradient_std, files.gradient_std)
    assert got.reading == files.reading and set(got.histograms) == set(files.histograms)
    for layer, h in got.histograms.items():
        f = files.histograms[layer]
        assert (h.exponent, h.mantissa, h.symmetric) == (f.exponent, f.mantissa, f.symmetric)
        np.testing.assert_array_equal(h.counts, f.counts)


def test_alt_text_names_the_run():
    text = page.page.figures["explore-default"].text("alt")
    assert text.startswith("Two charts for a 30-layer tanh network of width 64 with "
                           "Xavier/Glorot normal weights.")
    assert f"at layer {ex.DEFAULT['layer']}." in text


def test_sentences():
    assert page.default_reading(page.DEFAULT.result()).startswith(
        "Xavier/Glorot normal, tanh, 30 layers, weight scale 1: ")
    assert page.max_depth() == str(ex.MAX_DEPTH) == str(page.DEFAULT.config.stack_depth)
    n = len(ex.INITS) * len(ex.ACTIVATIONS) * len(ex.DEPTHS) * len(ex.SCALES)
    assert page.grid().endswith(f": {n:,} networks")

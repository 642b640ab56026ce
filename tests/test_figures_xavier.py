"""Figures of the Xavier page: built from the page's results, and what their alt text says."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from initnotes import registry
from initnotes.experiments import xavier
from initnotes.figures import xavier as figs
from initnotes.values import xavier as values

NAMES = ("xavier-activation-histograms", "xavier-gradient-histograms", "xavier-layer-std")


@pytest.fixture(scope="module")
def res() -> xavier.GlorotResults:
    return values.results()


def test_figures_are_registered_with_alt_text_and_caption():
    specs = registry.figures()
    for name in NAMES:
        assert name in specs and len(specs[name].alt) > 100 and specs[name].caption


@pytest.mark.parametrize("which", ["activation", "gradient"])
def test_histograms_have_one_panel_per_scheme_and_one_line_per_layer(res, which):
    fig = figs.layer_histograms(res, which)
    assert isinstance(fig, Figure)
    axes = fig.get_axes()
    assert len(axes) == len(xavier.SCHEMES)
    assert all(len(ax.get_lines()) == res.config.depth for ax in axes)


def test_histograms_reject_unknown_kind(res):
    with pytest.raises(ValueError, match="which must be 'activation' or 'gradient', got 'weights'"):
        figs.layer_histograms(res, "weights")


def test_layer_std_has_measured_and_theory_lines(res):
    axes = figs.layer_std(res).get_axes()
    assert [len(ax.get_lines()) for ax in axes] == [4, 4, 2]


def test_captions_state_the_configuration():
    spec = registry.get_figure("xavier-activation-histograms")
    cfg = xavier.GlorotConfig()
    assert f"{cfg.batch} inputs × {cfg.width} units" in spec.caption
    assert f"{cfg.width} units per layer" in spec.alt


def test_layer_std_alt_text_numbers(res):
    """The alt text quotes rounded measurements; each is within its rounding of the data."""
    alt = registry.get_figure("xavier-layer-std").alt
    quoted = [  # (text in the alt, measured value, rounding half-width)
        ("0.46 to 0.05", res.activation_std("standard")[[0, -1]], (0.005, 0.005)),
        ("0.63 to 0.32", res.activation_std("normalized")[[0, -1]], (0.005, 0.005)),
        ("0.08 at layer 1 to 1 at layer 5", res.gradient_std("standard")[[0, -1]], (0.005, 0.05)),
        ("0.37 to 0.9", res.gradient_std("normalized")[[0, -1]], (0.005, 0.05)),
    ]
    for text, measured, tol in quoted:
        assert text in alt
        numbers = [float(t) for t in text.replace(" at layer 1", "").replace(" at layer 5", "")
                   .split(" to ")]
        for n, m, t in zip(numbers, measured, tol):
            assert abs(n - m) <= t, (text, m)

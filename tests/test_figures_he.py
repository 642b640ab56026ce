"""Figures of the He page: built from the page's results, and what their captions state."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from initnotes import registry
from initnotes.experiments import he
from initnotes.figures import he as figs
from initnotes.values import he as values

NAMES = ("he-layer-std", "he-fan-modes", "he-training-momentum", "he-training-sgd",
         "he-training-adam")


def test_figures_are_registered_with_alt_text_and_caption():
    specs = registry.figures()
    for name in NAMES:
        assert name in specs and len(specs[name].alt) > 100 and specs[name].caption


def test_layer_std_figure():
    axes = figs.layer_std(values.layer_stats()).get_axes()
    assert len(axes) == 2
    assert all(len(ax.get_lines()) == 4 for ax in axes)  # 2 inits x (measured, prediction)


def test_fan_modes_figure():
    r = he.fan_modes(he.FanModeConfig(repeats=2, batch=8), np.random.default_rng(0))
    fig = figs.fan_modes(r)
    assert isinstance(fig, Figure) and len(fig.get_axes()) == 2


@pytest.mark.parametrize("optimizer", he.OPTIMIZERS)
def test_training_figure_marks_diverged_runs(optimizer):
    res = values.sweep(optimizer)
    left, right = figs.training(res).get_axes()
    crosses = sum(len(line.get_xdata()) for line in left.get_lines() if line.get_marker() == "x")
    assert crosses == int(res.diverged.sum())
    labels = [line.get_label() for line in right.get_lines()
              if not line.get_label().startswith("_")]
    assert len(labels) == len(res.config.inits)
    for init_name, label in zip(res.config.inits, labels):
        assert f"lr = {res.best_lr(init_name):g}" in label


def test_captions_and_alt_state_the_configuration():
    cfg = he.SweepConfig()
    alt = registry.get_figure("he-training-momentum").alt
    assert f"after {cfg.steps} steps" in alt and f"from {cfg.lrs[0]:g} to {cfg.lrs[-1]:g}" in alt
    assert f"width {cfg.width}" in registry.get_figure("he-training-momentum").caption
    ls = he.LayerStatsConfig()
    assert f"Widths {ls.width}" in registry.get_figure("he-layer-std").caption

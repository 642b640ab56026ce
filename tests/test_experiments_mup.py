"""`initnotes.experiments.mup`: the parametrizations' rules, the shared start, and bad input.

The claims the page makes on the experiments' results (the coordinate check, the sweeps)
are in ``tests/pages/test_at_scale.py``, on the memoised runs.
"""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.experiments import mup


@pytest.mark.parametrize("opt, expected", [
    ("sgd", [4.0, 4.0, 1.0, 4.0, 0.25, 1.0]),
    ("adam", [1.0, 1.0, 0.25, 1.0, 0.25, 1.0]),
])
def test_mup_rates_follow_table_3(opt, expected):
    """At 4 x the base width: SGD input weights and biases x m, output weights / m; Adam
    hidden and output weights / m (Yang et al. 2022, Table 3, with m = n / n_0)."""
    assert mup.lr_scales("mup", opt, 128, 32) == expected
    assert mup.lr_scales("sp", opt, 128, 32) == [1.0] * 6


def test_at_the_base_width_sp_and_mup_share_their_rates():
    for opt in mup.MUP_OPTIMIZERS:
        assert mup.lr_scales("mup", opt, 32, 32) == mup.lr_scales("sp", opt, 32, 32)


def test_initial_weights_share_input_and_hidden_layers_and_zero_the_mup_readout():
    """Same seed: SP and muP start with the same input and hidden weights; the muP readout is
    zero, the SP one has variance 1/fan_in (256 draws: within 30 %); copies are equal."""
    sizes = (16, 256, 256, 1)
    sp = mup.initial_weights("sp", sizes, 3, np.random.default_rng(0))
    mu = mup.initial_weights("mup", sizes, 3, np.random.default_rng(0))
    for k in range(2):
        np.testing.assert_array_equal(sp[0][k], mu[0][k])
        np.testing.assert_array_equal(sp[0][k][0], sp[0][k][2])
        assert np.var(sp[0][k]) == pytest.approx(2 / sizes[k], rel=0.05)
    assert not mu[0][2].any()
    assert np.var(sp[0][2]) == pytest.approx(1 / 256, rel=0.3)
    assert all(not b.any() for b in sp[1] + mu[1])


def test_teacher_targets_are_standardized():
    x, y = mup.teacher_task(500, 8, np.random.default_rng(0))
    assert x.shape == (500, 8) and y.shape == (500, 1)
    assert abs(y.mean()) < 1e-12 and y.std() == pytest.approx(1.0)


def test_a_tiny_sweep_is_deterministic_and_scores_every_rate():
    cfg = mup.MupSweepConfig(widths=(8, 16), lrs=(0.01, 0.1), steps=20, eval_every=10,
                             n_samples=64, batch=16)
    a = mup.lr_sweep(cfg, np.random.default_rng(3))
    b = mup.lr_sweep(cfg, np.random.default_rng(3))
    for p in mup.PARAMETRIZATIONS:
        assert a.loss[p].shape == (2, 2)
        np.testing.assert_array_equal(a.loss[p], b.loss[p])
        assert a.best_lr(p).shape == (2,)


def test_a_tiny_coordinate_check_records_every_layer():
    cfg = mup.CoordCheckConfig(widths=(8, 16), steps=2, n_samples=32, batch=8)
    res = mup.coordinate_check(cfg, np.random.default_rng(0))
    for p in mup.PARAMETRIZATIONS:
        assert res.change[p].shape == (2, 3) and np.all(res.change[p] > 0)
    assert np.all(res.size_at_init["mup"][:, 2] == 0)  # zero readout: output 0 at init


@pytest.mark.parametrize("make, match", [
    (lambda: mup.lr_scales("ntk", "sgd", 64, 32), "parametrization"),
    (lambda: mup.lr_scales("mup", "momentum", 64, 32), "optimizer"),
    (lambda: mup.lr_scales("mup", "sgd", 0, 32), "width"),
    (lambda: mup.MupSweepConfig(widths=()), "widths"),
    (lambda: mup.MupSweepConfig(batch=2048), "batch"),
    (lambda: mup.MupSweepConfig(lrs=(0.1, -1.0)), "learning rate"),
    (lambda: mup.MupSweepConfig(steps=90), "multiple of eval_every"),
    (lambda: mup.CoordCheckConfig(lr=0.0), "lr"),
])
def test_bad_input_is_refused_with_its_name(make, match):
    with pytest.raises(ValueError, match=match):
        make()

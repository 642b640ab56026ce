"""The page "Initialization at scale": its figures, values and claims, asserted on its
memoised runs (``initnotes.pages.at_scale``).

Single-draw runs (the stream, the coordinate check) are rerun here on two more seeds, so
that each claim holds beyond the draw the page shows (about 2 s); the sweep claims are
checked on every seed the page shows (`page.SWEEP_SEEDS`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from initnotes.experiments import at_scale, mup
from initnotes.pages import at_scale as page

DOCS = Path(__file__).resolve().parents[2] / "docs"
EXTRA_SEEDS = (1, 2)


def test_every_binding_is_on_the_page():
    text = (DOCS / "concepts" / "at-scale.md").read_text()
    for name in list(page.page.figures) + list(page.page.values):
        assert f"{{{{ {'figure' if name in page.page.figures else 'value'}:{name} }}}}" in text
    assert "On this page you will learn" in text


@pytest.mark.parametrize("name", sorted(page.page.figures))
def test_figures_draw(name):
    assert isinstance(page.page.figures[name].build(), Figure)


# --- defaults ------------------------------------------------------------------------


def test_each_drawn_default_has_its_variance():
    """Every default's draw (65,536 or 256,000 values; the 256 biases: 15 %) within 3 % of
    the variance its rule gives; PyTorch's dense weight is 1/(3 fan_in), a sixth of He's."""
    res = page.DEFAULTS.result()
    for r in res.rows:
        if r.expected_var == 0:
            assert r.measured_var == 0
        else:
            tol = 0.15 if r.layer == "dense bias" else 0.03
            assert r.measured_var == pytest.approx(r.expected_var, rel=tol), (r.framework, r.layer)
    torch_w = res.row("PyTorch", "dense weight").measured_var * res.config.fan_in
    assert torch_w == pytest.approx(1 / 3, rel=0.03)


def test_prior_bias_value():
    res = page.DEFAULTS.result()
    assert res.prior_bias == pytest.approx(-math.log(99))
    assert "0.0100" in page.prior_bias_value(res)


# --- the residual stream ---------------------------------------------------------------


def _streams():
    yield page.STREAM.result()
    for s in EXTRA_SEEDS:
        yield at_scale.residual_stream(page.STREAM.config, np.random.default_rng(s))


@pytest.fixture(scope="module")
def streams():
    return list(_streams())


def test_unscaled_stream_grows_with_the_number_of_blocks(streams):
    """Std 0.02 everywhere: the final variance grows at least in proportion to the number of
    blocks, within 30 % (measured: 8x more blocks, about 11x), on three seeds."""
    for res in streams:
        un = res.final("unscaled")
        depths = np.array(res.config.depths)
        assert np.all(np.diff(un) > 0)
        assert un[-1] / un[0] > 0.7 * depths[-1] / depths[0]


def test_scaled_stream_does_not_depend_on_depth(streams):
    """Projections 0.02/sqrt(2 n_layer): the final variance is the same within 15 % from 6 to
    48 blocks, and the unscaled one is larger by at least n_layer (about 2 n_layer)."""
    for res in streams:
        sc, un = res.final("gpt2"), res.final("unscaled")
        assert sc.max() / sc.min() < 1.15
        assert np.all(un / sc > np.array(res.config.depths))


# --- zero-initialized ends ------------------------------------------------------------


def test_zero_end_blocks_start_as_the_identity_and_learn_in_order():
    """Step 0: exact identity (LayerScale: within 10 eps); only the zero end has a gradient
    (for LayerScale: every parameter, the branch's eps-small); from step 1 every parameter
    moves; after the last step every block has left the identity."""
    res = page.ZERO.result()
    eps = res.config.layerscale_eps
    for scheme in at_scale.ZERO_SCHEMES:
        d, g = res.distance[scheme], res.grad_norm[scheme]
        zero_end = page.ZERO_NAMES[scheme][1]
        if scheme == "layerscale":
            assert 0 < d[0] < 10 * eps
            assert all(v[0] > 0 for v in g.values())
            assert g["W1"][0] < 1e-3 * g["lam"][0]
        else:
            assert d[0] == 0.0
            assert g[zero_end][0] > 0
            assert page.zero_at_first_step(res, scheme) == [k for k in g if k not in
                                                            (zero_end, "bg")]
        assert all(v[1] > 0 for v in g.values()), scheme
        assert d[-1] > 0


def test_zero_table_names_every_scheme():
    text = page.zero_table(page.ZERO.result())
    assert all(page.ZERO_NAMES[s][0] in text for s in at_scale.ZERO_SCHEMES)


# --- normalization -----------------------------------------------------------------------


def test_layer_norm_makes_the_scale_a_learning_rate():
    """Output unchanged to 1e-9, gradient x c constant to 1e-9, the c^2-scaled rate retraces
    c = 1 to 1e-9; with one rate for every scale the largest scale trains slower."""
    res = page.NORM.result()
    g1 = res.grad_norm[1.0]
    for c in res.config.scales:
        assert res.output_gap[c] < 1e-9
        assert res.grad_norm[c] * c == pytest.approx(g1, rel=1e-9)
        np.testing.assert_allclose(res.loss_scaled_lr[c], res.loss_scaled_lr[1.0], rtol=1e-9)
    hi = max(res.config.scales)
    assert res.loss_same_lr[hi][-1] > 2 * res.loss_same_lr[1.0][-1]


# --- muP -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def coords():
    return [page.COORD.result()] + [mup.coordinate_check(page.COORD.config, np.random.default_rng(s))
                                    for s in EXTRA_SEEDS]


def test_coordinate_check_sp_grows_and_mup_is_flat(coords):
    """SP, from width 32 to 1024: the hidden layer's change grows at least 10-fold and the
    output's at least 3-fold (measured 32 and 12); muP: every layer's change stays within a
    factor 2.5 over all widths (measured 1.8), on three seeds."""
    for res in coords:
        sp = res.growth("sp")
        assert sp[1] > 10 and sp[2] > 3
        mu = res.change["mup"]
        assert np.all(mu.max(axis=0) / mu.min(axis=0) < 2.5)


def test_sweep_best_rate_moves_under_sp_and_stays_under_mup():
    """On every seed: from width 32 to 256 the best SP rate falls by at least 2 octaves; the
    best muP rate moves by at most 1 octave. On the median over seeds (the figure's stars):
    SP falls by at least 3 octaves, muP stays within 1 octave over all widths."""
    sweeps = [run.result() for run in page.SWEEPS]
    for res in sweeps:
        assert res.best_shift_octaves("sp") >= 2
        assert abs(res.best_shift_octaves("mup")) <= 1
    assert page.median_shift(sweeps, "sp") >= 3
    assert page.median_range(sweeps, "mup") <= 1


def test_sweep_summary_states_the_measured_shifts():
    sweeps = [run.result() for run in page.SWEEPS]
    text = page.sweep_summary(*sweeps)
    lo = min(int(s.best_shift_octaves("sp")) for s in sweeps)
    assert f"falls by {lo} " in text


def test_mup_rules_table_is_the_code():
    text = page.mup_rules()
    assert "| SGD, μP | $\\eta\\,m$ | $\\eta\\,m$ | $\\eta$ | $\\eta\\,m$ | $\\eta/m$ | $\\eta$ |" in text
    assert "| Adam, μP | $\\eta$ | $\\eta$ | $\\eta/m$ | $\\eta$ | $\\eta/m$ | $\\eta$ |" in text


def test_trunc_normal_default_bounds_do_not_truncate_at_std_002():
    """a=-2, b=2 with std 0.02: 100 sigma; the draw (65,536 values) has std 0.02 within 2 %
    and nothing beyond 6 sigma; bounds of two std give 0.880 of the std (the std of a standard
    normal truncated to (-2, 2) is 0.8796), within 2 %."""
    t = page.DEFAULTS.result().trunc
    assert t.default_bound_sigmas == pytest.approx(100)
    assert t.default_std == pytest.approx(0.02, rel=0.02)
    assert t.default_max_sigmas < 6
    assert t.two_sigma_std / t.std == pytest.approx(0.87962566103423978, rel=0.02)

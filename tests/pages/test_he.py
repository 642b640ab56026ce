"""The He page's figures, values and claims, asserted on its memoised runs
(``initnotes.pages.he``).

The claims about the experiments are checked on the one seed the page shows (`page.SEED`);
the signal and fan-mode runs take about a second, a sweep a few seconds, so checking them
over seeds is cheap too.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from initnotes import init, registry
from initnotes.experiments import he
from initnotes.figures import he as figs
from initnotes.pages import he as page

DOCS = Path(__file__).resolve().parents[2] / "docs"
FIGURES = ("he-layer-std", "he-fan-modes", "he-training-momentum", "he-training-sgd",
           "he-training-adam")


@pytest.fixture(scope="module")
def stats() -> he.LayerStats:
    return page.SIGNAL.result()


@pytest.fixture(scope="module")
def fans() -> he.FanModeResults:
    return page.FANS.result()


def _value(name: str) -> str:
    return page.page.values[name].build()


def _text(rel: str) -> str:
    """The file's words joined by single spaces (comment markers of a .py tutorial dropped)."""
    lines = (DOCS / rel).read_text(encoding="utf-8").splitlines()
    if rel.endswith(".py"):
        lines = [line.removeprefix("#") for line in lines]
    return " ".join(" ".join(lines).split())


# --- the page: runs, bindings, the prose ---------------------------------------------------


def test_runs_share_one_seed_and_the_sweeps_one_network_and_task():
    """'The same network and task' for every optimizer: the sweeps differ only in the
    optimizer and its learning-rate grid."""
    runs = [page.SIGNAL, page.FANS, *page.SWEEPS.values()]
    assert {run.seed for run in runs} == {page.SEED}
    assert tuple(page.SWEEPS) == he.OPTIMIZERS
    same = [dataclasses.replace(run.config, optimizer="sgd", lrs=he.SGD_LRS)
            for run in page.SWEEPS.values()]
    assert all(cfg == same[0] for cfg in same)


def test_every_value_builds_and_the_doc_uses_every_binding():
    doc = _text(page.page.doc)
    used = set(re.findall(r"\{\{\s*(figure|value)\s*:\s*([^}\s]*)\s*\}\}", doc))
    bound = {("figure", n) for n in page.page.figures} | {("value", n) for n in page.page.values}
    assert used == bound
    for name in page.page.values:
        assert _value(name).strip()


def test_figures_are_registered_with_alt_text_and_caption():
    specs = registry.figures()
    for name in FIGURES:
        assert name in specs and len(specs[name].alt) > 100 and specs[name].caption


def test_prose_numbers_come_from_the_runs():
    doc = _text(page.page.doc)
    ls, sc = page.SIGNAL.config, page.SWEEPS["sgd"].config
    assert ("A stack of {{ value:he-signal-depth }} ReLU layers of width "
            "{{ value:he-signal-width }} gets") in doc
    assert (_value("he-signal-depth"), _value("he-signal-width")) == (str(ls.depth), str(ls.width))
    assert "in {{ value:he-input-dim }} dimensions" in doc
    assert "one hidden layer of {{ value:he-teacher-width }} units" in doc
    assert (_value("he-input-dim"), _value("he-teacher-width")) == (str(sc.input_dim),
                                                                    str(sc.teacher_width))


def test_sweep_setup_counts_the_hidden_layers_of_the_network():
    """'N layers of W ReLU units and a linear output': N is the number of hidden layers of
    `SweepConfig.sizes` (input, hidden..., output), not `depth`, which counts the output."""
    cfg = page.SWEEPS["sgd"].config
    hidden = cfg.sizes[1:-1]
    assert set(hidden) == {cfg.width} and cfg.sizes[-1] == 1
    assert _value("he-sweep-setup").startswith(
        f"{cfg.depth} weight layers: {len(hidden)} hidden layers of {cfg.width} ReLU units and "
        f"a linear output, trained for {cfg.steps} steps")
    assert len(hidden) == cfg.depth - 1 and _value("he-sweep-setup").startswith("30 weight layers: 29 hidden")


def test_the_page_treats_the_signal_and_the_sweep_networks_as_one_depth():
    """The summary says a '{he-sweep-depth}-layer' network's signal shrinks per layer (the
    signal run) and that SGD does not train it (the sweeps); the tutorial, too, calls the
    trained network 'the same 30-layer network'. That holds while both depths agree."""
    assert page.SIGNAL.config.depth == page.SWEEPS["sgd"].config.depth
    assert "Under Xavier init a {{ value:he-sweep-depth }}-layer ReLU network's signal" in _text(
        page.page.doc)


def test_sweep_gap_is_2_to_the_minus_half_the_hidden_layers():
    """2^(-(depth-1)/2) = 2^-14.5 ~ 1/23,000 for depth 30 (one halving per ReLU)."""
    cfg = page.SWEEPS["sgd"].config
    gap = 2.0 ** ((cfg.depth - 1) / 2)
    assert _value("he-sweep-rate-factor") == f"{round(gap, -3):,.0f}"
    assert _value("he-sweep-power") == f"$2^{{-{(cfg.depth - 1) / 2:g}}}$"
    assert _value("he-sweep-gradient-factor") == (
        f"$2^{{-{(cfg.depth - 1) / 2:g}}} \\approx 1/{round(gap, -3):,.0f}$".replace(",", "{,}"))


def test_tutorial_refers_to_the_article_configuration():
    text = _text("tutorials/xavier-he.py")
    assert f"the article uses {page.SIGNAL.config.width}" in text
    momentum = page.SWEEPS["momentum"].config
    words = {5: "five", 6: "six", 7: "seven", 8: "eight"}
    assert f"(the article: {words[len(momentum.lrs)]} rates, {momentum.steps} steps)" in text


# --- figures -----------------------------------------------------------------------------


def test_layer_std_figure(stats):
    axes = figs.layer_std(stats).get_axes()
    assert len(axes) == 2
    assert all(len(ax.get_lines()) == 4 for ax in axes)  # 2 inits x (measured, prediction)


def test_layer_std_dotted_lines_are_the_predictions(stats):
    """The figure draws the predictions itself; they must be `he.relu_std_prediction` and
    `he.relu_gradient_prediction`, exactly."""
    forward, backward = figs.layer_std(stats).get_axes()
    depth = stats.config.depth
    expected_f, expected_b = [], []
    for c in (1.0, 2.0):  # n Var(w) of xavier_normal and he_normal
        expected_f.append(he.relu_std_prediction(depth, weight_variance_times_fan_in=c)[1])
        expected_b.append(he.relu_gradient_prediction(depth, weight_variance_times_fan_in=c))
    for ax, expected in ((forward, expected_f), (backward, expected_b)):
        dotted = [line.get_ydata() for line in ax.get_lines() if line.get_linestyle() == ":"]
        np.testing.assert_array_equal(dotted, expected)


def test_fan_modes_figure(fans):
    fig = figs.fan_modes(fans)
    assert isinstance(fig, Figure) and len(fig.get_axes()) == 2


@pytest.mark.parametrize("optimizer", he.OPTIMIZERS)
def test_training_figure_marks_diverged_runs_and_the_threshold(optimizer):
    res = page.SWEEPS[optimizer].result()
    left, right = figs.training(res, threshold=he.THRESHOLD).get_axes()
    crosses = sum(len(line.get_xdata()) for line in left.get_lines() if line.get_marker() == "x")
    assert crosses == int(res.diverged.sum())
    labels = [line.get_label() for line in right.get_lines()
              if not line.get_label().startswith("_")]
    assert len(labels) == len(res.config.inits)
    for init_name, label in zip(res.config.inits, labels):
        assert f"lr = {res.best_lr(init_name):g}" in label
    for ax in (left, right):
        assert any(line.get_linestyle() == ":" and set(line.get_ydata()) == {he.THRESHOLD}
                   for line in ax.get_lines())


def test_captions_and_alt_state_the_configuration():
    cfg = page.SWEEPS["momentum"].config
    alt = registry.get_figure("he-training-momentum").alt
    assert f"after {cfg.steps} steps" in alt and f"from {cfg.lrs[0]:g} to {cfg.lrs[-1]:g}" in alt
    caption = registry.get_figure("he-training-momentum").caption
    assert f"width {cfg.width}" in caption and f"momentum {cfg.momentum:g}" in caption
    ls = page.SIGNAL.config
    assert f"Widths {ls.width}" in registry.get_figure("he-layer-std").caption


# --- what the alt texts say, against the runs --------------------------------------------


def test_layer_std_alt_orders_of_magnitude(stats):
    """'by four to five orders of magnitude': std at the top over std at layer 1 between
    1e-5 and 1e-4; under He the gradients 'flat near 1' (geometric mean within 10 %)."""
    a = stats.activation_std("xavier_normal")
    assert 4 < -math.log10(a[-1] / a[0]) < 5
    alt = registry.get_figure("he-layer-std").alt
    assert "by four to five orders of magnitude" in alt and alt.endswith("stays flat near 1.")
    g = stats.gradient_std("he_normal")
    assert math.exp(np.mean(np.log(g))) == pytest.approx(1.0, rel=0.1)


def test_fan_modes_alt_fractions(fans):
    """'about a third' (forward, fan_out, widest layer over first: 0.29 to 0.4) and 'a quarter'
    (backward, fan_in, smallest over first: 0.22 to 0.29), at the widest layer."""
    alt = registry.get_figure("he-fan-modes").alt
    widest = page.widest_layer(fans)
    third = fans.forward["fan_out"][widest] / fans.forward["fan_out"][0]
    b = fans.backward["fan_in"]
    assert 0.29 < third < 0.4 and "to about a third of its first value" in alt
    assert 0.22 < b.min() / b[0] < 0.29 and "fan_in mode falls to a quarter" in alt
    assert int(np.argmin(b)) == int(np.argmax(fans.config.widths))  # h_l has widths[l] entries
    assert f"network of {len(fans.config.widths) - 1} layers" in alt


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_sgd_alt_names_the_rates_where_xavier_diverged(optimizer):
    res = page.SWEEPS[optimizer].result()
    alt = registry.get_figure(f"he-training-{optimizer}").alt
    rates = page.diverged_rates(res, "xavier_normal")
    assert rates == [res.config.lrs[-1]]  # only the largest rate of the grid
    assert f"and diverges at {rates[0]:g}. Right:" in alt
    assert 0.95 <= page.xavier_loss(res) < 1.05 and "stays flat at 1." in alt


# --- values ----------------------------------------------------------------------------


def test_gain_table_shows_gain_for_every_row():
    rows = _value("he-gain-table").splitlines()[2:]
    assert len(rows) == len(page.GAIN_ROWS) + len(page.EXTRA_GAIN_ROWS)
    rows = rows[:len(page.GAIN_ROWS)]
    for row, (name, param) in zip(rows, page.GAIN_ROWS):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert name in cells[0]
        assert cells[1] == f"{init.gain(name, param):.4f}"
        assert cells[2] == f"{init.gain(name, param) ** 2:.4f}"


def test_sweep_table_says_who_reaches_the_threshold():
    """Xavier with SGD, with or without momentum: no; every other row: yes."""
    rows = _value("he-sweep-table").splitlines()[2:]
    assert len(rows) == 2 * len(he.OPTIMIZERS)
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        expected = "no" if cells[1] == "Xavier" and cells[0] != "Adam" else "yes"
        assert cells[5] == expected, row


def test_xavier_total_and_band_quote_the_run(stats):
    """The value's numbers are the run's, to their rounding."""
    a = stats.activation_std("xavier_normal")
    mantissa, exponent = re.match(r"\$(\S+) \\times 10\^\{(-?\d+)\}\$", _value("he-xavier-total")).groups()
    assert float(mantissa) * 10 ** int(exponent) == pytest.approx(a[-1] / a[0], rel=0.02)
    lo, hi = (float(x) for x in re.match(r"between (\S+) and (\S+) ", _value("he-he-band")).groups())
    h = stats.activation_std("he_normal")
    assert lo == pytest.approx(h.min(), rel=0.01) and hi == pytest.approx(h.max(), rel=0.01)


# --- the corrections of the expert read (issue 12) --------------------------------------


@pytest.mark.parametrize(("name", "fwd", "bwd"), [("gelu", 1.53, 1.48), ("silu", 1.68, 1.62)])
def test_gelu_and_silu_gains_come_from_the_quadrature_and_are_not_in_calculate_gain(name, fwd, bwd):
    """The table's GELU/SiLU rows: forward and backward gains to 2 decimals (quadrature error
    is below 1e-9), checked against a plain Monte Carlo estimate (1e6 samples, 0.5 %), and no
    `gain()` entry (like PyTorch's `calculate_gain`)."""
    g_f, g_b = he.activation_gains(name)
    assert (round(g_f, 2), round(g_b, 2)) == (fwd, bwd)
    z = np.random.default_rng(0).standard_normal(1_000_000)
    f, df = he.theory.activation_functions(name)
    assert g_f == pytest.approx(1 / math.sqrt(np.mean(f(z) ** 2)), rel=5e-3)
    assert g_b == pytest.approx(1 / math.sqrt(np.mean(df(z) ** 2)), rel=5e-3)
    assert name not in init.NONLINEARITIES
    with pytest.raises(ValueError, match=name):
        init.gain(name)
    row = [r for r in _value("he-gain-table").splitlines() if r.startswith(f"| {name.upper()[:4]}")
           or r.lower().startswith(f"| {name}")]
    assert len(row) == 1 and "not in `calculate_gain`" in row[0]
    assert f"{fwd:.2f}/{bwd:.2f}" in _value("he-gelu-silu-short")


def test_activation_gains_rejects_an_unknown_name():
    with pytest.raises(ValueError, match="'swish'"):
        he.activation_gains("swish")


def test_the_paper_is_quoted_verbatim():
    """He et al. (2015), section 2.3: 'the "Xavier" method completely stalls the learning,
    and the gradients are diminishing as monitored in the experiments'."""
    doc = _text(page.page.doc)
    assert ('"completely stalls the learning, and the gradients are diminishing as monitored '
            'in the experiments"') in doc
    assert "all diminishing" not in doc


def test_the_he_start_begins_above_1_because_of_its_random_output():
    """Loss before the first step: Xavier 1 (its output is ~2^-14.5 of He's), He about 2.2
    (1 + the variance of the random output), at every rate and for every optimizer."""
    for res in (run.result() for run in page.SWEEPS.values()):
        loss0 = res.loss[:, :, 0]
        assert np.all(loss0 == loss0[:, :1])
        x, h = page.initial_losses(res)["xavier_normal"], page.initial_losses(res)["he_normal"]
        assert x == pytest.approx(1.0, abs=0.01) and 1.8 < h < 2.6
    assert "the He start's 2.23" in _value("he-initial-loss")


def test_output_bias_curvature_is_1_and_sgd_diverges_above_its_limit():
    """The sweeps' loss (1/2B) sum (f - y)^2 has second derivative 1 in the output bias (a
    finite difference of `nn.mse`, exact for a quadratic); the Xavier start diverged with SGD
    only at rates above 2/c, and with momentum only above 2/c as well (the top biases add
    curvature, so the momentum limit 2(1 + mu)/c is an upper bound)."""
    from initnotes import nn
    rng = np.random.default_rng(1)
    out, y = rng.standard_normal((32, 1)), rng.standard_normal((32, 1))
    L = [nn.mse(out + b, y)[0] for b in (-0.5, 0.0, 0.5)]
    assert (L[0] - 2 * L[1] + L[2]) / 0.25 == pytest.approx(page.OUTPUT_BIAS_CURVATURE, rel=1e-9)
    for opt in ("sgd", "momentum"):
        res = page.SWEEPS[opt].result()
        rates = page.diverged_rates(res, "xavier_normal")
        assert rates and all(lr > 2 / page.OUTPUT_BIAS_CURVATURE for lr in rates)
        mu = res.config.momentum
        assert all(lr < 2 * (1 + mu) / page.OUTPUT_BIAS_CURVATURE for lr in rates) or opt == "sgd"


def test_fan_out_comes_back_at_the_same_width_and_the_last_layer_keeps_sqrt2(fans):
    """Layer 1 and layer 7 (both width 64) agree to 3 %; the last layer (width 32, like the
    input) is sqrt(2) times the input's std to 10 % (averages over the run's draws)."""
    w, fwd = fans.config.widths, fans.forward["fan_out"]
    assert w[1] == w[7] == 64 and fwd[6] == pytest.approx(fwd[0], rel=0.03)
    assert fwd[-1] == pytest.approx(math.sqrt(2), rel=0.1)
    assert "1.00 at layer 1 (width 64) and 1.01 at layer 7" in _value("he-fan-return")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_weight_gradient_ratio_is_2_to_the_minus_half_depth_over_seeds(seed):
    """'about 2^{-(D-1)/2} of what it is under He init' holds over seeds, and the range moves:
    a 30-layer stack of width 64 (cheap), median over layers within a factor 3 of
    2^-14.5, every layer within a factor 10."""
    cfg = he.LayerStatsConfig(width=64, batch=64)
    s = he.layer_statistics(cfg, np.random.default_rng(seed))
    r = s.weight_gradient_std("xavier_normal") / s.weight_gradient_std("he_normal")
    pred = 2.0 ** (-(cfg.depth - 1) / 2)
    assert pred / 3 < np.median(r) < 3 * pred
    assert np.all((pred / 10 < r) & (r < 10 * pred))


def test_notation_on_the_he_page():
    """Issue 12's notation: a_l for pre-activations, blackboard E, D for the depth, the
    opening words."""
    doc = _text(page.page.doc)
    assert "**On this page you will learn**" in doc
    assert "E[" not in doc.replace("\\mathbb{E}[", "")
    assert "z_l" not in doc and "after $L$ layers" not in doc

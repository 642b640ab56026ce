"""The zero/constant page's claims, asserted on its memoised run (``initnotes.pages.zero_constant``).

The run itself (which gradients are exactly zero, which update moves each layer first) is
pinned in ``tests/test_experiments_zero_constant.py`` on the same run. All of these hold
for the one seed the page shows (the run takes about 1.5 s).
"""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.pages import zero_constant as page


@pytest.fixture(scope="module")
def res():
    return page.SPIRALS.result()


@pytest.fixture(scope="module")
def labels(res):
    return page.case_labels(res.config)


def _rows(table: str) -> dict[str, str]:
    return {line.split("|")[1].strip(): line for line in table.splitlines()[2:]}


def test_labels_name_the_configured_starts(res, labels):
    assert list(res.runs) == list(res.config.cases)
    assert labels["zero weights, bias"] == "zero weights, biases 0.1"
    assert labels["constant"] == "constant 0.5"


def test_gradient_table_shows_the_exact_zeros_and_first_moves(res, labels):
    rows = _rows(page.gradient_table(res))
    assert "| $0$ / $0$ / $0$ | never / never / never |" in rows[labels["zero"]]
    assert "| 2 / 1 / 0 |" in rows[labels["zero weights, bias"]]
    assert rows[labels["zero last layer"]].startswith(f"| {labels['zero last layer']} | $0$ / $0$ / ")
    assert "| 1 / 1 / 0 |" in rows[labels["zero last layer"]]


def test_final_table_symmetric_starts_have_exactly_equal_units(res, labels):
    rows = _rows(page.final_table(res))
    for case in ("zero", "zero weights, bias", "constant"):
        assert f"| {labels[case]} | $0$ / $0$ |" in rows[labels[case]]
    for case in ("zero last layer", "random"):
        assert "$0$ / $0$" not in rows[labels[case]]


def test_first_moves_sentence_goes_top_down(res):
    """The prose: the layers leave zero one at a time from the top."""
    assert page.first_moves(res) == "$W_3$ at update 0, $W_2$ at 1, $W_1$ at 2"


def test_constant_accuracy_is_the_bound_along_its_own_direction(res):
    """The prose: the constant network gets exactly the best threshold along its own w."""
    assert page.acc_constant(res) == page.constant_bound(res)


def test_training_alt_claims_hold(res):
    """What the training figure's alt text says, against the run: stuck starts flat at
    ln 2 (within 2e-3 at every step: flat on the log axis) and at 50 % but for the steps
    the alt text names; constant below its next tenth within the stated window, near 0.55 at
    the end (within 0.02); the two that learn below 0.1."""
    runs = res.runs
    for case in ("zero", "zero weights, bias"):
        assert np.all(np.abs(runs[case].loss - np.log(2)) < 2e-3)
        assert runs[case].final_accuracy == 0.5
        assert runs[case].final_loss == pytest.approx(np.log(2), abs=1e-5)
    assert np.all(runs["zero"].accuracy == 0.5)
    # one step where the outputs of the biased start, all near 0, straddle the threshold
    off = np.flatnonzero(runs["zero weights, bias"].accuracy != 0.5)
    assert off.size == 1 and runs["zero weights, bias"].accuracy[off[0]] == pytest.approx(0.655)
    constant = runs["constant"]
    assert constant.final_loss == pytest.approx(0.55, abs=0.02)
    assert constant.loss[100] < 0.6  # "below 0.6 within the first hundred steps"
    assert np.all(constant.loss[100:] < 0.6)  # ... and it stays below: "levels off"
    for case in ("zero last layer", "random"):
        assert runs[case].final_loss < 0.1
    alt = page._training_alt(res)
    assert "drops below 0.6 within the first hundred steps and levels off near 0.55" in alt
    assert "fall below 0.1" in alt and "stay at 50 percent (except that zero weights with " \
        f"biases jumps to 66 percent for one step, step {off[0]})" in alt


def test_regions_alt_claims_hold(res):
    """Stuck starts: one class on the whole grid, 50 % right; constant about 70 % (67 to
    72 %); zero last layer and random about 97 % (95 to 99 %), with a boundary on the grid."""
    runs = res.runs
    for case in ("zero", "zero weights, bias"):
        positive = runs[case].grid_logits > 0
        assert positive.all() or not positive.any()
    assert 0.67 <= runs["constant"].final_accuracy <= 0.72
    for case in ("zero last layer", "random"):
        assert 0.95 <= runs[case].final_accuracy <= 0.99
        assert 0 < (runs[case].grid_logits > 0).mean() < 1
    alt = page._regions_alt(res)
    assert alt.startswith("Five square panels of the plane from -1.3 to 1.3, each with the 200 ")
    assert "about 70" in alt and "about 97" in alt and "50 percent" in alt


def test_captions_state_the_config(res):
    caption = page._training_caption(res)
    assert "2-16-16-1 tanh network" in caption and "from five starts" in caption
    assert "learning rate 0.4" in caption


def test_training_caption_caveats_hold(res):
    """The caption's sentences on what is not learning: the two spikes are brief (under 20
    steps above 1.5 x the running minimum) and both curves end far below their peak; the
    stuck start's one-step accuracy blip happens while its loss is ln 2 to 1e-6; the
    constant start begins above 2, with about half of the points wrong."""
    for case in ("random", "zero last layer"):
        run = res.runs[case]
        step, peak, steps = page.loss_spike(run)
        assert 0 < steps < 20 and peak > 1.0 and run.final_loss < 0.2 * peak
    blip = res.runs["zero weights, bias"]
    (odd,) = np.flatnonzero(blip.accuracy != blip.final_accuracy)
    assert abs(blip.loss[odd] - np.log(2)) < 1e-6 and blip.accuracy[odd] > 0.6
    const = res.runs["constant"]
    assert const.loss[0] > 2.0 and 0.4 < 1 - const.accuracy[0] < 0.6
    caption = page.page.figures["zero-constant-training"].text("caption")
    assert "±8" in caption and "65.5 %" in caption


def test_w1_of_the_bias_start_moves_only_with_tiny_upper_layers(res):
    """Zero weights, biases 0.1: after training, W_2 and W_3 are still tiny (every entry below
    0.02, against about 0.6 for a Xavier draw of these layers; their product below 1e-4),
    which keeps W_1's error-input correlation gradient small: the plateau."""
    run = res.runs["zero weights, bias"]
    W2, W3 = run.weights[1], run.weights[2]
    assert np.abs(W2).max() < 0.02 and np.abs(W3).max() < 0.02
    assert np.abs(W3 @ W2).max() < 1e-4

"""The symmetry page's claims, asserted on its memoised runs (``initnotes.pages.symmetry``)."""

from __future__ import annotations

import pytest

from initnotes.format import upper_bound
from initnotes.pages import symmetry as page


def test_wide_table_shows_exact_zeros_and_ranks():
    """Zero: differences 0 / 0, ranks 0 / 0; constant: 0 / 0, ranks 1 / 1; random: 2 / 8."""
    rows = {line.split("|")[1].strip(): line for line in page.wide_table(page.WIDE.result()).splitlines()[2:]}
    assert "| $0$ / $0$ | 0 / 0 |" in rows["zero"]
    assert "| $0$ / $0$ | 1 / 1 |" in rows["constant 0.3"]
    assert "| 2 / 8 |" in rows[r"random $\mathcal N(0, 0.5^2)$"]


def test_rank_figure_alt_text_numbers_match_the_run():
    """The alt text of symmetry-rank: noise stays near 3e-4, random near 3, spectra as stated."""
    import numpy as np

    runs = page.WIDE.result().runs
    d_nc, d_r = runs["nearly constant"].max_difference[:, 1], runs["random"].max_difference[:, 1]
    assert np.all((2e-4 < d_nc) & (d_nc < 4e-4)) and np.all((2.5 < d_r) & (d_r < 3.5))
    s = {k: np.linalg.svd(r.weights[1], compute_uv=False) for k, r in runs.items()}
    assert np.all(s["zero"] == 0)
    assert 2.2 < s["constant"][0] < 2.4 and np.all(s["constant"][1:] < 1e-15)
    assert 2.2 < s["nearly constant"][0] < 2.4 and np.all((3e-5 < s["nearly constant"][1:])
                                                         & (s["nearly constant"][1:] < 5e-4))
    assert np.all((0.3 < s["random"]) & (s["random"] < 3.5))


# --------------------------------------------------------------------------- the long run, over seeds

def test_every_nearly_constant_seed_leaves_the_plateau_after_thousands_of_steps():
    """All ten seeds: on the constant start's plateau past step 5000, below half of it by the
    end, and within a factor of two of the random start's median after 16,000 steps."""
    res = page.ESCAPE.result()
    import numpy as np

    assert len(res.config.seeds) >= 10
    steps = res.escape_steps()
    assert np.all(steps >= 5000) and np.all(steps < res.config.steps)
    near, rand = res.loss["nearly constant"][:, -1], res.loss["random"][:, -1]
    assert np.all(near < 0.1 * res.loss["constant"][0, -1])
    assert np.median(near) < 2 * np.median(rand)


def test_the_exactly_constant_start_never_leaves_its_plateau():
    """Exact symmetry: from step 1000 to 16,000 the loss changes by less than 1 %, units equal."""
    res = page.ESCAPE.result()
    loss = res.loss["constant"][0]
    assert abs(loss[-1] / loss[10] - 1) < 0.01
    assert (res.difference["constant"] == 0).all()


def test_the_first_hidden_layer_separates_and_the_second_stays_nearly_one_unit():
    """Layer 1's units grow apart over 1000-fold (median) to order 1; layer 2's stay below the
    printed bound (the max rounded up to one digit, under 3e-3)."""
    import numpy as np

    d = page.ESCAPE.result().difference["nearly constant"]
    assert np.all(d[:, -1, 0] > 1000 * d[:, 0, 0]) and 0.5 < np.median(d[:, -1, 0]) < 5
    bound = upper_bound(d[:, :, 1].max())
    assert d[:, :, 1].max() <= bound < 3e-3
    assert upper_bound(1.18e-3) == 2e-3 and upper_bound(2e-3) == 2e-3


def test_random_start_is_below_the_plateau_from_step_1000():
    import numpy as np

    res = page.ESCAPE.result()
    assert res.steps[10] == 1000
    assert np.all(res.loss["random"][:, 10:] < 0.2 * res.loss["constant"][0, -1])


def test_small_network_claims():
    """Final losses fall zero > constant > random; the constant unit's weights move apart."""
    res = page.SMALL.result()
    losses = [res.runs[s].loss[-1] for s in ("zero", "constant", "random")]
    assert losses[0] > losses[1] > losses[2]
    W = res.runs["constant"].W
    assert W[-1, 0, 0] > 0.8 and W[-1, 0, 1] < -0.3 and (W[:, 0] == W[:, 1]).all()


def test_zero_init_is_fine_without_hidden_units():
    """A linear model (no hidden layer) from all zeros fits linear targets (loss below 1e-6)."""
    import numpy as np

    from initnotes import nn

    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 2))
    y = x @ np.array([[1.5], [-0.5]]) + 0.2
    net = nn.MLP.from_weights([np.zeros((1, 2))], [np.zeros(1)], output_activation="identity")
    history = nn.train(net, x, y, loss="mse", lr=0.3, steps=300)
    assert history.loss[-1] < 1e-6


def test_zero_row_of_the_worked_table_has_zero_gradient():
    """'every row with a non-zero gradient': the zero row's dL/dW is 0, the others are not."""
    import numpy as np

    from initnotes.experiments import symmetry as sym

    for name, (W, v) in sym.STARTS.items():
        dW = sym.worked_example(W, v).dW
        assert (np.all(dW == 0)) == (name == "zero")
        if name != "zero":
            np.testing.assert_allclose(dW[:, 1], 2 * dW[:, 0], rtol=1e-12)

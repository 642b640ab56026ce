"""The explorer page as built: its data files against the package, and what the page says.

The files are read back from a real strict build (the session's `built` fixture), exactly
as the browser gets them.
"""

from __future__ import annotations

import json
import math
import random
import re

import numpy as np
import pytest

from initnotes import explorer as ex
from initnotes.experiments.signal import propagate

pytestmark = pytest.mark.site

#: Page weight budget on a first visit, for what this page adds to the theme (bytes).
BUDGET = 500_000


@pytest.fixture(scope="module")
def files(site) -> tuple[bytes, bytes]:
    folder = site / "explore"
    return (folder / ex.INDEX_NAME).read_bytes(), (folder / ex.BLOB_NAME).read_bytes()


@pytest.fixture(scope="module")
def shown(files):
    cache: dict = {}

    def get(init: str, activation: str, depth: int, scale: float) -> ex.Shown:
        key = (init, activation, depth, scale)
        if key not in cache:
            cache[key] = ex.decode(*files, init, activation, depth, scale)
        return cache[key]

    return get


def _assert_stored(stored: np.ndarray, true: np.ndarray) -> None:
    """float32 log10 storage: within one float32 step of the exact log10 (zeros stay 0)."""
    with np.errstate(divide="ignore"):
        exact, got = np.log10(true), np.log10(stored)
    finite = np.isfinite(exact)
    np.testing.assert_array_equal(np.isfinite(got), finite)
    step = np.spacing(np.abs(exact[finite]).astype(np.float32)).astype(np.float64)
    assert np.all(np.abs(got[finite] - exact[finite]) <= step + 1e-12)
    np.testing.assert_array_equal(stored[~finite], true[~finite])


def test_random_grid_points_equal_propagate(files):
    """At 12 random settings (seeded, so a failure repeats), the shipped numbers are what
    `propagate` returns for the same config and seed, to the stored precision."""
    pick = random.Random(8)
    points = [(pick.choice(list(ex.INITS)), pick.choice(list(ex.ACTIVATIONS)),
               pick.choice(ex.DEPTHS), pick.choice(ex.SCALES)) for _ in range(12)]
    points.append(("zeros", "tanh", 20, 1.5))  # a record shared by several settings
    points.append(("constant", "relu", 2, 0.8))  # all units of a layer equal: "symmetric"
    for init, activation, depth, scale in points:
        res = propagate(ex.signal_config(init, activation, depth, scale),
                        np.random.default_rng(ex.SEED))
        got = ex.decode(*files, init, activation, depth, scale)
        _assert_stored(got.activation_std, res.activation_std)
        _assert_stored(got.gradient_std, res.gradient_std)
        assert set(got.histograms) == {layer for layer in ex.HIST_LAYERS if layer <= depth}
        for layer, h in got.histograms.items():
            np.testing.assert_array_equal(
                h.counts, ex.histogram(res.activation_samples[layer - 1]).counts)
            assert (h.lo, h.hi) == (ex.histogram(res.activation_samples[layer - 1]).lo,
                                    ex.histogram(res.activation_samples[layer - 1]).hi)
        assert got.reading == ex.reading(res), (init, activation, depth, scale)


def test_index_covers_every_setting(files):
    index = json.loads(files[0])
    assert len(index["records"]) == len(ex.settings())
    assert len(files[1]) == (max(index["records"]) + 1) * index["record_size"]
    assert [i["key"] for i in index["inits"]] == list(ex.INITS)
    assert index["depths"] == list(ex.DEPTHS) and [s["value"] for s in index["scales"]] == list(ex.SCALES)


def test_data_is_computed_once_per_package(built, warm_cache, builder, tmp_path):
    """A rebuild that finds the first build's cache reuses the data: same bytes, no grid run."""
    m = re.search(r"explorer data computed in ([0-9.]+) s", built.log)
    assert m, built.log
    print(f"\nexplorer grid: {float(m.group(1)):.1f} s in the cold build")
    warm = builder(tmp_path / "site", warm_cache)
    assert "explorer data from cache" in warm.log
    for name in (ex.INDEX_NAME, ex.BLOB_NAME):
        assert (warm.site / "explore" / name).read_bytes() == (built.site / "explore" / name).read_bytes()


def test_page_files_fit_the_budget(site):
    """HTML, script, style and data of the page: under 500 KB (measured in a browser too)."""
    folder = site / "explore"
    sizes = {p.name: p.stat().st_size for p in folder.iterdir() if p.is_file()}
    print(f"\nexplorer page files: {sizes}, total {sum(sizes.values()):,} bytes")
    assert sum(sizes.values()) < BUDGET


def test_page_has_the_static_fallback_and_the_nav_entry(site):
    html = (site / "explore" / "index.html").read_text(encoding="utf-8")
    fallback = html[html.index('id="initnotes-explorer-fallback"'):]
    assert '<img src="../figures/explore-default.svg"' in fallback.split("</div>")[0]
    script = html.index('document.documentElement.classList.add("ix-js")')
    assert html.index('href="explorer.css"') < script < html.index('id="initnotes-explorer-fallback"')
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="explore/" class="md-nav__link">\s*(<span[^>]*>\s*)*Explore\s*<', home)


# -- what the page says ("What to try" and the exercises) ------------------------------


def test_small_normal_weights_vanish_at_every_scale(shown):
    """Normal std 0.01 + tanh: activations below 0.01 by layer 3 and gradients vanish, even at scale 2."""
    for scale in ex.SCALES:
        for depth in (d for d in ex.DEPTHS if d >= 5):
            a, ka, g, _ = shown("normal", "tanh", depth, scale).reading
            assert (a, g) == ("vanish", "vanish") and ka <= 3, (scale, depth)


def test_xavier_vanishes_under_relu_he_does_not(shown):
    for depth in (20, 30, 40, 50):
        assert shown("xavier_normal", "relu", depth, 1.0).reading[0] == "vanish"
    for depth in ex.DEPTHS:
        assert shown("he_normal", "relu", depth, 1.0).reading[0] not in ("vanish", "explode")


def test_orthogonal_linear_is_flat_and_scale_compounds(shown):
    """Orthogonal W preserves norms, so the std is flat (1 %) and scale s multiplies it by s per layer."""
    flat = shown("orthogonal", "linear", 50, 1.0).activation_std
    assert flat.max() / flat.min() < 1.01
    for s, code in ((0.9, "vanish"), (1.1, "explode")):
        got = shown("orthogonal", "linear", 50, s)
        np.testing.assert_allclose(got.activation_std[1:] / got.activation_std[:-1], s, rtol=0.01)
        assert got.reading[0] == code


def test_sigmoid_gradients_vanish_from_ten_layers(shown):
    for init in ex.INITS:
        for scale in ex.SCALES:
            for depth in (d for d in ex.DEPTHS if d >= 10):
                assert shown(init, "sigmoid", depth, scale).reading[2] in ("vanish", "zero"), \
                    (init, scale, depth)


def test_constant_weights_saturate_tanh(shown):
    """Constant 0.5 + tanh: every activation of the last layer in the two edge bins, gradients 0."""
    got = shown("constant", "tanh", 30, 1.0)
    h = got.histograms[30]
    assert h.counts[0] + h.counts[-1] == h.counts.sum() and (h.lo, h.hi) == (-1.0, 1.0)
    assert got.reading[2:] == ("zero", 29)


def test_zero_weights_kill_every_gradient_but_the_last(shown):
    """Exercise 2: W = 0 makes every gradient below the last layer exactly 0, at any scale."""
    for activation in ex.ACTIVATIONS:
        for scale in (0.5, 2.0):
            got = shown("zeros", activation, 10, scale)
            assert np.all(got.gradient_std[:-1] == 0) and got.gradient_std[-1] > 0.9
            assert got.reading[2:] == ("zero", 9)


def test_he_linear_grows_like_sqrt2_per_layer(shown):
    """Exercise 1: He (Var 2/n) without activation: std at layer 30 within half a decade of 2**15."""
    got = shown("he_normal", "linear", 30, 1.0)
    assert abs(math.log10(got.activation_std[29]) - 15 * math.log10(2)) < 0.5


def test_tanh_crosses_from_order_to_chaos_at_scale_one(shown):
    """Exercise 3: Xavier + tanh at depth 50 -- 0.9 vanishes, 1 shrinks slowly, 2 keeps the
    activations but the gradients explode."""
    assert shown("xavier_normal", "tanh", 50, 0.9).reading[0] == "vanish"
    assert shown("xavier_normal", "tanh", 50, 1.0).reading[0] == "shrink"
    a, _, g, _ = shown("xavier_normal", "tanh", 50, 2.0).reading
    assert (a, g) == ("steady", "explode")


def test_small_normal_weights_shrink_by_0_01_sqrt_n_per_layer(shown):
    """In tanh's linear range each layer multiplies the std by 0.01 * sqrt(64) = 0.08 (times
    the scale). One 64 x 64 Gaussian matrix's gain departs from that mean by order
    1/sqrt(2 * 64), about 9 % (here 0.076 to 0.082), so each ratio is checked to 10 %."""
    for scale in (1.0, 2.0):
        a = shown("normal", "tanh", 10, scale).activation_std
        np.testing.assert_allclose(a[1:] / a[:-1], 0.01 * math.sqrt(ex.WIDTH) * scale, rtol=0.1)

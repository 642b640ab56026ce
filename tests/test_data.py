"""Tests for initnotes.data: shapes, balance, determinism and input validation."""

from __future__ import annotations

import numpy as np
import pytest

from initnotes.data import DATASETS, circles, two_spirals, xor

GENERATORS = sorted(DATASETS.items())


@pytest.mark.parametrize(("name", "gen"), GENERATORS)
@pytest.mark.parametrize("n", [2, 7, 200])
def test_shapes_dtypes_and_balanced_binary_labels(name, gen, n):
    """Every generator returns x (n, 2) float64, y (n,) int in {0, 1}, class counts differing by <= 1."""
    x, y = gen(n, rng=np.random.default_rng(0))
    assert x.shape == (n, 2) and x.dtype == np.float64
    assert y.shape == (n,) and np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) <= {0, 1}
    assert abs(int(np.sum(y == 0)) - int(np.sum(y == 1))) <= 1
    assert np.all(np.isfinite(x))


@pytest.mark.parametrize(("name", "gen"), GENERATORS)
def test_same_rng_state_gives_same_data_and_different_seeds_differ(name, gen):
    """Data depends only on the rng passed in."""
    a = gen(50, rng=np.random.default_rng(1))
    b = gen(50, rng=np.random.default_rng(1))
    c = gen(50, rng=np.random.default_rng(2))
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(("name", "gen"), GENERATORS)
def test_rows_are_shuffled_not_sorted_by_class(name, gen):
    """Labels are not returned as a block of 0s followed by a block of 1s."""
    _, y = gen(100, rng=np.random.default_rng(0))
    assert not np.array_equal(y, np.sort(y))


def test_xor_points_sit_on_their_blob_and_label_is_xor_of_signs():
    """With small noise, each point keeps its blob's signs and y = [sign(x1) != sign(x2)]."""
    x, y = xor(400, noise=0.1, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(y, (np.sign(x[:, 0]) != np.sign(x[:, 1])).astype(int))
    np.testing.assert_allclose(np.abs(x).mean(axis=0), 1.0, atol=0.05)
    x0, _ = xor(8, noise=0.0, rng=np.random.default_rng(0))
    assert set(map(tuple, x0)) == {(1.0, 1.0), (1.0, -1.0), (-1.0, -1.0), (-1.0, 1.0)}


def test_two_spirals_without_noise_lie_in_unit_disc_and_classes_are_point_reflections():
    """Noise-free spiral points have radius <= 1, and class 1 is class 0 rotated by pi."""
    x, y = two_spirals(300, noise=0.0, rng=np.random.default_rng(0))
    r = np.linalg.norm(x, axis=1)
    assert np.all(r <= 1.0)
    # radius t and angle 2*pi*turns*t (+pi for class 1) must match
    theta = np.arctan2(x[:, 1], x[:, 0]) - np.pi * y
    resid = np.angle(np.exp(1j * (theta - 2 * np.pi * 1.5 * r)))
    np.testing.assert_allclose(resid, 0.0, atol=1e-9)
    x_noisy, _ = two_spirals(300, rng=np.random.default_rng(0))
    assert np.abs(x_noisy).max() < 1.6


def test_circles_radii_without_noise():
    """Noise-free circles: class 0 at radius 1, class 1 at radius factor."""
    x, y = circles(100, noise=0.0, factor=0.3, rng=np.random.default_rng(0))
    r = np.linalg.norm(x, axis=1)
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)


@pytest.mark.parametrize(("name", "gen"), GENERATORS)
@pytest.mark.parametrize("n", [1, 0, -5, 2.5, True])
def test_bad_n_is_rejected_with_its_value(name, gen, n):
    with pytest.raises(ValueError, match=rf"n must be an integer >= 2, got {n!r}"):
        gen(n, rng=np.random.default_rng(0))


@pytest.mark.parametrize(("name", "gen"), GENERATORS)
@pytest.mark.parametrize("noise", [-0.1, float("nan"), float("inf")])
def test_bad_noise_is_rejected_with_its_value(name, gen, noise):
    with pytest.raises(ValueError, match=rf"noise must be a finite number >= 0, got {noise!r}"):
        gen(10, noise=noise, rng=np.random.default_rng(0))


def test_bad_turns_and_factor_are_rejected():
    with pytest.raises(ValueError, match=r"turns must be a finite number > 0, got 0"):
        two_spirals(10, turns=0, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"turns must be a finite number > 0, got -1"):
        two_spirals(10, turns=-1, rng=np.random.default_rng(0))
    for factor in (0, 1, 1.5):
        with pytest.raises(ValueError, match=rf"factor must be in \(0, 1\), got {factor!r}"):
            circles(10, factor=factor, rng=np.random.default_rng(0))


@pytest.mark.parametrize(("name", "gen"), GENERATORS)
def test_rng_must_be_a_generator(name, gen):
    """Legacy seeds / RandomState are refused so no global random state sneaks in."""
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        gen(10, rng=0)

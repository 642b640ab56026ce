"""PyTorch's own checks of `torch.nn.init`, re-implemented in NumPy against `initnotes.init`.

Each test below mirrors one test of PyTorch's ``test/nn/test_init.py`` (classes
``TestNNInit`` and ``TestNNInitDeviceType``); its docstring names it. The statistical
tests use PyTorch's own criterion: a one-sample Kolmogorov-Smirnov test against the
expected distribution must give a p-value above 1e-4 (PyTorch calls
``scipy.stats.kstest``; here the same statistic and its asymptotic p-value are computed
in NumPy, since neither SciPy nor torch is a dependency). The shapes are drawn, as in
PyTorch, at random within PyTorch's size ranges, from fixed seeds, so the tests are
deterministic. PyTorch's ``test_deprecation`` has no counterpart: the package never had
the old un-suffixed names to deprecate. bfloat16 has no NumPy dtype, so its variants are
left out; float16 stands for the reduced precisions.
"""

from __future__ import annotations

import math
import string

import numpy as np
import pytest

from initnotes import init

_erf = np.vectorize(math.erf, otypes=[np.float64])


def rng(seed: int = 123) -> np.random.Generator:
    return np.random.default_rng(seed)


def random_shape(r: np.random.Generator, dims: int, size_min: int, size_max: int) -> tuple[int, ...]:
    """PyTorch's ``_create_random_nd_tensor``: each dimension uniform in [size_min, size_max].

    For 4-D shapes with PyTorch's ranges of 30 to 50 (up to 6 million draws), the range is
    scaled down to 12 to 20 (20 000 to 160 000 draws), which keeps each test well under a
    second; the KS test is only more sensitive with more draws, not less valid with fewer.
    """
    if dims == 4 and size_min >= 30:
        size_min, size_max = 12, 20
    return tuple(int(v) for v in r.integers(size_min, size_max + 1, size=dims))


def norm_cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + _erf(np.asarray(x, dtype=np.float64) / math.sqrt(2.0)))


def ks_pvalue(samples: np.ndarray, cdf) -> float:
    """One-sample Kolmogorov-Smirnov p-value (the asymptotic Kolmogorov distribution).

    With D the largest distance between the empirical and the given CDF and
    lambda = D (sqrt(n) + 0.12 + 0.11 / sqrt(n)) (Stephens' correction),
    p = 2 sum_k (-1)^(k-1) exp(-2 k^2 lambda^2). Close to SciPy's exact p-value for
    the sample sizes here (n >= 100) around the 1e-4 threshold.
    """
    x = np.sort(np.asarray(samples, dtype=np.float64).ravel())
    n = x.size
    f = cdf(x)
    d = max(np.max(np.arange(1, n + 1) / n - f), np.max(f - np.arange(n) / n))
    lam = d * (math.sqrt(n) + 0.12 + 0.11 / math.sqrt(n))
    k = np.arange(1, 101)
    p = 2.0 * np.sum((-1.0) ** (k - 1) * np.exp(-2.0 * k * k * lam * lam))
    return float(min(max(p, 0.0), 1.0))


def is_normal(w: np.ndarray, mean: float, std: float) -> bool:
    """PyTorch's ``_is_normal``: KS p-value > 1e-4 against N(mean, std^2)."""
    return ks_pvalue(w, lambda x: norm_cdf((x - mean) / std)) > 1e-4


def is_uniform(w: np.ndarray, a: float, b: float) -> bool:
    """PyTorch's ``_is_uniform``: KS p-value > 1e-4 against U(a, b)."""
    return ks_pvalue(w, lambda x: np.clip((x - a) / (b - a), 0.0, 1.0)) > 1e-4


def is_trunc_normal(w: np.ndarray, mean: float, std: float, a: float, b: float) -> bool:
    """PyTorch's ``_is_trunc_normal``: KS p-value > 1e-4 against N(mean, std^2) on [a, b]."""
    lo, hi = norm_cdf((a - mean) / std), norm_cdf((b - mean) / std)
    return ks_pvalue(w, lambda x: np.clip((norm_cdf((x - mean) / std) - lo) / (hi - lo), 0, 1)) > 1e-4


def fans_by_hand(shape: tuple[int, ...]) -> tuple[int, int]:
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def conv_valid(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``F.conv{1,2,3}d(x, w)`` without padding: x (N, C_in, *S), w (C_out, C_in, *K)."""
    k = w.shape[2:]
    windows = np.lib.stride_tricks.sliding_window_view(x, k, axis=tuple(range(2, x.ndim)))
    # windows: (N, C_in, *S_out, *K); contract C_in and K
    letters = "ijk"[: len(k)]
    spatial = "xyz"[: len(k)]
    return np.einsum(f"nc{spatial}{letters},oc{letters}->no{spatial}", windows, w)


# --------------------------------------------------------------------------- calculate_gain


def test_calculate_gain_linear():
    """Mirrors ``test_calculate_gain_linear``: every linear and convolution name has gain 1."""
    for fn in ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
               "conv_transpose3d"]:
        assert init.gain(fn) == 1


def test_calculate_gain_nonlinear():
    """Mirrors ``test_calculate_gain_nonlinear``: PyTorch's exact float values."""
    assert init.gain("sigmoid") == 1
    assert init.gain("tanh") == 1.6666666666666667
    assert init.gain("relu") == 1.4142135623730951
    assert init.gain("leaky_relu") == 1.4141428569978354
    assert init.gain("selu") == 0.75


@pytest.mark.parametrize(("param", "expected"), [(None, 1.4141428569978354), (0, 1.4142135623730951),
                                                 (0.01, 1.4141428569978354), (10, 0.14071950894605836)])
def test_calculate_gain_leaky_relu(param, expected):
    """Mirrors ``test_calculate_gain_leaky_relu``: sqrt(2 / (1 + slope^2)), PyTorch's floats."""
    assert init.gain("leaky_relu", param) == expected


@pytest.mark.parametrize("param", [True, [1], {"a": "b"}])
def test_calculate_gain_leaky_relu_only_accepts_numbers(param):
    """Mirrors ``test_calculate_gain_leaky_relu_only_accepts_numbers``: ValueError, as torch."""
    with pytest.raises(ValueError, match=r"negative slope of leaky_relu\) must be a real number"):
        init.gain("leaky_relu", param)


def test_calculate_gain_only_accepts_valid_nonlinearities():
    """Mirrors ``test_calculate_gain_only_accepts_valid_nonlinearities``: random names fail."""
    r = rng()
    for n in [2, 5, 25]:
        name = "".join(r.choice(list(string.ascii_lowercase), size=n))
        with pytest.raises(ValueError, match="nonlinearity must be one of"):
            init.gain(name)


# --------------------------------------------------------------------------- distributions


@pytest.mark.parametrize("dims", [1, 2, 4])
def test_uniform(dims):
    """Mirrors ``test_uniform``: U(a, b) with a in (-3, 3), b - a in (1, 5), sizes 30 to 50."""
    r = rng(dims)
    shape = random_shape(r, dims, 30, 50)
    a = float(r.uniform(-3, 3))
    b = a + float(r.uniform(1, 5))
    assert is_uniform(init.uniform(shape, low=a, high=b, rng=r), a, b)


@pytest.mark.parametrize("dims", [1, 2, 4])
def test_normal(dims):
    """Mirrors ``test_normal``: N(mean, std^2) with mean in (-3, 3), std in (1, 5)."""
    r = rng(dims)
    shape = random_shape(r, dims, 30, 50)
    mean, std = float(r.uniform(-3, 3)), float(r.uniform(1, 5))
    assert is_normal(init.normal(shape, mean=mean, std=std, rng=r), mean, std)


def test_trunc_normal_generator():
    """Mirrors ``test_trunc_normal_generator``: the same seed gives the same draw.

    PyTorch compares a draw from an explicit generator with one from the global seed; here
    there is no global state, so two generators with the same seed must agree exactly.
    """
    w = init.trunc_normal((5,), rng=np.random.default_rng(42))
    ref = init.trunc_normal((5,), rng=np.random.default_rng(42))
    np.testing.assert_array_equal(w, ref)
    assert np.all((w >= -2) & (w <= 2))


@pytest.mark.parametrize("dims", [1, 2, 4])
def test_constant(dims):
    """Mirrors ``test_constant``: every entry equals the value."""
    r = rng(dims)
    shape = random_shape(r, dims, 1, 5)
    val = float(r.uniform(1, 10))
    np.testing.assert_array_equal(init.constant(shape, val), np.full(shape, val))


@pytest.mark.parametrize("dims", [1, 2, 4])
def test_ones_and_zeros(dims):
    """Mirrors ``test_ones_and_zeros``."""
    shape = random_shape(rng(dims), dims, 1, 5)
    np.testing.assert_array_equal(init.ones(shape), np.ones(shape))
    np.testing.assert_array_equal(init.zeros(shape), np.zeros(shape))


# --------------------------------------------------------------------------- eye and dirac


def test_eye():
    """Mirrors ``test_eye``: 1 on the diagonal, 0 elsewhere, every element checked."""
    for seed in range(5):
        shape = random_shape(rng(seed), 2, 1, 5)
        w = init.eye(shape)
        for i in range(shape[0]):
            for j in range(shape[1]):
                assert w[i, j] == (1.0 if i == j else 0.0)


@pytest.mark.parametrize("dims", [1, 3])
def test_eye_only_works_on_2d_inputs(dims):
    """Mirrors ``test_eye_only_works_on_2d_inputs``."""
    with pytest.raises(ValueError, match="eye needs a 2-D shape"):
        init.eye(random_shape(rng(), dims, 1, 3))


@pytest.mark.parametrize("dims", [3, 4, 5])
@pytest.mark.parametrize("groups", [1, 2, 3])
def test_dirac_properties(dims, groups):
    """Mirrors ``test_dirac_properties``: min(out/groups, in) ones per group, nothing else."""
    r = rng(10 * dims + groups)
    for _ in range(5):
        a, c, d, e = (int(v) for v in r.integers(1, 6, size=4))
        b = int(r.integers(1, 5 * groups + 1))
        shape = (a * groups, b, c, d, e)[:dims]
        w = init.dirac(shape, groups=groups)
        min_d = min(shape[0] // groups, shape[1])
        assert np.count_nonzero(w) == min_d * groups
        assert w.sum() == min_d * groups


@pytest.mark.parametrize("groups", [1, 3])
@pytest.mark.parametrize("spatial", [1, 2, 3])
def test_dirac_identity(groups, spatial):
    """Mirrors ``test_dirac_identity``: the convolution copies the input channels of each group.

    batch 8, 3 input channels, 9 output channels, size 5, kernel 3, as in PyTorch; the
    filter is one zero block per group, concatenated, then ``dirac(groups=groups)``.
    """
    batch, in_c, out_c, size, kernel = 8, 3, 9, 5, 3
    eff_out_c = out_c // groups
    x = rng(spatial).standard_normal((batch, in_c) + (size,) * spatial)
    w = init.dirac((eff_out_c * groups, in_c) + (kernel,) * spatial, groups=groups)
    y = conv_valid(x, w)
    inner = (slice(None), slice(None)) + (slice(1, -1),) * spatial
    for g in range(groups):
        np.testing.assert_allclose(y[:, eff_out_c * g: eff_out_c * g + in_c], x[inner], rtol=0, atol=1e-12)
        assert np.count_nonzero(y[:, eff_out_c * g + in_c: eff_out_c * (g + 1)]) == 0


@pytest.mark.parametrize("dims", [1, 2, 6])
def test_dirac_only_works_on_3_4_5d_inputs(dims):
    """Mirrors ``test_dirac_only_works_on_3_4_5d_inputs``."""
    with pytest.raises(ValueError, match="3 to 5 dimensions"):
        init.dirac(random_shape(rng(), dims, 1, 3))


# --------------------------------------------------------------------------- Xavier


@pytest.mark.parametrize("fn", [init.xavier_uniform, init.xavier_normal, init.kaiming_uniform,
                                init.kaiming_normal])
@pytest.mark.parametrize("shape", [(), (1,)])
def test_fan_initializers_error_on_inputs_smaller_than_2d(fn, shape):
    """Mirrors the four ``test_{xavier,kaiming}_{uniform,normal}_errors_on_inputs_smaller_than_2d``."""
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        fn(shape, rng=rng())


@pytest.mark.parametrize("use_gain", [True, False])
@pytest.mark.parametrize("dims", [2, 4])
@pytest.mark.parametrize("dist", ["uniform", "normal"])
def test_xavier(use_gain, dims, dist):
    """Mirrors ``test_xavier_uniform`` and ``test_xavier_normal``.

    std = gain sqrt(2 / (fan_in + fan_out)) with gain in (0.1, 2) or 1; the uniform bound
    is sqrt(3) std.
    """
    r = rng(dims + 10 * use_gain + 100 * (dist == "normal"))
    shape = random_shape(r, dims, 20, 25)
    gain = float(r.uniform(0.1, 2)) if use_gain else 1.0
    fn = init.xavier_uniform if dist == "uniform" else init.xavier_normal
    w = fn(shape, gain=gain, rng=r)
    fan_in, fan_out = fans_by_hand(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    assert is_uniform(w, -math.sqrt(3) * std, math.sqrt(3) * std) if dist == "uniform" else is_normal(w, 0, std)


# --------------------------------------------------------------------------- Kaiming


@pytest.mark.parametrize("fn", [init.kaiming_uniform, init.kaiming_normal])
def test_kaiming_warning_on_0element_tensor(fn):
    """Mirrors ``test_kaiming_uniform_warning_on_0element_tensor`` and its normal twin."""
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        w = fn((0, 1), rng=rng())
    assert w.shape == (0, 1)


@pytest.mark.parametrize("use_a", [True, False])
@pytest.mark.parametrize("dims", [2, 4])
@pytest.mark.parametrize("mode", ["fan_in", "fan_out"])
@pytest.mark.parametrize("dist", ["uniform", "normal"])
def test_kaiming(use_a, dims, mode, dist):
    """Mirrors ``test_kaiming_uniform`` and ``test_kaiming_normal``.

    std = sqrt(2 / ((1 + a^2) n)) with n = fan_in or fan_out, a in (0.1, 2) or 0; the
    uniform bound is sqrt(3) std.
    """
    r = rng(dims + 10 * use_a + 100 * (mode == "fan_out") + 1000 * (dist == "normal"))
    shape = random_shape(r, dims, 20, 25)
    a = float(r.uniform(0.1, 2)) if use_a else 0.0
    fn = init.kaiming_uniform if dist == "uniform" else init.kaiming_normal
    w = fn(shape, a=a, mode=mode, rng=r)
    fan_in, fan_out = fans_by_hand(shape)
    std = math.sqrt(2.0 / ((1 + a**2) * (fan_in if mode == "fan_in" else fan_out)))
    assert is_uniform(w, -math.sqrt(3) * std, math.sqrt(3) * std) if dist == "uniform" else is_normal(w, 0, std)


# --------------------------------------------------------------------------- sparse, orthogonal


@pytest.mark.parametrize("dims", [1, 3])
def test_sparse_only_works_on_2d_inputs(dims):
    """Mirrors ``test_sparse_only_works_on_2d_inputs``."""
    with pytest.raises(ValueError, match="sparse needs a 2-D shape"):
        init.sparse(random_shape(rng(), dims, 1, 3), sparsity=0.5, rng=rng())


@pytest.mark.parametrize("use_random_std", [True, False])
def test_sparse_default_std(use_random_std):
    """Mirrors ``test_sparse_default_std``: >= ceil(sparsity rows) zeros per column, normal rest."""
    r = rng(int(use_random_std))
    shape = random_shape(r, 2, 30, 35)
    sparsity = float(r.uniform(0.1, 0.2))
    std = float(r.uniform(0.01, 0.2)) if use_random_std else 0.01
    w = (init.sparse(shape, sparsity=sparsity, std=std, rng=r) if use_random_std
         else init.sparse(shape, sparsity=sparsity, rng=r))
    for col in w.T:
        assert np.count_nonzero(col == 0) >= math.ceil(sparsity * shape[0])
    assert is_normal(w[w != 0], 0.0, std)


@pytest.mark.parametrize("use_gain", [True, False])
@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (20, 2, 3, 4), (2, 3, 4, 5)])
def test_orthogonal(use_gain, shape):
    """Mirrors ``test_orthogonal``: W W^T (or W^T W) = gain^2 I to 1e-6, on the flat view.

    PyTorch reads the result through ``tensor.view(rows, cols)``, which needs a contiguous
    array; here the reshape must be a view of a C-contiguous result.
    """
    r = rng(len(shape) + 10 * use_gain)
    gain = float(r.uniform(0.1, 2)) if use_gain else 1.0
    w = init.orthogonal(shape, gain=gain, rng=r)
    assert w.flags.c_contiguous
    rows, cols = shape[0], math.prod(shape[1:])
    flat = w.reshape(rows, cols)
    assert np.shares_memory(flat, w)
    product = flat.T @ flat if rows > cols else flat @ flat.T
    np.testing.assert_allclose(product, np.eye(min(rows, cols)) * gain**2, rtol=0, atol=1e-6)


# --------------------------------------------------------------------------- trunc_normal


@pytest.mark.parametrize("dims", [1, 2, 4])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_trunc_normal_all_dtypes(dims, dtype):
    """Mirrors ``test_trunc_normal_all_dtypes``: in [a, b] at the dtype's precision, KS passes.

    mean in (-3, 3), std in (0.01, 1), a in (mean - 2 std, mean), b in (mean, mean + 2 std),
    sizes 30 to 50 per dimension (4-D scaled down, see `random_shape`).
    """
    r = rng(dims + 10 * (dtype == np.float32))
    shape = random_shape(r, dims, 30, 50)
    mean = float(r.uniform(-3, 3))
    std = float(r.uniform(0.01, 1))
    a = float(r.uniform(mean - 2 * std, mean))
    b = float(r.uniform(mean, mean + 2 * std))
    w = init.trunc_normal(shape, mean=mean, std=std, a=a, b=b, rng=r, dtype=dtype)
    assert w.dtype == dtype and w.shape == shape
    assert w.min() >= dtype(a) and w.max() <= dtype(b)
    assert is_trunc_normal(w.astype(np.float64), mean, std, a, b)


def test_trunc_normal_low_precision():
    """Mirrors ``test_trunc_normal_low_precision`` (float16): 10 000 draws on [-2, 2]."""
    w = init.trunc_normal((10000,), mean=0.0, std=1.0, a=-2.0, b=2.0, rng=rng(), dtype=np.float16)
    assert w.min() >= -2.0 and w.max() <= 2.0
    assert is_trunc_normal(w.astype(np.float64), 0.0, 1.0, -2.0, 2.0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_trunc_normal_narrow_interval(dtype):
    """Mirrors ``test_trunc_normal_narrow_interval``: [2, 3] with std 1, far from the mean."""
    w = init.trunc_normal((10000,), mean=0.0, std=1.0, a=2.0, b=3.0, rng=rng(), dtype=dtype)
    assert w.min() >= 2.0 and w.max() <= 3.0
    assert is_trunc_normal(w.astype(np.float64), 0.0, 1.0, 2.0, 3.0)


@pytest.mark.parametrize(("dtype", "min_unique"), [(np.float32, 5000), (np.float64, 5000),
                                                   (np.float16, 3000)])
def test_trunc_normal_unique_values(dtype, min_unique):
    """Mirrors ``test_trunc_normal_unique_values``: enough distinct values, no inf or nan."""
    w = init.trunc_normal((10000,), mean=0.0, std=1.0, a=-2.0, b=2.0, rng=rng(), dtype=dtype)
    assert w.min() >= -2.0 and w.max() <= 2.0
    assert np.unique(w).size > min_unique
    assert np.all(np.isfinite(w))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_trunc_normal_no_boundary_values_small_std(dtype):
    """Mirrors ``test_trunc_normal_no_boundary_values_small_std``: nothing clamped to +-2."""
    w = init.trunc_normal((10000,), mean=0.0, std=0.1, a=-2.0, b=2.0, rng=rng(), dtype=dtype)
    assert np.count_nonzero(w == -2.0) == 0 and np.count_nonzero(w == 2.0) == 0


# --------------------------------------------------------------------------- the edges


def test_ks_helper_rejects_the_wrong_distribution():
    """The KS helper is not vacuous: N(0, 1) draws fail against N(0, 1.2^2) and U(-2, 2)."""
    z = rng().standard_normal(20000)
    assert is_normal(z, 0.0, 1.0)
    assert not is_normal(z, 0.0, 1.2)
    assert not is_uniform(z, -2.0, 2.0)
    assert not is_trunc_normal(np.clip(z, -2, 2), 0.0, 1.0, -2.0, 2.0)


def test_uniform_float16_never_returns_high():
    """A million float16 draws of U(-0.01, 0.01) never equal high (rounding is redrawn)."""
    w = init.uniform((10**6,), rng=rng(), dtype=np.float16)
    assert w.max() < np.float16(0.01)
    assert w.min() >= np.float16(-0.01)


@pytest.mark.parametrize(("call", "pattern"), [
    (lambda: init.normal((64, 64), std=1e5, rng=rng(), dtype=np.float16), r"std=100000.0 makes the values overflow float16"),
    (lambda: init.constant((2, 2), 7e4, dtype=np.float16), r"value=70000.0 makes the values overflow float16"),
    (lambda: init.orthogonal((4, 4), gain=1e5, rng=rng(), dtype=np.float16), r"gain=100000.0 makes the values overflow float16"),
    (lambda: init.xavier_uniform((3, 5), gain=1e200, rng=rng()), r"gain=1e\+200 is too large: gain\*\*2 overflows float64"),
    (lambda: init.xavier_normal((3, 5), gain=1e200, rng=rng()), r"gain=1e\+200 is too large"),
    (lambda: init.uniform((3,), low=0.0, high=1e5, rng=rng(), dtype=np.float16), r"high=100000.0 puts the bounds"),
    (lambda: init.uniform((3,), low=-1e308, high=1e308, rng=rng()), r"high - low must be finite"),
])
def test_overflow_is_an_error_naming_the_argument(call, pattern):
    """A result that would be inf (or an argument whose square overflows) raises, naming it."""
    with pytest.raises(ValueError, match=pattern):
        call()


def test_huge_leaky_relu_slope_does_not_overflow():
    """gain('leaky_relu', 1e200) is sqrt(2) / 1e200, not an OverflowError."""
    assert init.gain("leaky_relu", 1e200) == pytest.approx(math.sqrt(2) * 1e-200, rel=1e-15)

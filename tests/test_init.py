"""Tests for initnotes.init: shapes, formulas, statistics, Haar orthogonality, errors.

Expected values are written out independently of the module (hand-computed
fans, literal gains, closed-form bounds), so a wrong formula in the module
cannot also be the reference. All randomness uses fixed seeds, so every test
is deterministic; the statistical tolerances are still chosen wide enough
(stated next to each) that they would hold for almost any seed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from initnotes import init

SHAPES = [(3, 5), (64, 32), (16, 8, 3, 3), (4, 2, 5), (5, 3), (2, 3, 2, 2, 2)]
RANDOM_PRESETS = [name for name in init.PRESETS if name != "zeros"]


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)


def truncated_std() -> float:
    """Std of a standard normal truncated to (-2, 2), from the closed form (math.erf)."""
    phi2 = math.exp(-2.0) / math.sqrt(2 * math.pi)  # density at 2
    mass = math.erf(2 / math.sqrt(2))  # P(|Z| < 2)
    return math.sqrt(1 - 2 * 2 * phi2 / mass)


def expected(name: str, shape: tuple[int, ...]) -> tuple[str, float]:
    """(distribution, target std) of a preset at its defaults, computed by hand."""
    receptive = math.prod(shape[2:])
    fan_in, fan_out = shape[1] * receptive, shape[0] * receptive
    table = {
        "normal": ("normal", 0.01),
        "uniform": ("uniform", 0.02 / math.sqrt(12)),
        "xavier_uniform": ("uniform", math.sqrt(2 / (fan_in + fan_out))),
        "xavier_normal": ("normal", math.sqrt(2 / (fan_in + fan_out))),
        "he_uniform": ("uniform", math.sqrt(2 / fan_in)),
        "he_normal": ("normal", math.sqrt(2 / fan_in)),
        "lecun_uniform": ("uniform", math.sqrt(1 / fan_in)),
        "lecun_normal": ("truncated_normal", math.sqrt(1 / fan_in)),
    }
    return table[name]


# --------------------------------------------------------------------------- shapes, dtypes


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", list(init.PRESETS))
def test_preset_returns_exact_shape_and_float64(name, shape):
    """Every preset returns a new float64 array of exactly the requested shape."""
    w = init.PRESETS[name](shape, rng=rng())
    assert isinstance(w, np.ndarray)
    assert w.shape == shape
    assert w.dtype == np.float64
    assert np.all(np.isfinite(w))


@pytest.mark.parametrize("name", list(init.PRESETS))
def test_preset_respects_float32(name):
    """dtype=np.float32 gives a float32 array."""
    w = init.PRESETS[name]((16, 8, 3, 3), rng=rng(), dtype=np.float32)
    assert w.dtype == np.float32 and w.shape == (16, 8, 3, 3)


def test_constant_shape_dtype_and_value():
    """constant fills every entry with value, any >=1-D shape, dtype respected."""
    w = init.constant((4, 2, 5), 0.5)
    assert w.shape == (4, 2, 5) and w.dtype == np.float64 and np.all(w == 0.5)
    assert init.constant((7,), -1, rng=rng(), dtype=np.float32).dtype == np.float32


@pytest.mark.parametrize("name", ["zeros", "normal", "uniform"])
def test_fanless_presets_accept_1d(name):
    """zeros/normal/uniform do not need fans, so a 1-D (bias) shape is fine."""
    assert init.PRESETS[name]((7,), rng=rng()).shape == (7,)


def test_zeros_are_zero():
    """zeros is all zeros."""
    assert not np.any(init.zeros((3, 5)))


def test_aliases_are_the_same_functions():
    """glorot_* and kaiming_* are plain aliases of xavier_* and he_*."""
    assert init.glorot_uniform is init.xavier_uniform
    assert init.glorot_normal is init.xavier_normal
    assert init.kaiming_uniform is init.he_uniform
    assert init.kaiming_normal is init.he_normal


def test_constants():
    """MODES, DISTRIBUTIONS and NONLINEARITIES list the accepted names; constant is not a preset."""
    assert init.MODES == ("fan_in", "fan_out", "fan_avg")
    assert init.DISTRIBUTIONS == ("normal", "truncated_normal", "uniform")
    assert set(init.NONLINEARITIES) == {
        "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
        "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu", "selu",
    }
    assert "constant" not in init.PRESETS


# --------------------------------------------------------------------------- fans and gain


@pytest.mark.parametrize(
    ("shape", "fan_in", "fan_out"),
    [
        ((3, 5), 5, 3),  # dense (fan_out, fan_in)
        ((64, 32), 32, 64),
        ((16, 8, 3, 3), 8 * 9, 16 * 9),  # conv2d: receptive field 9
        ((4, 2, 5), 10, 20),  # conv1d: receptive field 5
        ((2, 3, 2, 2, 2), 24, 16),  # conv3d: receptive field 8
        ((1, 1), 1, 1),
    ],
)
def test_fans_match_hand_computation(shape, fan_in, fan_out):
    """fans = (shape[1] * receptive field, shape[0] * receptive field)."""
    assert init.fans(shape) == (fan_in, fan_out)


@pytest.mark.parametrize(
    ("nonlinearity", "param", "value"),
    [
        ("linear", None, 1.0),
        ("conv1d", None, 1.0),
        ("conv2d", None, 1.0),
        ("conv3d", None, 1.0),
        ("conv_transpose1d", None, 1.0),
        ("conv_transpose2d", None, 1.0),
        ("conv_transpose3d", None, 1.0),
        ("sigmoid", None, 1.0),
        ("tanh", None, 5 / 3),
        ("relu", None, 2**0.5),
        ("relu", 0.3, 2**0.5),  # param ignored unless leaky_relu
        ("leaky_relu", None, (2 / (1 + 0.01**2)) ** 0.5),
        ("leaky_relu", 0.2, (2 / (1 + 0.2**2)) ** 0.5),
        ("leaky_relu", 0, 2**0.5),
        ("leaky_relu", 5**0.5, (1 / 3) ** 0.5),
        ("selu", None, 0.75),
    ],
)
def test_gain_table(nonlinearity, param, value):
    """gain matches torch.nn.init.calculate_gain's table (values typed in by hand)."""
    g = init.gain(nonlinearity, param)
    assert isinstance(g, float)
    assert g == pytest.approx(value, rel=1e-15)


# --------------------------------------------------------------------------- statistics


# 500 x 400 = 200_000 samples. The sample std of n i.i.d. draws has a relative
# standard error of about sqrt((kurtosis - 1) / (4 n)) <= sqrt(2 / (4 n)) ~ 0.0016
# (kurtosis 3 for a normal, less for uniform / truncated normal), so a 2 %
# relative tolerance is more than 10 standard errors. The sample mean has
# standard error std / sqrt(n) ~ 0.0022 std; the 0.015 std tolerance is ~7 of them.
BIG = (500, 400)
BIG_CONV = (64, 32, 10, 10)  # 204_800 samples; fan_in 3200, fan_out 6400


@pytest.mark.parametrize("shape", [BIG, BIG_CONV])
@pytest.mark.parametrize("name", [n for n in RANDOM_PRESETS if n != "orthogonal"])
def test_empirical_mean_and_std_match_formula(name, shape):
    """Sample mean ~ 0 and sample std ~ the hand-computed target std, within 2 %."""
    _, std = expected(name, shape)
    w = init.PRESETS[name](shape, rng=rng(1))
    assert abs(w.mean()) < 0.015 * std
    assert w.std() == pytest.approx(std, rel=0.02)


@pytest.mark.parametrize("shape", [BIG, BIG_CONV])
@pytest.mark.parametrize("name", ["uniform", "xavier_uniform", "he_uniform", "lecun_uniform"])
def test_uniform_presets_stay_within_bound_and_reach_it(name, shape):
    """|w| <= sqrt(3) * std, and the max |w| is within 0.1 % of that bound.

    P(max |w| < 0.999 b) = 0.999 ** 200_000 ~ e^-200, so the second check is safe.
    """
    _, std = expected(name, shape)
    bound = math.sqrt(3) * std
    w = np.abs(init.PRESETS[name](shape, rng=rng(2)))
    assert w.max() <= bound
    assert w.max() >= 0.999 * bound


@pytest.mark.parametrize("distribution", ["normal", "truncated_normal", "uniform"])
@pytest.mark.parametrize(("mode", "n"), [("fan_in", 3200), ("fan_out", 6400), ("fan_avg", 4800)])
def test_variance_scaling_variance_is_scale_over_n(distribution, mode, n):
    """Var(w) = scale / n for every mode and distribution (std within 2 %, see above)."""
    w = init.variance_scaling(BIG_CONV, scale=3.0, mode=mode, distribution=distribution, rng=rng(3))
    assert w.std() == pytest.approx(math.sqrt(3.0 / n), rel=0.02)


def test_truncation_constant_is_std_of_truncated_standard_normal():
    """The 0.8796... constant equals the closed-form std of N(0,1) truncated to (-2, 2)."""
    assert init._TRUNCATED_NORMAL_STD == pytest.approx(truncated_std(), rel=1e-14)


@pytest.mark.parametrize("shape", [BIG, BIG_CONV])
def test_truncated_normal_is_cut_at_two_untruncated_stds(shape):
    """Truncated normal: |w| < 2 * sigma0 with sigma0 = sqrt(scale/n) / 0.8796, tails nearly reached.

    The density at the cut is still e^-2 of the peak, so with 200_000 samples
    max |w| > 0.995 * 2 sigma0 is essentially certain.
    """
    fan_in = init.fans(shape)[0]
    sigma0 = math.sqrt(1 / fan_in) / truncated_std()
    w = np.abs(init.lecun_normal(shape, rng=rng(4)))
    assert w.max() < 2 * sigma0
    assert w.max() > 0.995 * 2 * sigma0


def test_untruncated_normals_exceed_two_stds():
    """xavier_normal and he_normal are untruncated (as PyTorch): about 4.6 % of |w| exceed 2 std."""
    for name in ["xavier_normal", "he_normal"]:
        _, std = expected(name, BIG)
        frac = np.mean(np.abs(init.PRESETS[name](BIG, rng=rng(5))) > 2 * std)
        assert frac == pytest.approx(1 - math.erf(2 / math.sqrt(2)), abs=0.003)  # ~7 sigma


def test_normal_and_uniform_custom_parameters():
    """normal(mean, std) and uniform(low, high) use the given parameters."""
    w = init.normal(BIG, mean=3.0, std=0.5, rng=rng(6))
    assert w.mean() == pytest.approx(3.0, abs=0.005) and w.std() == pytest.approx(0.5, rel=0.02)
    u = init.uniform(BIG, low=1.0, high=3.0, rng=rng(6))
    assert 1.0 <= u.min() < 1.001 and 2.999 < u.max() < 3.0


# --------------------------------------------------------------------------- reproducibility


@pytest.mark.parametrize("name", RANDOM_PRESETS)
def test_same_seed_same_array_different_seed_different(name):
    """Same seed gives identical arrays; a different seed gives a different one."""
    f = init.PRESETS[name]
    a, b, c = f((16, 8, 3, 3), rng=rng(7)), f((16, 8, 3, 3), rng=rng(7)), f((16, 8, 3, 3), rng=rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


# --------------------------------------------------------------------------- orthogonal


@pytest.mark.parametrize("shape", SHAPES + [(10, 10), (30, 4), (4, 30), (8, 2, 3, 3), (100, 2, 3)])
@pytest.mark.parametrize("g", [1.0, 2.5])
def test_orthogonal_rows_or_columns_orthonormal(shape, g):
    """W W^T = g^2 I if rows <= cols, W^T W = g^2 I otherwise (conv shapes flattened)."""
    w = init.orthogonal(shape, gain=g, rng=rng(9))
    assert w.shape == shape
    m = w.reshape(shape[0], -1)
    rows, cols = m.shape
    gram = m @ m.T if rows <= cols else m.T @ m
    np.testing.assert_allclose(gram, g**2 * np.eye(min(rows, cols)), atol=1e-10, rtol=0)


N_HAAR = 4000
# Dvoretzky-Kiefer-Wolfowitz: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2).
# With eps = 2 / sqrt(n) that is 2 e^-8 ~ 7e-4, so a correct sampler passes.
KS_BOUND = 2 / math.sqrt(N_HAAR)


def ks_distance_uniform(x: np.ndarray, low: float, high: float) -> float:
    """Largest gap between the empirical CDF of x and the CDF of U(low, high)."""
    x = np.sort((x - low) / (high - low))
    n = len(x)
    upper = np.arange(1, n + 1) / n - x
    lower = x - np.arange(n) / n
    return float(max(upper.max(), lower.max()))


def angles_and_dets(mats: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Angle of the first column and determinant of each 2x2 orthogonal matrix."""
    return np.arctan2(mats[:, 1, 0], mats[:, 0, 0]), np.linalg.det(mats)


def test_orthogonal_2x2_is_haar():
    """2x2: det = +1 and -1 each about half the time, first-column angle uniform on [-pi, pi)."""
    r = rng(10)
    mats = np.stack([init.orthogonal((2, 2), rng=r) for _ in range(N_HAAR)])
    angle, det = angles_and_dets(mats)
    np.testing.assert_allclose(np.abs(det), 1.0, atol=1e-12)
    # binomial std of the fraction: 0.5 / sqrt(4000) ~ 0.008; 0.04 is 5 of them
    assert np.mean(det > 0) == pytest.approx(0.5, abs=0.04)
    assert ks_distance_uniform(angle, -math.pi, math.pi) < KS_BOUND


def test_orthogonal_3x3_entries_are_uniform_on_minus1_1():
    """3x3 Haar: each column is uniform on the sphere S^2, so every entry is U(-1, 1) (Archimedes)."""
    r = rng(11)
    mats = np.stack([init.orthogonal((3, 3), rng=r) for _ in range(N_HAAR)])
    for i in range(3):
        for j in range(3):
            assert ks_distance_uniform(mats[:, i, j], -1.0, 1.0) < KS_BOUND, (i, j)


def test_plain_qr_without_sign_fix_is_not_haar():
    """Without the sign fix, numpy's QR Q fails the same checks: the checks have teeth.

    LAPACK's Householder QR leaves R's diagonal signs tied to A, so the plain 2x2
    Q is always a reflection and its first column lies in a half-plane.
    """
    r = rng(10)
    qs = np.stack([np.linalg.qr(r.standard_normal((2, 2)))[0] for _ in range(N_HAAR)])
    angle, det = angles_and_dets(qs)
    assert abs(np.mean(det > 0) - 0.5) > 0.4
    assert ks_distance_uniform(angle, -math.pi, math.pi) > 5 * KS_BOUND
    r = rng(11)
    q3 = np.stack([np.linalg.qr(r.standard_normal((3, 3)))[0] for _ in range(N_HAAR)])
    assert ks_distance_uniform(q3[:, 0, 0], -1.0, 1.0) > 5 * KS_BOUND


# --------------------------------------------------------------------------- PyTorch correspondence


def test_he_uniform_sqrt5_is_pytorch_linear_default():
    """he_uniform(a=sqrt(5)) has bound 1/sqrt(fan_in): PyTorch's nn.Linear / nn.Conv default."""
    w = np.abs(init.he_uniform(BIG, a=math.sqrt(5), rng=rng(12)))
    bound = 1 / math.sqrt(400)
    assert w.max() <= bound and w.max() >= 0.999 * bound


def test_xavier_uniform_bound():
    """xavier_uniform(gain) has bound gain * sqrt(6 / (fan_in + fan_out))."""
    w = np.abs(init.xavier_uniform(BIG, gain=5 / 3, rng=rng(13)))
    bound = 5 / 3 * math.sqrt(6 / (400 + 500))
    assert w.max() <= bound and w.max() >= 0.999 * bound


@pytest.mark.parametrize(("mode", "fan"), [("fan_in", 32 * 9), ("fan_out", 128 * 9)])
def test_kaiming_conv_fan_mode(mode, fan):
    """kaiming on (128, 32, 3, 3): fan_in = 32*9, fan_out = 128*9 (out_channels * receptive field)."""
    shape = (128, 32, 3, 3)  # 36_864 samples: P(max < 0.999 b) = 0.999**36864 ~ e^-37
    w = np.abs(init.kaiming_uniform(shape, mode=mode, nonlinearity="relu", rng=rng(14)))
    bound = math.sqrt(6 / fan)
    assert w.max() <= bound and w.max() >= 0.999 * bound
    s = init.kaiming_normal(shape, mode=mode, nonlinearity="relu", rng=rng(14)).std()
    assert s == pytest.approx(math.sqrt(2 / fan), rel=0.03)  # rel. s.e. ~0.0037; 8 of them


def test_he_leaky_relu_slope():
    """he_normal with leaky_relu slope a: std = sqrt(2 / (1 + a^2)) / sqrt(fan_in)."""
    s = init.he_normal(BIG, a=0.2, nonlinearity="leaky_relu", rng=rng(15)).std()
    assert s == pytest.approx(math.sqrt(2 / (1 + 0.04) / 400), rel=0.02)


# --------------------------------------------------------------------------- errors

G = rng(0)
FAN_PRESETS = ["xavier_uniform", "xavier_normal", "he_uniform", "he_normal",
               "lecun_uniform", "lecun_normal", "orthogonal"]


@pytest.mark.parametrize("name", FAN_PRESETS)
def test_fan_presets_reject_1d_shape_with_reason(name):
    """Fan-based presets need >= 2 dims and say why."""
    with pytest.raises(ValueError, match=r"at least 2 dimensions \(fan_out, fan_in, \*kernel\), got shape \(3,\)"):
        init.PRESETS[name]((3,), rng=G)


@pytest.mark.parametrize("name", list(init.PRESETS))
@pytest.mark.parametrize("shape", [(-1, 4), (2, 3, -2)])
def test_presets_reject_negative_dims(name, shape):
    """Negative dimensions are rejected, naming the dimension and shape."""
    with pytest.raises(ValueError, match=r"non-negative integer, got -\d+ in shape"):
        init.PRESETS[name](shape, rng=G)


@pytest.mark.parametrize("name", list(init.PRESETS))
@pytest.mark.parametrize("shape", [(3, 0), (0, 4), (2, 3, 0)])
def test_presets_return_empty_arrays_for_zero_size_shapes_with_a_warning(name, shape):
    """A zero dimension gives an empty array of that shape and dtype, and warns as torch does."""
    with pytest.warns(init.EmptyShapeWarning, match=r"Initializing zero-element tensors is a no-op"):
        w = init.PRESETS[name](shape, rng=G, dtype=np.float32)
    assert w.shape == shape and w.dtype == np.float32 and w.size == 0


@pytest.mark.parametrize("name", list(init.PRESETS))
@pytest.mark.parametrize("shape", [(3.0, 4), (3, "4"), (True, 4), 5, "ab"])
def test_presets_reject_non_integer_shapes(name, shape):
    """Non-integer dimensions (and non-sequence shapes) raise TypeError."""
    with pytest.raises(TypeError, match=r"shape|dimension"):
        init.PRESETS[name](shape, rng=G)


@pytest.mark.parametrize(
    ("name", "bad"),
    [(name, bad) for name in init.PRESETS for bad in (0, None, np.random.RandomState(0))
     if not (name == "zeros" and bad is None)],  # zeros (like constant) accepts rng=None
)
def test_rng_must_be_generator(name, bad):
    """A non-Generator rng raises TypeError naming its type and pointing to default_rng."""
    with pytest.raises(TypeError, match=rf"got {type(bad).__name__}; create one with np.random.default_rng\(seed\)"):
        init.PRESETS[name]((3, 5), rng=bad)


@pytest.mark.parametrize("name", list(init.PRESETS))
def test_dtype_must_be_floating(name):
    """Non-floating dtypes raise TypeError."""
    with pytest.raises(TypeError, match="floating dtype"):
        init.PRESETS[name]((3, 5), rng=G, dtype=np.int32)


def test_fans_errors():
    """fans rejects 1-D and 0-D shapes with the reason."""
    with pytest.raises(ValueError, match=r"fan_in and fan_out need a weight of at least 2 dimensions \(fan_out, fan_in, \*kernel\), got shape \(3,\)"):
        init.fans((3,))
    with pytest.raises(ValueError, match=r"got shape \(\)"):
        init.fans(())


@pytest.mark.parametrize(
    ("kwargs", "exc", "pattern"),
    [
        ({"mode": "fan_sum"}, ValueError, r"mode must be one of \('fan_in', 'fan_out', 'fan_avg'\), got 'fan_sum'"),
        ({"distribution": "gauss"}, ValueError, r"distribution must be one of \('normal', 'truncated_normal', 'uniform'\), got 'gauss'"),
        ({"scale": 0.0}, ValueError, r"scale must be positive, got 0.0"),
        ({"scale": -1.0}, ValueError, r"scale must be positive, got -1.0"),
        ({"scale": math.inf}, ValueError, r"scale must be finite, got inf"),
        ({"scale": math.nan}, ValueError, r"scale must be finite, got nan"),
        ({"scale": "1"}, TypeError, r"scale must be a real number, got '1'"),
    ],
)
def test_variance_scaling_errors(kwargs, exc, pattern):
    """variance_scaling names the bad mode/distribution/scale and what is allowed."""
    args = {"scale": 1.0, "mode": "fan_in", "distribution": "normal", "rng": G} | kwargs
    with pytest.raises(exc, match=pattern):
        init.variance_scaling((3, 5), **args)


@pytest.mark.parametrize(
    ("call", "exc", "pattern"),
    [
        (lambda: init.gain("swish"), ValueError, r"nonlinearity must be one of \(.*'relu'.*\), got 'swish'"),
        (lambda: init.gain(None), ValueError, r"got None"),
        (lambda: init.gain("leaky_relu", True), TypeError, r"negative slope of leaky_relu\) must be a real number, got True"),
        (lambda: init.gain("leaky_relu", "0.2"), TypeError, r"must be a real number, got '0.2'"),
        (lambda: init.gain("leaky_relu", math.nan), ValueError, r"must be finite, got nan"),
        (lambda: init.he_uniform((3, 5), mode="fan_avg", rng=G), ValueError, r"mode must be one of \('fan_in', 'fan_out'\), got 'fan_avg'"),
        (lambda: init.he_normal((3, 5), nonlinearity="gelu", rng=G), ValueError, r"nonlinearity must be one of .* got 'gelu'"),
        (lambda: init.he_normal((3, 5), a=math.inf, rng=G), ValueError, r"a must be finite, got inf"),
        (lambda: init.normal((3, 5), std=-0.1, rng=G), ValueError, r"std must be non-negative, got -0.1"),
        (lambda: init.normal((3, 5), std=math.inf, rng=G), ValueError, r"std must be finite, got inf"),
        (lambda: init.normal((3, 5), mean=math.nan, rng=G), ValueError, r"mean must be finite, got nan"),
        (lambda: init.uniform((3, 5), low=1.0, high=1.0, rng=G), ValueError, r"low must be less than high, got low=1.0, high=1.0"),
        (lambda: init.uniform((3, 5), low=2.0, high=1.0, rng=G), ValueError, r"low must be less than high, got low=2.0, high=1.0"),
        (lambda: init.uniform((3, 5), high=math.inf, rng=G), ValueError, r"high must be finite, got inf"),
        (lambda: init.constant((3, 5), math.nan), ValueError, r"value must be finite, got nan"),
        (lambda: init.constant((3, 5), "1"), TypeError, r"value must be a real number"),
        (lambda: init.constant((), 1.0), ValueError, r"at least 1 dimension, got shape \(\)"),
        (lambda: init.zeros((2, 3), rng=1), TypeError, r"rng must be a numpy.random.Generator, got int"),
        (lambda: init.xavier_uniform((3, 5), gain=math.inf, rng=G), ValueError, r"gain must be finite, got inf"),
        (lambda: init.xavier_normal((3, 5), gain=0.0, rng=G), ValueError, r"gain must be positive, got 0.0"),
        (lambda: init.orthogonal((3, 5), gain=math.nan, rng=G), ValueError, r"gain must be finite, got nan"),
        (lambda: init.orthogonal((3, 5), gain=-1.0, rng=G), ValueError, r"gain must be positive, got -1.0"),
    ],
)
def test_bad_arguments_name_the_value_and_what_is_allowed(call, exc, pattern):
    """Each bad argument raises with a message naming the bad value and the rule."""
    with pytest.raises(exc, match=pattern):
        call()


# --------------------------------------------------------------------------- the rest of torch.nn.init
# (PyTorch's own checks, mirrored one by one, are in test_init_torch_parity.py.)


def _truncated_moments(alpha: float, beta: float) -> tuple[float, float]:
    """Mean and variance of a standard normal on [alpha, beta], closed form (math.erf)."""
    pdf = lambda x: 0.0 if math.isinf(x) else math.exp(-x * x / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    cdf = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))  # noqa: E731
    z = cdf(beta) - cdf(alpha)
    ta = 0.0 if math.isinf(alpha) else alpha * pdf(alpha)
    tb = 0.0 if math.isinf(beta) else beta * pdf(beta)
    mean = (pdf(alpha) - pdf(beta)) / z
    return mean, 1 + (ta - tb) / z - mean**2


@pytest.mark.parametrize(("mean", "std", "a", "b"), [
    (0.0, 1.0, -2.0, 2.0),      # the default
    (0.0, 0.02, -2.0, 2.0),     # ViT code's std=.02: cuts at +-100 std, i.e. nothing
    (1.0, 2.0, 0.5, 1.5),       # narrow, around the mean
    (0.0, 1.0, 2.0, 3.0),       # one tail, narrow
    (0.0, 1.0, 3.0, math.inf),  # one tail, wide
    (0.0, 1.0, -math.inf, -6.0),  # far in the other tail
    (5.0, 0.5, -math.inf, math.inf),  # no cut: a plain normal
])
def test_trunc_normal_moments_match_closed_form(mean, std, a, b):
    """Mean and std of 200 000 draws match the truncated normal's closed form.

    Tolerances: 0.015 and 2 % of the truncated std, about 7 and 10 standard errors.
    """
    w = init.trunc_normal((400, 500), mean=mean, std=std, a=a, b=b, rng=rng(1))
    m, v = _truncated_moments((a - mean) / std, (b - mean) / std)
    assert w.min() >= a and w.max() <= b
    assert abs(w.mean() - (mean + std * m)) < 0.015 * std * math.sqrt(v)
    assert w.std() == pytest.approx(std * math.sqrt(v), rel=0.02)


def test_trunc_normal_default_bounds_are_absolute():
    """std=0.02 with the default a=-2, b=2 is an uncut normal; a=-2 std, b=2 std cuts it."""
    uncut = init.trunc_normal((200_000,), std=0.02, rng=rng())
    cut = init.trunc_normal((200_000,), std=0.02, a=-0.04, b=0.04, rng=rng())
    assert np.max(np.abs(uncut)) > 0.08  # beyond 4 std: never cut
    assert np.max(np.abs(cut)) <= 0.04
    assert cut.std() == pytest.approx(0.02 * math.sqrt(_truncated_moments(-2, 2)[1]), rel=0.02)


@pytest.mark.parametrize("call", [
    lambda: init.trunc_normal((3, 4), a=1.0, b=1.0, rng=G),
    lambda: init.trunc_normal((3, 4), std=0.0, rng=G),
    lambda: init.trunc_normal((3, 4), a=math.nan, rng=G),
    lambda: init.dirac((6, 2, 3), groups=4),
    lambda: init.dirac((6, 2, 3), groups=0),
    lambda: init.sparse((4, 4), sparsity=-0.1, rng=G),
    lambda: init.delta_orthogonal((2, 4, 3), rng=G),
    lambda: init.delta_orthogonal((4, 4), rng=G),
])
def test_new_initializers_reject_bad_arguments(call):
    """Bad bounds, std, groups, sparsity and shapes raise ValueError."""
    with pytest.raises(ValueError, match=r"must|needs"):
        call()


@pytest.mark.parametrize(("call", "shape"), [
    (lambda s: init.trunc_normal(s, rng=G), (0, 3)),
    (lambda s: init.ones(s), (0,)),
    (lambda s: init.eye(s), (0, 3)),
    (lambda s: init.dirac(s), (0, 3, 3)),
    (lambda s: init.sparse(s, sparsity=0.5, rng=G), (4, 0)),
    (lambda s: init.delta_orthogonal(s, rng=G), (3, 0, 3)),
])
def test_new_initializers_warn_and_return_empty_arrays(call, shape):
    """Zero-size shapes give an empty array and an EmptyShapeWarning."""
    with pytest.warns(init.EmptyShapeWarning):
        assert call(shape).shape == shape


def test_sparse_zeros_exactly_ceil_sparsity_rows_per_column():
    """Every column has exactly ceil(sparsity * rows) zeros (the rest are nonzero normals)."""
    w = init.sparse((10, 300), sparsity=0.25, std=0.5, rng=rng())
    assert np.all(np.count_nonzero(w == 0, axis=0) == 3)
    # which rows are zero differs between columns (independent permutations)
    assert len({tuple(np.flatnonzero(c == 0)) for c in w.T}) > 100


@pytest.mark.parametrize("shape", [(8, 8, 3), (16, 4, 3, 3), (6, 6, 3, 3, 3), (5, 3, 4, 4)])
def test_delta_orthogonal_is_an_orthogonal_centre_tap(shape):
    """Zero except the centre tap (k-1)//2, whose (out, in) matrix has orthonormal columns."""
    g = 1.5
    w = init.delta_orthogonal(shape, gain=g, rng=rng())
    centre = (slice(None), slice(None)) + tuple((k - 1) // 2 for k in shape[2:])
    h = w[centre]
    np.testing.assert_allclose(h.T @ h, g**2 * np.eye(shape[1]), atol=1e-12)
    rest = w.copy()
    rest[centre] = 0
    assert not rest.any() and w.flags.c_contiguous


def test_eye_dirac_dtype_and_contiguity():
    """eye and dirac honour dtype (None is float64) and are C-contiguous."""
    assert init.eye((3, 5)).dtype == np.float64
    assert init.eye((3, 5), dtype=np.float16).dtype == np.float16
    d = init.dirac((4, 4, 3, 3), dtype=np.float32)
    assert d.dtype == np.float32 and d.flags.c_contiguous
    assert d[2, 2, 1, 1] == 1 and d.sum() == 4


@pytest.mark.parametrize("call", [
    lambda r: init.trunc_normal((30, 20), std=0.3, a=0.1, b=0.9, rng=r),
    lambda r: init.sparse((30, 20), sparsity=0.3, rng=r),
    lambda r: init.delta_orthogonal((6, 4, 3), rng=r),
])
def test_new_random_initializers_are_deterministic(call):
    """Same seed, same array; another seed, another array."""
    np.testing.assert_array_equal(call(rng(3)), call(rng(3)))
    assert not np.array_equal(call(rng(3)), call(rng(4)))


def test_orthogonal_wide_is_c_contiguous():
    """rows < cols: the result is C-contiguous, so a flat view (torch's view(-1)) works."""
    w = init.orthogonal((3, 7), rng=rng())
    assert w.flags.c_contiguous and np.shares_memory(w.reshape(-1), w)


def test_uniform_refuses_intervals_that_all_round_to_high_or_collapse():
    """Bounds that are one float16 number, or whose every draw rounds up to high, raise."""
    with pytest.raises(ValueError, match=r"are the same number in float16"):
        init.uniform((5,), low=1.0, high=1.00001, rng=G, dtype=np.float16)
    with pytest.raises(ValueError, match=r"almost every draw .* rounds up to high in float16"):
        init.uniform((5,), low=1.00048828125, high=1.0009765625, rng=G, dtype=np.float16)

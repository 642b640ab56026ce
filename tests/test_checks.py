"""The argument checks: what passes (and what it becomes), and the message of what fails."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from initnotes import checks, data, init, nn
from initnotes.checks import ArgumentTypeError
from initnotes.experiments import edge_of_chaos, he, orthogonal, signal, xavier


@pytest.mark.parametrize("check, args, expected", [
    (checks.positive_int, ("n", 3), 3),
    (checks.positive_int, ("n", np.int64(1)), 1),
    (checks.int_at_least, ("n", 2, 2), 2),
    (checks.positive_float, ("lr", 0.1), 0.1),
    (checks.positive_float, ("lr", 2), 2.0),
    (checks.positive_float, ("lr", np.float32(0.5)), 0.5),
    (checks.nonnegative_float, ("noise", 0.0), 0.0),
    (checks.finite_float, ("mean", -3), -3.0),
    (checks.in_interval, ("p", 0.5, 0.0, 1.0), 0.5),
    (checks.probability, ("p", 1.0), 1.0),
    (checks.real, ("a", 1), 1.0),
    (checks.positive, ("gain", 0.5), 0.5),
    (checks.nonnegative, ("std", 0.0), 0.0),
    (checks.one_of, ("mode", "fan_in", ("fan_in", "fan_out")), "fan_in"),
    (checks.increasing_pair, ("range", (-1, 2)), (-1.0, 2.0)),
    (checks.non_empty, ("lrs", (0.1,)), (0.1,)),
])
def test_good_values_pass_converted(check, args, expected):
    """A passing value comes back converted: ints as int, numbers as float."""
    out = check(*args)
    assert out == expected and type(out) is type(expected)


@pytest.mark.parametrize("call, message", [
    (lambda: checks.positive_int("width", 0), "width must be a positive integer, got 0"),
    (lambda: checks.positive_int("width", -3), "width must be a positive integer, got -3"),
    (lambda: checks.int_at_least("n", 1, 2), "n must be an integer >= 2, got 1"),
    (lambda: checks.positive_float("lr", 0.0), "lr must be a finite number > 0, got 0.0"),
    (lambda: checks.positive_float("lr", -1), "lr must be a finite number > 0, got -1"),
    (lambda: checks.positive_float("lr", math.inf), "lr must be a finite number > 0, got inf"),
    (lambda: checks.positive_float("lr", math.nan), "lr must be a finite number > 0, got nan"),
    (lambda: checks.nonnegative_float("noise", -0.1), "noise must be a finite number >= 0, got -0.1"),
    (lambda: checks.finite_float("mean", math.inf), "mean must be a finite number, got inf"),
    (lambda: checks.in_interval("threshold", 1.5, 0, 1), "threshold must be in (0, 1), got 1.5"),
    (lambda: checks.in_interval("s", 0.0, 0, 1, closed="right"), "s must be in (0, 1], got 0.0"),
    (lambda: checks.in_interval("b", 11.0, 0, 10, closed="both"), "b must be in [0, 10], got 11.0"),
    (lambda: checks.in_interval("b", 1.0, 0, 1, closed="left"), "b must be in [0, 1), got 1.0"),
    (lambda: checks.probability("p", -0.5), "p must be in [0, 1], got -0.5"),
    (lambda: checks.real("a", math.nan), "a must be finite, got nan"),
    (lambda: checks.positive("gain", 0.0), "gain must be positive, got 0.0"),
    (lambda: checks.nonnegative("std", -0.1), "std must be non-negative, got -0.1"),
    (lambda: checks.one_of("mode", "fan_sum", ("fan_in", "fan_out")),
     "mode must be one of ('fan_in', 'fan_out'), got 'fan_sum'"),
    (lambda: checks.one_of("mode", np.array(["fan_in"]), ("fan_in",)),
     "mode must be one of ('fan_in',), got array(['fan_in'], dtype='<U6')"),
    (lambda: checks.finite_array("x", [[1.0, 2.0], [np.nan, 0.0]]),
     "x contains a non-finite value, nan at index (1, 0)"),
    (lambda: checks.finite_array("y", [0.0, -np.inf]), "y contains a non-finite value, -inf at index 1"),
    (lambda: checks.array_shape("b", np.zeros(3), (2,)), "b must have shape (2,), got shape (3,)"),
    (lambda: checks.array_ndim("x", np.zeros(3), 2, "(batch, features)"),
     "x must be 2-D (batch, features), got shape (3,)"),
    (lambda: checks.increasing_pair("r", (1.0, -1.0)), "r must be (low, high) with low < high, got (1.0, -1.0)"),
    (lambda: checks.increasing_pair("r", 3.0), "r must be (low, high) with low < high, got 3.0"),
    (lambda: checks.non_empty("scales", ()), "scales must not be empty"),
])
def test_bad_values_raise_value_error_naming_argument_rule_and_value(call, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: checks.positive_int("width", 2.5), "width must be a positive integer, got 2.5"),
    (lambda: checks.positive_int("width", True), "width must be a positive integer, got True"),
    (lambda: checks.int_at_least("n", "3", 2), "n must be an integer >= 2, got '3'"),
    (lambda: checks.positive_float("lr", "0.1"), "lr must be a finite number > 0, got '0.1'"),
    (lambda: checks.positive_float("lr", True), "lr must be a finite number > 0, got True"),
    (lambda: checks.real("scale", "1"), "scale must be a real number, got '1' (str)"),
    (lambda: checks.real("scale", np.bool_(True)), "scale must be a real number, got np.True_ (bool)"),
    (lambda: checks.generator(0), "rng must be a numpy.random.Generator, got int; "
                                  "create one with np.random.default_rng(seed)"),
    (lambda: checks.generator(np.random.RandomState(0)),
     "rng must be a numpy.random.Generator, got RandomState"),
])
def test_wrong_types_are_both_type_and_value_errors(call, message):
    """A wrong type raises ArgumentTypeError: caught as TypeError (the initializers' promise)
    and as ValueError (the configurations' promise); bool is not a number."""
    for kind in (ArgumentTypeError, TypeError, ValueError):
        with pytest.raises(kind, match=re.escape(message)):
            call()


def test_interval_ends():
    """Each ``closed`` keeps exactly the ends it names."""
    inside = {"neither": (False, False), "both": (True, True), "left": (True, False), "right": (False, True)}
    for closed, (low_in, high_in) in inside.items():
        for value, expect in ((0.0, low_in), (1.0, high_in), (0.5, True)):
            if expect:
                assert checks.in_interval("p", value, 0.0, 1.0, closed=closed) == value
            else:
                with pytest.raises(ValueError):
                    checks.in_interval("p", value, 0.0, 1.0, closed=closed)
    with pytest.raises(ValueError, match=r"closed must be one of \('neither', 'both', 'left', 'right'\), got 'open'"):
        checks.in_interval("p", 0.5, 0.0, 1.0, closed="open")


def test_generator_passes_a_generator_through():
    rng = np.random.default_rng(0)
    assert checks.generator(rng) is rng


def test_finite_array_returns_float64():
    out = checks.finite_array("x", [1, 2])
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("call, kind, message", [
    # the package's modules raise the checks' messages
    (lambda: init.variance_scaling((3, 5), scale=0.0, mode="fan_in", distribution="normal",
                                   rng=np.random.default_rng(0)), ValueError, "scale must be positive, got 0.0"),
    (lambda: init.normal((3, 5), std=-0.1, rng=np.random.default_rng(0)), ValueError,
     "std must be non-negative, got -0.1"),
    (lambda: init.zeros((2, 3), rng=1), TypeError, "rng must be a numpy.random.Generator, got int"),
    (lambda: nn.get_activation("leaky_relu", leaky_slope=-1.0), ValueError,
     "leaky_slope must be a finite number >= 0, got -1.0"),
    (lambda: nn.train(nn.MLP.from_weights([np.ones((1, 2))]), np.ones((3, 2)), np.zeros(3), lr=0.1,
                      steps=0), ValueError, "steps must be a positive integer, got 0"),
    (lambda: nn.MLP.from_weights([np.ones((1, 2))], [[np.nan]]), ValueError,
     "biases[0] contains a non-finite value, nan at index 0"),
    (lambda: data.xor(1, rng=np.random.default_rng(0)), ValueError, "n must be an integer >= 2, got 1"),
    (lambda: data.circles(10, factor=1.0, rng=np.random.default_rng(0)), ValueError,
     "factor must be in (0, 1), got 1.0"),
    (lambda: signal.SignalConfig(width=0), ValueError, "width must be a positive integer, got 0"),
    (lambda: xavier.GlorotConfig(bins=2.5), ValueError, "bins must be a positive integer, got 2.5"),
    (lambda: he.SweepConfig(optimizer="sgdm"), ValueError,
     "optimizer must be one of ('sgd', 'momentum', 'adam'), got 'sgdm'"),
    (lambda: he.FanModeConfig(modes=("fan_avg",)), ValueError,
     "modes must be one of ('fan_in', 'fan_out'), got 'fan_avg'"),
    (lambda: orthogonal.SaxeConfig(input_scale=0.0), ValueError, "input_scale must be in (0, 1], got 0.0"),
    (lambda: edge_of_chaos.DepthScaleConfig(sigma_b2=-1.0), ValueError, "sigma_b2 must be in [0, 10], got -1.0"),
])
def test_modules_use_the_checks(call, kind, message):
    with pytest.raises(kind, match=re.escape(message)):
        call()

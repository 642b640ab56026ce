r"""Xavier/Glorot initialization: the experiment of Glorot & Bengio (2010), Section 4.2.

A stack of ``depth`` tanh layers of equal width gets a batch of standard-normal inputs,
once with the paper's "standard" initialization $W \sim U[-1/\sqrt n, 1/\sqrt n]$ and
once with its "normalized" initialization
$W \sim U[-\sqrt{6/(n_{in}+n_{out})}, \sqrt{6/(n_{in}+n_{out})}]$ (Xavier uniform).
For each layer we record the activations $h_l = \tanh(z_l)$ and the back-propagated
gradients with respect to the pre-activations, $\partial L/\partial z_l$ (the paper's
$\partial \text{Cost}/\partial s^i$, equal to the gradient on the layer's biases), and turn
them into normalized histograms, as in the paper's Figures 6 and 7.

The statistics come from `initnotes.experiments.signal.propagate`; the backward pass starts
from a standard-normal gradient at the last layer's output rather than from a softmax
classifier on image data as in the paper.

Two predictions to compare the measurements with:

* `linear_prediction`: the paper's analysis, which assumes the linear regime
  ($\tanh z \approx z$, $\tanh'(z) \approx 1$);
* `mean_field_prediction`: the same variance recursion with the nonlinearity kept,
  $E[\tanh(z)^2]$ and $E[\tanh'(z)^2]$ for Gaussian $z$, computed by quadrature
  (`initnotes.theory.variance_recursion`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from initnotes import checks
from initnotes import nn, theory
from initnotes.experiments import signal

#: The two initializations the paper compares, in the order the page shows them.
SCHEMES: tuple[str, ...] = ("standard", "normalized")


@dataclass(frozen=True)
class GlorotConfig:
    """The network of Glorot & Bengio's Section 4.2.2.

    The paper used five hidden layers of 1000 tanh units and looked at 300 test examples.
    We keep the depth and the 300 inputs but use 500 units per layer, which makes the
    figures four times cheaper to build; the per-layer statistics depend on the width only
    through sampling noise (they match the wide-network prediction `mean_field_prediction`
    to about 1 %). ``bins`` and the two ranges set the histograms.
    """

    depth: int = 5
    width: int = 500
    batch: int = 300
    bins: int = 60
    activation_range: tuple[float, float] = (-1.0, 1.0)
    gradient_range: tuple[float, float] = (-2.5, 2.5)

    def __post_init__(self) -> None:
        for name in ("depth", "width", "batch", "bins"):
            checks.positive_int(name, getattr(self, name))
        for name in ("activation_range", "gradient_range"):
            checks.increasing_pair(name, getattr(self, name))

    def signal_config(self, scheme: str) -> signal.SignalConfig:
        """The `signal.SignalConfig` of one scheme, keeping every value for histograms."""
        keep = self.batch * self.width
        if scheme == "standard":
            bound = 1.0 / math.sqrt(self.width)
            return signal.SignalConfig(
                init="uniform", activation="tanh", depth=self.depth, width=self.width,
                batch=self.batch, init_kwargs=(("low", -bound), ("high", bound)), keep=keep,
            )
        if scheme == "normalized":
            return signal.SignalConfig(init="xavier_uniform", activation="tanh", depth=self.depth,
                                       width=self.width, batch=self.batch, keep=keep)
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")

    def weight_variance_times_n(self, scheme: str) -> float:
        r"""$n \operatorname{Var}(w)$: $1/3$ for the standard init, $1$ for the normalized one.

        $U[-b, b]$ has variance $b^2/3$: $b = 1/\sqrt n$ gives $1/(3n)$ (the paper's
        equation 15), and $b = \sqrt{6/(2n)}$ gives $1/n$ for square layers.
        """
        if scheme == "standard":
            return 1.0 / 3.0
        if scheme == "normalized":
            return 1.0
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")


@dataclass(frozen=True)
class Histograms:
    """Normalized histograms, one row per layer: ``density[l]`` integrates to the share
    of layer ``l + 1``'s values that fall inside the range (1 if none fall outside)."""

    edges: np.ndarray  # (bins + 1,)
    density: np.ndarray  # (depth, bins)

    @property
    def centers(self) -> np.ndarray:
        return 0.5 * (self.edges[1:] + self.edges[:-1])


@dataclass(frozen=True)
class GlorotResults:
    """Per-layer statistics and histograms for each scheme (keys of `SCHEMES`)."""

    config: GlorotConfig
    stats: dict[str, signal.SignalResults] = field(repr=False)
    activation_hist: dict[str, Histograms] = field(repr=False)
    gradient_hist: dict[str, Histograms] = field(repr=False)

    def activation_std(self, scheme: str) -> np.ndarray:
        return self.stats[scheme].activation_std

    def gradient_std(self, scheme: str) -> np.ndarray:
        """std of ``dL/dz_l``, the back-propagated gradient, per layer."""
        return self.stats[scheme].preactivation_gradient_std

    def weight_gradient_std(self, scheme: str) -> np.ndarray:
        return self.stats[scheme].weight_gradient_std


def _histograms(samples: np.ndarray, value_range: tuple[float, float], bins: int) -> Histograms:
    edges = np.linspace(value_range[0], value_range[1], bins + 1)
    width = edges[1] - edges[0]
    # bins=int with a range takes numpy's fast path for equal-width bins
    rows = [np.histogram(row, bins=bins, range=value_range)[0] / (row.size * width)
            for row in samples]
    return Histograms(edges=edges, density=np.array(rows))


def glorot_experiment(config: GlorotConfig, rng: np.random.Generator) -> GlorotResults:
    """Run both schemes (standard first) on fresh draws from ``rng``."""
    stats, act, grad = {}, {}, {}
    for scheme in SCHEMES:
        res = signal.propagate(config.signal_config(scheme), rng)
        act[scheme] = _histograms(res.activation_samples, config.activation_range, config.bins)
        grad[scheme] = _histograms(res.preactivation_gradient_samples, config.gradient_range,
                                   config.bins)
        # keep the statistics, drop the large sample arrays (the histograms summarize them)
        stats[scheme] = replace(
            res,
            activation_samples=res.activation_samples[:, :0],
            gradient_samples=res.gradient_samples[:, :0],
            preactivation_gradient_samples=res.preactivation_gradient_samples[:, :0],
        )
    return GlorotResults(config=config, stats=stats, activation_hist=act, gradient_hist=grad)


# ---------------------------------------------------------------------------
# Predictions
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Prediction:
    """Predicted per-layer std of the activations ``h_l`` and of ``dL/dz_l``."""

    activation_std: np.ndarray  # (depth,)
    gradient_std: np.ndarray  # (depth,)


def linear_prediction(depth: int, weight_variance_times_n: float, *,
                      input_variance: float = 1.0, output_gradient_variance: float = 1.0) -> Prediction:
    r"""Glorot & Bengio's linear-regime analysis (their equations 5 and 6).

    With $\tanh z \approx z$ and $\tanh'(z) \approx 1$, each layer multiplies the
    activations' variance by $c = n\operatorname{Var}(w)$ going up, and the gradients'
    variance by $c$ going down: $\operatorname{Var}(h_l) = c^l \operatorname{Var}(x)$,
    $\operatorname{Var}(\partial L/\partial z_l) = c^{L-l}
    \operatorname{Var}(\partial L/\partial h_L)$.
    """
    c = float(weight_variance_times_n)
    layers = np.arange(1, depth + 1)
    return Prediction(
        activation_std=np.sqrt(input_variance * c**layers),
        gradient_std=np.sqrt(output_gradient_variance * c ** (depth - layers)),
    )


def mean_field_prediction(depth: int, weight_variance_times_n: float, *,
                          input_variance: float = 1.0,
                          output_gradient_variance: float = 1.0) -> Prediction:
    r"""The same recursion without the linear approximation (wide-network limit).

    With $q_l = \operatorname{Var}(z_l)$ and $z_l$ Gaussian: $q_1 = c\operatorname{Var}(x)$,
    $\operatorname{Var}(h_l) = E[\tanh(z_l)^2]$, $q_{l+1} = c\operatorname{Var}(h_l)$;
    backward, $\operatorname{Var}(\partial L/\partial z_l) = E[\tanh'(z_l)^2]\,
    \operatorname{Var}(\partial L/\partial h_l)$ and $\operatorname{Var}(\partial L/\partial
    h_{l-1}) = c\operatorname{Var}(\partial L/\partial z_l)$ (treating $\tanh'(z_l)$ and the
    incoming gradient as independent, as the paper does).
    """
    rec = theory.variance_recursion(depth, float(weight_variance_times_n), activation="tanh",
                                    input_variance=input_variance,
                                    output_gradient_variance=output_gradient_variance)
    return Prediction(activation_std=np.sqrt(rec.activation_second_moment),
                      gradient_std=np.sqrt(rec.preactivation_gradient_var))


# ---------------------------------------------------------------------------
# Singular values of the layer Jacobians
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerJacobianResults:
    r"""Mean singular value of each layer's own Jacobian $J_l = \partial h_l/\partial h_{l-1}
    = \operatorname{diag}(\tanh'(z_l))\,W_l$, for one input, per scheme; and of $W_l$ alone.

    (Not the input-output Jacobian of the whole network: that is
    `initnotes.experiments.orthogonal.JacobianSpectrumResults`.)"""

    config: GlorotConfig
    jacobian: dict[str, np.ndarray]  # (depth,)
    weights: dict[str, np.ndarray]  # (depth,)




def quarter_circle_mean(weight_variance_times_n: float) -> float:
    r"""Mean singular value of a large square matrix with i.i.d. entries of variance $c/n$.

    Its singular values follow the quarter-circle law on $[0, 2\sqrt c]$, whose mean is
    $\frac{8}{3\pi}\sqrt c \approx 0.849\sqrt c$.
    """
    return 8.0 / (3.0 * math.pi) * math.sqrt(weight_variance_times_n)


def jacobian_singular_values(config: GlorotConfig, rng: np.random.Generator) -> LayerJacobianResults:
    """Forward one standard-normal input per scheme and take the SVD of every layer's Jacobian.

    Glorot & Bengio (Section 4.2.2) report the average singular value of these Jacobians:
    about 0.8 with the normalized init and 0.5 with the standard one.
    """
    tanh = nn.get_activation("tanh")
    jac, wts = {}, {}
    for scheme in SCHEMES:
        cfg = config.signal_config(scheme)
        weights = signal.make_weights(cfg, rng)
        h = rng.standard_normal(config.width)
        js, ws = [], []
        for W in weights:
            z = W @ h
            h = tanh.forward(z)
            js.append(np.linalg.svd(tanh.derivative(z, h)[:, None] * W, compute_uv=False).mean())
            ws.append(np.linalg.svd(W, compute_uv=False).mean())
        jac[scheme], wts[scheme] = np.array(js), np.array(ws)
    return LayerJacobianResults(config=config, jacobian=jac, weights=wts)

r"""Initialization at scale: framework defaults, the residual stream of a GPT-2-style
transformer, zero-initialized residual ends, and the scale invariance that normalization buys.

Four experiments back the page "Initialization at scale" (the muP experiments are in
`initnotes.experiments.mup`):

* `layer_defaults`: draws each framework's default for a dense layer, its bias and an
  embedding table with the package and measures the variance; computes the prior bias
  $b = -\log((1 - \pi)/\pi)$ of a classifier's logit.
* `residual_stream`: a stack of pre-LN transformer blocks, GPT-2 / nanoGPT style, at
  initialization: $x \leftarrow x + \mathrm{Attn}(\mathrm{LN}(x))$,
  $x \leftarrow x + \mathrm{MLP}(\mathrm{LN}(x))$, causal multi-head self-attention and a
  $4d$-wide GELU MLP, token plus position embeddings; every weight
  $\mathcal{N}(0, 0.02^2)$, biases 0, LayerNorm $\gamma = 1, \beta = 0$. The two residual
  output projections of each block (attention's and the MLP's, ``c_proj`` in nanoGPT) are
  drawn with std $0.02$ ("unscaled") or $0.02/\sqrt{2 n_\text{layer}}$ ("gpt2"); the two
  schemes share every draw, so they differ only by that factor. Recorded: the variance of
  the stream after each block.
* `zero_ends`: one residual block per scheme that starts as the identity (zero last layer as
  in zero-$\gamma$ and Fixup, a zero scalar gate as in ReZero and SkipInit, LayerScale's
  small diagonal, LoRA's $B = 0$, adaLN-Zero's zero-initialized gate), trained a few SGD
  steps: its distance from the identity and each parameter group's gradient per step.
* `norm_scale`: a linear layer followed by LayerNorm: scaling the weights by $c$ leaves the
  output unchanged and divides the gradient by $c$, so SGD from $cW$ with learning rate
  $c^2\eta$ retraces SGD from $W$ with $\eta$.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from initnotes import checks
from initnotes import init as initializers
from initnotes import nn

_GELU = nn.get_activation("gelu_tanh")

# ---------------------------------------------------------------------------
# Framework defaults
# ---------------------------------------------------------------------------


def prior_bias(pi: float) -> float:
    r"""The logit bias $b = -\log((1 - \pi)/\pi)$ that makes $\sigma(b) = \pi$ (Lin et al.
    2017, RetinaNet's classification layer with $\pi = 0.01$).

    Raises:
        ValueError: unless $0 < \pi < 1$.
    """
    pi = checks.in_interval("pi", pi, 0.0, 1.0)
    return -math.log((1.0 - pi) / pi)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True)
class DefaultsConfig:
    """A 256 x 256 dense layer and a 1000 x 256 embedding table: 65,536 and 256,000 draws,
    so each measured variance is within about 1 % of its expectation."""

    fan_in: int = 256
    fan_out: int = 256
    vocab: int = 1000
    pi: float = 0.01
    trunc_std: float = 0.02

    def __post_init__(self) -> None:
        for name in ("fan_in", "fan_out", "vocab"):
            checks.positive_int(name, getattr(self, name))
        checks.in_interval("pi", self.pi, 0.0, 1.0)
        checks.positive_float("trunc_std", self.trunc_std)


@dataclass(frozen=True)
class DefaultRow:
    framework: str
    layer: str
    rule: str
    expected_var: float
    measured_var: float


@dataclass(frozen=True)
class TruncResults:
    """`initnotes.init.trunc_normal` with ``std`` and torch's default bounds ``a=-2, b=2``
    (absolute values) against bounds of two standard deviations."""

    std: float
    default_bound_sigmas: float  # b / std with b = 2
    default_std: float  # measured std with a=-2, b=2
    default_max_sigmas: float  # largest |w| / std with a=-2, b=2
    two_sigma_std: float  # measured std with a=-2 std, b=2 std


@dataclass(frozen=True)
class DefaultsResults:
    config: DefaultsConfig
    rows: tuple[DefaultRow, ...]
    prior_bias: float
    trunc: TruncResults

    def row(self, framework: str, layer: str) -> DefaultRow:
        for r in self.rows:
            if r.framework == framework and r.layer == layer:
                return r
        raise KeyError((framework, layer))


def layer_defaults(config: DefaultsConfig, rng: np.random.Generator) -> DefaultsResults:
    """Draw each default with `initnotes.init` and measure its variance."""
    n_in, n_out, d, V = config.fan_in, config.fan_out, config.fan_out, config.vocab
    dense, emb = (n_out, n_in), (V, d)
    bound = 1.0 / math.sqrt(n_in)
    draws = [
        ("PyTorch", "dense weight", "kaiming_uniform_(a=sqrt(5)) = U(±1/sqrt(fan_in))", 1.0 / (3 * n_in),
         initializers.he_uniform(dense, a=math.sqrt(5), rng=rng)),
        ("PyTorch", "dense bias", "U(±1/sqrt(fan_in))", bound**2 / 3,
         initializers.uniform((n_out,), low=-bound, high=bound, rng=rng)),
        ("PyTorch", "embedding", "N(0, 1)", 1.0, initializers.normal(emb, std=1.0, rng=rng)),
        ("Keras", "dense weight", "glorot_uniform", 2.0 / (n_in + n_out),
         initializers.xavier_uniform(dense, rng=rng)),
        ("Keras", "dense bias", "zeros", 0.0, np.zeros(n_out)),
        ("Keras", "embedding", "uniform = U(±0.05)", 0.05**2 / 3,
         initializers.uniform(emb, low=-0.05, high=0.05, rng=rng)),
        ("Flax", "dense weight", "lecun_normal (truncated)", 1.0 / n_in,
         initializers.lecun_normal(dense, rng=rng)),
        ("Flax", "dense bias", "zeros", 0.0, np.zeros(n_out)),
        ("Flax", "embedding", "variance_scaling(1, fan_in, normal) = N(0, 1/d)", 1.0 / d,
         initializers.variance_scaling(emb, scale=1.0, mode="fan_in", distribution="normal", rng=rng)),
    ]
    rows = tuple(DefaultRow(f, layer, rule, ev, float(np.var(w))) for f, layer, rule, ev, w in draws)
    s = config.trunc_std
    loose = initializers.trunc_normal(dense, std=s, rng=rng)  # torch's defaults a=-2, b=2
    tight = initializers.trunc_normal(dense, std=s, a=-2 * s, b=2 * s, rng=rng)
    trunc = TruncResults(s, 2.0 / s, float(loose.std()), float(np.abs(loose).max() / s),
                         float(tight.std()))
    return DefaultsResults(config, rows, prior_bias(config.pi), trunc)


# ---------------------------------------------------------------------------
# The residual stream of a pre-LN transformer
# ---------------------------------------------------------------------------

#: The two ways to draw the residual output projections.
STREAM_SCHEMES: tuple[str, ...] = ("unscaled", "gpt2")


def layer_norm(x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """LayerNorm over the last axis with gamma = 1, beta = 0 (PyTorch's default eps)."""
    mu = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps)


def causal_attention(u: np.ndarray, w_qkv: np.ndarray, heads: int) -> np.ndarray:
    """Causal multi-head self-attention before the output projection.

    ``u`` is ``(B, T, d)``, ``w_qkv`` ``(3d, d)`` (PyTorch layout); scores are scaled by
    ``1/sqrt(d/heads)`` as in GPT-2. Returns the heads side by side, ``(B, T, d)``.
    """
    B, T, d = u.shape
    q, k, v = np.split(u @ w_qkv.T, 3, axis=-1)
    dh = d // heads

    def split(a: np.ndarray) -> np.ndarray:
        return a.reshape(B, T, heads, dh).transpose(0, 2, 1, 3)

    q, k, v = split(q), split(k), split(v)
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)
    scores = np.where(np.tril(np.ones((T, T), dtype=bool)), scores, -np.inf)
    scores -= scores.max(axis=-1, keepdims=True)
    att = np.exp(scores)
    att /= att.sum(axis=-1, keepdims=True)
    return (att @ v).transpose(0, 2, 1, 3).reshape(B, T, d)


@dataclass(frozen=True)
class StreamConfig:
    """Width 128 with 4 heads, 4 sequences of 16 tokens, depths 6 to 48 (about 0.3 s).

    GPT-2 small is 768 wide; with the same std 0.02 a narrower model's branches add less to
    the stream (each adds about ``d * 0.02^2`` times what it receives), but the growth with
    the number of blocks is the same law.
    """

    depths: tuple[int, ...] = (6, 12, 24, 48)
    width: int = 128
    heads: int = 4
    seq_len: int = 16
    batch: int = 4
    vocab: int = 256
    std: float = 0.02

    def __post_init__(self) -> None:
        checks.non_empty("depths", self.depths)
        for D in self.depths:
            checks.positive_int("every depth", D)
        for name in ("width", "heads", "seq_len", "batch", "vocab"):
            checks.positive_int(name, getattr(self, name))
        if self.width % self.heads:
            raise ValueError(f"width must be a multiple of heads ({self.heads}), got {self.width}")
        checks.positive_float("std", self.std)


@dataclass(frozen=True)
class StreamResults:
    config: StreamConfig
    #: (scheme, depth) -> variance of the stream after blocks 0..depth (0: the embeddings).
    variance: dict[tuple[str, int], np.ndarray]

    def final(self, scheme: str) -> np.ndarray:
        """The variance after the last block, per depth."""
        return np.array([self.variance[(scheme, D)][-1] for D in self.config.depths])


def residual_stream(config: StreamConfig, rng: np.random.Generator) -> StreamResults:
    """Variance of the residual stream after each block, both schemes, every depth."""
    d, s = config.width, config.std
    variance = {}
    for D in config.depths:
        tokens = rng.integers(config.vocab, size=(config.batch, config.seq_len))
        wte = rng.standard_normal((config.vocab, d)) * s
        wpe = rng.standard_normal((config.seq_len, d)) * s
        blocks = [tuple(rng.standard_normal(shape) * s
                        for shape in ((3 * d, d), (d, d), (4 * d, d), (d, 4 * d)))
                  for _ in range(D)]
        for scheme in STREAM_SCHEMES:
            proj = 1.0 if scheme == "unscaled" else 1.0 / math.sqrt(2 * D)
            x = wte[tokens] + wpe[None, :, :]
            q = [float(np.var(x))]
            for w_qkv, w_o, w_fc, w_proj in blocks:
                x = x + (causal_attention(layer_norm(x), w_qkv, config.heads) @ w_o.T) * proj
                x = x + (_GELU.forward(layer_norm(x) @ w_fc.T) @ w_proj.T) * proj
                q.append(float(np.var(x)))
            variance[(scheme, D)] = np.array(q)
    return StreamResults(config, variance)


# ---------------------------------------------------------------------------
# Zero-initialized residual ends
# ---------------------------------------------------------------------------

#: The schemes of `zero_ends`, each a block that starts as the identity (or close to it).
ZERO_SCHEMES: tuple[str, ...] = ("zero-last", "rezero", "layerscale", "lora", "adaln-zero")


@dataclass(frozen=True)
class ZeroEndsConfig:
    """One block of width 64 (branch 128 wide, LoRA rank 4), 256 examples, 5 SGD steps."""

    width: int = 64
    hidden: int = 128
    rank: int = 4
    cond: int = 8
    n_samples: int = 256
    steps: int = 5
    lr: float = 1.0
    layerscale_eps: float = 1e-6

    def __post_init__(self) -> None:
        for name in ("width", "hidden", "rank", "cond", "n_samples", "steps"):
            checks.positive_int(name, getattr(self, name))
        checks.positive_float("lr", self.lr)
        checks.positive_float("layerscale_eps", self.layerscale_eps)


def init_block(scheme: str, config: ZeroEndsConfig, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The parameters of one block of ``scheme`` (see `block_forward`)."""
    checks.one_of("scheme", scheme, ZERO_SCHEMES)
    n, m = config.width, config.hidden
    if scheme == "lora":
        return {"A": rng.standard_normal((config.rank, n)) / math.sqrt(n),
                "B": np.zeros((n, config.rank))}
    p = {"W1": initializers.he_normal((m, n), nonlinearity="relu", rng=rng),
         "W2": initializers.lecun_normal((n, m), rng=rng)}
    if scheme == "zero-last":
        p["W2"] = np.zeros((n, m))
    elif scheme == "rezero":
        p["alpha"] = np.zeros(1)
    elif scheme == "layerscale":
        p["lam"] = np.full(n, config.layerscale_eps)
    else:  # adaln-zero: the gate is a linear map of the conditioning vector, zero at init
        p["Wg"] = np.zeros((n, config.cond))
        p["bg"] = np.zeros(n)
    return p


def block_forward(scheme: str, p: dict[str, np.ndarray], x: np.ndarray, c: np.ndarray,
                  base: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    r"""The block's output and what its backward pass needs.

    ``zero-last``, ``rezero``, ``layerscale``, ``adaln-zero``: $y = x + s \odot W_2\,
    \mathrm{relu}(W_1 x)$ with $s = 1$, a scalar $\alpha$, a vector $\lambda$, or the gate
    $c W_g^\top + b_g$ of the conditioning vector $c$. ``lora``: $y = x W_0^\top +
    x A^\top B^\top$ around a frozen layer $W_0$ = ``base``.
    """
    if scheme == "lora":
        u = x @ p["A"].T
        return x @ base.T + u @ p["B"].T, {"u": u}
    z = x @ p["W1"].T
    h = np.maximum(z, 0.0)
    f = h @ p["W2"].T
    s = {"zero-last": np.ones(1), "rezero": p.get("alpha"), "layerscale": p.get("lam")}.get(scheme)
    if scheme == "adaln-zero":
        s = c @ p["Wg"].T + p["bg"]
    return x + s * f, {"z": z, "h": h, "f": f, "s": s}


def block_backward(scheme: str, p: dict[str, np.ndarray], x: np.ndarray, c: np.ndarray,
                   cache: dict[str, np.ndarray], g: np.ndarray) -> dict[str, np.ndarray]:
    """Gradients of every parameter given ``g`` = dL/dy."""
    if scheme == "lora":
        return {"A": (g @ p["B"]).T @ x, "B": g.T @ cache["u"]}
    f, s, h, z = cache["f"], cache["s"], cache["h"], cache["z"]
    gf = g * s  # dL/df
    grads = {"W2": gf.T @ h, "W1": ((gf @ p["W2"]) * (z > 0)).T @ x}
    if scheme == "rezero":
        grads["alpha"] = np.array([np.sum(g * f)])
    elif scheme == "layerscale":
        grads["lam"] = np.sum(g * f, axis=0)
    elif scheme == "adaln-zero":
        gs = g * f
        grads["Wg"], grads["bg"] = gs.T @ c, gs.sum(axis=0)
    elif scheme == "zero-last":
        pass
    return grads


@dataclass(frozen=True)
class ZeroEndsResults:
    config: ZeroEndsConfig
    #: scheme -> (steps + 1,) relative distance ||y - identity|| / ||identity|| before each step.
    distance: dict[str, np.ndarray]
    #: scheme -> (steps + 1,) loss before each step (and after the last).
    loss: dict[str, np.ndarray]
    #: scheme -> parameter -> (steps,) gradient Frobenius norm at each step.
    grad_norm: dict[str, dict[str, np.ndarray]]


def zero_ends(config: ZeroEndsConfig, rng: np.random.Generator) -> ZeroEndsResults:
    """Train one block of every scheme a few SGD steps towards a random residual target.

    The data, the target and the random parts of the blocks come from one draw; the target
    is the identity (LoRA: the frozen layer) plus a random tanh map, so every block has
    something to learn. The loss is half the mean squared error per entry.
    """
    n, N = config.width, config.n_samples
    x = rng.standard_normal((N, n))
    c = rng.standard_normal((N, config.cond))
    base = rng.standard_normal((n, n)) / math.sqrt(n)
    M = rng.standard_normal((n, n)) / math.sqrt(n)
    teacher = 0.3 * np.tanh(x @ M.T)
    state = rng.bit_generator.state
    distance, loss, grad_norm = {}, {}, {}
    for scheme in ZERO_SCHEMES:
        rng.bit_generator.state = state  # the same W1, W2 draws for every branch scheme
        p = init_block(scheme, config, rng)
        ident = x @ base.T if scheme == "lora" else x
        target = ident + teacher
        dist, ls, gn = [], [], {k: [] for k in p}
        for t in range(config.steps + 1):
            y, cache = block_forward(scheme, p, x, c, base)
            dist.append(float(np.linalg.norm(y - ident) / np.linalg.norm(ident)))
            ls.append(float(0.5 * np.mean((y - target) ** 2)))
            if t == config.steps:
                break
            grads = block_backward(scheme, p, x, c, cache, (y - target) / y.size)
            for k in p:
                gn[k].append(float(np.linalg.norm(grads[k])))
                p[k] = p[k] - config.lr * grads[k]
        distance[scheme], loss[scheme] = np.array(dist), np.array(ls)
        grad_norm[scheme] = {k: np.array(v) for k, v in gn.items()}
    return ZeroEndsResults(config, distance, loss, grad_norm)


# ---------------------------------------------------------------------------
# Normalization makes the weights' scale a learning-rate knob
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NormScaleConfig:
    """A 32 -> 64 layer, LayerNorm, a fixed readout; 128 examples, 40 SGD steps."""

    d_in: int = 32
    width: int = 64
    n_samples: int = 128
    steps: int = 40
    lr: float = 0.5
    scales: tuple[float, ...] = (0.25, 1.0, 4.0)

    def __post_init__(self) -> None:
        for name in ("d_in", "width", "n_samples", "steps"):
            checks.positive_int(name, getattr(self, name))
        checks.positive_float("lr", self.lr)
        checks.non_empty("scales", self.scales)
        for s in self.scales:
            checks.positive_float("every scale", s)


@dataclass(frozen=True)
class NormScaleResults:
    config: NormScaleConfig
    #: scale -> max |output(c W) - output(W)| at initialization.
    output_gap: dict[float, float]
    #: scale -> gradient norm at initialization.
    grad_norm: dict[float, float]
    #: scale -> loss curve with the same learning rate for every scale.
    loss_same_lr: dict[float, np.ndarray]
    #: scale -> loss curve with learning rate scale^2 * lr.
    loss_scaled_lr: dict[float, np.ndarray]


def _ln_net(W: np.ndarray, v: np.ndarray, x: np.ndarray, t: np.ndarray):
    z = x @ W.T
    mu, sd = z.mean(axis=1, keepdims=True), np.sqrt(z.var(axis=1, keepdims=True) + 1e-12)
    zh = (z - mu) / sd
    out = zh @ v
    r = out - t
    loss = 0.5 * float(np.mean(r**2))
    g_zh = np.outer(r / len(t), v)  # dL/d zhat
    g_z = (g_zh - g_zh.mean(axis=1, keepdims=True)
           - zh * np.mean(g_zh * zh, axis=1, keepdims=True)) / sd
    return out, loss, g_z.T @ x


def norm_scale(config: NormScaleConfig, rng: np.random.Generator) -> NormScaleResults:
    """LayerNorm after a linear layer: output, gradient and training from ``c W``."""
    x = rng.standard_normal((config.n_samples, config.d_in))
    W0 = rng.standard_normal((config.width, config.d_in)) / math.sqrt(config.d_in)
    v = rng.standard_normal(config.width) / math.sqrt(config.width)
    t = np.tanh(x @ rng.standard_normal(config.d_in) / math.sqrt(config.d_in))
    out0, _, _ = _ln_net(W0, v, x, t)
    gap, gnorm, same, scaled = {}, {}, {}, {}
    for c in config.scales:
        out, _, g = _ln_net(c * W0, v, x, t)
        gap[c], gnorm[c] = float(np.max(np.abs(out - out0))), float(np.linalg.norm(g))
        for lr, table in ((config.lr, same), (config.lr * c * c, scaled)):
            W, curve = c * W0, []
            for _ in range(config.steps):
                _, loss, g = _ln_net(W, v, x, t)
                curve.append(loss)
                W = W - lr * g
            table[c] = np.array(curve)
    return NormScaleResults(config, gap, gnorm, same, scaled)

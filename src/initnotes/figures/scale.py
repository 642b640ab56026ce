"""Figures of the scale page: results in, `Figure` out (bound to runs in `initnotes.pages.scale`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

# The mean-field prediction is a deterministic formula (Gaussian quadrature), drawn as the
# dotted lines: the plots evaluate it, they run no experiment.
from initnotes.experiments.scale import mean_field
from initnotes.figures import style

if TYPE_CHECKING:
    from initnotes.experiments.scale import ScaleResults, SweepResults, TrainScaleResults

#: How each scale is drawn: colour, line style and marker differ together.
STYLES = {
    "N(0, 0.01²)": dict(color=style.BLUE, ls="-", marker="o"),
    "U(−0.01, 0.01)": dict(color=style.SKY, ls=(0, (3, 1, 1, 1, 1, 1)), marker="v"),
    "N(0, 0.05²)": dict(color=style.ORANGE, ls="--", marker="s"),
    "N(0, 1/n)": dict(color=style.GREEN, ls="-.", marker="D"),
    "N(0, 1)": dict(color=style.VERMILLION, ls=(0, (5, 1)), marker="^"),
}
#: The four scales shown in the histograms (the uniform one looks like N(0, 0.01²), only faster).
HISTOGRAM_SCALES = ("N(0, 0.01²)", "N(0, 0.05²)", "N(0, 1/n)", "N(0, 1)")


def _style(label: str) -> dict:
    return STYLES.get(label, dict(color=style.PURPLE, ls="-", marker="x"))


def std_per_layer(res: ScaleResults) -> Figure:
    """Per-layer std of activations, of dL/da and of dL/dW, measured and predicted."""
    fig, axes = style.new_figure(1, 3, width=7.4, height=3.3)
    cfg = res.config
    layers = np.arange(1, cfg.depth + 1)
    for label, run in res.runs.items():
        st = _style(label)
        mf = mean_field(run.scale.std, cfg.width, cfg.depth)
        # predicted dL/dW: sqrt(batch) * std(dL/da_l) * rms(h_{l-1}), input std 1
        rms_prev = np.concatenate([[1.0], mf.activation_std[:-1]])
        dw_pred = np.sqrt(cfg.batch) * mf.preactivation_gradient_std * rms_prev
        series = (run.signal.activation_std, run.preactivation_gradient_std,
                  run.signal.weight_gradient_std)
        preds = (mf.activation_std, mf.preactivation_gradient_std, dw_pred)
        for ax, measured, predicted in zip(axes, series, preds):
            ax.plot(layers, predicted, color=style.BLACK, lw=0.9, ls=":", zorder=1)
            ax.plot(layers, measured, color=st["color"], ls=st["ls"], marker=st["marker"],
                    ms=5, lw=1.6, label=label, zorder=2)
    titles = ("activations $h_l$", r"gradients $\partial L/\partial a_l$",
              r"weight gradients $\partial L/\partial W_l$")
    for ax, title in zip(axes, titles):
        ax.set_yscale("log")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("layer")
        ax.set_xticks([1, 4, 7, 10])
    axes[0].set_ylabel("standard deviation")
    handles, labels = axes[0].get_legend_handles_labels()
    handles.append(Line2D([], [], color=style.BLACK, lw=0.9, ls=":"))
    labels.append("mean-field prediction")
    fig.legend(handles, labels, loc="outside lower center", ncols=3)
    return fig


def _ridges(ax, samples: np.ndarray, bins: np.ndarray, colour: str, *,
            zeros_at: float | None = None) -> None:
    """One filled histogram per layer, layer 1 on top, each scaled to the same peak height.

    If ``zeros_at`` is given, the histogram is of ``log10 |value|``, and the share of
    values that are exactly 0 (which a log axis cannot show) is written at that x.
    """
    depth = samples.shape[0]
    for layer in range(depth):
        values = samples[layer]
        base = depth - layer  # layer 1 at the top
        if zeros_at is not None:
            zero_share = np.count_nonzero(values == 0) / values.size
            values = np.log10(np.abs(values[values != 0]))
            ax.text(zeros_at, base + 0.3, f"{100 * zero_share:.0f}%", ha="center", va="center",
                    fontsize=9, fontweight="bold" if zero_share > 0 else "normal")
        counts, _ = np.histogram(values, bins=bins)
        heights = 0.9 * counts / max(counts.max(initial=0), 1)
        ax.stairs(base + heights, bins, baseline=base, fill=True,
                  facecolor=to_rgba(colour, 0.55), edgecolor=style.BLACK, lw=0.7,
                  zorder=2 + layer,
                  # an image inside the SVG: as paths, 40 histograms make the file heavy
                  rasterized=True)
    ax.set_yticks(np.arange(1, depth + 1), [str(depth - k + 1) for k in range(1, depth + 1)])
    ax.set_ylim(0.8, depth + 1.1)
    ax.grid(False, axis="y")


def _grid(n: int) -> tuple[Figure, np.ndarray]:
    """Panels two to a row, so each stays legible when the page is narrow."""
    nrows = -(-n // 2)
    fig, axes = style.new_figure(nrows, 2, width=6.4, height=3.0 * nrows, sharey=True)
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[n:]:
        ax.axis("off")
    return fig, axes


def activation_histograms(res: ScaleResults, labels=HISTOGRAM_SCALES) -> Figure:
    fig, axes = _grid(len(labels))
    bins = np.linspace(-1.0, 1.0, 61)
    for ax, label in zip(axes, labels):
        run = res.runs[label]
        _ridges(ax, run.activation_samples, bins, _style(label)["color"])
        ax.set_title(label, fontsize=10)
        ax.set_xticks([-1, 0, 1])
        ax.set_xlabel("activation $h$")
    for ax in axes[::2]:
        ax.set_ylabel("layer")
    return fig


#: Default log10 |dL/da| range of the gradient histograms (the page passes its own).
LOG_RANGE = (-18.0, 6.0)


def gradient_histograms(res: ScaleResults, labels=HISTOGRAM_SCALES, log_range=LOG_RANGE) -> Figure:
    """Histograms of log10 |dL/da| per layer; the exact zeros are written left of the range."""
    lo, hi = log_range
    zero_at = lo - 2.5
    fig, axes = _grid(len(labels))
    bins = np.linspace(lo, hi, int(3 * (hi - lo)) + 1)
    for ax, label in zip(axes, labels):
        run = res.runs[label]
        samples = np.clip(run.preactivation_gradient_samples, -10**hi, 10**hi)
        _ridges(ax, samples, bins, _style(label)["color"], zeros_at=zero_at)
        ax.set_title(label, fontsize=10)
        ax.set_xlim(zero_at - 1.6, hi)
        ticks = [t for t in range(int(np.ceil(lo / 5) * 5), int(hi) + 1, 5)]
        ax.set_xticks([zero_at, *ticks], ["= 0", *(f"$10^{{{t}}}$" if t else "1" for t in ticks)])
        ax.axvline(zero_at + 1.6, color="#999999", lw=0.8, ls="--", zorder=1)
        ax.set_xlabel(r"$|\partial L/\partial a|$")
    for ax in axes[::2]:
        ax.set_ylabel("layer")
    return fig


def scale_sweep(sw: SweepResults) -> Figure:
    """Far-end statistics against the weight std, measured and predicted."""
    cfg = sw.config
    fig, (ax, ax_sat) = style.new_figure(1, 2, width=7.4, height=3.3)
    m = sw.stds * np.sqrt(cfg.width)
    fine = np.geomspace(m.min(), m.max(), 40)
    pred = [mean_field(s / np.sqrt(cfg.width), cfg.width, cfg.depth) for s in fine]
    ax.plot(fine, [p.activation_std[-1] for p in pred], color=style.BLACK, lw=0.9, ls=":")
    ax.plot(fine, [p.preactivation_gradient_std[0] for p in pred], color=style.BLACK, lw=0.9, ls=":")
    ax.plot(m, sw.last_activation_std, color=style.BLUE, ls="-", marker="o", ms=5,
            label=f"activations of layer {cfg.depth}")
    ax.plot(m, sw.first_gradient_std, color=style.VERMILLION, ls="--", marker="^", ms=5,
            label=r"gradient $\partial L/\partial a_1$ at layer 1")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"weight std $\times \sqrt{n}$")
    ax.set_ylabel("standard deviation")
    ax.axvline(1.0, color="#999999", lw=0.8, zorder=0)
    ax.legend(loc="lower right", fontsize=9)
    ax_sat.plot(fine, [p.saturated_fraction[-1] for p in pred], color=style.BLACK, lw=0.9, ls=":",
                label="mean-field prediction")
    ax_sat.plot(m, sw.last_saturated_fraction, color=style.GREEN, ls="-.", marker="D", ms=5,
                label=f"measured, layer {cfg.depth}")
    ax_sat.set_xscale("log")
    ax_sat.set_ylim(-0.02, 1.0)
    ax_sat.set_xlabel(r"weight std $\times \sqrt{n}$")
    ax_sat.set_ylabel(r"share of units with $|h| > 0.99$")
    ax_sat.axvline(1.0, color="#999999", lw=0.8, zorder=0)
    ax_sat.legend(loc="upper left", fontsize=9)
    return fig


#: How each multiple sqrt(n) sigma_w of the training figure is drawn, and the page's scale
#: at width 256 it stands for.
TRAIN_STYLES = {
    0.16: ("N(0, 0.01²)", "too small"),
    1.0: ("N(0, 1/n)", "right"),
    16.0: ("N(0, 1)", "too large"),
}


def training_curves(res: TrainScaleResults) -> Figure:
    """Training loss over the steps from each scale: median over seeds, band from min to max."""
    fig, ax = style.new_figure(width=4.8, height=4.0)
    for m, rows in res.loss.items():
        label, word = TRAIN_STYLES.get(m, (None, None))
        st = _style(label) if label else dict(color=style.PURPLE, ls="-", marker="x")
        name = (f"{word}, " if word else "") + f"√n σ_w = {m:g}"
        ax.plot(res.steps, np.median(rows, axis=0), color=st["color"], ls=st["ls"], lw=2.0,
                label=name)
        if rows.shape[0] > 1:
            ax.fill_between(res.steps, rows.min(axis=0), rows.max(axis=0), color=st["color"],
                            alpha=0.22, lw=0)
    ax.axhline(1.0, color=style.BLACK, lw=0.8, ls=":")
    ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("loss / loss of predicting the mean")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=1)
    return fig

"""Figures of the page "Initialization at scale": results in, `Figure` out."""

from __future__ import annotations

import numpy as np

from initnotes.figures import style

#: How the figures name the parametrizations and the stream schemes.
PARAM_NAMES = {"sp": "standard (SP)", "mup": "μP"}
STREAM_NAMES = {"unscaled": "std 0.02 everywhere", "gpt2": "projections 0.02/√(2·n_layer)"}
#: How the coordinate check names the layers (pre-activations a_1, a_2 and the output).
LAYER_NAMES = ("input layer (a₁)", "hidden layer (a₂)", "output")


def residual_stream(results):
    """Left: the stream's variance after each block of the deepest stack, both schemes.
    Right: the variance after the last block against the number of blocks."""
    cfg = results.config
    deepest = max(cfg.depths)
    fig, (ax1, ax2) = style.new_figure(1, 2, width=7.0, height=3.3)
    for k, scheme in enumerate(("unscaled", "gpt2")):
        q = results.variance[(scheme, deepest)]
        ax1.plot(np.arange(len(q)), q, color=style.PALETTE[k], linestyle=style.LINESTYLES[k],
                 label=STREAM_NAMES[scheme])
        ax2.plot(cfg.depths, results.final(scheme), color=style.PALETTE[k],
                 linestyle=style.LINESTYLES[k], marker="os"[k], label=STREAM_NAMES[scheme])
    for ax in (ax1, ax2):
        ax.set_yscale("log")
        ax.set_ylabel("variance of the stream")
    ax1.set_xlabel(f"block (of {deepest})")
    ax1.set_title(f"{deepest} blocks, after each block")
    ax2.set_xscale("log", base=2)
    ax2.set_xticks(list(cfg.depths), [str(d) for d in cfg.depths])
    ax2.set_xlabel("number of blocks n_layer")
    ax2.set_title("after the last block")
    ax1.legend(loc="upper left")
    return fig


def coordinate_check(results):
    """Mean absolute change of each layer's pre-activations after a few steps, against
    width, one panel per parametrization."""
    cfg = results.config
    fig, axes = style.new_figure(1, 2, width=7.0, height=3.4, sharey=True)
    for ax, p in zip(axes, ("sp", "mup")):
        change = results.change[p]
        for j, name in enumerate(LAYER_NAMES):
            ax.plot(cfg.widths, change[:, j], color=style.PALETTE[j], linestyle=style.LINESTYLES[j],
                    marker="o^s"[j], label=name)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(list(cfg.widths), [str(n) for n in cfg.widths])
        ax.set_xlabel("width n")
        ax.set_title(PARAM_NAMES[p])
    axes[0].set_ylabel(f"mean |change| after {cfg.steps} steps")
    axes[0].legend(loc="upper left")
    return fig


def median_loss(sweeps, parametrization: str) -> np.ndarray:
    """The median over seeds of the final loss, (widths, lrs); diverged runs count as inf."""
    return np.median(np.stack([s.loss[parametrization] for s in sweeps]), axis=0)


def lr_sweep(*sweeps):
    """Final loss against learning rate, one line per width (median over the seeds), the
    best rate of each width marked; one panel per parametrization."""
    cfg = sweeps[0].config
    lrs = np.array(cfg.lrs)
    fig, axes = style.new_figure(1, 2, width=7.0, height=3.9, sharey=True)
    for ax, p in zip(axes, ("sp", "mup")):
        med = median_loss(sweeps, p)
        for i, n in enumerate(cfg.widths):
            colour = style.PALETTE[i]
            y = np.where(np.isfinite(med[i]), med[i], np.nan)
            ax.plot(lrs, y, color=colour, linestyle=style.LINESTYLES[i], label=f"n = {n}")
            j = int(np.argmin(med[i]))
            ax.plot([lrs[j]], [med[i, j]], marker="*", markersize=11, color=colour,
                    markeredgecolor="black", linestyle="none")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("base learning rate η")
        ax.set_title(PARAM_NAMES[p])
    axes[0].set_ylabel(f"mean loss, steps {cfg.steps // 2 + cfg.eval_every}–{cfg.steps}")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(cfg.widths))
    return fig

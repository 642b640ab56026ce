"""Figures of the symmetry page."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from initnotes.experiments import symmetry
from initnotes.figures import style
from initnotes.registry import figure

SEED = 0
TITLES = {"zero": "Zero init", "constant": "Constant init (0.5)", "random": "Random init"}


def symmetry_weights(results: symmetry.SymmetryResults) -> Figure:
    """Each hidden unit's two incoming weights over training, one panel per start."""
    starts = list(results.runs)
    fig, axes = style.new_figure(1, len(starts), width=3.0 * len(starts) + 0.6, height=3.1,
                                 sharey=True)
    for ax, start in zip(np.atleast_1d(axes), starts):
        run = results.runs[start]
        t = np.arange(run.W.shape[0])
        for j, colour in enumerate((style.BLUE, style.ORANGE)):
            ax.plot(t, run.W[:, 0, j], color=colour, lw=3.2, ls="-",
                    label=f"unit 1, from input {j + 1}")
            ax.plot(t, run.W[:, 1, j], color=style.BLACK if j == 0 else style.VERMILLION,
                    lw=1.4, ls="--", label=f"unit 2, from input {j + 1}")
        ax.set_title(TITLES.get(start, start))
        ax.set_xlabel("training step")
    np.atleast_1d(axes)[0].set_ylabel("weight into the hidden unit")
    handles, labels = np.atleast_1d(axes)[-1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=4)
    return fig


@figure(
    "symmetry-weights",
    alt=(
        "Three line charts of the hidden weights of a two-unit network over 300 training steps. "
        "Zero init: all four weights stay flat at 0. Constant init: unit 2's dashed lines lie "
        "exactly on unit 1's solid lines, so the two units keep identical weights while they "
        "move. Random init: the four weights start apart and follow different paths."
    ),
    caption=(
        "The incoming weights of the two hidden units of a 2-2-1 tanh network trained by "
        "gradient descent on the same data from three starts. Solid lines: unit 1; dashed: "
        "unit 2. Under zero init nothing in the hidden layer moves; under constant init the "
        "units move but stay identical; only random init lets them differ."
    ),
)
def symmetry_weights_figure() -> Figure:
    results = symmetry.train_from_starts(symmetry.SymmetryConfig(), np.random.default_rng(SEED))
    return symmetry_weights(results)

"""The explorer page (``docs/explore/index.md``): its static first view and its numbers.

The interactive page reads a grid of `signal.propagate` calls that `initnotes.explorer`
computes, with its own cache, into the page's data files. What this module declares is
the page's first view, for readers without JavaScript: one run, the `propagate` call of
the setting `explorer.DEFAULT` (`explorer.shown` turns it into the numbers the files hold
for that setting), and the sentences that describe the grid.
"""

from __future__ import annotations

from initnotes import explorer
from initnotes.experiments import signal
from initnotes.format import and_list, short
from initnotes.pages import Page

page = Page("explorer", explorer.PAGE)

_D = explorer.DEFAULT

DEFAULT = page.run(
    "explore-default", signal.propagate,
    explorer.signal_config(_D["init"], _D["activation"], _D["depth"], _D["scale"]),
    seed=explorer.SEED,
)


def _default_alt(res: signal.SignalResults) -> str:
    c = res.config
    return (
        f"Two charts for a {c.depth}-layer {explorer.ACTIVATIONS[c.activation]} network "
        f"of width {c.width} with {explorer.INITS[c.init]} weights. Left: the "
        "standard deviation of the activations (blue, solid, circles) and of the "
        "back-propagated gradients (vermillion, dashed, squares) at each layer, on a log "
        f"scale. Right: a histogram of the activations at layer {_D['layer']}. The sentence "
        "below the figure gives the numbers."
    )


page.figure(
    "explore-default", "explorer:explore_default", DEFAULT,
    alt=_default_alt,
    caption=(
        "The explorer's first view, drawn by the package: one random network at its "
        "initialization, a batch of standard-normal inputs forward, a standard-normal "
        "gradient backward from the last layer. The interactive page shows the same two "
        "panels for every setting of the controls."
    ),
    layer=_D["layer"],
)


@page.value("explore-default-reading", "The sentence the explorer shows first.", DEFAULT)
def default_reading(res: signal.SignalResults) -> str:
    c = res.config
    return explorer.describe(explorer.shown(res), c.init, c.activation, c.depth, c.scale)


@page.value("explore-setup", "Width, batch and seed of every network on the page.")
def setup() -> str:
    return (f"width {explorer.WIDTH} (every layer), a batch of {explorer.BATCH} inputs, "
            f"seed {explorer.SEED}")


@page.value("explore-max-depth", "The deepest network of the grid (every call draws this many layers).")
def max_depth() -> str:
    return str(explorer.MAX_DEPTH)


@page.value("explore-grid", "The grid of settings the page holds, in words.")
def grid() -> str:
    n = len(explorer.INITS) * len(explorer.ACTIVATIONS) * len(explorer.DEPTHS) * len(explorer.SCALES)
    return (
        f"{len(explorer.INITS)} initializers, {len(explorer.ACTIVATIONS)} activations, "
        f"depths {and_list(explorer.DEPTHS)}, and weight scales "
        f"{and_list(short(s) for s in explorer.SCALES)}: {n:,} networks"
    )


@page.value("explore-thresholds", "When the page's sentence says vanish or explode.")
def thresholds() -> str:
    return (f"below {short(explorer.VANISH)} (activations: in absolute terms, the input's std "
            f"being 1; gradients: relative to their std at the last layer) or above "
            f"{short(explorer.EXPLODE)}; a change by more than a factor {short(explorer.DRIFT)} "
            "is called shrinking or growing")

"""Numbers and sentences of the explorer page, from `initnotes.explorer`."""

from __future__ import annotations

from initnotes import explorer
from initnotes.registry import value


def _list(items) -> str:
    items = [str(i) for i in items]
    return ", ".join(items[:-1]) + " and " + items[-1]


@value("explore-default-reading", description="The sentence the explorer shows first.")
def default_reading() -> str:
    d = explorer.DEFAULT
    return explorer.describe(explorer.default_shown(), d["init"], d["activation"], d["depth"],
                             d["scale"])


@value("explore-setup", description="Width, batch and seed of every network on the page.")
def setup() -> str:
    return (f"width {explorer.WIDTH} (every layer), a batch of {explorer.BATCH} inputs, "
            f"seed {explorer.SEED}")


@value("explore-grid", description="The grid of settings the page holds, in words.")
def grid() -> str:
    n = len(explorer.INITS) * len(explorer.ACTIVATIONS) * len(explorer.DEPTHS) * len(explorer.SCALES)
    return (
        f"{len(explorer.INITS)} initializers, {len(explorer.ACTIVATIONS)} activations, "
        f"depths {_list(explorer.DEPTHS)}, and weight scales "
        f"{_list(f'{s:g}' for s in explorer.SCALES)}: {n:,} networks"
    )


@value("explore-thresholds", description="When the page's sentence says vanish or explode.")
def thresholds() -> str:
    return (f"below {explorer.VANISH:g} (activations: in absolute terms, the input's std being "
            f"1; gradients: relative to their std at the last layer) or above "
            f"{explorer.EXPLODE:g}; a change by more than a factor {explorer.DRIFT:g} is "
            "called shrinking or growing")

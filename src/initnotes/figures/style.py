"""One house style for every figure: palette, sizes, and byte-reproducible output.

The palette is Okabe & Ito's colour-blind-safe set ("Color Universal Design", 2008),
distinguishable under the common forms of colour-vision deficiency. Figures are drawn
on a white background so that they read the same in the site's light and dark schemes
(in dark mode the page shows them as a white card) and on a projected slide.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: figures are files

from matplotlib.figure import Figure  # noqa: E402

#: Okabe-Ito colours, in the order series are drawn.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow (use for fills, too light for thin lines)
    "#000000",  # black
)
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK = PALETTE
#: Line styles paired with colours so series differ without colour too.
LINESTYLES: tuple[str, ...] = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)))
#: Resolution of the PNG a notebook shows for a figure: its width in pixels is 100 times
#: its width in inches, so a 7-inch figure fills a page column without being scaled up.
NOTEBOOK_DPI = 100
#: Default size of one panel, in inches (readable on a slide and on a phone).
PANEL_WIDTH = 3.4
PANEL_HEIGHT = 2.8
FORMATS: tuple[str, ...] = ("svg", "png", "pdf")

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 10.0,
    "axes.titlesize": 10.5,
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 9.0,
    "legend.frameon": False,
    "axes.prop_cycle": matplotlib.cycler(color=[c for c in PALETTE if c != YELLOW]),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d9d9d9",
    "grid.linewidth": 0.6,
    "lines.linewidth": 1.8,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": None,
    # Reproducible bytes: fixed ids in the SVG, glyphs as paths (no font needed to view).
    "svg.hashsalt": "initnotes",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": True,
}

#: Per-format metadata that would otherwise carry the date or the library version.
METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}


# --------------------------------------------------------------------------- looks

#: The presets a figure can be drawn for: the site's own files, or a 16:9 slide.
PRESETS: tuple[str, ...] = ("site", "slides")
THEMES: tuple[str, ...] = ("light", "dark")
#: A slide figure is 13.33 x 7.5 inches, the size of a 16:9 slide in PowerPoint, Keynote
#: and Impress, so a point on the figure is a point on the slide; as PNG, 144 dpi makes
#: it 1920 x 1080 pixels.
SLIDE_WIDTH, SLIDE_HEIGHT = 40 / 3, 7.5
SLIDE_DPI = 144
#: The smallest font on a slide figure, in points at full width: readable from the back
#: of a room. Every text is scaled by the same factor, so the house hierarchy stays.
SLIDE_MIN_FONT = 20.0
#: The dark theme: background, text and lines. Greys of the house style (text, spines,
#: grid, reference lines, white marker faces) are mapped from the light theme by
#: lightness (white becomes the background, black the foreground); the Okabe-Ito colours
#: stay (each keeps at least 3:1 contrast with the background), black series become light.
DARK_BACKGROUND = "#1e1e1e"
DARK_FOREGROUND = "#ececec"


@dataclass(frozen=True)
class Look:
    """How a figure is drawn: `preset` (site or slides), `theme` (light or dark),
    `transparent` (no background), `svg_text` (SVG text kept as editable ``<text>``,
    ``svg.fonttype = "none"``, instead of glyph outlines). The default look is the site's.
    """

    preset: str = "site"
    theme: str = "light"
    transparent: bool = False
    svg_text: bool = False

    def __post_init__(self) -> None:
        if self.preset not in PRESETS:
            raise ValueError(f"preset must be one of {PRESETS}, got {self.preset!r}")
        if self.theme not in THEMES:
            raise ValueError(f"theme must be one of {THEMES}, got {self.theme!r}")

    @property
    def is_site(self) -> bool:
        """Whether this is the look of the site's own files."""
        return self == SITE

    @property
    def key(self) -> str:
        """A short name for the look (the cache folder of its files): ``site``,
        ``slides-dark-transparent-svgtext``, ..."""
        parts = [self.preset, self.theme]
        parts += ["transparent"] if self.transparent else []
        parts += ["svgtext"] if self.svg_text else []
        return "site" if self.is_site else "-".join(parts)


SITE = Look()


def rc(look: Look = SITE) -> dict[str, Any]:
    """The house style's rcParams for `look` (`RC` itself for the site's look).

    Use it as ``matplotlib.rc_context(style.rc(look))`` (see `context`) around drawing
    *and* saving: the grid, the spines and the fonts are taken from rcParams when axes
    are made, colours and transparency when the file is written.
    """
    params = dict(RC)
    if look.svg_text:
        params["svg.fonttype"] = "none"
    if look.preset == "slides":
        params["savefig.dpi"] = SLIDE_DPI
    if look.theme == "dark":
        fg, grid = DARK_FOREGROUND, _dark(RC["grid.color"])
        params.update({
            "text.color": fg, "axes.labelcolor": fg, "axes.edgecolor": fg,
            "xtick.color": fg, "ytick.color": fg, "grid.color": grid,
            "legend.labelcolor": fg, "patch.edgecolor": fg, "hatch.color": fg,
            "figure.facecolor": DARK_BACKGROUND, "axes.facecolor": DARK_BACKGROUND,
            "savefig.facecolor": DARK_BACKGROUND, "legend.facecolor": DARK_BACKGROUND,
            "legend.edgecolor": _dark("#cccccc"),
            "axes.prop_cycle": matplotlib.cycler(
                color=[fg if c == BLACK else c for c in PALETTE if c != YELLOW]),
        })
    if look.transparent:
        params["savefig.transparent"] = True
    return params


@contextlib.contextmanager
def context(look: Look = SITE) -> Iterator[None]:
    """The house style as a context: figures made (and saved) inside it get the house
    grid, spines, fonts and palette, for the site or for `look`.

    >>> with style.context(style.Look("slides", "dark")):
    ...     fig = my_plot(results)
    """
    with matplotlib.rc_context(rc(look)):
        yield


def _dark(colour: Any) -> Any:
    """A grey of the light theme mapped to the dark theme (white -> background, black ->
    foreground, by lightness); any other colour is returned as it was."""
    from matplotlib import colors

    if colour is None or (isinstance(colour, str) and colour.lower() in ("none", "auto", "inherit")):
        return colour
    try:
        r, g, b, a = colors.to_rgba(colour)
    except (ValueError, TypeError):
        return colour
    if a == 0 or max(r, g, b) - min(r, g, b) > 0.04:
        return colour
    light = (r + g + b) / 3
    fg, bg = colors.to_rgb(DARK_FOREGROUND), colors.to_rgb(DARK_BACKGROUND)
    mapped = tuple(f + (k - f) * light for f, k in zip(fg, bg))
    return colors.to_hex((*mapped, a), keep_alpha=a < 1)


def _dark_array(values: Any) -> Any:
    import numpy as np

    arr = np.asarray(values, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 4:
        return values
    from matplotlib import colors

    return np.array([colors.to_rgba(_dark(tuple(row))) for row in arr])


def to_dark(fig: Figure) -> Figure:
    """Recolour `fig`, drawn in the light house style, for a dark background (in place).

    Greys become their dark-theme counterparts (see `DARK_BACKGROUND`); colours stay.
    What is drawn over a colour map (an image, a mesh, filled contours: a phase diagram,
    decision regions) keeps its light-theme colours, which were chosen against the map.
    """
    from matplotlib.collections import Collection
    from matplotlib.image import AxesImage
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    keep: set[int] = set()
    for ax in fig.axes:
        mapped = ax.images or [c for c in ax.collections if c.get_array() is not None]
        if not mapped:
            continue
        over = [*ax.lines, *ax.texts, *ax.collections, *ax.patches, *ax.artists]
        if ax.get_legend() is not None:
            over.append(ax.get_legend())
        keep |= {id(a) for item in over for a in item.findobj()}
    for artist in fig.findobj():
        if isinstance(artist, AxesImage) or id(artist) in keep:
            continue
        if isinstance(artist, Line2D):
            artist.set_color(_dark(artist.get_color()))
            artist.set_markerfacecolor(_dark(artist.get_markerfacecolor()))
            artist.set_markeredgecolor(_dark(artist.get_markeredgecolor()))
        elif isinstance(artist, Text):
            artist.set_color(_dark(artist.get_color()))
            patch = artist.get_bbox_patch()
            if patch is not None:
                patch.set_facecolor(_dark(patch.get_facecolor()))
                patch.set_edgecolor(_dark(patch.get_edgecolor()))
        elif isinstance(artist, Patch):
            artist.set_facecolor(_dark(artist.get_facecolor()))
            artist.set_edgecolor(_dark(artist.get_edgecolor()))
            if hasattr(artist, "get_hatchcolor"):
                try:
                    artist.set_hatchcolor(_dark(artist.get_hatchcolor()))
                except (AttributeError, ValueError):
                    pass
        elif isinstance(artist, Collection):
            if artist.get_array() is None:  # colours from a colormap stay
                artist.set_facecolor(_dark_array(artist.get_facecolor()))
            artist.set_edgecolor(_dark_array(artist.get_edgecolor()))
    fg = DARK_FOREGROUND
    for ax in fig.axes:
        ax.tick_params(which="both", color=fg, labelcolor=fg, grid_color=_dark(RC["grid.color"]))
    return fig


def fit_slide(fig: Figure, *, min_font: float = SLIDE_MIN_FONT) -> Figure:
    """Resize `fig` to a 16:9 slide (`SLIDE_WIDTH` x `SLIDE_HEIGHT`) and scale its text,
    lines and markers with it, so the smallest text is `min_font` points (in place).

    Fonts are scaled by one factor (the house hierarchy stays); lines, markers and ticks
    by the ratio of widths. The figure's layout (constrained) places everything again,
    legends included, inside the new size.
    """
    from matplotlib.collections import Collection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    width, _ = fig.get_size_inches()
    grow = SLIDE_WIDTH / width
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    tick_sizes = [ax.xaxis.get_ticklabels()[0].get_fontsize() if ax.xaxis.get_ticklabels() else
                  RC["xtick.labelsize"] for ax in fig.axes]
    smallest = min([t.get_fontsize() for t in texts] + tick_sizes + [RC["xtick.labelsize"]])
    font = max(grow, min_font / smallest)
    fig.set_size_inches(SLIDE_WIDTH, SLIDE_HEIGHT)
    for text in fig.findobj(Text):
        text.set_fontsize(text.get_fontsize() * font)
    for artist in fig.findobj():
        if isinstance(artist, Line2D):
            artist.set_linewidth(artist.get_linewidth() * grow)
            artist.set_markersize(artist.get_markersize() * grow)
            artist.set_markeredgewidth(artist.get_markeredgewidth() * grow)
        elif isinstance(artist, Patch):
            artist.set_linewidth(artist.get_linewidth() * grow)
        elif isinstance(artist, Collection):
            artist.set_linewidths([w * grow for w in artist.get_linewidths()])
            sizes = artist.get_sizes() if hasattr(artist, "get_sizes") else None
            if sizes is not None and len(sizes):
                artist.set_sizes(sizes * grow ** 2)
    for ax in fig.axes:
        for axis, name in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            size = RC[f"{name}tick.labelsize"] * font
            ax.tick_params(axis=name, which="major", labelsize=size,
                           width=matplotlib.rcParams[f"{name}tick.major.width"] * grow,
                           length=matplotlib.rcParams[f"{name}tick.major.size"] * grow,
                           grid_linewidth=RC["grid.linewidth"] * grow)
            ax.tick_params(axis=name, which="minor", labelsize=size,
                           width=matplotlib.rcParams[f"{name}tick.minor.width"] * grow,
                           length=matplotlib.rcParams[f"{name}tick.minor.size"] * grow)
            axis.offsetText.set_fontsize(max(axis.offsetText.get_fontsize(), min_font))
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        pads = {k: v * grow for k, v in engine.get().items() if k in ("w_pad", "h_pad")}
        if pads:
            engine.set(**pads)
    _keep_inside(fig, min_font)
    return fig


def _labels(fig: Figure) -> list[tuple[Any, Any]]:
    """The texts a layout may push out (titles, axis labels, notes, legend entries), each
    with the axes whose width it must keep to (None: the figure's)."""
    out: list[tuple[Any, Any]] = []
    for ax in fig.axes:
        out += [(t, ax) for t in (ax.title, ax._left_title, ax._right_title)]
        out += [(t, None) for t in (ax.xaxis.label, ax.yaxis.label, *ax.texts)]
        if ax.get_legend() is not None:
            out += [(t, None) for t in ax.get_legend().get_texts()]
    out += [(t, None) for t in fig.texts]
    if fig._suptitle is not None:
        out.append((fig._suptitle, None))
    for legend in fig.legends:
        out += [(t, None) for t in legend.get_texts()]
    return [(t, ax) for t, ax in out if t.get_visible() and t.get_text().strip()]


def _keep_inside(fig: Figure, min_font: float, rounds: int = 4) -> None:
    """Shrink (down to `min_font`), then wrap onto two lines, any title wider than its
    axes and any label that sticks out of the figure, until everything fits."""
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    for _ in range(rounds):
        fig.draw_without_rendering()
        renderer = canvas.get_renderer()
        box = fig.bbox
        changed = False
        for text, ax in _labels(fig):
            extent = text.get_window_extent(renderer)
            over = 0.0
            if ax is not None:
                room = ax.get_window_extent(renderer).width * 1.04
                over = extent.width / room if extent.width > room else 0.0
            if (extent.x0 < box.x0 - 1 or extent.x1 > box.x1 + 1
                    or extent.y0 < box.y0 - 1 or extent.y1 > box.y1 + 1):
                over = max(over, 1.1)
            if not over:
                continue
            size = text.get_fontsize()
            if size > min_font:
                text.set_fontsize(max(min_font, size / over))
            else:
                lines = text.get_text().split("\n")
                longest = max(lines, key=len)
                if " " not in longest:
                    continue
                width = max(8, (len(longest) + 1) // 2 + 1)
                text.set_text("\n".join(
                    "\n".join(textwrap.wrap(line, width)) if line == longest else line
                    for line in lines))
            changed = True
        if not changed:
            return


def restyle(fig: Figure, look: Look = SITE) -> Figure:
    """`fig` (drawn in the site's house style) made for `look`: fitted to a slide for the
    slides preset, recoloured for the dark theme. The site's look changes nothing."""
    if look.preset == "slides":
        fit_slide(fig)
    if look.theme == "dark":
        to_dark(fig)
    return fig


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float | None = None,
               height: float | None = None, **subplot_kw: Any) -> tuple[Figure, Any]:
    """A `Figure` (object-oriented API, no pyplot state) and its axes, sized per panel."""
    fig = Figure(
        figsize=(width or PANEL_WIDTH * ncols, height or PANEL_HEIGHT * nrows),
        layout="constrained",
    )
    axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    return fig, axes


def save(fig: Figure, path: str | Path, fmt: str, look: Look = SITE) -> None:
    """Write `fig` to `path` as `fmt` (svg, png or pdf) with reproducible bytes, in the
    house style of `look` (background, transparency, resolution, SVG text)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    with matplotlib.rc_context(rc(look)):
        fig.savefig(path, format=fmt, metadata=METADATA[fmt])


def notebook_png(fig: Figure) -> bytes:
    """`fig` as the PNG a notebook shows: house style, `NOTEBOOK_DPI`, no date or version."""
    buf = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buf, format="png", dpi=NOTEBOOK_DPI, metadata=METADATA["png"])
    return buf.getvalue()


_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$", re.S)
_FONT_COMMANDS = re.compile(r"\\(?:mathrm|mathcal|mathbf|mathit|mathsf|mathbb|text|operatorname)\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_SCRIPT = re.compile(r"(?<!\\)([_^])\s*(\{[^{}]*\}|\\[A-Za-z]+|[^\s{}\\])")
_COMMAND = re.compile(r"\\(?:([A-Za-z]+)\s*|(.))")
#: TeX commands as the characters a screen reader names (σ is "sigma", ∂ "partial").
_SYMBOLS = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "epsilon": "ε",
    "varepsilon": "ε", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "Sigma": "Σ", "tau": "τ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "ell": "ℓ", "partial": "∂",
    "nabla": "∇", "times": "×", "cdot": "·", "odot": "⊙", "approx": "≈", "sim": "~",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "to": "→",
    "rightarrow": "→", "infty": "∞", "pm": "±", "sum": "Σ", "prod": "Π", "top": "T",
    "log": "log", "exp": "exp", "tanh": "tanh", "ln": "ln", "min": "min", "max": "max",
    "ldots": "...", "dots": "...", "cdots": "...", "_": "_", "%": "%", "$": "$", "&": "&",
    "#": "#", ",": " ", ";": " ", ":": " ", "!": "", "quad": " ", "qquad": " ", " ": " ",
    "left": "", "right": "", "{": "(", "}": ")", "|": "‖",
}
_SUPERSCRIPTS = dict(zip("0123456789+-=()nT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵀ"))
_SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))


def plain_words(text: str) -> str:
    """`text` with its Matplotlib math (``$...$``) written out in plain characters, for
    alt text a screen reader reads as words rather than backslash by backslash.

    ``$\\partial L/\\partial h_l$`` becomes ``∂L/∂hₗ``, ``$\\sigma_w^2$`` becomes ``σ_w²``,
    ``$\\times\\sqrt{n}$`` becomes ``×√n``: Greek letters and operators as their
    characters, sub- and superscripts as Unicode sub- and superscripts where every
    character has one (else after ``_``), font commands dropped. Text outside ``$...$``
    is left as it is.
    """
    def script(m: re.Match) -> str:
        kind, body = m.group(1), m.group(2)
        body = body[1:-1] if body.startswith("{") else body
        if body.startswith("\\"):
            body = _SYMBOLS.get(body[1:], body[1:])
        table = _SUPERSCRIPTS if kind == "^" else _SUBSCRIPTS
        if body and all(c in table for c in body):
            return "".join(table[c] for c in body)
        return ("^" if kind == "^" else "_") + (body if len(body) == 1 else f"({body})")

    def math(m: re.Match) -> str:
        tex = m.group(1)
        for _ in range(3):  # nested font commands and roots, innermost first
            tex = _FONT_COMMANDS.sub(r"\1", tex)
            tex = _SQRT.sub(lambda r: "√" + (r.group(1) if len(r.group(1).strip()) == 1
                                             else f"({r.group(1).strip()})"), tex)
        tex = _SCRIPT.sub(script, tex)
        tex = _COMMAND.sub(lambda c: _SYMBOLS.get(c.group(1) or c.group(2),
                                                  c.group(1) or c.group(2)), tex)
        tex = tex.replace("{", "").replace("}", "").replace("^", " to the power ")
        return " ".join(tex.split())

    return _MATH.sub(math, text).replace("\\$", "$")


def describe(fig: Figure) -> str:
    """A short text description of `fig` for readers who cannot see it (alt text).

    The figure's label (``fig.set_label(...)``) if it has one; otherwise one built from
    its title, panel titles, axis labels and legend entries. Either way its math is
    written in plain characters (`plain_words`).
    """
    if fig.get_label():
        return plain_words(fig.get_label())
    return plain_words(_describe_parts(fig))


def _describe_parts(fig: Figure) -> str:
    axes = [ax for ax in fig.axes if ax.get_visible()]
    parts = []
    if fig.get_suptitle():
        parts.append(fig.get_suptitle() + ".")
    titles = [" ".join(ax.get_title().split()) for ax in axes if ax.get_title()]
    kind = f"{len(axes)} panels" if len(axes) != 1 else "one panel"
    parts.append(f"Chart with {kind}" + (": " + "; ".join(titles) if titles else "") + ".")
    for axis in ("x", "y"):
        labels = list(dict.fromkeys(getattr(ax, f"get_{axis}label")() for ax in axes))
        labels = [lab for lab in labels if lab]
        if labels:
            parts.append(f"{axis} axis: {', '.join(labels)}.")
    legends = [*fig.legends, *(ax.get_legend() for ax in axes if ax.get_legend())]
    entries = list(dict.fromkeys(t.get_text() for lg in legends for t in lg.get_texts()))
    if entries:
        parts.append(f"Legend: {'; '.join(entries)}.")
    return " ".join(parts)


def _notebook_output(fig: Figure) -> tuple[bytes, dict[str, str]]:
    return notebook_png(fig), {"alt": describe(fig)}


def _use_in_notebook() -> None:
    """Inside IPython or Jupyter: apply the house style to the session and show a `Figure`
    left as the last expression of a cell as a PNG (with `describe` as its alt text in the
    output's metadata), without pyplot.

    Figures are built outside `matplotlib.rc_context` in a notebook, so the session gets
    the same rcParams the site's figures are drawn with.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    matplotlib.rcParams.update(RC)
    shell.display_formatter.formatters["image/png"].for_type(Figure, _notebook_output)


_use_in_notebook()

"""One house style for every figure: palette, sizes, and byte-reproducible output.

The palette is Okabe & Ito's colour-blind-safe set ("Color Universal Design", 2008),
distinguishable under the common forms of colour-vision deficiency. Figures are drawn
on a white background so that they read the same in the site's light and dark schemes
(in dark mode the page shows them as a white card) and on a projected slide.
"""

from __future__ import annotations

import io
import re
import sys
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


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float | None = None,
               height: float | None = None, **subplot_kw: Any) -> tuple[Figure, Any]:
    """A `Figure` (object-oriented API, no pyplot state) and its axes, sized per panel."""
    fig = Figure(
        figsize=(width or PANEL_WIDTH * ncols, height or PANEL_HEIGHT * nrows),
        layout="constrained",
    )
    axes = fig.subplots(nrows, ncols, squeeze=True, **subplot_kw)
    return fig, axes


def save(fig: Figure, path: str | Path, fmt: str) -> None:
    """Write `fig` to `path` as `fmt` (svg, png or pdf) with reproducible bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    with matplotlib.rc_context(RC):
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

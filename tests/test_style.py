"""The house style of the figures (`initnotes.figures.style`)."""

from __future__ import annotations

import pytest

from initnotes.figures import style


@pytest.mark.parametrize("tex, plain", [
    (r"backward: std of $\partial L/\partial h_l$", "backward: std of ∂L/∂hₗ"),
    (r"weight variance $\sigma_w^2$", "weight variance σ_w²"),
    (r"std $\times\sqrt{\mathrm{fan\_in}}$", "std ×√(fan_in)"),
    (r"Gaussian $\mathcal{N}(0, 1/n)$", "Gaussian N(0, 1/n)"),
    (r"critical line $\chi_1 = 1$", "critical line χ₁ = 1"),
    (r"$l$ ($h_0$ is the input)", "l (h₀ is the input)"),
    (r"$W^\top \delta$ and $x^{-1}$", "Wᵀ δ and x⁻¹"),
    (r"$\sigma_b^2 = 0.05$ (next figure)", "σ_b² = 0.05 (next figure)"),
    ("no math, 100 % plain", "no math, 100 % plain"),
])
def test_plain_words_writes_math_out(tex, plain):
    assert style.plain_words(tex) == plain


def test_describe_has_no_tex():
    """The alt text a notebook figure gets is built from its labels, math written out."""
    fig, ax = style.new_figure()
    ax.plot([0, 1], [1, 2], label=r"$\sigma_w^2 = 2$")
    ax.set_title(r"std of $\partial L/\partial h_l$")
    ax.set_xlabel("layer $l$")
    ax.legend()
    text = style.describe(fig)
    assert text == "Chart with one panel: std of ∂L/∂hₗ. x axis: layer l. Legend: σ_w² = 2."


# --------------------------------------------------------------------------- looks: slides, dark

import functools  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

import matplotlib  # noqa: E402
from matplotlib import colors  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from PIL import Image  # noqa: E402

from initnotes import render, runs  # noqa: E402

#: A strip (3.1:1), two panels with a figure legend below, and a colour map with a framed
#: legend and boxed notes: the shapes a slide has to take in.
SLIDE_FIGURES = ("symmetry-weights", "he-layer-std", "beyond-phase-diagram")
SLIDES = style.Look("slides")
DARK = style.Look("slides", "dark")
DARK_CLEAR = style.Look("slides", "dark", transparent=True)


@pytest.fixture(scope="module")
def project_cache():
    """The project's run cache (shared with the page tests: runs are computed once)."""
    with runs.preserved():
        cache = render.Cache(runs.default_cache_root())
        runs.activate(cache.dir)
        yield cache


@functools.cache
def _rendered(name: str, look: style.Look, formats: tuple[str, ...], folder: str) -> dict[str, bytes]:
    paths = render.render_figure(name, Path(folder) / look.key, formats, look=look)
    return {p.suffix[1:]: p.read_bytes() for p in paths}


@pytest.fixture(scope="module")
def rendered(project_cache, tmp_path_factory):
    """``rendered(name, look, formats=("png",))``: the files, drawn once per module."""
    folder = str(tmp_path_factory.mktemp("looks"))
    return lambda name, look, formats=("png",): _rendered(name, look, tuple(formats), folder)


def drawn(name: str, look: style.Look):
    fig = render.build_figure(name, look)
    canvas = FigureCanvasAgg(fig)
    with style.context(look):
        fig.set_dpi(style.SLIDE_DPI if look.preset == "slides" else 100)
        fig.draw_without_rendering()
    return fig, canvas.get_renderer()


def luminance(colour) -> float:
    r, g, b = colors.to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_slide_files_are_16_9_at_1920_by_1080(rendered, project_cache):
    """PNG 1920 x 1080 px; SVG and PDF the same 16:9 page, 960 x 540 pt (13.33 x 7.5 in),
    for the 3.1:1 strip of the site too."""
    files = rendered("symmetry-weights", SLIDES, ("png", "svg", "pdf"))
    assert Image.open(io.BytesIO(files["png"])).size == (1920, 1080)
    svg = files["svg"].decode("utf-8")
    assert re.search(r'<svg[^>]* width="960pt" height="540pt"', svg)
    assert re.search(rb"/MediaBox \[ *0 0 960 540 *\]", files["pdf"])


@pytest.mark.parametrize("name", SLIDE_FIGURES)
def test_slide_text_is_20_pt_or_more_and_inside_the_slide(project_cache, name):
    """Every text (titles, labels, ticks, legends, notes) is at least 20 pt on the
    13.33-inch slide, and everything drawn (legends included) lies inside it."""
    fig, renderer = drawn(name, SLIDES)
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    small = sorted({(t.get_text()[:30], round(t.get_fontsize(), 1)) for t in texts
                    if t.get_fontsize() < style.SLIDE_MIN_FONT - 1e-9})
    assert not small, small
    width, height = fig.get_size_inches()
    assert (width, height) == pytest.approx((style.SLIDE_WIDTH, style.SLIDE_HEIGHT))
    box = fig.get_tightbbox(renderer)
    assert box.x0 >= 0 and box.y0 >= 0, box
    assert box.x1 <= width + 1e-6 and box.y1 <= height + 1e-6, box
    for legend in [*fig.legends, *(ax.get_legend() for ax in fig.axes if ax.get_legend())]:
        extent = legend.get_window_extent(renderer)
        assert fig.bbox.x0 <= extent.x0 and extent.x1 <= fig.bbox.x1
        assert fig.bbox.y0 <= extent.y0 and extent.y1 <= fig.bbox.y1


@pytest.mark.parametrize("look", [SLIDES, DARK], ids=lambda look: look.key)
def test_slides_keep_the_house_style(project_cache, look):
    """Grid, no top or right spine, Okabe-Ito colours: as on the site."""
    fig, _ = drawn("he-layer-std", look)
    for ax in fig.axes:
        assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
        assert any(line.get_visible() for line in ax.get_xgridlines() + ax.get_ygridlines())
    line_colours = {colors.to_hex(line.get_color()) for ax in fig.axes for line in ax.lines}
    assert {style.ORANGE.lower(), style.BLUE.lower(), style.VERMILLION.lower()} & line_colours


def test_dark_theme_has_light_text_and_lines_on_a_dark_background(rendered, project_cache):
    """Background `DARK_BACKGROUND`; every text, spine, tick and grey line light, except what
    sits on a colour map (the phase diagram's notes keep their light boxes)."""
    fig, _ = drawn("he-layer-std", DARK)
    assert colors.to_hex(fig.get_facecolor()) == style.DARK_BACKGROUND
    for ax in fig.axes:
        assert colors.to_hex(ax.get_facecolor()) == style.DARK_BACKGROUND
        for spine in ("left", "bottom"):
            assert luminance(ax.spines[spine].get_edgecolor()) > 0.7
        for tick in ax.xaxis.get_major_ticks():
            assert luminance(tick.label1.get_color()) > 0.7
            assert luminance(tick.tick1line.get_color()) > 0.7
    texts = [t for t in fig.findobj(Text) if t.get_text().strip()]
    assert texts and all(luminance(t.get_color()) > 0.7 for t in texts), \
        [(t.get_text(), t.get_color()) for t in texts if luminance(t.get_color()) <= 0.7]
    # "prediction" lines are black on the site: light here.
    dotted = [line for ax in fig.axes for line in ax.lines if line.get_linestyle() == ":"]
    assert dotted and all(luminance(line.get_color()) > 0.7 for line in dotted)
    png = Image.open(io.BytesIO(rendered("symmetry-weights", DARK)["png"])).convert("RGB")
    assert png.getpixel((2, 2)) == tuple(int(style.DARK_BACKGROUND[i:i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("look", [style.Look("slides", transparent=True), DARK_CLEAR],
                         ids=lambda look: look.key)
def test_transparent_leaves_the_background_out(rendered, project_cache, look):
    files = rendered("symmetry-weights", look, ("png", "svg"))
    png = Image.open(io.BytesIO(files["png"])).convert("RGBA")
    assert png.size == (1920, 1080)
    assert png.getpixel((1, 1))[3] == 0 and png.getpixel((1918, 540))[3] == 0
    alpha = png.getchannel("A")
    assert alpha.getextrema() == (0, 255)  # the lines and text are opaque
    assert 'style="fill: #ffffff"' not in files["svg"].decode()


def test_svg_text_keeps_text_editable(rendered, project_cache):
    """With svg_text the SVG holds <text> elements (editable in slide software); the
    site's SVG draws glyphs as paths."""
    editable = rendered("symmetry-weights", style.Look(svg_text=True), ("svg",))["svg"].decode()
    assert "<text" in editable and "Zero init" in editable
    site = rendered("symmetry-weights", style.SITE, ("svg",))["svg"].decode()
    assert "<text" not in site


def test_the_sites_look_is_unchanged(rendered, project_cache, tmp_path):
    """The site's rcParams are `RC`, and drawing slides first changes nothing in the site's
    files (no style leaks from one figure to the next)."""
    assert style.rc(style.SITE) == style.RC and style.SITE.is_site
    name, formats = "symmetry-weights", ("svg", "png")
    before = {p.suffix: p.read_bytes() for p in render.render_figure(name, tmp_path / "a", formats)}
    rendered(name, DARK_CLEAR, ("png",))
    after = {p.suffix: p.read_bytes() for p in render.render_figure(name, tmp_path / "b", formats)}
    assert before == after


@pytest.mark.parametrize("kwargs, message", [
    ({"preset": "poster"}, "preset must be one of ('site', 'slides'), got 'poster'"),
    ({"theme": "sepia"}, "theme must be one of ('light', 'dark'), got 'sepia'"),
])
def test_bad_look_names_the_value(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        style.Look(**kwargs)


def test_context_applies_the_house_style_to_new_axes():
    """`style.context` re-applies the house style to figures made inside it (grid, spines,
    fonts), for any look."""
    with style.context(style.Look("slides", "dark")):
        fig, ax = style.new_figure()
        ax.plot([0, 1])
        assert matplotlib.rcParams["axes.facecolor"] == style.DARK_BACKGROUND
    assert not ax.spines["top"].get_visible() and ax.xaxis._major_tick_kw.get("gridOn")
    assert matplotlib.rcParams["axes.facecolor"] != style.DARK_BACKGROUND

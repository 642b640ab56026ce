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

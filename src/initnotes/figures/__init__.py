"""Figures: one function per figure, results in, `matplotlib.figure.Figure` out.

Each module here registers its figures with `initnotes.registry.figure`; the house
style lives in `initnotes.figures.style`.
"""

"""Figures: plotting functions, results in, `matplotlib.figure.Figure` out.

No module here runs an experiment or holds a seed: the page modules (`initnotes.pages`)
bind each plotting function to the runs it draws, with its alt text and caption. The house
style lives in `initnotes.figures.style`.
"""

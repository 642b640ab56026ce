"""The page layer's API: declaring runs, figures and values, and the errors it gives."""

from __future__ import annotations

import dataclasses

import pytest

from initnotes import pages
from initnotes.pages import Page


@dataclasses.dataclass(frozen=True)
class Cfg:
    n: int = 2


def experiment(cfg: Cfg, rng) -> list[float]:
    return list(rng.standard_normal(cfg.n))


@pytest.fixture
def page():
    """A throwaway page, removed from the registry afterwards."""
    p = Page("throwaway-test-page", "index.md")
    yield p
    pages._PAGES.pop(p.name, None)


def test_a_page_binds_runs_figures_and_values(page, tmp_path):
    run = page.run("throwaway-run", experiment, Cfg(n=3), seed=5)
    fig = page.figure("throwaway-fig", "style:new_figure", run,
                      alt=lambda r: f"A chart of {len(r)} numbers drawn from a normal law.",
                      caption="Caption.")

    @page.value("throwaway-value", "How many numbers.", run)
    def count(r) -> str:
        return f"{len(r)} numbers"

    from initnotes import runs
    with runs.using(runs.RunStore(tmp_path)) as store:
        assert fig.text("alt") == "A chart of 3 numbers drawn from a normal law."
        assert page.values["throwaway-value"].build() == "3 numbers"
        assert store.computed == ["throwaway-run"]  # alt text and value share one computation
    assert pages.all_runs()["throwaway-run"] is run


def test_names_are_checked_and_unique(page):
    with pytest.raises(ValueError, match="run name must be lowercase words joined by '-', got 'Bad_Name'"):
        page.run("Bad_Name", experiment, Cfg())
    pages.load()
    with pytest.raises(ValueError, match="run 'symmetry-wide' is declared twice"):
        page.run("symmetry-wide", experiment, Cfg())
    with pytest.raises(ValueError, match="figure 'symmetry-rank' is declared twice"):
        page.figure("symmetry-rank", "symmetry:symmetry_rank", alt="a" * 50, caption="c")
    with pytest.raises(ValueError, match="plot must be 'module:function', got 'nocolon'"):
        page.figure("throwaway-x", "nocolon", alt="a", caption="c")
    with pytest.raises(ValueError, match="needs non-empty alt text and caption"):
        page.figure("throwaway-y", "m:f", alt=" ", caption="c")
    with pytest.raises(TypeError, match="runs must be declared with Page.run"):
        page.figure("throwaway-z", "m:f", ("not a run",), alt="a", caption="c")


def test_empty_generated_text_is_an_error(page, tmp_path):
    run = page.run("throwaway-empty", experiment, Cfg(), seed=0)
    fig = page.figure("throwaway-empty-fig", "m:f", run, alt=lambda r: "  ", caption="c")
    from initnotes import runs
    with runs.using(runs.RunStore(tmp_path)), pytest.raises(
            ValueError, match="figure 'throwaway-empty-fig': alt must be non-empty text"):
        fig.text("alt")

"""The build hook: a dispatcher over the build's features (`initnotes.build`).

The first part pins the dispatcher with recording features (event order, items handed
on, new features for every build); the second the real list of features (which events
reach which feature, in which order); the last builds small sites in this process, one
after the other, to show that nothing one build computed reaches the next.
"""

from __future__ import annotations

import importlib
import logging
import types
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

import initnotes
from initnotes import cite, glossary, mkdocs_hook, runs
from initnotes.build import EVENTS, Dispatcher, features, handles
from initnotes.build.dispatch import events_of
from initnotes.render import Cache

ROOT = Path(__file__).resolve().parents[1]
HOOK = ROOT / "src" / "initnotes" / "mkdocs_hook.py"


# --------------------------------------------------------------------------- the dispatcher


class Recorder:
    """A feature that records each event it gets, and tags the item it hands on."""

    def __init__(self, name: str, calls: list) -> None:
        self.name, self.calls = name, calls

    def _record(self, event, item):
        self.calls.append((self.name, event))
        if isinstance(item, str):
            return f"{item}+{self.name}"
        return None  # None: the item goes on unchanged


def recorder_class(events: tuple[str, ...]) -> type:
    """A feature class with methods for `events` only (on the class, as for a plugin)."""
    def method(event):
        def on(self, item=None, **context):
            return self._record(event, item)
        return on

    return type("Rec", (Recorder,), {f"on_{e}": method(e) for e in events})


def simulate(dispatcher: Dispatcher, config=None) -> dict[str, object]:
    """One build's events, in MkDocs's order, with strings as items; what each returned."""
    config = config if config is not None else {}
    page = types.SimpleNamespace(file=types.SimpleNamespace(src_uri="p.md"), url="p/")
    return {
        "config": dispatcher.on_config(config),
        "files": dispatcher.on_files("files", config=config),
        "page_markdown": dispatcher.on_page_markdown("md", page=page, config=config, files="files"),
        "page_content": dispatcher.on_page_content("html", page=page, config=config, files="files"),
        "post_page": dispatcher.on_post_page("out", page=page, config=config),
        "post_build": dispatcher.on_post_build(config=config),
        "serve": dispatcher.on_serve("server", config=config, builder=None),
    }


def test_events_reach_the_features_that_have_a_method_in_the_features_order():
    """Each event goes to the features with a method for it, in the list's order; each
    hands the item on (a None return keeps it)."""
    calls: list = []
    a = recorder_class(("config", "page_markdown", "post_build"))("a", calls)
    b = recorder_class(("files", "page_markdown", "page_content"))("b", calls)
    c = recorder_class(EVENTS)("c", calls)
    results = simulate(Dispatcher(lambda config, command: [a, b, c]))
    assert calls == [
        ("a", "config"), ("c", "config"),
        ("b", "files"), ("c", "files"),
        ("a", "page_markdown"), ("b", "page_markdown"), ("c", "page_markdown"),
        ("b", "page_content"), ("c", "page_content"),
        ("c", "post_page"),
        ("a", "post_build"), ("c", "post_build"),
        ("c", "serve"),
    ]
    assert results["page_markdown"] == "md+a+b+c"
    assert results["files"] == "files+b+c" and results["post_page"] == "out+c"
    assert results["config"] == {} and results["post_build"] is None


def test_every_build_gets_new_features():
    """on_config asks the factory again: no feature object serves two builds."""
    made: list = []

    def factory(config, command):
        made.append([recorder_class(EVENTS)(str(len(made)), [])])
        return made[-1]

    dispatcher = Dispatcher(factory)
    simulate(dispatcher)
    first = dispatcher.features
    simulate(dispatcher)
    assert len(made) == 2 and dispatcher.features == made[1]
    assert not {id(f) for f in first} & {id(f) for f in dispatcher.features}


def test_a_feature_with_an_event_the_hook_does_not_forward_fails():
    """A method for an event the dispatcher does not forward would never run: the build
    fails, naming the feature and the event."""
    stray = recorder_class(("config", "nav"))("x", [])
    with pytest.raises(PluginError, match=r"Rec has methods for \['nav'\]"):
        Dispatcher(lambda config, command: [stray]).on_config({})


def test_the_hook_module_is_the_dispatcher_over_the_builds_features():
    """The hook's on_* functions are exactly the forwarded events, all on one Dispatcher
    whose factory is `initnotes.build.features`."""
    events = sorted(name[3:] for name in dir(mkdocs_hook) if name.startswith("on_"))
    assert events == sorted([*EVENTS, "startup"])
    owners = {getattr(mkdocs_hook, f"on_{e}").__self__ for e in [*EVENTS, "startup"]}
    (dispatcher,) = owners
    assert isinstance(dispatcher, Dispatcher) and dispatcher.factory is features


@pytest.mark.parametrize("module", [
    "initnotes.mkdocs_hook", "initnotes.cite", "initnotes.glossary", "initnotes.placeholders",
    *(f"initnotes.build.{m.stem}" for m in sorted((ROOT / "src/initnotes/build").glob("*.py"))),
])
def test_no_module_keeps_build_state(module):
    """No module-level dict, list or set in the hook, cite, glossary or the build's
    features: what a build computes lives on that build's feature objects."""
    mod = importlib.import_module(module.removesuffix(".__init__"))
    mutable = [name for name, value in vars(mod).items()
               if not name.startswith("__") and isinstance(value, (dict, list, set))]
    assert mutable == []


# --------------------------------------------------------------------------- the real features


def tiny_config(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    config = {"site_name": "tiny", "docs_dir": str(tmp_path / "docs"), "hooks": [str(HOOK)]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return tmp_path / "mkdocs.yml"


#: Which features each event reaches, in order (the table in `initnotes.build`).
FULL = {
    "config": ["Citations", "Glossary", "Runs", "Tutorials", "SearchExclusions", "Typeset"],
    "files": ["Runs", "Figures", "Explorer", "Tutorials"],
    "page_markdown": ["Citations", "Glossary", "Figures", "Values"],
    "page_content": ["Tutorials", "SearchExclusions"],
    "post_page": ["Tutorials", "NotebookStyles", "Typeset"],
    "post_build": ["NotebookStyles", "PrintPage", "Typeset"],
    "serve": ["Watch"],
}
PLAIN = {
    "config": ["Citations", "Glossary", "Plain", "Tutorials", "SearchExclusions", "Typeset"],
    "files": ["Plain", "Tutorials"],
    "page_markdown": ["Citations", "Glossary", "Plain"],
    "page_content": ["Tutorials", "SearchExclusions"],
    "post_page": ["Tutorials", "Typeset"],
    "post_build": ["Typeset"],
    "serve": ["Watch"],
}


@pytest.mark.parametrize("plain, expected", [(False, FULL), (True, PLAIN)], ids=["full", "plain"])
def test_which_features_each_event_reaches(plain, expected, tmp_path, monkeypatch):
    """The documented order, in a full and in a plain build; every feature is reached by
    some event, and only by events the hook forwards."""
    monkeypatch.setenv("INITNOTES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("INITNOTES_PLAIN", "1" if plain else "0")
    config = load_config(str(tiny_config(tmp_path)))
    dispatcher = Dispatcher(features)
    dispatcher.features = features(config)
    assert {e: [type(f).__name__ for f in dispatcher.handlers(e)] for e in EVENTS} == expected
    for feature in dispatcher.features:
        assert events_of(feature) and set(events_of(feature)) <= set(EVENTS), type(feature)
    assert not (tmp_path / "cache").exists()  # nothing computed before the build runs


class _Cache:
    """A cache whose registry has one value, "v"."""

    def value(self, name: str) -> str:
        if name != "v":
            raise KeyError(f"no value named {name!r}; known values: v")
        return "**1.5**"


PAGE = types.SimpleNamespace(file=types.SimpleNamespace(src_uri="concepts/x.md"), url="concepts/x/")


def test_unknown_figure_or_value_is_a_plugin_error_naming_page_and_name():
    from initnotes.build import Figures, Values, configure

    figures = configure(Figures(cache=None))
    with pytest.raises(PluginError, match=r"^concepts/x.md: no figure named 'nope'; known figures: $"):
        figures.on_page_markdown("{{ figure:nope }}", page=PAGE, config=None, files=None)
    values = configure(Values(cache=_Cache()))
    assert values.on_page_markdown("a {{ value:v }} b", page=PAGE, config=None, files=None) == "a **1.5** b"
    with pytest.raises(PluginError, match=r"^concepts/x.md: no value named 'nope'; known values: v$"):
        values.on_page_markdown("{{ value:v }} {{value:nope}}", page=PAGE, config=None, files=None)


def test_handles_ignores_the_base_plugins_no_op_methods():
    from initnotes.build import Watch

    assert handles(Watch(), "serve") and not handles(Watch(), "files")


# --------------------------------------------------------------------------- builds in one process

TUTORIAL = """\
# %% [markdown]
# # Tutorial: Tiny

# %%
print(6 * 7)

# %% [markdown]
# ## Try this
# Change the numbers.
"""


def _jupyter_options() -> dict:
    """mkdocs-jupyter's options in the site's mkdocs.yml."""
    real = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    (options,) = [p["mkdocs-jupyter"] for p in real["plugins"]
                  if isinstance(p, dict) and "mkdocs-jupyter" in p]
    return {k: yaml.safe_load(v) if isinstance(v, str) else v for k, v in options.items()}


JUPYTER_OPTIONS = _jupyter_options()


def make_site(folder: Path, *, with_glossary: bool) -> Path:
    """A small site using the real hook: a concept page that says "gain" and shows no
    figure, a tutorial, and (if `with_glossary`) a glossary and a CITATION.cff."""
    docs = folder / "docs"
    (docs / "concepts").mkdir(parents=True)
    (docs / "tutorials").mkdir()
    (docs / "index.md").write_text("# Home\n")
    (docs / "concepts" / "a.md").write_text("# A concept\n\nThe gain matters.\n")
    (docs / "tutorials" / "index.md").write_text("# Tutorials\n\n## Run them {#run-locally}\n")
    (docs / "tutorials" / "tiny.py").write_text(TUTORIAL)
    nav = [{"Home": "index.md"}, {"A": "concepts/a.md"},
           {"Tutorials": ["tutorials/index.md", "tutorials/tiny.py"]}]
    if with_glossary:
        (docs / "glossary.md").write_text("# Glossary\n\n## Gain {#gain}\n\nA factor.\n")
        nav.append({"Glossary": "glossary.md"})
        (folder / "CITATION.cff").write_text(
            f"cff-version: 1.2.0\nmessage: m\ntitle: Tiny\nauthors:\n  - name: Tiny team\n"
            f"version: {initnotes.__version__}\ndate-released: 2030-01-02\n")
    config = {
        "site_name": "tiny", "site_url": "https://example.org/tiny/", "docs_dir": str(docs),
        "theme": {"name": "material", "font": False}, "hooks": [str(HOOK)],
        "plugins": [{"mkdocs-jupyter": JUPYTER_OPTIONS}],
        "markdown_extensions": ["attr_list", "md_in_html"],
        "nav": nav,
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder / "mkdocs.yml"


def build_in_process(config_file: Path, site: Path) -> Path:
    build(load_config(str(config_file), site_dir=str(site)))
    return site


def test_builds_in_one_process_share_no_state(tmp_path, monkeypatch, caplog):
    """A full build, then a plain build of the same site, then a full build of a site
    without glossary or citation, all in this process (as `mkdocs serve` rebuilds): each
    page shows only what its own build made.

    (With the build's state in module globals, the plain build took the full build's
    executed tutorial for its own and failed.) The tiny sites show no figure and declare
    no run, so figures and runs are switched off here (the cache would otherwise draw the whole registry); the tutorial runs.
    """
    monkeypatch.setenv("INITNOTES_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("INITNOTES_PLAIN", raising=False)
    monkeypatch.delenv(cite.MIKE_VERSION_VAR, raising=False)
    monkeypatch.setattr(Cache, "figure_specs", lambda self: {})
    monkeypatch.setattr(Cache, "ensure_runs", lambda self, jobs=None: ([], []))
    monkeypatch.setattr(runs, "_ACTIVE", [])  # the build activates its store; undone afterwards
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.initnotes")
    with_glossary = make_site(tmp_path / "a", with_glossary=True)
    without = make_site(tmp_path / "b", with_glossary=False)

    full = build_in_process(with_glossary, tmp_path / "site-full")
    assert "initnotes: runs: 0 computed, 0 reused" in caplog.messages
    monkeypatch.setenv("INITNOTES_PLAIN", "1")
    plain = build_in_process(with_glossary, tmp_path / "site-plain")
    monkeypatch.setenv("INITNOTES_PLAIN", "0")
    other = build_in_process(without, tmp_path / "site-other")

    def page(site: Path, path: str) -> str:
        return (site / path / "index.html").read_text(encoding="utf-8")

    term = f'class="{glossary.LINK_CLASS}"'
    assert term in page(full, "concepts/a") and 'id="cite-this-page"' in page(full, "concepts/a")
    assert term in page(plain, "concepts/a") and 'id="cite-this-page"' in page(plain, "concepts/a")
    assert term not in page(other, "concepts/a") and "cite-this-page" not in page(other, "concepts/a")
    box, css = "initnotes-notebook-box", "assets/notebooks/jupyterlab.css"
    assert box in page(full, "tutorials/tiny") and css in page(full, "tutorials/tiny")
    # The plain build executes nothing: its tutorial page is mkdocs-jupyter's own, without
    # the full build's downloads or shared stylesheet.
    assert box not in page(plain, "tutorials/tiny") and css not in page(plain, "tutorials/tiny")
    assert not (plain / "tutorials" / "tiny" / "tiny.ipynb").exists()
    assert box in page(other, "tutorials/tiny") and "<pre>42\n</pre>" in page(other, "tutorials/tiny")

"""CITATION.cff and the citations the build writes on pages (`initnotes.cite`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError

import initnotes
from initnotes import cite
from initnotes.build import Citations, configure

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "tests" / "data" / "cff-1.2.0-schema.json"


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even if it uses tags such as !ENV or !!python/name."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_yaml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)


def cff_as_json() -> dict:
    """CITATION.cff as the schema sees it: YAML dates become strings (the schema says so)."""
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    return json.loads(json.dumps(data, default=lambda o: o.isoformat()))


def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


# --------------------------------------------------------------------------- CITATION.cff

def test_vendored_schema_is_cff_1_2_0():
    """The schema in tests/data is the published CFF 1.2.0 schema (draft 7)."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    assert set(schema["required"]) == {"authors", "cff-version", "message", "title"}


def test_citation_cff_is_valid_cff_1_2():
    """CITATION.cff validates against the CFF 1.2.0 JSON schema."""
    data = cff_as_json()
    assert data["cff-version"] == "1.2.0"
    errors = sorted(validator().iter_errors(data), key=str)
    assert errors == [], "\n".join(e.message for e in errors)


@pytest.mark.parametrize("breakage", [
    lambda d: d.pop("authors"),
    lambda d: d.update({"date-released": "26 November 2026"}),
    lambda d: d.update({"license": "CC-BY-4"}),
    lambda d: d.update({"unknown-key": 1}),
])
def test_schema_check_catches_a_broken_cff(breakage):
    """The same validation rejects a CITATION.cff with a typical mistake (so it can fail)."""
    data = cff_as_json()
    breakage(data)
    assert list(validator().iter_errors(data))


def test_cff_version_is_the_package_version():
    assert str(cff_as_json()["version"]) == initnotes.__version__


def test_cff_url_is_the_site_url():
    """The address in CITATION.cff is site_url from mkdocs.yml, which the pages cite."""
    assert cff_as_json()["url"] == read_yaml(ROOT / "mkdocs.yml")["site_url"]


def test_cff_release_date_is_a_real_date():
    dt.date.fromisoformat(cff_as_json()["date-released"])


# --------------------------------------------------------------------------- formats

WORK = cite.Work(site_name="initnotes", title="initnotes: a title", authors=("A. Author", "B. Author"),
                 version="1.2.3", year=2031, root_url="https://example.org/notes/")


def test_url_is_versioned():
    assert WORK.url("concepts/he/") == "https://example.org/notes/1.2.3/concepts/he/"
    assert WORK.url() == "https://example.org/notes/1.2.3/"


def test_plain_text_citation():
    assert cite.page_plain(WORK, "He initialization", "concepts/he/") == (
        "A. Author and B. Author (2031). He initialization. In *initnotes*, version 1.2.3. "
        "<https://example.org/notes/1.2.3/concepts/he/>"
    )


def test_bibtex_entry():
    assert cite.page_bibtex(WORK, "He & Kaiming, 100% $\\sqrt{2}$", "concepts/he/") == textwrap.dedent(r"""
        @misc{initnotes-concepts-he,
          author       = {{A. Author and B. Author}},
          title        = {{He \& Kaiming, 100\% $\sqrt{2}$}},
          howpublished = {\url{https://example.org/notes/1.2.3/concepts/he/}},
          year         = {2031},
          note         = {initnotes, version 1.2.3}
        }""").strip()


#: The fields of a ``@misc`` entry each bibliography style prints, in the order it prints
#: them (read from plain.bst and plainnat.bst of TeX Live 2024, and biblatex 3.20's standard
#: ``misc`` driver); a field outside the list is ignored by that style.
PRINTED_FIELDS = {
    "plain": ("author", "title", "howpublished", "month", "year", "note"),
    "plainnat": ("author", "title", "howpublished", "month", "year", "isbn", "issn", "doi",
                 "note", "eprint", "url"),
    "biblatex": ("author", "editor", "title", "subtitle", "titleaddon", "language",
                 "howpublished", "type", "version", "note", "organization", "location",
                 "month", "year", "addendum", "pubstate", "doi", "eprint", "url", "urldate"),
}


def parsed(entry: str):
    """The one entry of `entry` (BibTeX text), parsed by pybtex."""
    from pybtex.database import parse_string

    data = parse_string(entry, "bibtex")
    assert len(data.entries) == 1
    return next(iter(data.entries.values()))


def printed_text(entry, style: str) -> str:
    """What `style` prints of `entry`: the raw text of the fields it uses, in its order."""
    parts = []
    for field in PRINTED_FIELDS[style]:
        if field == "author":
            parts += [str(p) for p in entry.persons.get("author", [])]
        elif field in entry.fields:
            parts.append(entry.fields[field])
    return " | ".join(parts)


ENTRIES = {
    "page": lambda: cite.page_bibtex(WORK, "He & Kaiming", "concepts/he/"),
    "site": lambda: cite.site_bibtex(WORK),
}


@pytest.mark.parametrize("style", sorted(PRINTED_FIELDS))
@pytest.mark.parametrize("which", sorted(ENTRIES))
def test_bibtex_prints_address_and_version_once_in_each_style(which, style):
    """Under plain, plainnat and biblatex the address and the version (outside the address)
    appear exactly once,
    and every field of the entry is one the style prints (nothing silently dropped)."""
    entry = parsed(ENTRIES[which]())
    assert entry.type == "misc"
    assert set(entry.fields) | {"author"} == set(cite.BIBTEX_FIELDS)
    assert set(cite.BIBTEX_FIELDS) <= set(PRINTED_FIELDS[style])
    text = printed_text(entry, style)
    url = WORK.url("concepts/he/") if which == "page" else WORK.url()
    assert text.count("https://") == 1, text
    assert text.count(url) == 1, text
    assert text.replace(url, "").count(WORK.version) == 1, text  # the address holds it too
    assert text.count(str(WORK.year)) == 1, text


@pytest.mark.parametrize("which", sorted(ENTRIES))
def test_bibtex_renders_once_with_pybtex_plain_style(which):
    """pybtex's own rendering (its ``plain`` style prints ``howpublished`` and ``url``, as
    plainnat does) names the address, the version and the year once each."""
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    data = parse_string(ENTRIES[which](), "bibtex")
    style = find_plugin("pybtex.style.formatting", "plain")()
    text = next(iter(style.format_bibliography(data))).text.render_as("text")
    url = WORK.url("concepts/he/") if which == "page" else WORK.url()
    assert text.count(url) == 1, text
    assert text.replace(url, "").count(WORK.version) == 1, text  # the address holds it too
    assert text.count(str(WORK.year)) == 1, text
    assert "A. Author and B. Author" in text


def test_bibtex_author_is_one_corporate_name():
    """The author list is braced as one name, so BibTeX never abbreviates or reorders it."""
    work = cite.Work("initnotes", "t", ("The initnotes authors",), "1.0.0", 2030, "https://x/")
    entry = parsed(cite.site_bibtex(work))
    assert [str(p) for p in entry.persons["author"]] == ["{The initnotes authors}"]


def test_bibtex_escape_leaves_math_alone():
    assert cite.bibtex_escape("a_b # c $x_1$ ~") == r"a\_b \# c $x_1$ \textasciitilde{}"


def test_three_authors_are_joined_with_commas():
    work = cite.Work("s", "t", ("A", "B", "C"), "1", 2000, "https://x/")
    assert work.author_text == "A, B and C"


def test_figure_credit_names_source_and_licence():
    line = cite.figure_credit(WORK, "he-signal", "concepts/he/", 2)
    assert line.startswith("Figure 2 (`he-signal`) from A. Author and B. Author, *initnotes*, version 1.2.3")
    assert "<https://example.org/notes/1.2.3/concepts/he/#fig-he-signal>" in line
    assert "[CC BY 4.0](https://creativecommons.org/licenses/by/4.0/)" in line


def test_title_is_the_first_h1_outside_code():
    md = "```python\n# not a title\n```\n\n# Real title {#top}\n\n## Section\n"
    assert cite.markdown_title(md) == "Real title"
    assert cite.markdown_title("no heading", fallback="From nav") == "From nav"
    with pytest.raises(cite.CitationError, match="needs a '# Title'"):
        cite.markdown_title("no heading")


def test_page_block_lists_each_figure_once_in_order():
    md = "# T\n\n{{ figure:b-fig }}\n\n{{ figure:a-fig }}\n\n{{ figure:b-fig }}\n"
    block = cite.page_block(WORK, "T", "p/", cite.figures_in(md))
    assert block.startswith("## Cite this page {#cite-this-page}")
    assert block.index("Figure 1 (`b-fig`)") < block.index("Figure 2 (`a-fig`)")
    assert "Figure 3" not in block


# --------------------------------------------------------------------------- metadata

CFF = {"title": "T", "authors": [{"given-names": "Ada", "family-names": "Lovelace"}, {"name": "Team"}],
       "version": initnotes.__version__, "date-released": "2030-05-01"}


def test_work_from_cff():
    work = cite.work_from_cff(CFF, site_name="s", site_url="https://x.org/y")
    assert work.authors == ("Ada Lovelace", "Team")
    assert work.year == 2030 and work.root_url == "https://x.org/y/"


@pytest.mark.parametrize("change, message", [
    ({"version": "9.9.9"}, "says version '9.9.9' but initnotes.__version__ is"),
    ({"date-released": "May 2030"}, "date-released must be YYYY-MM-DD, got 'May 2030'"),
    ({"title": ""}, "needs 'title'"),
    ({"authors": [{"given-names": "Ada"}]}, "neither 'name' nor 'family-names'"),
])
def test_inconsistent_cff_is_rejected(change, message):
    with pytest.raises(cite.CitationError, match=message.replace("(", r"\(")):
        cite.work_from_cff({**CFF, **change}, site_name="s", site_url="https://x/")


def test_site_url_is_required():
    with pytest.raises(cite.CitationError, match="site_url must be set"):
        cite.work_from_cff(CFF, site_name="s", site_url=None)


@pytest.mark.parametrize("site_url, version, canonical, expected", [
    ("https://x.org/notes/", None, None, "https://x.org/notes/"),
    ("https://x.org/notes/0.1.0", "0.1.0", None, "https://x.org/notes/"),
    ("https://x.org/notes/latest", "0.1.0", "latest", "https://x.org/notes/"),
    ("https://x.org/notes/", "0.1.0", None, "https://x.org/notes/"),
])
def test_published_root_undoes_mikes_version_suffix(site_url, version, canonical, expected):
    assert cite.published_root(site_url, version, canonical) == expected


# --------------------------------------------------------------------------- the build's feature

def citations(config) -> Citations:
    """The build's citations feature, after its on_config for `config`."""
    feature = configure(Citations())
    feature.on_config(config)
    return feature


def make_site(tmp_path: Path, *, cff: bool = True, version: str = initnotes.__version__) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: demo\nsite_url: https://example.org/demo/\n"
        "extra:\n  version:\n    provider: mike\n"
    )
    if cff:
        (tmp_path / "CITATION.cff").write_text(
            f"cff-version: 1.2.0\nmessage: m\ntitle: Demo\nauthors:\n  - name: Demo team\n"
            f"version: {version}\ndate-released: 2030-01-02\n"
        )
    return tmp_path / "mkdocs.yml"


def test_plain_build_turns_the_version_selector_off(tmp_path, monkeypatch):
    """Without mike there is no versions.json, so Material must not ask for one."""
    monkeypatch.delenv(cite.MIKE_VERSION_VAR, raising=False)
    config = load_config(str(make_site(tmp_path)))
    feature = citations(config)
    assert "version" not in config["extra"]
    assert feature.work.url("a/") == f"https://example.org/demo/{initnotes.__version__}/a/"


def test_mike_build_keeps_the_selector_and_the_unversioned_root(tmp_path, monkeypatch):
    monkeypatch.setenv(cite.MIKE_VERSION_VAR, initnotes.__version__)
    config = load_config(str(make_site(tmp_path)))
    config["site_url"] = f"https://example.org/demo/{initnotes.__version__}"  # what mike does
    feature = citations(config)
    assert config["extra"]["version"]["provider"] == "mike"
    assert feature.work.root_url == "https://example.org/demo/"


def test_mike_deploying_another_version_fails(tmp_path, monkeypatch):
    """A release must be deployed under the package's version, which the citations name."""
    monkeypatch.setenv(cite.MIKE_VERSION_VAR, "7.7.7")
    config = load_config(str(make_site(tmp_path)))
    with pytest.raises(PluginError, match="mike is deploying version '7.7.7'"):
        citations(config)


def test_cff_disagreeing_with_the_package_fails_the_build(tmp_path, monkeypatch):
    monkeypatch.delenv(cite.MIKE_VERSION_VAR, raising=False)
    config = load_config(str(make_site(tmp_path, version="0.0.1")))
    with pytest.raises(PluginError, match="says version '0.0.1'"):
        citations(config)


def test_without_cff_a_cite_placeholder_fails(tmp_path, monkeypatch):
    monkeypatch.delenv(cite.MIKE_VERSION_VAR, raising=False)
    config = load_config(str(make_site(tmp_path, cff=False)))
    feature = citations(config)

    class Page:
        class file:
            src_uri = "cite.md"
        meta: dict = {}
        url = "cite/"
        title = "Cite"

    assert feature.on_page_markdown("# x\n", page=Page, config=config, files=None) == "# x\n"
    with pytest.raises(PluginError, match="needs CITATION.cff"):
        feature.on_page_markdown("{{ cite:site }}", page=Page, config=config, files=None)


# --------------------------------------------------------------------------- the build's timestamp

def test_release_epoch_is_midnight_utc_of_the_release_date():
    assert cite.release_epoch({"date-released": "2026-11-26"}) == 1795651200
    with pytest.raises(cite.CitationError, match="date-released must be YYYY-MM-DD, got 'soon'"):
        cite.release_epoch({"date-released": "soon"})


def test_makefile_timestamp_is_the_cff_release_date():
    """`make` exports SOURCE_DATE_EPOCH computed from CITATION.cff's date-released (sitemap
    dates are the release date), unless the caller sets one."""
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "MAKEFLAGS", "MAKELEVEL")}
    out = subprocess.run(["make", "-s", "--no-print-directory", "source-date-epoch"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == str(cite.release_epoch(cite.load_cff(ROOT / cite.CFF_FILE)))
    env["SOURCE_DATE_EPOCH"] = "42"
    out = subprocess.run(["make", "-s", "--no-print-directory", "source-date-epoch"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "42"


def test_load_cff_needs_only_declared_dependencies():
    """PyYAML, which `load_cff` imports, is a dependency of the package (not only of its tests)."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert any(d.lower().startswith("pyyaml") for d in deps)
    pins = (ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8").lower().splitlines()
    assert any(line.startswith("pyyaml==") for line in pins)


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_bibtex_itself_prints_address_and_version_once(tmp_path, style):
    """Where a real BibTeX is installed (Debian: texlive-latex-base, texlive-latex-recommended),
    its ``plain`` and ``plainnat`` write the address and the version once per entry."""
    import re
    import shutil
    import subprocess

    if shutil.which("bibtex") is None or shutil.which("kpsewhich") is None:
        pytest.skip("BibTeX is not installed (apt-get install texlive-latex-recommended)")
    if not subprocess.run(["kpsewhich", f"{style}.bst"], capture_output=True, text=True).stdout.strip():
        pytest.skip(f"{style}.bst is not installed")
    (tmp_path / "refs.bib").write_text(ENTRIES["page"]() + "\n\n" + ENTRIES["site"]() + "\n", encoding="utf-8")
    (tmp_path / "doc.aux").write_text(f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{refs}}\n",
                                      encoding="utf-8")
    subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, check=True, timeout=30)
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    items = {re.search(r"\{([^{}]*)\}\s", i).group(1): " ".join(i.split())
             for i in re.split(r"\\bibitem(?:\[[^\n]*\])?", bbl)[1:]}
    urls = {cite.bibtex_key(WORK, "concepts/he/"): WORK.url("concepts/he/"), cite.bibtex_key(WORK): WORK.url()}
    assert set(items) == set(urls)
    for key, text in items.items():
        assert text.count("https://") == 1, text
        assert text.count(urls[key]) == 1, text
        assert text.replace(urls[key], "").count(WORK.version) == 1, text


def test_cite_page_example_credit_has_the_format_of_the_pages():
    """The Cite-and-reuse page's example ({{ cite:figure }}) reads like the credit lines the
    pages generate: the first figure of its page is "Figure 1 (`NAME`) from ..."."""
    line = cite.placeholder_text(WORK, "figure", lambda: ("beyond-lsuv", "concepts/beyond/"))
    assert line == cite.figure_credit(WORK, "beyond-lsuv", "concepts/beyond/", 1)
    assert line.startswith("Figure 1 (`beyond-lsuv`) from ")
    assert cite.placeholder_text(WORK, "figure", lambda: None).startswith("Figure `NAME` from ")

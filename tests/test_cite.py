"""CITATION.cff and the citations the build writes on pages (`initnotes.cite`)."""

from __future__ import annotations

import datetime as dt
import json
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


def test_no_address_is_written_down_in_the_repository():
    """The site's and the repository's addresses come from the environment where the site
    is published (INITNOTES_SITE_URL, INITNOTES_REPO_URL), not from a file that could
    name a placeholder."""
    assert "url" not in cff_as_json() and "repository-code" not in cff_as_json()
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_url: !ENV INITNOTES_SITE_URL\n" in text
    assert "repository: !ENV INITNOTES_REPO_URL\n" in text
    assert "github.com/initnotes" not in text and "initnotes.github.io" not in text


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
          url          = {https://example.org/notes/1.2.3/concepts/he/},
          version      = {1.2.3},
          year         = {2031},
          note         = {initnotes, version 1.2.3}
        }""").strip()


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


def test_without_an_address_citations_name_the_version_and_build_date(monkeypatch):
    """A local build (no INITNOTES_SITE_URL) invents no address: every citation names the
    version and the build date (from SOURCE_DATE_EPOCH)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764115200")  # 2025-11-26 00:00 UTC
    work = cite.work_from_cff(CFF, site_name="s", site_url=None)
    assert work.root_url is None and work.url("a/") is None and work.built == "2025-11-26"
    texts = [cite.page_plain(work, "T", "a/"), cite.site_plain(work),
             cite.page_bibtex(work, "T", "a/"), cite.site_bibtex(work),
             cite.figure_credit(work, "fig", "a/", 1),
             cite.placeholder_text(work, "published", lambda: None)]
    for text in texts:
        assert "http" not in text.replace(cite.LICENSE_URL, ""), text
        assert "None" not in text, text
    for text in texts[:5]:
        assert initnotes.__version__ in text and "2025-11-26" in text, text
    assert "url" not in cite.page_bibtex(work, "T", "a/").replace("\\url", "")
    with pytest.raises(cite.CitationError, match="INITNOTES_SITE_URL"):
        cite.placeholder_text(work, "url", lambda: None)


def test_with_an_address_published_names_it():
    work = cite.work_from_cff(CFF, site_name="s", site_url="https://x.org/y")
    assert cite.placeholder_text(work, "published", lambda: None) == (
        f"published at <https://x.org/y/{initnotes.__version__}/>")


@pytest.mark.parametrize("epoch", ["yesterday", "1.5"])
def test_a_bad_source_date_epoch_is_named(monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(ValueError, match=repr(epoch)):
        cite.build_date()


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

"""The teaching kit in the built site: citations, stable anchors, figure downloads and
export, glossary links, API reference, versions (mike) and the print page."""

from __future__ import annotations

import datetime as dt
import html
import os
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

import initnotes
from initnotes import anchors, registry
from shared_build import EPOCH  # CITATION.cff's release date, as the Makefile exports it

pytestmark = pytest.mark.site

ROOT = Path(__file__).resolve().parents[2]
CONCEPTS = sorted((ROOT / "docs" / "concepts").glob("*.md"))
FIGURE_RE = re.compile(r"\{\{\s*figure\s*:\s*([^}\s]*)\s*\}\}")


class _AnyTagLoader(yaml.SafeLoader):
    pass


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)
MKDOCS = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_AnyTagLoader)
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
VERSION = initnotes.__version__
YEAR = dt.date.fromisoformat(str(CFF["date-released"])).year
SITE_URL = MKDOCS["site_url"].rstrip("/") + "/"


def page_html(site: Path, src: Path) -> str:
    rel = src.relative_to(ROOT / "docs").with_suffix("")
    return (site / rel / "index.html").read_text(encoding="utf-8")


def page_url(src: Path) -> str:
    return src.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/"


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("¶", "").strip()


def article(page: str) -> str:
    """The page's content (between the <article> tags)."""
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page, re.DOTALL)
    assert m, "no article"
    return m.group(1)


def figures_in(src: Path) -> list[str]:
    return list(dict.fromkeys(FIGURE_RE.findall(src.read_text(encoding="utf-8"))))


# --------------------------------------------------------------------------- citations

@pytest.mark.parametrize("src", CONCEPTS, ids=lambda p: p.stem)
def test_concept_page_cites_itself(site, src):
    """Each concept page ends with its citation: title, version, year and versioned URL,
    as plain text and BibTeX."""
    body = article(page_html(site, src))
    title = text_of(re.search(r"<h1[^>]*>(.*?)</h1>", body, re.DOTALL).group(1))
    url = f"{SITE_URL}{VERSION}/{page_url(src)}"
    heading = re.search(r'<h2 id="cite-this-page"[^>]*>', body)
    assert heading, "no citation section"
    head = heading.start()
    assert "<h2" not in body[head + 5:], "the citation is the last section"
    block = body[head:]
    plain = text_of(re.search(r'<div class="initnotes-cite">\s*<p>(.*?)</p>', block, re.DOTALL).group(1))
    assert plain == f"{CFF['authors'][0]['name']} ({YEAR}). {title}. In {MKDOCS['site_name']}, version {VERSION}. {url}"
    assert f'<a href="{url}">' in block
    bibtex = text_of(re.search(r"<pre>(.*?)</pre>", block, re.DOTALL).group(1))
    assert bibtex.startswith("@misc{")
    for field, value in [("title", "{" + title + "}"), ("howpublished", rf"\url{{{url}}}"),
                         ("year", str(YEAR)), ("note", f"{MKDOCS['site_name']}, version {VERSION}")]:
        assert re.search(rf"^\s*{field}\s*=\s*\{{{re.escape(value)}\}},?$", bibtex, re.MULTILINE), field
    for name in figures_in(src):
        assert f"{url}#fig-{name}" in block


def test_cite_page_cites_the_site_and_shows_a_figure_credit(site):
    body = article((site / "cite" / "index.html").read_text(encoding="utf-8"))
    assert f'<a href="{SITE_URL}{VERSION}/">' in body
    assert CFF["title"] in text_of(body)
    credits = re.findall(rf"{re.escape(SITE_URL + VERSION)}/[\w/-]+#fig-([\w-]+)", body)
    assert credits and set(credits) <= set(registry.figures())
    assert "https://creativecommons.org/licenses/by/4.0/" in body


# --------------------------------------------------------------------------- anchors

@pytest.mark.parametrize("src", CONCEPTS, ids=lambda p: p.stem)
def test_headings_publish_their_explicit_ids(site, src):
    """The h2/h3 ids on the page are exactly the ids written in the source (plus the
    citation's), so rewording a heading cannot move its anchor."""
    written = [h.id for h in anchors.headings(src.read_text(encoding="utf-8")) if h.level in (2, 3)]
    published = re.findall(r'<h[23] id="([^"]+)"', article(page_html(site, src)))
    assert published == written + ["cite-this-page"]


@pytest.mark.parametrize("src", CONCEPTS, ids=lambda p: p.stem)
def test_figures_are_anchored_numbered_and_downloadable(site, src):
    """Each figure is anchored by its registered name, numbered in page order, captioned,
    and offers SVG, PNG and PDF links to files that exist."""
    page = article(page_html(site, src))
    page_dir = posixpath.dirname(page_url(src) + "index.html")
    blocks = re.findall(r'<figure class="initnotes-figure" id="fig-([\w-]+)">(.*?)</figure>', page, re.DOTALL)
    assert [name for name, _ in blocks] == figures_in(src)
    for number, (name, block) in enumerate(blocks, 1):
        spec = registry.get_figure(name)
        caption = text_of(re.search(r"<figcaption>(.*?)</figcaption>", block, re.DOTALL).group(1))
        assert caption.startswith(f"Figure {number}. ")
        assert re.search(r'alt="([^"]*)"', block).group(1) == html.escape(spec.alt, quote=True)
        downloads = re.findall(r'<a href="([^"]+)" download>(\w+)</a>', block)
        assert [label for _, label in downloads] == ["SVG", "PNG", "PDF"]
        for href, label in downloads:
            target = site / posixpath.normpath(posixpath.join(page_dir, href))
            assert target == site / "figures" / f"{name}.{label.lower()}"
            assert target.stat().st_size > 0


def test_command_line_exports_the_sites_bytes(site, warm_cache, tmp_path):
    """`python -m initnotes figures` writes exactly the files the site serves: every
    figure through the build's cache, and the first one again from an empty cache."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), INITNOTES_CACHE_DIR=str(warm_cache),
               SOURCE_DATE_EPOCH=EPOCH, MPLBACKEND="Agg")
    subprocess.run([sys.executable, "-m", "initnotes", "figures", "--out", str(tmp_path / "all")],
                   check=True, env=env, capture_output=True)
    published = sorted(p.name for p in (site / "figures").iterdir())
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == published
    for name in published:
        assert (tmp_path / "all" / name).read_bytes() == (site / "figures" / name).read_bytes(), name
    first = next(iter(registry.figures()))
    env["INITNOTES_CACHE_DIR"] = str(tmp_path / "empty-cache")
    subprocess.run([sys.executable, "-m", "initnotes", "figures", "--out", str(tmp_path / "one"),
                    "--name", first], check=True, env=env, capture_output=True)
    for fmt in ("svg", "png", "pdf"):
        assert (tmp_path / "one" / f"{first}.{fmt}").read_bytes() == (site / "figures" / f"{first}.{fmt}").read_bytes()


# --------------------------------------------------------------------------- glossary

SKIP_TAGS = {"a", "code", "pre", "kbd", "samp", "script", "style", "svg", "math", "abbr",
             "h1", "h2", "h3", "h4", "h5", "h6", "summary", "dt"}
SKIP_CLASSES = {"arithmatex", "katex", "initnotes-cite", "admonition-title", "initnotes-downloads",
                "headerlink", "md-button", "highlight"}
VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr", "col", "area", "base", "embed", "track"}


class ProseText(HTMLParser):
    """The text of a page where glossary links belong, and where each term link sits in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, str | None]] = []  # (tag, skipped, term link href)
        self.text = ""
        self.links: list[tuple[int, int, str]] = []  # (start, end, href)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        term = tag == "a" and "initnotes-term" in classes
        skipped = (self.stack and self.stack[-1][1]) or (not term and (tag in SKIP_TAGS or classes & SKIP_CLASSES))
        self.stack.append((tag, bool(skipped), attrs.get("href") if term else None))
        if term:
            self.links.append((len(self.text), -1, attrs["href"]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, _, href = self.stack.pop()
            if href is not None:
                start, _, h = self.links[-1]
                self.links[-1] = (start, len(self.text), h)
            if open_tag == tag:
                break

    def handle_data(self, data):
        if not (self.stack and self.stack[-1][1]):
            self.text += data


def glossary_terms() -> dict[str, list[str]]:
    """Term id -> its spellings, read from the glossary source independently of the code."""
    terms = {}
    for m in re.finditer(r"^## (.+?) \{#([\w-]+)([^}]*)\}$", (ROOT / "docs" / "glossary.md").read_text(), re.MULTILINE):
        aliases = re.search(r'data-aliases="([^"]*)"', m.group(3))
        forms = [m.group(1)] + ([a.strip() for a in aliases.group(1).split(";")] if aliases else [])
        terms[m.group(2)] = forms
    return terms


def first_use(text: str, forms: list[str]) -> tuple[int, int] | None:
    best = None
    for form in forms:
        words = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", form))
        for m in re.finditer(rf"(?<![\w-]){words}(?:e?s)?(?![\w-])", text, re.IGNORECASE):
            if best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[1]):
                best = (m.start(), m.end())
            break
    return best


@pytest.mark.parametrize("src", CONCEPTS, ids=lambda p: p.stem)
def test_first_use_of_each_glossary_term_is_linked(site, src):
    """On a concept page, the first use of every glossary term in the prose (not in
    headings, code, math, links or the citation) links to its entry, and no later one."""
    parser = ProseText()
    parser.feed(article(page_html(site, src)))
    to_glossary = posixpath.relpath("glossary/", page_url(src)) + "/#"
    linked = {href.split("#")[1]: (start, end) for start, end, href in parser.links}
    assert len(linked) == len(parser.links), "a term is linked twice"
    assert all(href.startswith(to_glossary) for _, _, href in parser.links)
    expected = {}
    for ident, forms in glossary_terms().items():
        use = first_use(parser.text, forms)
        if use:
            expected[ident] = use
    assert linked == expected


def test_every_term_link_lands_on_a_glossary_entry(site):
    glossary_ids = set(re.findall(r'id="([^"]+)"', (site / "glossary" / "index.html").read_text()))
    assert set(glossary_terms()) <= glossary_ids
    found = 0
    for path in site.rglob("*.html"):
        if path.parts[len(site.parts)] == "print_page":
            continue
        for href in re.findall(r'<a class="initnotes-term" href="([^"]+)"', path.read_text(encoding="utf-8")):
            found += 1
            target, anchor = href.split("#")
            resolved = posixpath.normpath(posixpath.join(path.parent.relative_to(site).as_posix(), target))
            assert resolved == "glossary", (path, href)
            assert anchor in glossary_ids, (path, href)
    assert found


def test_glossary_and_reference_pages_link_no_terms(site):
    for rel in ["glossary", "reference/init", "cite"]:
        assert "initnotes-term" not in article((site / rel / "index.html").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- reference and nav

EXPERIMENT_MODULES = sorted(p.stem for p in (ROOT / "src" / "initnotes" / "experiments").glob("*.py")
                            if not p.stem.startswith("_"))


@pytest.mark.parametrize("page, ids", [
    ("reference/init", ["initnotes.init.fans", "initnotes.init.gain", "initnotes.init.variance_scaling",
                        "initnotes.init.he_normal", "initnotes.init.orthogonal"]),
    ("reference/nn", ["initnotes.nn.MLP", "initnotes.nn.train", "initnotes.nn.Dense"]),
    ("reference/experiments", [f"initnotes.experiments.{m}" for m in EXPERIMENT_MODULES]),
    ("reference/figures", ["initnotes.pages.Page", "initnotes.runs.RunStore",
                           "initnotes.figures.style.new_figure", "initnotes.render.Cache"]),
])
def test_api_reference_documents_the_package(site, page, ids):
    body = (site / page / "index.html").read_text(encoding="utf-8")
    for ident in ids:
        assert f'id="{ident}"' in body, ident


def test_api_reference_formulas_are_math_not_dollars(site):
    """Docstring formulas ($...$) reach the page as arithmatex spans that KaTeX typesets,
    not as raw dollar signs."""
    body = article((site / "reference" / "init" / "index.html").read_text(encoding="utf-8"))
    spans = re.findall(r'<(?:span|div) class="arithmatex">(.*?)</(?:span|div)>', body, re.DOTALL)
    assert any(r"\text{fan\_in} = \text{shape}[1] \cdot k" in s for s in spans)
    assert any(r"\operatorname{Var}(w)" in s for s in spans)
    prose = re.sub(r'<(code|pre|span class="arithmatex"|div class="arithmatex")[^>]*>.*?</(code|pre|span|div)>', "",
                   body, flags=re.DOTALL)
    assert not re.search(r"\$[^$<>\s][^$<>]*\$", text_of(prose))


def test_every_registered_figure_is_listed_in_the_reference(site):
    body = (site / "reference" / "figures" / "index.html").read_text(encoding="utf-8")
    for name in registry.figures():
        assert f"<code>{name}</code>" in body


def test_navigation_has_reference_glossary_and_cite(site):
    nav = (site / "index.html").read_text(encoding="utf-8")
    for href, label in [("reference/", "Reference"), ("glossary/", "Glossary"), ("cite/", "Cite and reuse"),
                        ("reference/init/", "initnotes.init"), ("print_page/", "Print the course")]:
        assert re.search(rf'href="(\./)?{re.escape(href)}"[^>]*>\s*(<span[^>]*>)?\s*{re.escape(label)}', nav), label


# --------------------------------------------------------------------------- versions

def test_plain_build_has_no_version_selector(site):
    """Without mike there are no other versions: no selector, no request for versions.json."""
    for path in [site / "index.html", site / "concepts" / "symmetry" / "index.html"]:
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                           path.read_text(encoding="utf-8"), re.DOTALL).group(1)
        assert '"version": null' in config
    assert not (site / "versions.json").exists()


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def test_mike_deploys_two_readable_versions(built, tmp_path):
    """Two releases deployed with mike (to a local gh-pages branch of a throwaway copy, no
    push) both stay readable under their own version, each citing itself, with `latest`
    redirecting to the newest and Material's selector switched on."""
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ["mkdocs.yml", "CITATION.cff"]:
        shutil.copy2(ROOT / name, repo / name)
    for name in ["docs", "src", "overrides"]:
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, PYTHONPATH=str(repo / "src"), INITNOTES_CACHE_DIR=str(tmp_path / "cache"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    shutil.copytree(built.cache, tmp_path / "cache")  # figures are drawn already
    mike = [sys.executable, "-c", "import sys; from mike.driver import main; sys.exit(main())"]
    git(repo, "init", "-q")
    releases = [VERSION, "99.0.0"]
    for version in releases:
        if version != VERSION:  # the next release: bump the package and CITATION.cff together
            for rel in ["src/initnotes/__init__.py", "CITATION.cff"]:
                path = repo / rel
                path.write_text(path.read_text().replace(VERSION, version))
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
        subprocess.run(["git", "commit", "-qm", version], cwd=repo, check=True, env=env)
        proc = subprocess.run([*mike, "deploy", "--update-aliases", version, "latest"],
                              cwd=repo, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
    subprocess.run([*mike, "set-default", "latest"], cwd=repo, env=env, check=True, capture_output=True)
    assert git(repo, "branch", "--list", "gh-pages").strip()
    assert not git(repo, "remote").strip()  # nothing could have been pushed

    versions = yaml.safe_load(git(repo, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [("99.0.0", ["latest"]), (VERSION, [])]
    for version in releases:
        page = git(repo, "show", f"gh-pages:{version}/concepts/symmetry/index.html")
        assert f'<a href="{SITE_URL}{version}/concepts/symmetry/">' in page
        assert f"version {version}." in page
        assert '"provider": "mike"' in page
        assert git(repo, "cat-file", "-s", f"gh-pages:{version}/figures/symmetry-weights.svg").strip() != "0"
    latest = git(repo, "show", "gh-pages:latest/concepts/symmetry/index.html")
    assert "../../../99.0.0/concepts/symmetry/" in latest
    assert "latest/" in git(repo, "show", "gh-pages:index.html")
    tree = git(repo, "ls-tree", "-r", "gh-pages")
    assert not re.search(r"^120000 ", tree, re.MULTILINE), "aliases must not be symlinks"


# --------------------------------------------------------------------------- print page

def test_print_page_holds_the_course_but_not_the_api(site):
    body = (site / "print_page" / "index.html").read_text(encoding="utf-8")
    for src in CONCEPTS:
        title = re.search(r"^# (.+?)(?:\s*\{.*\})?$", src.read_text(encoding="utf-8"), re.MULTILINE).group(1)
        assert html.escape(title, quote=False) in body, title
        for name in figures_in(src):
            assert f'id="fig-{name}"' in body
    assert 'id="glossary"' in body
    assert 'id="initnotes.init.variance_scaling"' not in body  # the API reference is left out


OUTSIDE = re.compile(
    r"""<(?:script|img|iframe|source|audio|video|embed|track)\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//"""
    r"""|<link\b(?=[^>]*\brel\s*=\s*["']?(?:stylesheet|preload|modulepreload|icon|prefetch|manifest))[^>]*\bhref\s*=\s*["']?(?:https?:)?//"""
    r"""|\bsrcset\s*=\s*["'][^"']*(?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+(?:url\()?["']?(?:https?:)?//""",
    re.IGNORECASE,
)


def test_print_page_loads_nothing_from_other_hosts(site):
    files = [site / "print_page" / "index.html", *site.rglob("*.css")]
    for path in files:
        assert not OUTSIDE.search(path.read_text(encoding="utf-8")), path


def test_outside_check_catches_outside_resources():
    for bad in ['<script src="https://cdn.example/x.js">', '<link rel="stylesheet" href="//fonts.example/css">',
                '<img src="http://x/y.png">', "body{background:url(https://x/y.png)}", "@import 'https://x/y.css';"]:
        assert OUTSIDE.search(bad), bad
    assert not OUTSIDE.search('<a href="https://creativecommons.org/licenses/by/4.0/">')


@pytest.mark.browser
def test_print_view_in_chromium(served, browser):
    """Printed, the course page shows no navigation chrome, keeps each figure whole on one
    sheet, typesets its math and asks no other host for anything."""
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.emulate_media(media="print")
    page.goto(f"{served}print_page/", wait_until="networkidle")
    for selector in [".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"]:
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("#print-page-toc a").count() > 0
    assert page.locator(".arithmatex .katex").count() > 0
    figures = page.locator("figure.initnotes-figure")
    assert figures.count() >= 1
    a4_printable = (297 - 2 * 10) / 25.4 * 96  # A4 height in CSS px, less small margins
    for i in range(figures.count()):
        fig = figures.nth(i)
        assert fig.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
        assert fig.bounding_box()["height"] < a4_printable
        assert not fig.locator(".initnotes-downloads").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") > 3
    assert [u for u in requests if not u.startswith(served)] == []
    page.close()


@pytest.mark.browser
def test_api_reference_math_is_typeset(served, browser):
    page = browser.new_page()
    page.goto(f"{served}reference/init/", wait_until="networkidle")
    assert page.locator(".arithmatex .katex").count() > 20
    assert page.locator(".katex-error").count() == 0
    page.close()

r"""How the site and its pages are cited, from one source of truth.

``CITATION.cff`` (beside ``mkdocs.yml``) names the authors, the title and the release
date; the version is `initnotes.__version__` (the build fails if the two disagree) and
the address is ``site_url`` from ``mkdocs.yml``, which reads it from the environment
variable ``INITNOTES_SITE_URL`` (the Pages workflow sets it). A build without an address
(a local one) cites the version and the build date and invents no address. From these
the build (its citations feature, `initnotes.build.citations`)

* appends a "Cite this page" section (plain text, BibTeX, and a credit line for each
  figure) to every page under ``concepts/`` (any other page opts in with ``cite: true``
  in its front matter; a concept page opts out with ``cite: false``);
* fills ``{{ cite:site }}`` (the whole site's citation), ``{{ cite:figure }}`` (a
  worked figure credit), ``{{ cite:version }}``, ``{{ cite:url }}`` (the versioned
  address; a build without one fails on it) and ``{{ cite:published }}`` ("published at
  <address>", or the build date) in any page.

Citations point at the *versioned* address, ``<site_url><version>/<page>``: each release
is published under its own version folder (with mike), so what a reader cites stays
what they read. A build run by ``mike deploy`` must deploy the package's own version.

This module knows nothing about MkDocs: it reads the metadata and writes the citations.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import initnotes
from initnotes import placeholders

CFF_FILE = "CITATION.cff"
#: Pages under these folders get a "Cite this page" section.
SECTIONS: tuple[str, ...] = ("concepts/",)
#: Id of the section's heading (stable: it is the same on every page).
HEADING_ID = "cite-this-page"
#: Class of the block under the heading (the glossary links nothing inside it).
BLOCK_CLASS = "initnotes-cite"
#: The environment variable mike sets to the version it is building.
MIKE_VERSION_VAR = "MIKE_DOCS_VERSION"
LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"

#: What ``{{ cite:WHAT }}`` may name.
PLACEHOLDER_NAMES: tuple[str, ...] = ("site", "figure", "version", "url", "published")
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t]*(?:\{[^}]*\})?[ \t]*#*[ \t]*$", re.MULTILINE)


class CitationError(ValueError):
    """The citation metadata is missing or inconsistent."""


@dataclass(frozen=True)
class Work:
    """What every citation of the site names."""

    site_name: str  #: short name, e.g. "initnotes"
    title: str  #: full title of the work (from CITATION.cff)
    authors: tuple[str, ...]
    version: str
    year: int
    root_url: str | None  #: ``site_url``, ending in "/"; None: the build has no address
    built: str = ""  #: the build date, YYYY-MM-DD (`build_date`)

    @property
    def author_text(self) -> str:
        if len(self.authors) <= 2:
            return " and ".join(self.authors)
        return ", ".join(self.authors[:-1]) + " and " + self.authors[-1]

    def url(self, page_url: str = "") -> str | None:
        """The versioned address of a page (``page_url`` as MkDocs gives it, e.g. "a/b/"),
        or None when the build has no address."""
        if self.root_url is None:
            return None
        return f"{self.root_url}{self.version}/{page_url.lstrip('/')}"

    @property
    def unpublished(self) -> str:
        """What a citation says instead of an address: the version and the build date."""
        return f"version {self.version}, built {self.built}" if self.built else f"version {self.version}"


def build_date() -> str:
    """The build's date, YYYY-MM-DD (UTC): from ``SOURCE_DATE_EPOCH`` when it is set (so
    two builds give the same bytes), else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            stamp = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise CitationError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, "
                                f"got {epoch!r}") from None
    else:
        stamp = _dt.datetime.now(tz=_dt.timezone.utc)
    return stamp.date().isoformat()


# --------------------------------------------------------------------------- metadata

def load_cff(path: str | Path) -> dict[str, Any]:
    """Read ``CITATION.cff`` as plain data (YAML dates become ISO strings, as CFF wants)."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CitationError(f"{path} is not a YAML mapping")

    def plain(obj: Any) -> Any:
        if isinstance(obj, (_dt.date, _dt.datetime)):
            return obj.isoformat()
        if isinstance(obj, dict):
            return {k: plain(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [plain(v) for v in obj]
        return obj

    return plain(data)


def _author(entry: dict[str, Any]) -> str:
    if entry.get("name"):
        return str(entry["name"])
    parts = [entry.get("name-particle"), entry.get("family-names"), entry.get("name-suffix")]
    family = " ".join(str(p) for p in parts if p)
    given = entry.get("given-names")
    if not family:
        raise CitationError(f"an author in {CFF_FILE} has neither 'name' nor 'family-names': {entry!r}")
    return f"{given} {family}" if given else family


def work_from_cff(cff: dict[str, Any], *, site_name: str, site_url: str | None,
                  version: str = initnotes.__version__) -> Work:
    """The `Work` described by parsed ``CITATION.cff`` data and the site's name and URL."""
    for key in ("title", "authors", "version", "date-released"):
        if not cff.get(key):
            raise CitationError(f"{CFF_FILE} needs {key!r}")
    if str(cff["version"]) != version:
        raise CitationError(f"{CFF_FILE} says version {cff['version']!r} but "
                            f"initnotes.__version__ is {version!r}; make them agree")
    try:
        year = _dt.date.fromisoformat(str(cff["date-released"])).year
    except ValueError:
        raise CitationError(f"{CFF_FILE} date-released must be YYYY-MM-DD, "
                            f"got {cff['date-released']!r}") from None
    return Work(
        site_name=site_name,
        title=str(cff["title"]).strip(),
        authors=tuple(_author(a) for a in cff["authors"]),
        version=version,
        year=year,
        root_url=site_url.rstrip("/") + "/" if site_url else None,
        built=build_date(),
    )


# --------------------------------------------------------------------------- formats

def markdown_title(markdown: str, fallback: str | None = None) -> str:
    """The page's title: its first ``# `` heading without attribute list, else `fallback`."""
    text = _strip_fences(markdown)
    m = _H1.search(text)
    title = m.group(1) if m else (fallback or "")
    title = title.replace("`", "").strip()
    if not title:
        raise CitationError("a cited page needs a '# Title' heading or a title")
    return title


def _strip_fences(markdown: str) -> str:
    return re.sub(r"^(```|~~~).*?^\1[^\n]*$", "", markdown, flags=re.MULTILINE | re.DOTALL)


def bibtex_escape(text: str) -> str:
    """Escape BibTeX/LaTeX specials outside ``$...$`` math (which is kept as LaTeX)."""
    parts = re.split(r"(\$[^$]+\$)", text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
        else:
            part = re.sub(r"([&%#_])", r"\\\1", part)
            out.append(part.replace("~", r"\textasciitilde{}"))
    return "".join(out)


def bibtex_key(work: Work, page_url: str = "") -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", page_url.strip("/")).strip("-").lower()
    return f"{work.site_name.lower()}-{slug}" if slug else work.site_name.lower()


def page_bibtex(work: Work, title: str, page_url: str) -> str:
    """A BibTeX ``@misc`` entry for one page of one version."""
    url = work.url(page_url)
    fields = [
        ("author", "{" + bibtex_escape(" and ".join(work.authors)) + "}"),
        ("title", "{" + bibtex_escape(title) + "}"),
        ("howpublished", rf"\url{{{url}}}"),
        ("url", url),
        ("version", work.version),
        ("year", str(work.year)),
        ("note", f"{bibtex_escape(work.site_name)}, version {work.version}"),
    ]
    return _bibtex("misc", bibtex_key(work, page_url), _address_fields(work, fields))


def site_bibtex(work: Work) -> str:
    """A BibTeX ``@misc`` entry for the whole site at this version."""
    url = work.url()
    fields = [
        ("author", "{" + bibtex_escape(" and ".join(work.authors)) + "}"),
        ("title", "{" + bibtex_escape(work.title) + "}"),
        ("howpublished", rf"\url{{{url}}}"),
        ("url", url),
        ("version", work.version),
        ("year", str(work.year)),
        ("note", f"Version {work.version}"),
    ]
    return _bibtex("misc", bibtex_key(work), _address_fields(work, fields))


def _address_fields(work: Work, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """`fields` as they are when the build has an address; without one, no field names
    an address and the note says when the cited build was made."""
    if work.root_url is not None:
        return fields
    out = [(name, value) for name, value in fields
           if name not in ("howpublished", "url") and not value.startswith("\\url")]
    built = f"built {work.built}" if work.built else ""
    if built:
        notes = [i for i, (name, _) in enumerate(out) if name == "note"]
        if notes:
            name, value = out[notes[0]]
            out[notes[0]] = (name, f"{value}, {built}")
        else:
            out.append(("note", built))
    return out


def _bibtex(kind: str, key: str, fields: list[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body}\n}}"


def page_plain(work: Work, title: str, page_url: str) -> str:
    """A plain-text (Markdown) citation of one page of one version."""
    url = work.url(page_url)
    if url is None:
        return (f"{work.author_text} ({work.year}). {title}. In *{work.site_name}*, "
                f"{work.unpublished}.")
    return (f"{work.author_text} ({work.year}). {title}. In *{work.site_name}*, "
            f"version {work.version}. <{url}>")


def site_plain(work: Work) -> str:
    """A plain-text (Markdown) citation of the whole site at this version."""
    url = work.url()
    if url is None:
        return f"{work.author_text} ({work.year}). *{work.title}*, {work.unpublished}."
    return f"{work.author_text} ({work.year}). *{work.title}*, version {work.version}. <{url}>"


def figure_credit(work: Work, name: str, page_url: str, number: int | None = None) -> str:
    """The attribution line CC BY 4.0 asks for when a figure is reused (title, author,
    source, licence)."""
    label = f"Figure {number} (`{name}`)" if number is not None else f"Figure `{name}`"
    url = work.url(page_url)
    where = (f"version {work.version}, <{url}#fig-{name}>" if url is not None
             else f"{work.unpublished}, page `{page_url.strip('/') or 'home'}`")
    return (f"{label} from {work.author_text}, *{work.site_name}*, {where}, "
            f"licensed [{LICENSE_NAME}]({LICENSE_URL}).")


def figures_in(markdown: str) -> list[str]:
    """The figures a page shows (``{{ figure:NAME }}`` outside code blocks), each once, in order."""
    return placeholders.names(_strip_fences(markdown), "figure")


def page_block(work: Work, title: str, page_url: str, figures: list[str]) -> str:
    """The Markdown of a page's "Cite this page" section."""
    lines = [
        f"## Cite this page {{#{HEADING_ID}}}",
        "",
        f'<div class="{BLOCK_CLASS}" markdown="1">',
        "",
        page_plain(work, title, page_url),
        "",
        "```bibtex",
        page_bibtex(work, title, page_url),
        "```",
        "",
    ]
    if figures:
        lines += [f"The figures on this page may be reused under {LICENSE_NAME}; "
                  "credit them like this:", ""]
        lines += [f"- {figure_credit(work, name, page_url, i)}" for i, name in enumerate(figures, 1)]
        lines.append("")
    lines += ["</div>", ""]
    return "\n".join(lines)


def site_block(work: Work) -> str:
    return "\n".join([
        f'<div class="{BLOCK_CLASS}" markdown="1">', "",
        site_plain(work), "",
        "```bibtex", site_bibtex(work), "```", "",
        "</div>",
    ])


# --------------------------------------------------------------------------- placeholders

def placeholder_text(work: Work, what: str,
                     example_figure: Callable[[], tuple[str, str] | None]) -> str:
    """The Markdown of ``{{ cite:WHAT }}``.

    ``site`` is the whole site's citation block, ``version`` and ``url`` the version and
    its address (a build without an address fails on ``url``: it would have to invent
    one), ``published`` "published at <address>" or, without an address, the build date,
    ``figure`` a worked figure credit: for the figure ``example_figure()`` names (figure
    name, page URL), or a template if it names none.
    """
    if what == "site":
        return site_block(work)
    if what == "version":
        return work.version
    if what == "url":
        url = work.url()
        if url is None:
            raise CitationError("{{ cite:url }} needs the site's address: set INITNOTES_SITE_URL "
                                "(or use {{ cite:published }})")
        return url
    if what == "published":
        url = work.url()
        if url is None:
            return (f"built on {work.built} by a build with no published address "
                    "(set `INITNOTES_SITE_URL` to give it one)")
        return f"published at <{url}>"
    if what == "figure":
        name, url = example_figure() or ("NAME", "PAGE/")
        return figure_credit(work, name, url)
    raise CitationError(f"unknown citation {what!r}; known: {', '.join(PLACEHOLDER_NAMES)}")


# --------------------------------------------------------------------------- versions

def published_root(site_url: str | None, mike_version: str | None,
                   canonical_version: str | None = None) -> str | None:
    """``site_url`` as written in ``mkdocs.yml``, undoing the version mike appends to it
    while it builds one version."""
    if not site_url or not mike_version:
        return site_url
    for suffix in (canonical_version, mike_version):
        if suffix and site_url.rstrip("/").endswith("/" + suffix):
            return site_url.rstrip("/")[: -len(suffix)]
    return site_url

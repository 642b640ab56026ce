"""Plain helpers for the checks of the built site (no pytest in here).

Shared by the tests in this folder and by ``benchmarks/build_bench.py``:

* read ``mkdocs.yml`` (site URL, nav) without running MkDocs;
* scan a built HTML page with the standard library's parser (ids, every URL it
  references, images, inline CSS and scripts, text outside code);
* find the URLs a stylesheet or a script would load;
* serve the built site on 127.0.0.1 under the path it is published at;
* find Chromium and the flags it is started with.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]

def listing(problems: list[str], what: str = "problems", limit: int = 40) -> str:
    """Problems one per line, at most `limit` of them (and how many more), for a failure."""
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} {what}:\n" + "\n".join(problems[:limit]) + more


# --------------------------------------------------------------------------- config


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its tags (!ENV, !!python/name:...)."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_config(path: Path = ROOT / "mkdocs.yml") -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)  # noqa: S506


#: The address the test builds are published at (INITNOTES_SITE_URL; mkdocs.yml reads it
#: with !ENV): a reserved domain nothing loads from, under a path, as on GitHub Pages.
SITE_URL = "https://initnotes.example/initnotes/"


def site_url(config: dict) -> str:
    """The published address of the site, ending in '/' (MkDocs needs it for the 404 page):
    mkdocs.yml's if it names one, else the one the test builds set (`SITE_URL`)."""
    url = config.get("site_url") or SITE_URL
    return url if url.endswith("/") else url + "/"


def site_prefix(config: dict) -> str:
    """The path the site is published under, e.g. '/initnotes/'."""
    return urlsplit(site_url(config)).path or "/"


def nav_pages(config: dict) -> list[tuple[str, str]]:
    """(title, source path) of every page in the nav, in order; links to other sites left out."""
    out: list[tuple[str, str]] = []

    def walk(items, title=None):
        if isinstance(items, str):
            if "://" not in items:
                out.append((title or "", items))
        elif isinstance(items, dict):
            for key, value in items.items():
                walk(value, key)
        elif isinstance(items, list):
            for item in items:
                walk(item, title)

    walk(config.get("nav") or [])
    return out


def page_url(src: str) -> str:
    """The site-relative URL MkDocs gives a source page (directory URLs): 'a/b.md' -> 'a/b/'."""
    stem = src.rsplit(".", 1)[0]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


# --------------------------------------------------------------------------- HTML scan

# (tag, attribute) pairs whose value is a URL.
URL_ATTRS = {
    ("a", "href"), ("area", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
    ("img", "srcset"), ("source", "src"), ("source", "srcset"), ("video", "src"),
    ("video", "poster"), ("audio", "src"), ("track", "src"), ("iframe", "src"),
    ("frame", "src"), ("embed", "src"), ("object", "data"), ("input", "src"),
    ("use", "href"), ("use", "xlink:href"), ("image", "href"), ("image", "xlink:href"),
}
# Of those, the ones a browser follows only when the reader clicks.
NAVIGATION_ATTRS = {("a", "href"), ("area", "href")}
# <link rel=...> values that make the browser fetch or connect (the rest only describe).
LOADING_RELS = {
    "stylesheet", "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed",
    "mask-icon", "manifest", "preload", "prefetch", "modulepreload", "preconnect",
    "dns-prefetch", "prerender",
}
# Tags whose text is code or not text: TeX found there is not untypeset math.
NOT_PROSE = {"script", "style", "pre", "code", "textarea", "kbd", "samp", "template", "svg", "math"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}

# TeX left as text: \(, \[, $$, a \command, or $...$ holding TeX characters.
RAW_TEX = re.compile(r"\\[()\[\]]|\$\$|\\[A-Za-z]{2,}|\$[^$\n]{0,200}?[\\^_{}][^$\n]{0,200}?\$")


@dataclass
class Ref:
    """One URL in a page: where it is and whether the browser loads it by itself."""

    tag: str
    attr: str
    value: str
    line: int
    loads: bool


@dataclass
class Img:
    attrs: dict[str, str]
    line: int


@dataclass
class HtmlScan:
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    imgs: list[Img] = field(default_factory=list)
    figures: int = 0                                              # <figure> elements
    styles: list[tuple[int, str]] = field(default_factory=list)   # <style> and style=""
    scripts: list[tuple[int, str]] = field(default_factory=list)  # inline <script> bodies
    prose: list[str] = field(default_factory=list)                # text outside NOT_PROSE
    classes: set[str] = field(default_factory=set)
    components: set[str] = field(default_factory=set)             # data-md-component values
    base: str | None = None
    refresh: list[tuple[int, str]] = field(default_factory=list)  # <meta http-equiv=refresh>

    @property
    def has_math(self) -> bool:
        """The page as built holds math: arithmatex elements or TeX in its text."""
        return "arithmatex" in self.classes or bool(RAW_TEX.search(" ".join(self.prose)))


def srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = HtmlScan()
        self.stack: list[str] = []
        self.in_script = self.in_style = False
        self.buffer: list[str] = []
        self.buffer_line = 0

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        line = self.getpos()[0]
        s = self.scan
        if "id" in a:
            s.ids.add(a["id"])
        if tag == "a" and "name" in a:
            s.ids.add(a["name"])
        s.classes.update(a.get("class", "").split())
        if "data-md-component" in a:
            s.components.add(a["data-md-component"])
        if "style" in a:
            s.styles.append((line, a["style"]))
        if tag == "base" and "href" in a:
            s.base = a["href"]
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            s.refresh.append((line, a.get("content", "")))
        rels = set(a.get("rel", "").lower().split())
        for attr, value in a.items():
            if (tag, attr) not in URL_ATTRS:
                continue
            loads = (tag, attr) not in NAVIGATION_ATTRS and (tag != "link" or bool(rels & LOADING_RELS))
            urls = srcset_urls(value) if attr == "srcset" else [value]
            for url in urls:
                s.refs.append(Ref(tag, attr, url.strip(), line, loads))
        if tag == "img":
            s.imgs.append(Img(a, line))
        if tag == "figure":
            s.figures += 1
        if tag == "script":
            self.in_script, self.buffer, self.buffer_line = True, [], line
        if tag == "style":
            self.in_style, self.buffer, self.buffer_line = True, [], line
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        while self.stack:
            top = self.stack.pop()
            self._close(top)
            if top == tag:
                break

    def _close(self, tag):
        if tag == "script" and self.in_script:
            body = "".join(self.buffer)
            if body.strip():
                self.scan.scripts.append((self.buffer_line, body))
            self.in_script = False
        elif tag == "style" and self.in_style:
            self.scan.styles.append((self.buffer_line, "".join(self.buffer)))
            self.in_style = False

    def handle_data(self, data):
        if self.in_script or self.in_style:
            self.buffer.append(data)
            return
        if not NOT_PROSE.intersection(self.stack):
            self.scan.prose.append(data)


def scan_html(text: str) -> HtmlScan:
    parser = _Scanner()
    parser.feed(text)
    parser.close()
    return parser.scan


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --------------------------------------------------------------------------- CSS and JS

_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


def css_urls(css: str) -> list[str]:
    """Every URL a stylesheet (or a style="" attribute) can make the browser fetch."""
    css = _CSS_COMMENT.sub("", css)
    out = []
    for rx in (_CSS_URL, _CSS_IMPORT):
        for m in rx.finditer(css):
            out.append(next(g for g in m.groups() if g is not None).strip())
    return out


def is_absolute(url: str) -> bool:
    """True for a URL that names a host: 'https://x/..', 'http://..', '//x/..'."""
    return bool(re.match(r"^([a-z][a-z0-9+.-]*:)?//", url.strip(), re.I))


# Hosts that exist to serve scripts, styles, fonts or data to other sites.
CDN_HOSTS = {
    "unpkg.com", "jsdelivr.net", "cdnjs.cloudflare.com", "fonts.googleapis.com",
    "fonts.gstatic.com", "ajax.googleapis.com", "code.jquery.com", "cdn.plot.ly",
    "polyfill.io", "esm.sh", "cdn.skypack.dev", "ga.jspm.io", "api.github.com",
    "googletagmanager.com", "google-analytics.com", "cdn.mathjax.org", "use.fontawesome.com",
    "kit.fontawesome.com", "bootstrapcdn.com", "cdn.tailwindcss.com",
    "raw.githubusercontent.com", "cdn.bokeh.org", "stackpath.bootstrapcdn.com",
}
LOADABLE = re.compile(
    r"\.(m?js|cjs|css|woff2?|ttf|otf|eot|png|jpe?g|gif|webp|avif|svg|ico|json|wasm|map)$", re.I)
_JS_URL = re.compile(r"""https?://[^\s"'`<>()\\]+""")
_JS_LOADER = re.compile(
    r"(fetch|importScripts|import|loadScript|require|\.open)\s*\(\s*[\"'`]?$|\.src\s*=\s*[\"'`]?$"
    r"|\bsrc\s*:\s*[\"'`]?$|\bhref\s*=\s*[\"'`]?$")


def host_of(url: str) -> str:
    host = urlsplit(url.replace("${", "").replace("}", "")).hostname or ""
    return host.lower()


def is_cdn(host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in CDN_HOSTS)


def js_loads(js: str) -> list[str]:
    """Absolute URLs in a script that the script would load.

    A URL on a CDN or API host always counts. Otherwise it counts when it starts a string
    literal (a quote or backtick before it: not a comment) and its path names a loadable
    file (script, style, font, image, data) or it is the argument of a loading call
    (`fetch(`, `import(`, `importScripts(`, `.src =`) or its host is computed
    (`https://${host}/...`). URLs in comments and licence
    banners and XML namespaces (`http://www.w3.org/2000/svg`) are left alone.
    """
    out = []
    for m in _JS_URL.finditer(js):
        url = m.group(0).rstrip(".,;:")
        path = urlsplit(url).path if "${" not in url else url.split("${")[0]
        before = js[max(0, m.start() - 30): m.start()]
        in_string = before[-1:] in ("'", '"', "`")
        if is_cdn(host_of(url)) or (
                in_string and (LOADABLE.search(path) or _JS_LOADER.search(before)
                               or url.split("//", 1)[1].startswith("${"))):
            out.append(url)
    return out


# --------------------------------------------------------------------------- serving


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder under its published path; anything else is 404."""

    prefix = "/"

    def translate_path(self, path):
        clean = urlsplit(path).path
        if not clean.startswith(self.prefix):
            return os.path.join(self.directory, "\0missing")
        return super().translate_path("/" + clean[len(self.prefix):])

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass


@contextmanager
def serve(site: Path, prefix: str = "/", port: int = 0) -> Iterator[str]:
    """Serve `site` at http://127.0.0.1:PORT{prefix} (`port`, or a free one) while the block runs."""
    handler = type("Handler", (_Handler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --------------------------------------------------------------------------- Chromium

# Started as root in a container: no sandbox; no GPU; no traffic of Chromium's own.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
INSTALL_HINT = ("install Debian's Chromium with `apt-get install chromium` (Ubuntu: "
                "`apt-get install chromium-browser`), or point INITNOTES_CHROMIUM at a "
                "Chromium or Chrome executable")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_path() -> str | None:
    """The Chromium to drive: $INITNOTES_CHROMIUM, else `chromium` on PATH, else None."""
    env = os.environ.get("INITNOTES_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def resolve_path(site: Path, rel: str) -> Path | None:
    """The file a site-relative URL path serves (directory -> its index.html), or None."""
    rel = unquote(rel)
    target = site / rel
    if rel == "" or rel.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.resolve().is_relative_to(site.resolve()):
        return None
    return target if target.is_file() else None

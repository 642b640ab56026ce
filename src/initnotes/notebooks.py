"""Run the tutorials: jupytext ``.py`` files in, executed ``.ipynb`` notebooks out, cached.

A tutorial is a Python file in jupytext's *percent* format (``# %%`` starts a code cell,
``# %% [markdown]`` a prose cell) in ``docs/tutorials/``. At build time each one is

1. read into a notebook whose cell ids are fixed from the cell index (jupytext would
   give random ones, and nbconvert writes them into the page);
2. executed with nbclient in a kernel that runs *this* Python (``sys.executable``) and
   imports *this* copy of the package, from an empty temporary folder, so the result
   depends neither on where the build was started nor on a kernel installed elsewhere;
   a cell that raises fails the build;
3. stored as ``.ipynb``, outputs included and metadata reduced to what a reader needs
   (no timestamps, no jupytext bookkeeping), under a cache key made of the tutorial's
   bytes, the package fingerprint (`initnotes.render.fingerprint`: every source file
   of the package, Python, NumPy and Matplotlib versions) and the versions of the
   notebook libraries. An unchanged tutorial with an unchanged package is never run
   twice; any change to either runs it again.

The executed notebook is what mkdocs-jupyter renders (with its own execution turned
off) and what the page offers for download. `tidy_page_html` then removes what
mkdocs-jupyter inlines into every page (about 590 KB of JupyterLab CSS, a MathJax
loader without a URL, a Mermaid loader pointing at a CDN): the site serves that CSS once,
as a shared stylesheet, and typesets math with its own KaTeX.

This module knows nothing about MkDocs; the build's tutorials feature
(`initnotes.build.tutorials`) calls it.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
#: Per-cell time limit while executing a tutorial, in seconds (a tutorial should take < 10 s).
CELL_TIMEOUT = 120
#: The libraries whose versions can change an executed notebook besides NumPy and
#: Matplotlib (already in the package fingerprint).
NOTEBOOK_LIBRARIES = ("ipykernel", "ipython", "jupyter_client", "jupytext", "nbclient", "nbformat")
#: Cell metadata jupytext adds to keep the ``.py`` layout; meaningless in a notebook.
_JUPYTEXT_CELL_KEYS = ("lines_to_next_cell", "lines_to_end_of_cell_marker", "cell_marker",
                       "region_name")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class TutorialError(RuntimeError):
    """A tutorial could not be executed: a cell raised, timed out, or the kernel died."""


# ---------------------------------------------------------------------------
# Reading and normalising
# ---------------------------------------------------------------------------


def read_tutorial(source: str | Path | bytes, preamble: str | None = None) -> Any:
    """The notebook of a percent-format ``.py`` tutorial (a path or its bytes), normalised.

    Cell ids are ``cell-0``, ``cell-1``, ... in order, so the same source always gives
    the same notebook; the notebook's metadata is only the Python 3 kernel spec. A
    `preamble` (the install cell, `initnotes.publish.install_cell`) becomes a code cell
    with id ``install-initnotes`` after the first cell (the title), or first if the
    tutorial does not start with a markdown cell.
    """
    import jupytext

    text = source.decode("utf-8") if isinstance(source, bytes) else Path(source).read_text(
        encoding="utf-8")
    nb = jupytext.reads(text, fmt="py:percent")
    nb.nbformat, nb.nbformat_minor = 4, 5  # cell ids exist from nbformat 4.5 on
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
        for key in _JUPYTEXT_CELL_KEYS:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    if preamble is not None:
        import nbformat

        from initnotes.publish import INSTALL_CELL_ID

        cell = nbformat.v4.new_code_cell(preamble.rstrip("\n"))
        cell["id"] = INSTALL_CELL_ID
        at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
        nb.cells.insert(at, cell)
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                  "language": "python"}}
    return nb


def _clean_executed(nb: Any) -> Any:
    """Drop or merge what execution adds that is not the same from run to run or machine
    to machine."""
    info = dict(nb.metadata.get("language_info", {}))
    info.pop("version", None)  # the patch version of Python says nothing to a reader
    nb.metadata = {"kernelspec": nb.metadata["kernelspec"], "language_info": info}
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = _merge_streams(cell.outputs)
    return nb


def _merge_streams(outputs: list) -> list:
    """Join consecutive stdout (or stderr) outputs into one.

    The kernel sends printed text in pieces whose boundaries depend on timing; merged,
    the same cell always gives the same output.
    """
    merged: list = []
    for out in outputs:
        prev = merged[-1] if merged else None
        if (out.get("output_type") == "stream" and prev is not None
                and prev.get("output_type") == "stream" and prev.get("name") == out.get("name")):
            prev["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def notebook_bytes(nb: Any) -> bytes:
    """The ``.ipynb`` file of `nb`: nbformat's JSON (sorted keys), ending in a newline."""
    import nbformat

    nbformat.validate(nb)
    return (nbformat.writes(nb) + "\n").encode("utf-8")


# ---------------------------------------------------------------------------
# Executing
# ---------------------------------------------------------------------------


def _kernel_manager_class() -> type:
    """A kernel manager class whose ``python3`` kernel is always this interpreter.

    Looking ``python3`` up among installed kernel specs could find one in the user's
    home folder that runs another Python without this package; this one cannot.
    """
    import zmq
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(resource_dir=str(PACKAGE_DIR), **get_kernel_dict())

    class ThisPythonKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _this_python(self) -> KernelSpecManager:
            return ThisPython(parent=self)

        @default("transport_encryption")
        def _encrypt(self) -> str:
            # Encrypt the kernel's local sockets where pyzmq can (the kernel warns otherwise).
            return "auto" if zmq.has("curve") else "disabled"

    return ThisPythonKernelManager


def kernel_env() -> dict[str, str]:
    """The kernel's environment: this process's, with this package first on the path.

    So the kernel imports the very files the fingerprint hashed (even when the build
    runs with a relative ``PYTHONPATH`` from another folder), and hashes the same way.
    """
    env = dict(os.environ)
    paths = [str(PACKAGE_DIR.parent)] + [
        str(Path(p).resolve()) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p
    ]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env["PYTHONHASHSEED"] = "0"
    env["MPLBACKEND"] = "Agg"
    return env


def _error_message(name: str, err: Exception) -> str:
    text = _ANSI.sub("", str(err)).strip()
    return f"tutorial {name!r} failed to run: {type(err).__name__}\n{text}"


async def _execute(nb: Any, name: str) -> tuple[Any, float]:
    from nbclient import NotebookClient

    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="initnotes-tutorial-") as workdir:
        client = NotebookClient(
            nb, kernel_manager_class=_kernel_manager_class(), kernel_name="python3",
            timeout=CELL_TIMEOUT, allow_errors=False,
            record_timing=False, resources={"metadata": {"path": workdir}},
        )
        try:
            await client.async_execute(env=kernel_env())
        except Exception as err:  # CellExecutionError, CellTimeoutError, DeadKernelError
            raise TutorialError(_error_message(name, err)) from None
    return _clean_executed(nb), time.perf_counter() - start


def execute(nb: Any, name: str = "tutorial") -> tuple[Any, float]:
    """Execute `nb` (in place) and return it with the seconds it took.

    Raises `TutorialError`, naming `name` and showing the failing cell and its traceback,
    if any cell raises.
    """
    return asyncio.run(_execute(nb, name))


def execute_file(path: str | Path) -> Any:
    """The executed notebook of the tutorial at `path` (no cache)."""
    path = Path(path)
    return execute(read_tutorial(path), path.stem)[0]


# ---------------------------------------------------------------------------
# Cache
# ---------------------------------------------------------------------------


def library_versions() -> str:
    return " ".join(f"{lib} {metadata.version(lib)}" for lib in NOTEBOOK_LIBRARIES)


def cache_key(source: bytes, fp: str, preamble: str | None = None) -> str:
    """Key of an executed tutorial: its bytes, its install cell, the package fingerprint and
    version (tutorials may print it; the fingerprint leaves it out), library versions."""
    import initnotes

    h = hashlib.sha256()
    parts = [source, fp.encode(), initnotes.__version__.encode(), library_versions().encode()]
    if preamble is not None:
        parts.append(preamble.encode())
    for part in parts:
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()[:20]


@dataclass(frozen=True)
class Executed:
    """One tutorial: its source file, its executed notebook, and the run time.

    `seconds` is None when the notebook came from the cache.
    """

    name: str
    source: Path
    notebook: Path
    seconds: float | None


@dataclass
class NotebookReport:
    tutorials: dict[str, Executed]
    seconds: float

    @property
    def executed(self) -> dict[str, float]:
        return {n: t.seconds for n, t in self.tutorials.items() if t.seconds is not None}

    @property
    def cached(self) -> list[str]:
        return [n for n, t in self.tutorials.items() if t.seconds is None]

    def summary(self) -> str:
        ran = ", ".join(f"{n} {s:.2f} s" for n, s in self.executed.items()) or "none"
        return (f"{len(self.tutorials)} tutorials, {len(self.executed)} executed ({ran}), "
                f"{len(self.cached)} from cache, {self.seconds:.2f} s")


class NotebookCache:
    """Executed tutorials under ``root/NAME/KEY.ipynb``.

    `root` should sit inside the figure cache's fingerprint folder, so a changed package
    removes every stale notebook along with the stale figures.
    """

    def __init__(self, root: str | Path, fp: str, preamble: str | None = None) -> None:
        self.root = Path(root)
        self.fp = fp
        self.preamble = preamble  #: the install cell every tutorial gets, if any

    def path(self, source: Path) -> Path:
        key = cache_key(source.read_bytes(), self.fp, self.preamble)
        return self.root / source.stem / f"{key}.ipynb"

    def ensure(self, sources: Iterable[str | Path], jobs: int | None = None) -> NotebookReport:
        """Execute every tutorial in `sources` whose notebook is not cached, `jobs` at a time.

        Raises `TutorialError` if any of them fails (after the others have finished, so
        the message names every failing tutorial).
        """
        start = time.perf_counter()
        sources = [Path(s) for s in sources]
        stems = [s.stem for s in sources]
        if len(set(stems)) != len(stems):
            raise ValueError(f"tutorial names must be unique, got {stems}")
        targets = {s: self.path(s) for s in sources}
        todo = {s: t for s, t in targets.items() if not t.exists()}
        jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
        seconds = asyncio.run(self._run(todo, jobs)) if todo else {}
        tutorials = {s.stem: Executed(s.stem, s, t, seconds.get(s.stem)) for s, t in targets.items()}
        return NotebookReport(tutorials, time.perf_counter() - start)

    async def _run(self, todo: dict[Path, Path], jobs: int) -> dict[str, float]:
        gate = asyncio.Semaphore(jobs)

        async def one(source: Path, target: Path) -> float:
            async with gate:
                nb, secs = await _execute(read_tutorial(source, self.preamble), source.stem)
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
                tmp.write_bytes(notebook_bytes(nb))
                os.replace(tmp, target)
                for old in target.parent.glob("*.ipynb"):  # earlier versions of this tutorial
                    if old != target:
                        old.unlink(missing_ok=True)
                return secs

        results = await asyncio.gather(*(one(s, t) for s, t in todo.items()),
                                       return_exceptions=True)
        errors = [str(r) for r in results if isinstance(r, BaseException)]
        if errors:
            raise TutorialError("\n\n".join(errors))
        return {s.stem: float(r) for s, r in zip(todo, results)}


# ---------------------------------------------------------------------------
# Reading outputs (for tests and for checking what a page shows)
# ---------------------------------------------------------------------------


def printed(nb: Any) -> str:
    """Everything the notebook's code cells printed (stdout), in order."""
    return "".join(
        out.get("text", "")
        for cell in nb.cells if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stdout"
    )


@dataclass(frozen=True)
class ImageOutput:
    """A PNG a code cell showed: written next to the page as ``filename`` instead of being
    inlined into the page's HTML as base64 (which would make pages heavy)."""

    filename: str
    data: bytes
    alt: str | None
    width: int
    height: int

    @property
    def key(self) -> str:
        """The base64 text of the image, as the notebook and the HTML hold it."""
        import base64

        return base64.b64encode(self.data).decode("ascii")


def image_outputs(nb: Any) -> list[ImageOutput]:
    """Every PNG output of `nb`, named ``CELL-ID.png`` (``CELL-ID-2.png``, ... for more).

    The alt text is the one `initnotes.figures.style` puts into the output's metadata
    when a notebook shows a `Figure`.
    """
    import base64
    import struct

    images = []
    for cell in nb.cells:
        pngs = [out for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
        for k, out in enumerate(pngs, start=1):
            data = base64.b64decode("".join(out["data"]["image/png"].split()))
            width, height = struct.unpack(">II", data[16:24])  # the PNG IHDR chunk
            alt = out.get("metadata", {}).get("image/png", {}).get("alt")
            suffix = "" if k == 1 else f"-{k}"
            images.append(ImageOutput(f"{cell.id}{suffix}.png", data, alt, width, height))
    return images


def load(path: str | Path) -> Any:
    import nbformat

    return nbformat.read(str(path), as_version=4)


# ---------------------------------------------------------------------------
# The page mkdocs-jupyter renders
# ---------------------------------------------------------------------------


def jupyterlab_assets() -> dict[str, str]:
    """The CSS and JavaScript mkdocs-jupyter inlines into every notebook page, by file name.

    Read from mkdocs-jupyter's own template folder, so the shared copies are exactly
    what it would have inlined.
    """
    from mkdocs_jupyter.config import settings

    assets = Path(settings.templates_dir) / "mkdocs_html" / "assets"
    return {name: (assets / name).read_text(encoding="utf-8")
            for name in ("index.css", "theme-light.css", "clipboard.umd.js")}


#: Shows "Copied!" next to a notebook cell's copy button (mkdocs-jupyter's inline script).
CLIPBOARD_NOTICE_JS = """
document.addEventListener("clipboard-copy", function (event) {
  var notice = event.target.querySelector(".notice");
  if (!notice) return;
  notice.hidden = false;
  setTimeout(function () { notice.hidden = true; }, 1000);
});
"""


def shared_css(assets: dict[str, str] | None = None) -> str:
    """The stylesheet every tutorial page links instead of inlining it."""
    assets = assets or jupyterlab_assets()
    return ("/* JupyterLab styles for notebook pages (JupyterLab, BSD-3-Clause), as shipped by "
            "mkdocs-jupyter (Apache-2.0). */\n"
            + assets["index.css"] + "\n" + assets["theme-light.css"] + "\n")


def shared_js(assets: dict[str, str] | None = None) -> str:
    """The copy-button script every tutorial page loads instead of inlining it."""
    assets = assets or jupyterlab_assets()
    return ("/* <clipboard-copy> element (GitHub, MIT), as shipped by mkdocs-jupyter. */\n"
            + assets["clipboard.umd.js"] + "\n" + CLIPBOARD_NOTICE_JS)


_WRAPPER = '<div class="jupyter-wrapper">'
_WRAPPER_END = "</div> <!-- jupyter-wrapper -->"
_HEADER_PARTS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->|\s+", re.S)
_H1 = re.compile(r'<h1 id="([^"]*)">(.*?)<a class="anchor-link" href="#[^"]*">¶</a></h1>', re.S)


#: A relative link to a page's source (``../concepts/symmetry.md``, ``symmetry.py``), as
#: tutorials write them, like the Markdown pages do; `tidy_page_html` resolves them.
_SOURCE_LINK = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/)([^"#?]+\.(?:md|py))(#[^"]*)?"')
_IMG = re.compile(r'<img\b[^>]*?\ssrc="data:image/png;base64,([^"]*)"[^>]*>')


def tidy_page_html(content: str, *, box: str = "", images: Iterable[ImageOutput] = (),
                   image_url: Callable[[ImageOutput], str] = lambda img: img.filename,
                   resolve: Callable[[str], str | None] | None = None,
                   assets: dict[str, str] | None = None) -> str:
    """A notebook page's HTML without the styles and scripts mkdocs-jupyter inlines.

    Everything mkdocs-jupyter writes around the notebook is ``<script>``, ``<style>`` and
    comments: before it, the JupyterLab CSS (served once, see `shared_css`), the copy
    button script (see `shared_js`), a MathJax loader with an empty URL and a Mermaid
    loader from a CDN; after it, the Pygments CSS of the notebook's code, which the
    site's own stylesheet replaces with Material's colours. All of it goes. The notebook's first ``<h1>`` moves out of the
    notebook to head the page as on every other page, followed by `box` (HTML). Every
    PNG output becomes a link to its file among `images` (see `image_outputs`), at the
    relative URL ``image_url(image)``, with its alt text and size. Links to ``.md`` and
    ``.py`` sources are replaced by ``resolve(path)``, the URL of that page relative to
    this one (None: no such page, which raises ValueError).

    Raises ValueError if the page is not shaped as expected (say, after an update of
    mkdocs-jupyter), rather than publishing a page that silently lost its styles.
    """
    start = content.find(_WRAPPER)
    if start < 0:
        raise ValueError("not a notebook page: no <div class=\"jupyter-wrapper\">")
    end = content.rfind(_WRAPPER_END)
    if end < start:
        raise ValueError(f"not a notebook page: no {_WRAPPER_END!r} after the notebook")
    end += len(_WRAPPER_END)
    header, body, footer = content[:start], content[start:end], content[end:]
    for where, part in (("before", header), ("after", footer)):
        leftover = _HEADER_PARTS.sub("", part)
        if leftover:
            raise ValueError(f"unexpected HTML {where} the notebook: {leftover[:200]!r}")
    assets = assets or jupyterlab_assets()
    for name in ("index.css", "theme-light.css"):
        if assets[name].strip() not in header:
            raise ValueError(f"the page does not inline mkdocs-jupyter's {name}; the shared "
                             "stylesheet would not match it")
    title = ""
    m = _H1.search(body)
    if m:
        anchor, text = m.group(1), m.group(2).strip()
        title = (f'<h1 id="{anchor}">{text}<a class="headerlink" href="#{anchor}" '
                 f'title="Permanent link">&para;</a></h1>\n')
        body = body[:m.start()] + body[m.end():]
    by_key = {img.key: img for img in images}

    def image(m: re.Match) -> str:
        img = by_key.get("".join(m.group(1).split()))
        if img is None:
            raise ValueError("an image in the page is not among the notebook's outputs")
        if not img.alt:
            raise ValueError(f"image output {img.filename} has no alt text: show figures by "
                             "leaving a matplotlib Figure as the last expression of a cell")
        return (f'<img src="{html.escape(image_url(img), quote=True)}" '
                f'alt="{html.escape(img.alt, quote=True)}" width="{img.width}" '
                f'height="{img.height}" loading="lazy">')

    body = _IMG.sub(image, body)
    if "data:image/" in body:
        raise ValueError("an image output other than PNG is inlined in the page")

    def link(m: re.Match) -> str:
        url = resolve(html.unescape(m.group(1))) if resolve else None
        if url is None:
            raise ValueError(f"a link points to {m.group(1)!r}, which is not a page of the site")
        return f'href="{html.escape(url, quote=True)}{m.group(2) or ""}"'

    body = _SOURCE_LINK.sub(link, body)
    # mkdocs-jupyter's template writes a stray comma between two attributes.
    body = body.replace('<clipboard-copy ,="" ', "<clipboard-copy ")
    # The hidden copy of each cell's source (for the copy button) is not page text.
    body = body.replace('class="clipboard-copy-txt"',
                        'class="clipboard-copy-txt" data-search-exclude')
    return title + box + body


def downloads_box(*, ipynb_url: str, py_url: str, how_to_url: str, name: str) -> str:
    """The note at the top of every tutorial page: downloads and how to run it."""
    e = html.escape
    return (
        '<div class="admonition example initnotes-notebook-box">\n'
        '<p class="admonition-title">Run this tutorial yourself</p>\n'
        "<p>This page was executed when the site was built. Download it as a notebook, "
        f'<a href="{e(ipynb_url)}" download><code>{e(name)}.ipynb</code></a> '
        "(with the outputs shown here), or as its source, "
        f'<a href="{e(py_url)}" download><code>{e(name)}.py</code></a> '
        "(a Python file in jupytext's percent format: <code># %%</code> starts a cell). "
        "Its first cell installs the <code>initnotes</code> package it needs; see "
        f'<a href="{e(how_to_url)}">how to run the tutorials on your computer</a>.</p>\n'
        "</div>\n"
    )

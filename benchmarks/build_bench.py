"""Time the site build and weigh its pages: `make bench`.

Works on a copy of the project in a temporary folder (so every cache starts empty and
nothing in the working tree is touched) and prints, from one run:

* cold build (empty caches), rebuild with nothing changed, rebuild after editing one
  article, and a plain MkDocs build of the same pages (INITNOTES_PLAIN=1: no figures,
  no values, no notebook execution). The last three run in turn, a few times each, and
  the fastest run of each counts: on a shared machine the fastest is the one least
  slowed by others (the median is printed beside it);
* each figure's render time (as the build's hook measured it) and SVG size;
* per page: its class (concept, tutorial, explorer, print, reference, page), the HTML
  size and the bytes of a first visit: every file Chromium loads with an empty cache
  before the reader scrolls (on a 375 px phone and a 1280 px desktop screen, the larger
  counts), also gzip-compressed;
* Lighthouse (npm, ``benchmarks/package.json``, run with ``CHROME_PATH`` = Debian's
  Chromium, mobile preset) on every concept, tutorial and explorer page, the site served
  with gzip from a local server as a static host serves it: performance, total blocking
  time, layout shift, accessibility, best practices and SEO (``--no-lighthouse`` leaves
  it out; ``make bench`` installs it with ``npm ci`` first);
* the ``runs: N computed, M reused`` line of the cold build and of a rebuild;
* the time of the whole test suite as `make test` runs it (in the copy; ``--no-tests``
  leaves it out);
* PASS/FAIL against every target below, by page class.

Usage: python benchmarks/build_bench.py [--runs N] [--markdown] [--no-tests] [--no-lighthouse]
       [--lighthouse-runs N] [--project PATH]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "site"))
import sitelib  # noqa: E402

sys.path.insert(0, str(ROOT / "src"))
from initnotes import cite  # noqa: E402

#: The build's timestamp: the release date in CITATION.cff, as the Makefile exports it.
EPOCH = os.environ.get("SOURCE_DATE_EPOCH") or str(cite.release_epoch(cite.load_cff(ROOT / cite.CFF_FILE)))

TARGETS = {
    "rebuild_vs_plain": 1.1,        # rebuild with nothing changed / plain MkDocs build
    "cold_seconds": 35.0,           # on 2 cores, the machine quiet
    "svg_bytes": 250_000,
    "test_seconds": 300.0,          # make test on 2 cores
    "lighthouse_performance": 90,   # mobile preset, concept, tutorial and explorer pages
    "lighthouse_other": 100,        # accessibility, best practices, SEO
    "tbt_ms": 200,                  # total blocking time, below
    "cls": 0.1,                     # cumulative layout shift, below
}
#: Per page class: (HTML bytes, first-visit bytes) at most.
PAGE_TARGETS = {
    "concept": (150_000, 600_000),
    "tutorial": (200_000, 600_000),
    "explorer": (150_000, 700_000),
    "print": (None, 2_000_000),
    "reference": (400_000, 600_000),
    "page": (150_000, 600_000),
}
#: The page classes Lighthouse audits.
LIGHTHOUSE_CLASSES = ("concept", "tutorial", "explorer")
#: Top-level folders of the project left out of the copy (anywhere: caches and Node's modules).
SKIP_TOP = {".git", ".venv", "site", ".cache", "figures-out", ".lock-venv", "build", "dist"}
SKIP_ANY = {".git", ".pytest_cache", "__pycache__", "node_modules"}
KB = 1000
#: Screens of a first visit: a phone and a desktop (width, height in CSS pixels).
SCREENS = {"phone": (375, 812), "desktop": (1280, 900)}


def copy_project(src: Path, dest: Path) -> None:
    def ignore(folder, names):
        top = Path(folder).resolve() == src.resolve()
        return [n for n in names
                if (top and n in SKIP_TOP) or n in SKIP_ANY or n.endswith(".egg-info")]

    shutil.copytree(src, dest, ignore=ignore, symlinks=True)


def page_class(rel: str) -> str:
    """The class of the page at site path `rel` (``concepts/he/index.html``)."""
    if rel.startswith("print_page/") or rel == "print_page.html":
        return "print"
    if rel.startswith("explore/"):
        return "explorer"
    if rel.startswith("concepts/"):
        return "concept"
    if rel.startswith("tutorials/") and rel != "tutorials/index.html":
        return "tutorial"
    if rel.startswith("reference/") and rel != "reference/index.html":
        return "reference"
    return "page"


# ------------------------------------------------------------------ a static host with gzip

GZIP_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".py", ".map")


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under its published path, text files gzip-compressed when asked for."""

    prefix = "/"
    packed: dict = {}
    lock = threading.Lock()

    def translate_path(self, path):
        clean = urlsplit(path).path
        if not clean.startswith(self.prefix):
            return os.path.join(self.directory, ".outside-the-site-prefix")  # 404
        return super().translate_path("/" + clean[len(self.prefix):])

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = os.path.join(path, "index.html")
        if (not path.endswith(GZIP_TYPES) or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not os.path.isfile(path)):
            return super().send_head()
        with self.lock:
            data = self.packed.get(path)
            if data is None:
                with open(path, "rb") as f:
                    data = self.packed[path] = gzip.compress(f.read(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        import io
        return io.BytesIO(data)

    def log_message(self, format, *args):  # noqa: A002
        pass


@contextmanager
def serve_gzip(site: Path, prefix: str):
    handler = type("Handler", (_GzipHandler,), {"prefix": prefix, "packed": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def build(work: Path, out: Path, plain: bool = False) -> tuple[float, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH,
               PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
               PYTHONPATH=str(work / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("INITNOTES_CACHE_DIR", None)
    env.pop("INITNOTES_PLAIN", None)
    if plain:
        env["INITNOTES_PLAIN"] = "1"
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                          cwd=work, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stdout}\n{proc.stderr}")
    return seconds, proc.stdout + proc.stderr


def figure_times(log: str) -> dict[str, float]:
    m = re.search(r"initnotes: \d+ figures, \d+ drawn \((.*?)\), \d+ from cache", log)
    if not m or m.group(1) == "none":
        return {}
    return {name: float(secs) for name, secs in re.findall(r"([\w.-]+) ([\d.]+) s", m.group(1))}


RUNS_LINE = re.compile(r"runs: (\d+) computed, (\d+) reused")


def runs_line(log: str) -> str:
    m = RUNS_LINE.search(log)
    return m.group(0) if m else "no runs line"


def run_tests(work: Path) -> tuple[float, str]:
    """`make test`'s pytest command in the copy; (seconds, its summary line)."""
    env = dict(os.environ, PYTHONPATH=str(work / "src"), SOURCE_DATE_EPOCH=EPOCH,
               PYTHONHASHSEED="0", NO_MKDOCS_2_WARNING="1", MPLBACKEND="Agg",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.pop("INITNOTES_CACHE_DIR", None)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-n", "2", "--dist", "loadgroup"], cwd=work, env=env,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    summary = lines[-1].strip("= ") if lines else f"exit {proc.returncode}"
    if proc.returncode != 0:
        summary = f"FAILED (exit {proc.returncode}): {summary}"
    return seconds, summary


def article_sources(work: Path, config: dict) -> list[str]:
    """The concept articles of the nav (docs/concepts/*.md), as site-relative HTML paths.

    The size targets are for articles; every other page is measured and printed too.
    """
    out = []
    for _, src in sitelib.nav_pages(config):
        if src.startswith("concepts/") and src.endswith(".md"):
            out.append(sitelib.page_url(src) + "index.html")
    return out


def first_visits(site: Path, prefix: str, pages: list[str]) -> dict[str, dict] | str:
    """Per page, the files Chromium loads on a first visit before any scrolling, and their bytes.

    Each page is opened with an empty cache on each screen of `SCREENS`; the screen that
    loads more counts. Lazy images load only when Chromium would load them unscrolled.
    """
    path = sitelib.chromium_path()
    if path is None:
        return f"Chromium not found ({sitelib.INSTALL_HINT})"
    from playwright.sync_api import sync_playwright

    out = {}
    with sitelib.serve(site, prefix) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=sitelib.CHROMIUM_ARGS)
        for rel in pages:
            best = None
            for screen, (width, height) in SCREENS.items():
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                urls: list[str] = []
                page.on("request", lambda req, urls=urls: urls.append(req.url))
                page.goto(base + rel, wait_until="networkidle")
                page.wait_for_timeout(300)
                context.close()
                raw = packed = 0
                files = set()
                for url in urls:
                    parts = urlsplit(url)
                    if not parts.path.startswith(prefix):
                        continue
                    f = sitelib.resolve_path(site, unquote(parts.path[len(prefix):]))
                    if f is None or f in files:
                        continue
                    files.add(f)
                    data = f.read_bytes()
                    raw += len(data)
                    packed += len(gzip.compress(data, compresslevel=6, mtime=0))
                visit = {"files": len(files), "bytes": raw, "gzip": packed, "screen": screen,
                         "requests": len(urls),
                         "largest": sorted(((f.stat().st_size, f.relative_to(site).as_posix())
                                            for f in files), reverse=True)[:6]}
                if best is None or visit["bytes"] > best["bytes"]:
                    best = visit
            out[rel] = best
        browser.close()
    return out


LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
LH_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def lighthouse(site: Path, prefix: str, pages: list[str], runs: int) -> dict[str, dict] | str:
    """Lighthouse (mobile preset) on each page of `pages`, served with gzip; the median of
    `runs` runs of each score and metric."""
    if not LIGHTHOUSE.exists():
        return "Lighthouse not installed (cd benchmarks && npm ci)"
    chrome = sitelib.chromium_path()
    if chrome is None:
        return f"Chromium not found ({sitelib.INSTALL_HINT})"
    env = dict(os.environ, CHROME_PATH=chrome)
    flags = "--headless=new " + " ".join(sitelib.CHROMIUM_ARGS)
    out = {}
    with tempfile.TemporaryDirectory(prefix="initnotes-lh-") as tmp, serve_gzip(site, prefix) as base:
        for rel in pages:
            found = []
            for i in range(runs):
                report = Path(tmp) / f"report-{i}.json"
                proc = subprocess.run(
                    [str(LIGHTHOUSE), base + rel.removesuffix("index.html"), "--quiet",
                     "--output=json", f"--output-path={report}", f"--chrome-flags={flags}",
                     "--only-categories=" + ",".join(LH_CATEGORIES), "--max-wait-for-load=60000"],
                    env=env, capture_output=True, text=True)
                if proc.returncode != 0 or not report.exists():
                    found.append({"error": (proc.stderr or proc.stdout).strip()[-300:]})
                    continue
                data = json.loads(report.read_text(encoding="utf-8"))
                cats = data["categories"]
                audits = data["audits"]
                found.append({
                    **{c: round(100 * (cats[c]["score"] or 0)) for c in LH_CATEGORIES},
                    "tbt": audits["total-blocking-time"]["numericValue"],
                    "cls": audits["cumulative-layout-shift"]["numericValue"],
                    "lcp": audits["largest-contentful-paint"]["numericValue"],
                    "failed": sorted(a for c in LH_CATEGORIES[1:] for a in
                                     (r["id"] for r in cats[c]["auditRefs"])
                                     if audits[a].get("score") is not None and audits[a]["score"] < 1
                                     and audits[a].get("scoreDisplayMode") == "binary"),
                })
            good = [f for f in found if "error" not in f]
            if not good:
                out[rel] = {"error": found[0]["error"] if found else "no run"}
                continue
            med = {k: statistics.median(f[k] for f in good) for k in (*LH_CATEGORIES, "tbt", "cls", "lcp")}
            med["failed"] = sorted({a for f in good for a in f["failed"]})
            med["runs"] = [f["performance"] for f in good]
            out[rel] = med
    return out


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each rebuild (the fastest counts)")
    parser.add_argument("--markdown", action="store_true", help="also print a table for the README")
    parser.add_argument("--no-tests", action="store_true", help="do not time the test suite")
    parser.add_argument("--no-lighthouse", action="store_true", help="do not run Lighthouse")
    parser.add_argument("--lighthouse-runs", type=int, default=1,
                        help="Lighthouse runs per page (the median counts)")
    parser.add_argument("--project", type=Path, default=ROOT,
                        help="the project to measure (default: this one), e.g. another checkout")
    args = parser.parse_args()

    project = args.project.resolve()
    config = sitelib.read_config(project / "mkdocs.yml")
    prefix = sitelib.site_prefix(config)
    print(f"initnotes build benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
          f"{project.name}")
    with tempfile.TemporaryDirectory(prefix="initnotes-bench-") as tmp:
        work = Path(tmp) / "project"
        copy_project(project, work)
        site = Path(tmp) / "site"

        cold, log = build(work, site)
        figures = figure_times(log)
        articles = article_sources(work, config)
        edited = articles[0] if articles else None
        md = original = None
        if edited:
            src = next(s for _, s in sitelib.nav_pages(config)
                       if sitelib.page_url(s) + "index.html" == edited)
            md = work / "docs" / src
            original = md.read_text(encoding="utf-8")
        # Interleaved, so that a busy machine slows every kind of build alike.
        warm_runs, plain_runs, edit_runs = [], [], []
        for i in range(args.runs):
            warm_runs.append(build(work, Path(tmp) / "site-warm")[0])
            plain_runs.append(build(work, Path(tmp) / "site-plain", plain=True)[0])
            if md is not None:
                md.write_text(original + f"\n\nEdited for the benchmark ({i}).\n", encoding="utf-8")
                edit_runs.append(build(work, Path(tmp) / "site-edit")[0])
                md.write_text(original, encoding="utf-8")
        warm_log = build(work, Path(tmp) / "site-warm")[1]
        warm, plain = min(warm_runs), min(plain_runs)
        edit = min(edit_runs) if edit_runs else float("nan")

        pages = [p.relative_to(site).as_posix() for p in sitelib.html_pages(site)]
        pages = [p for p in pages if p != "404.html"]
        kinds = {p: page_class(p) for p in pages}
        html = {p: (site / p).stat().st_size for p in pages}
        svgs = {p.stem: p.stat().st_size for p in sorted((site / "figures").glob("*.svg"))} \
            if (site / "figures").is_dir() else {}
        visits = first_visits(site, prefix, pages)
        audited = [p for p in pages if kinds[p] in LIGHTHOUSE_CLASSES]
        lh = "not run (--no-lighthouse)" if args.no_lighthouse else \
            lighthouse(site, prefix, audited, args.lighthouse_runs)
        tests = None if args.no_tests else run_tests(work)

    def runs(xs):
        return f"median {statistics.median(xs):.2f}; runs " + ", ".join(f"{x:.2f}" for x in xs) if xs else ""

    print(f"\n== Builds (seconds; rebuilds: the fastest of {args.runs} interleaved runs)")
    print(f"  cold build, empty caches             {cold:7.2f}")
    print(f"  rebuild, nothing changed             {warm:7.2f}   ({runs(warm_runs)})")
    print(f"  rebuild after editing one article    {edit:7.2f}   ({runs(edit_runs)}; {edited})")
    print(f"  plain MkDocs build (INITNOTES_PLAIN) {plain:7.2f}   ({runs(plain_runs)})")
    print(f"  runs, cold build: {runs_line(log)}; rebuild: {runs_line(warm_log)}")
    if tests is not None:
        print(f"  make test (pytest -n 2)              {tests[0]:7.2f}   ({tests[1]})")

    print(f"\n== Figures ({len(svgs)}): render time in the cold build, SVG size")
    for name, size in sorted(svgs.items()):
        secs = figures.get(name)
        print(f"  {name:<40} {'%6.2f s' % secs if secs is not None else '     - '}  {size / KB:7.1f} KB")
    if figures:
        print(f"  {'total render time (2 processes)':<40} {sum(figures.values()):6.2f} s")

    print("\n== Pages: HTML size; first visit (every file Chromium loads before scrolling, "
          "the larger of a phone and a desktop screen)")
    if isinstance(visits, str):
        print(f"  first visits not measured: {visits}")
    for p in pages:
        v = visits.get(p) if isinstance(visits, dict) else None
        fv = (f"{v['bytes'] / KB:8.1f} KB in {v['files']:2d} files ({v['gzip'] / KB:6.1f} KB gzip, {v['screen']})"
              if v else "")
        print(f"  {p:<44} {kinds[p]:<9} {html[p] / KB:7.1f} KB   {fv}")
    if isinstance(visits, dict) and visits:
        heaviest = max(visits, key=lambda p: visits[p]["bytes"] / PAGE_TARGETS[kinds[p]][1])
        print(f"  largest files of the heaviest first visit against its target ({heaviest}): " + ", ".join(
            f"{rel} {size / KB:.0f} KB" for size, rel in visits[heaviest]["largest"]))

    if isinstance(lh, dict):
        print("\n== Lighthouse (mobile preset, served with gzip; median of "
              f"{args.lighthouse_runs} run(s)): perf, a11y, best practices, SEO, TBT, CLS, LCP")
        for p, r in lh.items():
            if "error" in r:
                print(f"  {p:<44} error: {r['error']}")
                continue
            failed = f"  failing: {', '.join(r['failed'])}" if r["failed"] else ""
            print(f"  {p:<44} {r['performance']:4.0f} {r['accessibility']:4.0f} {r['best-practices']:4.0f} "
                  f"{r['seo']:4.0f}  TBT {r['tbt']:5.0f} ms  CLS {r['cls']:.3f}  LCP {r['lcp'] / 1000:4.1f} s"
                  f"  (perf runs {', '.join(f'{x:.0f}' for x in r['runs'])}){failed}")
    else:
        print(f"\n== Lighthouse: {lh}")

    print("\n== Targets")
    results = []
    ratio = warm / plain if plain else float("inf")
    results.append((ratio <= TARGETS["rebuild_vs_plain"],
                    f"rebuild with nothing changed {warm:.2f} s = {ratio:.2f} x the plain build "
                    f"{plain:.2f} s (target <= {TARGETS['rebuild_vs_plain']} x)"))
    results.append((cold <= TARGETS["cold_seconds"],
                    f"cold build {cold:.1f} s (target <= {TARGETS['cold_seconds']:.0f} s on 2 quiet cores)"))
    for kind, (html_max, visit_max) in PAGE_TARGETS.items():
        members = [p for p in pages if kinds[p] == kind]
        if not members:
            continue
        if html_max is not None:
            worst = max(members, key=html.get)
            results.append((html[worst] <= html_max,
                            f"{kind} HTML: largest {worst} {html[worst] / KB:.1f} KB "
                            f"(target <= {html_max / KB:.0f} KB, {len(members)} pages)"))
        if isinstance(visits, dict):
            fv = {p: visits[p]["bytes"] for p in members if p in visits}
            heavy = max(fv, key=fv.get)
            results.append((fv[heavy] <= visit_max,
                            f"{kind} first visit: heaviest {heavy} {fv[heavy] / KB:.1f} KB "
                            f"({visits[heavy]['gzip'] / KB:.0f} KB gzip; target <= {visit_max / KB:.0f} KB)"))
    if not isinstance(visits, dict):
        results.append((False, f"first visits: not measured ({visits})"))
    big = max(svgs, key=svgs.get) if svgs else None
    results.append((all(v <= TARGETS["svg_bytes"] for v in svgs.values()),
                    f"SVG figures: largest {big} {svgs.get(big, 0) / KB:.1f} KB "
                    f"(target <= {TARGETS['svg_bytes'] / KB:.0f} KB, {len(svgs)} figures)"))
    if isinstance(lh, dict):
        bad = [p for p, r in lh.items() if "error" in r]
        good = {p: r for p, r in lh.items() if "error" not in r}
        results.append((not bad, f"Lighthouse ran on {len(good)} of {len(lh)} pages"
                        + (f" (errors: {', '.join(bad)})" if bad else "")))
        for kind in LIGHTHOUSE_CLASSES:
            rs = {p: r for p, r in good.items() if kinds[p] == kind}
            if not rs:
                continue
            low = min(rs, key=lambda p: rs[p]["performance"])
            results.append((rs[low]["performance"] >= TARGETS["lighthouse_performance"],
                            f"{kind} Lighthouse performance: lowest {low} {rs[low]['performance']:.0f} "
                            f"(target >= {TARGETS['lighthouse_performance']}, {len(rs)} pages)"))
            tbt = max(rs, key=lambda p: rs[p]["tbt"])
            results.append((rs[tbt]["tbt"] < TARGETS["tbt_ms"],
                            f"{kind} total blocking time: largest {tbt} {rs[tbt]['tbt']:.0f} ms "
                            f"(target < {TARGETS['tbt_ms']} ms)"))
            cls = max(rs, key=lambda p: rs[p]["cls"])
            results.append((rs[cls]["cls"] < TARGETS["cls"],
                            f"{kind} layout shift: largest {cls} {rs[cls]['cls']:.3f} (target < {TARGETS['cls']})"))
            for cat in LH_CATEGORIES[1:]:
                lowc = min(rs, key=lambda p: rs[p][cat])
                results.append((rs[lowc][cat] >= TARGETS["lighthouse_other"],
                                f"{kind} Lighthouse {cat}: lowest {lowc} {rs[lowc][cat]:.0f} (target 100)"))
    elif not args.no_lighthouse:
        results.append((False, f"Lighthouse: {lh}"))
    if tests is not None:
        results.append((tests[0] <= TARGETS["test_seconds"] and not tests[1].startswith("FAILED"),
                        f"make test {tests[0]:.0f} s, {tests[1]} (target <= {TARGETS['test_seconds']:.0f} s)"))
    for ok, text in results:
        print(f"  {verdict(ok)}  {text}")

    if args.markdown:
        print("\n| measure | value | target |\n|---|---|---|")
        print(f"| cold build (empty caches) | {cold:.1f} s | <= {TARGETS['cold_seconds']:.0f} s |")
        print(f"| rebuild, nothing changed | {warm:.2f} s ({ratio:.2f} x plain) | <= {TARGETS['rebuild_vs_plain']} x plain |")
        print(f"| rebuild after editing one article | {edit:.2f} s | |")
        print(f"| plain MkDocs build, same pages | {plain:.2f} s | |")
        if tests is not None:
            print(f"| make test (2 processes) | {tests[0]:.0f} s | <= {TARGETS['test_seconds']:.0f} s |")
        for kind, (html_max, visit_max) in PAGE_TARGETS.items():
            members = [p for p in pages if kinds[p] == kind]
            if members and isinstance(visits, dict):
                heavy = max(members, key=lambda p: visits[p]["bytes"])
                print(f"| heaviest {kind} first visit | {visits[heavy]['bytes'] / KB:.0f} KB "
                      f"({visits[heavy]['gzip'] / KB:.0f} KB gzip) | <= {visit_max / KB:.0f} KB |")
        print(f"| largest SVG figure | {svgs.get(big, 0) / KB:.0f} KB | <= 250 KB |")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())

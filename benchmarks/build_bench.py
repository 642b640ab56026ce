"""Time the site build and weigh its pages: `make bench`.

Works on a copy of the project in a temporary folder (so every cache starts empty and
nothing in the working tree is touched) and prints, from one run:

* cold build (empty caches), rebuild with nothing changed, rebuild after editing one
  article, and a plain MkDocs build of the same pages (INITNOTES_PLAIN=1: no figures,
  no values, no notebook execution). The last three run in turn, a few times each, and
  the fastest run of each counts: on a shared machine the fastest is the one least
  slowed by others (the median is printed beside it);
* each figure's render time (as the build's hook measured it) and SVG size;
* per page: the HTML size and the bytes a first visit loads (the page and every file
  Chromium fetches for it with an empty cache, lazy images included), also gzip-compressed;
* the ``runs: N computed, M reused`` line of the cold build and of a rebuild;
* the time of the whole test suite as `make test` runs it (in the copy; ``--no-tests``
  leaves it out);
* PASS/FAIL against the targets below.

Usage: python benchmarks/build_bench.py [--runs N] [--markdown] [--no-tests]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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
    "rebuild_vs_plain": 1.3,        # rebuild with nothing changed / plain MkDocs build
    "cold_seconds": 90.0,
    "article_html_bytes": 150_000,
    "svg_bytes": 250_000,
    "first_visit_bytes": 1_500_000,
    "test_seconds": 300.0,          # make test on 2 cores
}
SKIP = {".git", ".venv", "site", ".cache", "figures-out", ".pytest_cache", "__pycache__",
        ".lock-venv", "build", "dist"}
KB = 1000


def copy_project(dest: Path) -> None:
    def ignore(folder, names):
        return [n for n in names if n in SKIP or n.endswith(".egg-info")]

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)


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
    """Per page, the files Chromium fetches on a first visit, and their bytes."""
    path = sitelib.chromium_path()
    if path is None:
        return f"Chromium not found ({sitelib.INSTALL_HINT})"
    from playwright.sync_api import sync_playwright

    out = {}
    with sitelib.serve(site, prefix) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=sitelib.CHROMIUM_ARGS)
        for rel in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            urls: list[str] = []
            page.on("request", lambda req, urls=urls: urls.append(req.url))
            page.goto(base + rel, wait_until="networkidle")
            page.evaluate("""async () => {
              const imgs = [...document.images];
              imgs.forEach((i) => { i.loading = "eager"; });
              await Promise.all(imgs.map((i) => i.complete ? null : new Promise((r) => {
                i.addEventListener("load", r); i.addEventListener("error", r); })));
            }""")
            page.wait_for_timeout(200)
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
            out[rel] = {"files": len(files), "bytes": raw, "gzip": packed,
                        "requests": len(urls),
                        "largest": sorted(((f.stat().st_size, f.relative_to(site).as_posix())
                                           for f in files), reverse=True)[:6]}
        browser.close()
    return out


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each rebuild (the fastest counts)")
    parser.add_argument("--markdown", action="store_true", help="also print a table for the README")
    parser.add_argument("--no-tests", action="store_true", help="do not time the test suite")
    args = parser.parse_args()

    config = sitelib.read_config(ROOT / "mkdocs.yml")
    prefix = sitelib.site_prefix(config)
    print(f"initnotes build benchmark: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(prefix="initnotes-bench-") as tmp:
        work = Path(tmp) / "project"
        copy_project(work)
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
        html = {p: (site / p).stat().st_size for p in pages}
        svgs = {p.stem: p.stat().st_size for p in sorted((site / "figures").glob("*.svg"))} \
            if (site / "figures").is_dir() else {}
        visits = first_visits(site, prefix, pages)
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

    print("\n== Pages: HTML size; first visit (all files Chromium fetched, lazy images included)")
    if isinstance(visits, str):
        print(f"  first visits not measured: {visits}")
    for p in pages:
        kind = "article" if p in articles else "page"
        v = visits.get(p) if isinstance(visits, dict) else None
        fv = (f"{v['bytes'] / KB:8.1f} KB in {v['files']:2d} files ({v['gzip'] / KB:6.1f} KB gzip)"
              if v else "")
        print(f"  {p:<44} {kind:<8} {html[p] / KB:7.1f} KB   {fv}")

    if isinstance(visits, dict):
        loaded = {p: visits[p]["bytes"] for p in articles if p in visits}
        if loaded:
            heaviest = max(loaded, key=loaded.get)
            print(f"  largest files of the heaviest first visit ({heaviest}): " + ", ".join(
                f"{rel} {size / KB:.0f} KB" for size, rel in visits[heaviest]["largest"]))

    print("\n== Targets")
    results = []
    ratio = warm / plain if plain else float("inf")
    results.append((ratio <= TARGETS["rebuild_vs_plain"],
                    f"rebuild with nothing changed {warm:.2f} s = {ratio:.2f} x the plain build "
                    f"{plain:.2f} s (target <= {TARGETS['rebuild_vs_plain']} x)"))
    results.append((cold < TARGETS["cold_seconds"],
                    f"cold build {cold:.1f} s (target < {TARGETS['cold_seconds']:.0f} s)"))
    art = {p: html[p] for p in articles if p in html}
    worst = max(art, key=art.get) if art else None
    results.append((all(v < TARGETS["article_html_bytes"] for v in art.values()),
                    f"article HTML: largest {worst} {art.get(worst, 0) / KB:.1f} KB "
                    f"(target < {TARGETS['article_html_bytes'] / KB:.0f} KB, {len(art)} articles)"))
    big = max(svgs, key=svgs.get) if svgs else None
    results.append((all(v < TARGETS["svg_bytes"] for v in svgs.values()),
                    f"SVG figures: largest {big} {svgs.get(big, 0) / KB:.1f} KB "
                    f"(target < {TARGETS['svg_bytes'] / KB:.0f} KB, {len(svgs)} figures)"))
    if isinstance(visits, dict):
        fv = {p: visits[p]["bytes"] for p in articles if p in visits}
        heavy = max(fv, key=fv.get) if fv else None
        results.append((all(v < TARGETS["first_visit_bytes"] for v in fv.values()),
                        f"first visit of an article: heaviest {heavy} {fv.get(heavy, 0) / KB:.1f} KB "
                        f"(target < {TARGETS['first_visit_bytes'] / KB:.0f} KB)"))
    else:
        results.append((False, f"first visit of an article: not measured ({visits})"))
    if tests is not None:
        results.append((tests[0] <= TARGETS["test_seconds"] and not tests[1].startswith("FAILED"),
                        f"make test {tests[0]:.0f} s, {tests[1]} (target <= {TARGETS['test_seconds']:.0f} s)"))
    for ok, text in results:
        print(f"  {verdict(ok)}  {text}")

    if args.markdown:
        print("\n| measure | value | target |\n|---|---|---|")
        print(f"| cold build (empty caches) | {cold:.1f} s | < 90 s |")
        print(f"| rebuild, nothing changed | {warm:.2f} s | <= 1.3 x plain |")
        print(f"| rebuild after editing one article | {edit:.2f} s | |")
        print(f"| plain MkDocs build, same pages | {plain:.2f} s | |")
        if tests is not None:
            print(f"| make test (2 processes) | {tests[0]:.0f} s | <= 300 s |")
        print(f"| largest article HTML | {art.get(worst, 0) / KB:.0f} KB | < 150 KB |")
        print(f"| largest SVG figure | {svgs.get(big, 0) / KB:.0f} KB | < 250 KB |")
        if isinstance(visits, dict) and fv:
            print(f"| heaviest first visit of an article | {fv[heavy] / KB:.0f} KB "
                  f"({visits[heavy]['gzip'] / KB:.0f} KB gzip) | < 1500 KB |")
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())

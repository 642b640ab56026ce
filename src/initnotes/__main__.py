"""The command line: export the site's figures, print its numbers, check heading anchors.

    python -m initnotes figures --list
    python -m initnotes figures --out DIR [--format svg,png,pdf] [--name NAME ...]
    python -m initnotes values [--name NAME ...]
    python -m initnotes runs [--show NAME]
    python -m initnotes anchors [--fix] FILE ...
    python -m initnotes build-assets [--docs DOCS] [--site-url URL]
    python -m initnotes check-site SITE [--docs DOCS]

Figures and runs go through the same cache as the site build (``$INITNOTES_CACHE_DIR``,
else ``.cache/initnotes`` in the project checkout, else ``~/.cache/initnotes``), so an exported file is byte for byte
the file the site serves. Bad arguments (an unknown figure or format, a folder that
cannot be written) print one line on stderr and exit with status 2; an export writes
everything into a temporary folder inside ``DIR`` first and moves the files into place
only when all of them exist, so a failure leaves nothing partial behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from initnotes import __version__

EXIT_USAGE = 2
EXIT_FAILURE = 1
DEFAULT_FORMATS = "svg,png,pdf"


class UsageError(Exception):
    """A bad argument: reported on one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse prints the whole usage first; one line says what is wrong.
        raise UsageError(message)


def _cache_root() -> Path:
    from initnotes.runs import default_cache_root

    return default_cache_root()


def _cache():
    """The cache of the current fingerprint, its run store made the active one."""
    from initnotes import runs
    from initnotes.render import Cache

    cache = Cache(_cache_root())
    runs.activate(cache.dir)
    return cache


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m initnotes",
                     description="Export the figures and numbers of the initnotes site.")
    parser.add_argument("--version", action="version", version=f"initnotes {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    fig = sub.add_parser("figures", help="export figures (same bytes as on the site) or list them")
    what = fig.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", type=Path, metavar="DIR", help="folder to write NAME.FORMAT files into")
    what.add_argument("--list", action="store_true", help="print every figure's name and caption")
    fig.add_argument("--format", default=DEFAULT_FORMATS, metavar="FORMATS",
                     help=f"comma-separated formats (default: {DEFAULT_FORMATS})")
    fig.add_argument("--name", nargs="+", action="extend", metavar="NAME",
                     help="figures to export (default: all)")

    val = sub.add_parser("values", help="print the numbers and tables the pages show")
    val.add_argument("--name", nargs="+", action="extend", metavar="NAME",
                     help="values to print (default: all)")

    run = sub.add_parser("runs", help="list the declared runs, or --show the code that reproduces one")
    run.add_argument("--show", metavar="NAME", help="print Python that reruns run NAME exactly")

    anc = sub.add_parser("anchors", help="check (or --fix) explicit ids on ## and ### headings")
    anc.add_argument("files", nargs="+", type=Path, metavar="FILE")
    anc.add_argument("--fix", action="store_true", help="add the missing ids in place")

    default_docs = Path("docs")
    ast = sub.add_parser("build-assets", help="compute every run, figure, value, executed "
                         "tutorial and the wheel into the cache (what the site build uses)")
    ast.add_argument("--docs", type=Path, default=default_docs, metavar="DOCS",
                     help="the docs folder whose tutorials to execute (default: docs)")
    ast.add_argument("--site-url", default=os.environ.get("INITNOTES_SITE_URL") or None,
                     metavar="URL", help="the site's address, for the tutorials' install cell "
                     "(default: $INITNOTES_SITE_URL)")

    chk = sub.add_parser("check-site", help="check that every built page carries its figures "
                         "and values (exit 1 if not)")
    chk.add_argument("site", type=Path, metavar="SITE", help="the built site folder")
    chk.add_argument("--docs", type=Path, default=default_docs, metavar="DOCS",
                     help="the docs folder it was built from (default: docs)")
    return parser


def _check_names(requested: Sequence[str] | None, known: Sequence[str], kind: str) -> list[str]:
    if not requested:
        return list(known)
    unknown = [n for n in requested if n not in known]
    if unknown:
        raise UsageError(f"unknown {kind} {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(known)}")
    return list(dict.fromkeys(requested))


def _check_formats(spec: str) -> list[str]:
    from initnotes.render import FORMATS

    formats = [f.strip().lower() for f in spec.split(",") if f.strip()]
    if not formats:
        raise UsageError(f"--format needs at least one of {', '.join(FORMATS)}, got {spec!r}")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError(f"unknown format {', '.join(map(repr, unknown))}; "
                         f"known: {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def _prepare_out(out: Path) -> tuple[Path, list[Path]]:
    """Create `out` if needed and a private temporary folder inside it.

    Returns the temporary folder and the folders this call created (removed again on
    failure, so nothing is left behind)."""
    created: list[Path] = []
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {str(out)!r} exists and is not a folder")
    try:
        missing = [p for p in [out, *out.parents] if not p.exists()]
        out.mkdir(parents=True, exist_ok=True)
        created = list(missing)  # deepest first
        tmp = Path(tempfile.mkdtemp(prefix=".initnotes-export-", dir=out))
    except OSError as err:
        _remove_created(created)
        raise UsageError(f"cannot write to --out {str(out)!r}: {err.strerror or err}") from None
    return tmp, created


def _remove_created(created: list[Path]) -> None:
    for folder in created:  # deepest first
        try:
            folder.rmdir()
        except OSError:
            pass


def export_figures(out: Path, names: Sequence[str], formats: Sequence[str]) -> list[Path]:
    """Write ``out/NAME.FORMAT`` for every name and format, all or nothing."""
    from initnotes.render import Cache

    tmp, created = _prepare_out(out)
    moved: list[Path] = []
    try:
        cache = _cache()
        cache.ensure_figures(names)
        for name in names:
            for fmt in formats:
                shutil.copyfile(cache.figure_path(name, fmt), tmp / f"{name}.{fmt}")
        for name in names:
            for fmt in formats:
                target = out / f"{name}.{fmt}"
                os.replace(tmp / target.name, target)
                moved.append(target)
    except BaseException:
        for path in moved:
            path.unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_created(created)
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    return moved


def _figures(args: argparse.Namespace) -> int:
    from initnotes import registry

    _cache()
    specs = registry.figures()
    if args.list:
        width = max((len(n) for n in specs), default=0)
        for name, spec in specs.items():
            print(f"{name.ljust(width)}  {' '.join(spec.caption.split())}")
        return 0
    names = _check_names(args.name, list(specs), "figure")
    formats = _check_formats(args.format)
    try:
        written = export_figures(args.out, names, formats)
    except UsageError:
        raise
    except OSError as err:
        raise UsageError(f"cannot write to --out {str(args.out)!r}: {err.strerror or err}") from None
    print(f"wrote {_count(len(written), 'file')} ({_count(len(names), 'figure')} as "
          f"{', '.join(formats)}) to {args.out}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _values(args: argparse.Namespace) -> int:
    from initnotes import registry

    specs = registry.values()
    names = _check_names(args.name, list(specs), "value")
    cache = _cache()
    for i, name in enumerate(names):
        if i:
            print()
        print(f"{name}: {specs[name].description}")
        for line in cache.value(name).splitlines():
            print(f"    {line}")
    return 0


def _runs(args: argparse.Namespace) -> int:
    from initnotes import pages

    declared = pages.all_runs()
    if args.show is not None:
        _check_names([args.show], list(declared), "run")
        print(declared[args.show].code(), end="")
        return 0
    rows = [(r.page, r.name, r.function_path, repr(r.config), str(r.seed)) for r in declared.values()]
    widths = [max(len(row[i]) for row in rows) for i in range(4)] if rows else [0] * 4
    print("  ".join(h.ljust(w) for h, w in zip(("page", "name", "function", "config"), widths)) + "  seed")
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row[:4], widths)) + "  " + row[4])
    return 0


def _anchors(args: argparse.Namespace) -> int:
    from initnotes import anchors

    problems = 0
    for path in args.files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"cannot read {str(path)!r}: {err.strerror or err}") from None
        if args.fix:
            fixed = anchors.add_ids(text)
            if fixed != text:
                path.write_text(fixed, encoding="utf-8")
                print(f"{path}: added {len(anchors.missing_ids(text))} heading ids")
            text = fixed
        for h in anchors.missing_ids(text):
            problems += 1
            print(f"{path}:{h.line}: heading {h.text!r} has no explicit id; "
                  f"write it as '{'#' * h.level} {h.text} {{#{anchors.slugify(h.text)}}}'")
        for ident in anchors.duplicate_ids(text):
            problems += 1
            print(f"{path}: id {ident!r} is used by more than one heading")
    return 1 if problems else 0


def _build_assets(args: argparse.Namespace) -> int:
    from initnotes import assets
    from initnotes.build.addresses import SITE_URL_VAR, checked_url
    from initnotes.render import Cache

    if not args.docs.is_dir():
        raise UsageError(f"--docs {str(args.docs)!r} is not a folder")
    try:
        site_url = checked_url(args.site_url, SITE_URL_VAR)
    except ValueError as err:
        raise UsageError(str(err)) from None
    report = assets.build_all(Cache(_cache_root()), args.docs, site_url)
    print(f"initnotes: {report.summary()}")
    return 0


def _check_site(args: argparse.Namespace) -> int:
    from initnotes import sitecheck

    try:
        problems, pages = sitecheck.check_site(args.site, args.docs)
    except ValueError as err:
        raise UsageError(str(err)) from None
    for problem in problems:
        print(problem)
    print(f"initnotes: {pages} pages checked, {_count(len(problems), 'problem')}")
    return EXIT_FAILURE if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from initnotes import runs

    try:
        args = _parser().parse_args(argv)
        command = {"figures": _figures, "values": _values, "runs": _runs,
                   "anchors": _anchors, "build-assets": _build_assets,
                   "check-site": _check_site}[args.command]
        with runs.preserved():  # a caller's active run store (tests) is left as it was
            return command(args)
    except UsageError as err:
        print(f"initnotes: error: {err}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())

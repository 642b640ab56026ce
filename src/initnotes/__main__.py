"""The command line: export the site's figures, print its numbers, check heading anchors.

    python -m initnotes figures --list
    python -m initnotes figures --out DIR [--format svg,png,pdf] [--name NAME ...]
        [--preset site|slides] [--theme light|dark] [--transparent] [--svg-text]
    python -m initnotes values [--name NAME ...]
    python -m initnotes runs [--show NAME]
    python -m initnotes anchors [--fix] FILE ...

Figures and runs go through the same cache as the site build (``$INITNOTES_CACHE_DIR``,
else ``.cache/initnotes`` in the project checkout, else ``~/.cache/initnotes``; never the
folder the command runs in), so an exported file is byte for byte the file the site serves.
``--preset slides`` draws each figure for a 16:9 slide instead (13.33 x 7.5 in, 1920 x 1080
px as PNG, no text under 20 pt), ``--theme dark`` for a dark background, ``--transparent``
without one, ``--svg-text`` keeps the SVG's text as editable text (it then needs the DejaVu
Sans font to look the same); these are cached beside the site's files. Bad arguments (an unknown figure or format, a folder that
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


def _cache_help() -> str:
    """Where the command caches runs and figures (for ``--help``)."""
    from initnotes.runs import default_cache_root

    return (f"Runs and figures are cached in {default_cache_root()} (one cache per project "
            "checkout, else per user in ~/.cache/initnotes; set INITNOTES_CACHE_DIR to choose "
            "another folder).")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m initnotes",
                     description="Export the figures and numbers of the initnotes site.",
                     epilog=_cache_help())
    parser.add_argument("--version", action="version", version=f"initnotes {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    fig = sub.add_parser(
        "figures", help="export figures (same bytes as on the site) or list them",
        description="Export the site's figures (byte for byte the site's files), or draw them "
                    "for slides: python -m initnotes figures --out DIR --preset slides "
                    "[--theme dark] [--transparent].",
        epilog=_cache_help())
    what = fig.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", type=Path, metavar="DIR", help="folder to write NAME.FORMAT files into")
    what.add_argument("--list", action="store_true", help="print every figure's name and caption")
    fig.add_argument("--format", default=DEFAULT_FORMATS, metavar="FORMATS",
                     help=f"comma-separated formats (default: {DEFAULT_FORMATS})")
    fig.add_argument("--name", nargs="+", action="extend", metavar="NAME",
                     help="figures to export (default: all)")
    fig.add_argument("--preset", choices=("site", "slides"), default="site",
                     help="site: the site's own files (default); slides: each figure on a 16:9 "
                          "slide, 1920x1080 px as PNG (13.33x7.5 in as SVG/PDF), text >= 20 pt")
    fig.add_argument("--theme", choices=("light", "dark"), default="light",
                     help="light (default) or dark: light text and lines on a dark background")
    fig.add_argument("--transparent", action="store_true",
                     help="leave the background out (for a slide's own background)")
    fig.add_argument("--svg-text", action="store_true",
                     help="keep the SVG's text as text, editable in Keynote, PowerPoint or "
                          "Inkscape (svg.fonttype none; the viewer needs the DejaVu Sans font), "
                          "instead of glyph outlines")

    val = sub.add_parser("values", help="print the numbers and tables the pages show")
    val.add_argument("--name", nargs="+", action="extend", metavar="NAME",
                     help="values to print (default: all)")

    run = sub.add_parser("runs", help="list the declared runs, or --show the code that reproduces one")
    run.add_argument("--show", metavar="NAME", help="print Python that reruns run NAME exactly")

    anc = sub.add_parser("anchors", help="check (or --fix) explicit ids on ## and ### headings")
    anc.add_argument("files", nargs="+", type=Path, metavar="FILE")
    anc.add_argument("--fix", action="store_true", help="add the missing ids in place")
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


def export_figures(out: Path, names: Sequence[str], formats: Sequence[str],
                   look=None) -> list[Path]:
    """Write ``out/NAME.FORMAT`` for every name and format, all or nothing, for `look`
    (`initnotes.figures.style.Look`; default: the site's files)."""
    tmp, created = _prepare_out(out)
    moved: list[Path] = []
    try:
        cache = _cache()
        cache.ensure_figures(names, look=look)
        for name in names:
            for fmt in formats:
                shutil.copyfile(cache.figure_path(name, fmt, look), tmp / f"{name}.{fmt}")
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
    from initnotes.figures.style import Look

    look = Look(args.preset, args.theme, args.transparent, args.svg_text)
    try:
        written = export_figures(args.out, names, formats, look)
    except UsageError:
        raise
    except OSError as err:
        raise UsageError(f"cannot write to --out {str(args.out)!r}: {err.strerror or err}") from None
    kind = "" if look.is_site else f", {look.key}"
    print(f"wrote {_count(len(written), 'file')} ({_count(len(names), 'figure')} as "
          f"{', '.join(formats)}{kind}) to {args.out}")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from initnotes import runs

    try:
        args = _parser().parse_args(argv)
        command = {"figures": _figures, "values": _values, "runs": _runs,
                   "anchors": _anchors}[args.command]
        with runs.preserved():  # a caller's active run store (tests) is left as it was
            return command(args)
    except UsageError as err:
        print(f"initnotes: error: {err}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())

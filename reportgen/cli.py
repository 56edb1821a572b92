"""Command line: parse arguments, set up logging, map errors to exit codes. No logic here."""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reportgen import __version__
from reportgen.errors import InputError, ReleaseBlockedError, ReportgenError
from reportgen.quarters import Quarter

if TYPE_CHECKING:
    from reportgen.charts.cache import DrawingPool

log = logging.getLogger("reportgen")

Clock = Callable[[], datetime]

EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
# Kept here rather than imported from build.py, whose imports are slow.
EDITIONS = ("en", "ja")


# Linux's limits (NAME_MAX, PATH_MAX): a longer name fails every system call.
_NAME_MAX = 255
_PATH_MAX = 4095


def _path(text: str) -> Path:
    """A path argument, refused at once (exit 2) if no file system could hold it."""
    size = len(os.fsencode(text))
    if size > _PATH_MAX:
        raise argparse.ArgumentTypeError(f"path too long ({size} bytes; at most {_PATH_MAX})")
    for part in Path(text).parts:
        size = len(os.fsencode(part))
        if size > _NAME_MAX:
            raise argparse.ArgumentTypeError(
                f"a name in the path is too long ({size} bytes; at most {_NAME_MAX}): "
                f"{part[:40]}..."
            )
    return Path(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reportgen", description="Build investor-relations results decks from data."
    )
    parser.add_argument("--version", action="version", version=f"reportgen {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    commands = parser.add_subparsers(dest="command", required=True)

    def common(cmd: argparse.ArgumentParser) -> None:
        cmd.add_argument("--quarter", required=True, help="quarter to build, such as 1Q08")
        cmd.add_argument(
            "--data",
            type=_path,
            default=Path("data/iij"),
            help="company data folder (default: data/iij)",
        )

    build = commands.add_parser("build", help="build the PDF deck and the HTML preview")
    target = build.add_mutually_exclusive_group(required=True)
    target.add_argument("--quarter", help="quarter to build, such as 1Q08")
    target.add_argument(
        "--all", action="store_true", help="build every quarter that has a deck file, in parallel"
    )
    build.add_argument(
        "--data",
        type=_path,
        default=Path("data/iij"),
        help="company data folder (default: data/iij)",
    )
    build.add_argument(
        "--jobs", type=int, default=None, help="processes for --all (default: one per CPU)"
    )
    build.add_argument(
        "--out", type=_path, default=Path("output"), help="output folder (default: output)"
    )
    build.add_argument("--no-pdf", action="store_true", help="write the HTML preview only")
    build.add_argument(
        "--pptx",
        action="store_true",
        help="also write the deck as PowerPoint (native charts and tables) beside the PDF",
    )
    build.add_argument(
        "--final",
        action="store_true",
        help="the distribution files, only if the release gate finds nothing open (else exit "
        "2 listing every open item); without it, a draft marked so on every slide",
    )
    build.add_argument(
        "--edition",
        choices=("en", "ja", "all"),
        default="en",
        help="language edition: en (default), ja, or all (every edition that has a deck file)",
    )

    preview = commands.add_parser(
        "preview", help="serve the deck as HTML on 127.0.0.1 and rebuild it on every change"
    )
    common(preview)
    preview.add_argument(
        "--port",
        type=int,
        default=None,
        help="port on 127.0.0.1 (default: 8708; 0 picks a free one)",
    )
    preview.add_argument("--open", action="store_true", help="open the preview in a browser")
    preview.add_argument(
        "--edition", choices=("en", "ja"), default="en", help="language edition (default: en)"
    )
    preview.add_argument(
        "--out",
        type=_path,
        default=Path("output"),
        help="output folder whose chart cache the preview shares (default: output); "
        "the preview itself is built in a temporary folder",
    )

    check = commands.add_parser(
        "check",
        help="run every tie-out and published-ratio check and print those of the periods "
        "the quarter's deck shows as a table (and any error, which stops every build)",
    )
    common(check)
    check.add_argument(
        "--all", action="store_true", help="list the checks of every period in the data"
    )

    approve = commands.add_parser(
        "approve",
        help="record a sign-off of the deck as it is now (its content hash) in "
        "approvals/<quarter>.yaml of the data folder",
    )
    common(approve)
    approve.add_argument("--by", required=True, help="who signs off, as the record names them")
    approve.add_argument(
        "--slides",
        default=None,
        help='only these slides, as numbered on them: "1,2,Ref. 1" (default: every slide)',
    )
    approve.add_argument(
        "--edition",
        choices=("en", "ja", "all"),
        default="en",
        help="language edition: en (default), ja, or all (every edition that has a deck file)",
    )

    sources = commands.add_parser(
        "sources", help="list every figure on every slide with its source"
    )
    common(sources)

    verify = commands.add_parser(
        "verify",
        help="check an edited PowerPoint deck against the model: list every table cell, "
        "chart value or figure in a text that differs (exit 2), and changed wording",
    )
    verify.add_argument("file", type=_path, help="the .pptx to check")
    common(verify)
    diff = commands.add_parser(
        "diff",
        help="compare the deck with an earlier version: the figures, words, slides and checks "
        "that changed, as a list and a blackline PDF",
    )
    common(diff)
    diff.add_argument(
        "--against",
        required=True,
        help="an earlier PDF, a build's output folder, a data folder, a git revision, "
        "a quarter (4Q07: restated figures), or 'approved'",
    )
    diff.add_argument(
        "--edition", choices=("en", "ja"), default="en", help="language edition (default: en)"
    )
    diff.add_argument(
        "--out",
        type=_path,
        default=Path("output"),
        help="output folder; the diff goes to OUT/diff/QUARTER-EDITION (default: output)",
    )
    diff.add_argument("--no-blackline", action="store_true", help="the change list only")

    items = commands.add_parser(
        "items",
        help="list the line items data files and placeholders may name, with their labels, "
        "units and identities",
    )
    items.add_argument(
        "--data",
        "--company",
        dest="data",
        type=_path,
        default=Path("data/iij"),
        help="company data folder whose items.yaml to list, with the periods its data stores "
        "each item for (default: data/iij)",
    )
    placeholders = commands.add_parser(
        "placeholders",
        help="print the placeholder reference (every commentary filter and name, with an "
        "example and what it prints in each edition) as Markdown",
    )
    placeholders.add_argument(
        "--out",
        type=_path,
        default=None,
        help="write it to this file (make placeholders: docs/placeholders.md) instead",
    )
    return parser


def _configure_logging(stream: TextIO, debug: bool, quiet: bool) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    level = logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO
    root.setLevel(logging.WARNING)
    logging.getLogger("reportgen").setLevel(level)
    # WeasyPrint and fontTools are chatty at INFO; their warnings still show.
    for name in ("weasyprint", "fontTools", "matplotlib"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _build_all(args: argparse.Namespace, stdout: TextIO) -> int:
    from rich.console import Console

    from reportgen.batch import build_all, summary

    editions = EDITIONS if args.edition == "all" else (args.edition,)
    outcomes = build_all(
        args.data,
        args.out,
        workers=args.jobs,
        editions=editions,
        pdf=not args.no_pdf,
        pptx=args.pptx,
    )
    Console(file=stdout, width=160).print(summary(outcomes))
    failed = [o for o in outcomes if not o.ok]
    if not failed:
        return EXIT_OK
    return EXIT_INPUT if all(o.input_error for o in failed) else EXIT_INTERNAL


def _editions(args: argparse.Namespace, quarter: Quarter) -> tuple[str, ...]:
    # "all" is every edition that has a deck file, as the help says.
    if args.edition == "all":
        from reportgen.batch import deck_editions  # with rich: imported only when needed

        return tuple(deck_editions(args.data, quarter, EDITIONS))
    return (args.edition,)


def _build(args: argparse.Namespace) -> int:
    from reportgen import layout

    drawing = None
    if not args.no_pdf:
        # WeasyPrint is imported by a worker while this process loads the data.
        layout.prestart()
    if layout.allowed():
        from reportgen.charts.cache import DrawingPool, chart_cache_dir

        # So is matplotlib, if every chart is to be drawn.
        drawing = DrawingPool.for_first_build(chart_cache_dir(args.out))
    try:
        return _build_editions(args, drawing)
    finally:
        layout.stop()
        if drawing is not None:
            drawing.close()


def _build_editions(args: argparse.Namespace, drawing: DrawingPool | None = None) -> int:
    from reportgen.build import blocked, build, gate

    quarter = Quarter.parse(args.quarter)
    editions = _editions(args, quarter)
    if args.final:
        if args.no_pdf:
            raise UsageError("build --final: the PDF is what is distributed; drop --no-pdf")
        # Every edition is gated before any is written: a release is all of them or none.
        checks = args.out / ".cache" / "checks"
        verdicts = {e: gate(args.data, quarter, e, checks_dir=checks) for e in editions}
        error = blocked(quarter, verdicts)
        if error is not None:
            raise error
    for edition in editions:
        # The process ends after the last build: its garbage need not be freed.
        last = edition == editions[-1]
        result = build(
            args.data,
            quarter,
            args.out,
            pdf=not args.no_pdf,
            pptx=args.pptx,
            edition=edition,
            release_memory=not last,
            final=args.final,
            drawing=drawing,
        )
        out = result.output
        if out.pdf is not None:
            log.info("wrote %s (%d pages, %.0f KB)", out.pdf, out.pages, out.pdf_bytes / 1024)
        if out.pptx is not None:
            log.info("wrote %s", out.pptx)
        log.info("preview %s", out.html)
        state = f"final, {result.deck.released}" if args.final else "draft"
        log.info("built %s (%s, %s) in %.1f s", quarter.name, edition, state, out.seconds)
    return EXIT_OK


def _approve(args: argparse.Namespace, clock: Clock) -> int:
    from reportgen.build import prepare
    from reportgen.render import TEMPLATES
    from reportgen.review.approvals import record_approval
    from reportgen.review.content import content_hash

    quarter = Quarter.parse(args.quarter)
    slides = None if args.slides is None else [s.strip() for s in args.slides.split(",")]
    for edition in _editions(args, quarter):
        # A strict build: a deck that cannot be built cannot be approved.
        dataset, deck, _ = prepare(args.data, quarter, TEMPLATES, edition)
        content = content_hash(dataset, quarter, edition, TEMPLATES)
        path, approval = record_approval(
            deck, content, args.by, slides=slides, templates=TEMPLATES, clock=clock
        )
        log.info(
            "approved %s of %s (%s) by %s: %s, recorded in %s",
            approval.slides_text,
            quarter.name,
            edition,
            approval.by,
            approval.content_hash,
            path,
        )
    return EXIT_OK


class UsageError(InputError):
    """Options that contradict each other (exit 2, like any other bad input)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``): stopped like Ctrl-C, so every clean-up runs; exit code 143."""


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _preview(args: argparse.Namespace) -> int:
    import webbrowser

    from reportgen.charts.cache import chart_cache_dir
    from reportgen.preview import DEFAULT_PORT, PreviewServer

    quarter = Quarter.parse(args.quarter)
    port = DEFAULT_PORT if args.port is None else args.port
    server = PreviewServer(
        args.data,
        quarter,
        port=port,
        cache_dir=chart_cache_dir(args.out),
        edition=args.edition,
    )
    with server:
        log.info("preview of %s at %s (Ctrl-C stops it)", quarter.name, server.url)
        if args.open:
            webbrowser.open(server.url)
        # ``kill`` (SIGTERM) ends the preview like Ctrl-C (see ``main``): its
        # temporary folder is removed on the way out.
        try:
            server.wait()
        except KeyboardInterrupt:
            # Ctrl-C is how a preview is meant to end: not an interrupted build.
            log.info("preview stopped")
    return EXIT_OK


def _check(args: argparse.Namespace, stdout: TextIO) -> int:
    from reportgen.data.commentary_check import typed_numbers
    from reportgen.data.load import load_dataset
    from reportgen.data.restatements import restatements
    from reportgen.data.validate import run_checks
    from reportgen.model.quarter import QuarterModel
    from reportgen.render import TEMPLATES
    from reportgen.report_checks import format_checks
    from reportgen.slides.content import deck_path
    from reportgen.slides.deckfile import read_deck
    from reportgen.slides.messages import Messages

    quarter = Quarter.parse(args.quarter)
    dataset = load_dataset(args.data)
    checks = run_checks(dataset)
    stdout.write(format_checks(checks, None if args.all else quarter.deck_periods))
    for restated in restatements(dataset.root, dataset.figures):
        stdout.write(f"restated: {restated.message}\n")
    for language in ("en", "ja"):
        path = deck_path(dataset, quarter, language)
        if path.exists():
            deck = read_deck(dataset, quarter, language, Messages.load(TEMPLATES, language))
            # The figures as the deck shows them: as of its release date.
            figures = dataset.figures.at(deck.spec.release_date)
            model = QuarterModel(figures, quarter, dataset.calendar)
            for typed in typed_numbers(deck.spec, model):
                where = deck.slide(typed.index).of(typed.text)
                stdout.write(f"warning: {where}: {typed.message}\n")
    return EXIT_INPUT if any(c.severity == "error" for c in checks) else EXIT_OK


def _sources(args: argparse.Namespace, stdout: TextIO) -> int:
    from reportgen.build import prepare
    from reportgen.datapack import records

    _, deck, _ = prepare(args.data, Quarter.parse(args.quarter))
    for r in records(deck):
        where = " | ".join(part for part in (r.slide, r.shown.row, r.shown.column) if part)
        links = " ".join(d.url for d in r.documents if d.url)
        line = f"{where}: {r.shown.text} · {r.figure.provenance}" + (f" · {links}" if links else "")
        stdout.write(line + "\n")
    return EXIT_OK


def _verify(args: argparse.Namespace, stdout: TextIO) -> int:
    from reportgen.pptx.verify import verify

    differences = verify(args.file, args.data, args.quarter)
    for difference in differences:
        stdout.write(difference.line + "\n")
    figures = [d for d in differences if d.figure]
    wording = len(differences) - len(figures)
    if figures:
        log.error(
            "%s: %d figure(s) differ from the model (and %d wording change(s))",
            args.file,
            len(figures),
            wording,
        )
        return EXIT_INPUT
    log.info("%s: every figure agrees with the model (%d wording change(s))", args.file, wording)
    return EXIT_OK


def _diff(args: argparse.Namespace, stdout: TextIO) -> int:
    from reportgen.review.diff import diff

    diff(
        Quarter.parse(args.quarter),
        args.against,
        data=args.data,
        out=args.out,
        edition=args.edition,
        blackline=not args.no_blackline,
        write=lambda line: stdout.write(f"{line}\n"),
    )
    return EXIT_OK


def _items(args: argparse.Namespace, stdout: TextIO) -> int:
    from reportgen.data.load import load_dataset
    from reportgen.report_items import format_items

    dataset = load_dataset(args.data)
    stored: dict[str, list[str]] = {}
    for key, period in dataset.figures.stored:
        stored.setdefault(key, []).append(period)
    stdout.write(format_items(dataset.catalogue, stored))
    return EXIT_OK


def _placeholders(args: argparse.Namespace, stdout: TextIO) -> int:
    from reportgen.placeholder_reference import reference

    text = reference()
    if args.out is None:
        stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        log.info("wrote %s", args.out)
    return EXIT_OK


def main(
    argv: Sequence[str] | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    *,
    clock: Clock | None = None,
) -> int:
    """Run the command line; return the exit code (the console script exits with it).

    ``clock`` dates approvals (default: now, in UTC); tests pass a fixed one.
    """
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    _configure_logging(stderr, args.debug, args.quiet)
    # ``kill`` (SIGTERM) stops a command like Ctrl-C: staging folders and
    # workers are cleaned up on the way out. Only the main thread may set it.
    previous = (
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        if threading.current_thread() is threading.main_thread()
        else None
    )
    try:
        return _run(args, stdout, stderr, clock or _now)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _now() -> datetime:
    return datetime.now(UTC)


def _run(args: argparse.Namespace, stdout: TextIO, stderr: TextIO, clock: Clock) -> int:
    try:
        if args.command == "build":
            if args.all and args.final:
                raise UsageError("build --final releases one quarter: give --quarter, not --all")
            return _build_all(args, stdout) if args.all else _build(args)
        if args.command == "approve":
            return _approve(args, clock)
        if args.command == "sources":
            return _sources(args, stdout)
        if args.command == "diff":
            return _diff(args, stdout)
        if args.command == "items":
            return _items(args, stdout)
        if args.command == "verify":
            return _verify(args, stdout)
        if args.command == "placeholders":
            return _placeholders(args, stdout)
        if args.command == "preview":
            return _preview(args)
        return _check(args, stdout)
    except ReleaseBlockedError as exc:
        # The gate's verdict is its list: every open item, one line each.
        stderr.write(f"error: {exc}\n")
        stderr.writelines(f"open: {line}\n" for line in exc.details)
        return EXIT_INPUT
    except InputError as exc:
        if args.debug:
            log.exception("input error")
        stderr.write(f"error: {exc}\n")
        return EXIT_INPUT
    except ReportgenError as exc:
        if args.debug:
            log.exception("build error")
        stderr.write(f"error: {exc}\n")
        return EXIT_INTERNAL
    except Terminated:
        stderr.write("terminated\n")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        stderr.write("interrupted\n")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); that is not an error.
        return EXIT_OK
    except OSError as exc:
        # Any file error no command turned into its own message: one line, never a
        # traceback. A name no file system can hold is the user's input.
        if args.debug:
            log.exception("file error")
        where = f"{exc.filename}: " if exc.filename else ""
        stderr.write(f"error: {where}{exc.strerror or exc}\n")
        return EXIT_INPUT if exc.errno == errno.ENAMETOOLONG else EXIT_INTERNAL


def run() -> None:
    from reportgen import layout

    # This process runs one command and exits: it may fork a layout worker early.
    layout.allow_prestart()
    code = main()
    # The process ends here: its objects need no final walk by the garbage
    # collector at exit, which cost a third of a second after a build.
    gc.freeze()
    sys.exit(code)

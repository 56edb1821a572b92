"""WeasyPrint's layout and PDF write, optionally in a process started before they are needed.

A build from the command line spends about a second before its HTML exists: the
interpreter, pandas, Jinja and the data and slides, and WeasyPrint's own import
(0.3-0.6 s) on top of it. ``prestart`` forks a worker at the start of the command,
which imports WeasyPrint while the build loads the data; the build hands it the
finished HTML and writes the data pack while the worker lays out the PDF. Both
overlap on two cores, so a build costs about what WeasyPrint alone costs (issue 21).

``lay_out`` is the one function that renders, in the worker or in the build's own
process (the preview, batch workers and tests, where no worker was started): it only
reports what it found, and ``reportgen.render.write_pdf`` turns that into the
build's errors, so both paths fail alike.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.errors import RenderError
from reportgen.glyphs import Unprintable, coverage, unprintable
from reportgen.overflow import Spill, spills

if TYPE_CHECKING:
    from reportgen.fetch import LoadFailure
    from reportgen.pdf import DataFile


@dataclass(frozen=True, slots=True)
class LayoutJob:
    """What the layout needs: the HTML file, where resources may come from, the slides."""

    index: Path
    target: Path
    roots: Sequence[Path]
    slides: int


@dataclass(frozen=True, slots=True)
class PdfDetails:
    """What only the PDF's writing needs; the build works it out while the layout runs."""

    labels: Sequence[str]
    attachments: Sequence[DataFile]
    created: datetime
    released: str


@dataclass(frozen=True, slots=True)
class LayoutResult:
    """What the layout found; the PDF was written only if nothing was wrong."""

    refused: list[str] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)
    pages: int = 0
    # The anchors on each page, to find an overflowing slide (only when pages != slides).
    anchors: list[list[str]] = field(default_factory=list)
    written: bool = False
    error: BaseException | None = None
    # Text outside its part of a slide (``overflow.spills``), or characters no shipped
    # font has (``glyphs.unprintable``): nothing was written.
    spills: list[Spill] = field(default_factory=list)
    unprintable: list[Unprintable] = field(default_factory=list)


def lay_out(job: LayoutJob, details: Callable[[], PdfDetails]) -> LayoutResult:
    """Render ``job.index``; write the PDF if every resource loaded and each slide is a page.

    ``details`` is asked for after the layout, which it may overlap (in the worker, it
    waits for the build's second message).
    """
    from reportgen import weasyprint_import

    weasyprint_import.load()
    from weasyprint import HTML

    from reportgen import pdf
    from reportgen.fetch import ProjectFetcher, load_failures

    fetcher = ProjectFetcher(list(job.roots))
    with load_failures() as failures:
        document = HTML(filename=str(job.index), url_fetcher=fetcher).render()
        written = details()
        found = [*fetcher.failed, *failures]
        pages = len(document.pages)
        if fetcher.refused or found or pages != job.slides:
            anchors = [list(getattr(page, "anchors", {})) for page in document.pages]
            return LayoutResult(list(fetcher.refused), found, pages, anchors)
        spilled = spills(document)
        missing = unprintable(document)
        if spilled or missing:
            return LayoutResult(pages=pages, spills=spilled, unprintable=missing)
        try:
            pdf.write(
                document,
                job.target,
                labels=written.labels,
                attachments=written.attachments,
                created=written.created,
                released=written.released,
            )
        except OSError as exc:
            # Named by the file it could not write, as ``render.writing`` does.
            return LayoutResult(pages=pages, error=_named(exc, job.target))
        # SVG images are drawn only while writing: one that fails then is missing too.
        return LayoutResult(failures=list(failures), pages=pages, written=True)


def _named(exc: OSError, target: Path) -> OSError:
    return OSError(exc.errno, exc.strerror or str(exc), str(target))


class LayoutWorker:
    """A forked process that has imported WeasyPrint and lays out one job at a time."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._conn, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve,
            args=(theirs, self._conn, os.getpid()),
            name="reportgen-layout",
            daemon=True,
        )
        self._process.start()
        theirs.close()

    def submit(self, job: LayoutJob) -> Pending:
        """Start laying out ``job``: the worker renders while the build works on."""
        return Pending(self, job)

    def send(self, message: LayoutJob | PdfDetails) -> None:
        self._conn.send(message)

    def receive(self) -> LayoutResult:
        answer: LayoutResult = self._conn.recv()
        return answer

    def ended(self, job: LayoutJob) -> LayoutResult:
        self._process.join(timeout=1)
        code = self._process.exitcode
        error = RenderError(
            f"{job.target.name}: the layout process ended unexpectedly (exit code {code})"
        )
        return LayoutResult(error=error)

    def close(self) -> None:
        """End the worker at once: it holds nothing the build still needs."""
        # Idle, it would only read the end of its input and exit; busy (the build
        # failed meanwhile), it must not go on writing into a removed staging folder.
        self._conn.close()
        self._process.kill()
        self._process.join()


class Pending:
    """A job the worker is laying out: give it the PDF's details, then wait for its result."""

    def __init__(self, worker: LayoutWorker, job: LayoutJob) -> None:
        self._worker, self._job = worker, job
        self._lost = not self._sent(job)

    def _sent(self, message: LayoutJob | PdfDetails) -> bool:
        try:
            self._worker.send(message)
        except OSError:
            return False
        return True

    def details(self, details: PdfDetails) -> None:
        self._lost = self._lost or not self._sent(details)

    def result(self) -> LayoutResult:
        if not self._lost:
            try:
                return self._worker.receive()
            except (EOFError, OSError):
                pass
            except Exception as exc:  # an answer that cannot be unpickled here
                error = RenderError(f"{self._job.target.name}: unreadable layout result: {exc!r}")
                return LayoutResult(error=error)
        return self._worker.ended(self._job)


def _serve(conn: Connection, theirs: Connection, parent: int) -> None:
    from reportgen.workers import die_with_parent

    # The fork copied the build's end of the pipe: closed here, so that the build
    # closing its own is the end of input this loop waits for.
    theirs.close()
    die_with_parent(parent)
    # Ctrl-C reaches the whole process group: the build stops and cleans up, and
    # this process ends with it; it must not print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from reportgen import weasyprint_import

    weasyprint_import.load()  # the point of this process: imported meanwhile
    coverage()  # and the fonts' character maps, read while the build loads its data

    from reportgen import fetch, pdf  # noqa: F401

    # As ``build.frozen_heap``: collections during layout skip the import heap.
    gc.freeze()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        # The last job's garbage, freed only once another comes (a second edition):
        # after the last one, the build ends this process without waiting for it.
        gc.collect()
        try:
            result = lay_out(job, conn.recv)
        except EOFError:
            return  # the build ended before sending the details
        except Exception as exc:  # a bug: sent back to be raised in the build
            result = LayoutResult(error=exc)
        try:
            conn.send(result)
        except Exception as exc:  # e.g. an exception that cannot be pickled
            conn.send(LayoutResult(error=RenderError(f"layout failed: {exc!r}")))


_worker: LayoutWorker | None = None
_allowed = False


def allow_prestart() -> None:
    """Let ``prestart`` fork: only the command line's own process, which exits after one command.

    A process that imports reportgen as a library (the test suite, the preview's
    server) keeps its layout in process: forking it could copy threads' locks.
    """
    global _allowed
    _allowed = True


def allowed() -> bool:
    """True in the command line's own process (see ``allow_prestart``)."""
    return _allowed


def prestart() -> None:
    """Start the layout worker now, if this process allows it; later PDFs go to it."""
    global _worker
    if _allowed and _worker is None:
        _worker = LayoutWorker()


def stop() -> None:
    """End the layout worker, if one runs, even in the middle of a layout."""
    global _worker
    if _worker is not None:
        _worker.close()
        _worker = None


def current() -> LayoutWorker | None:
    return _worker

"""Live preview: watch data/ and templates/, rebuild through ``build()``, tell the page.

This module only watches and serves. Every rebuild calls the same
``reportgen.build.build`` that ``make report`` runs (HTML only, into a private
temporary folder; charts come from the shared content-hash cache). After each
rebuild, good or bad, an :class:`Epoch` advances and the browsers waiting on it
over server-sent events update (``templates/preview/live.js`` swaps in the slides
that changed; it reloads only when the page's shape changes). A failed rebuild
keeps the last good slides on disk and shows the error above them; the next good
one clears it. Rebuilds are lenient (and only they): a figure missing inside a
sentence shows marked on the new slides, and the panel lists the line the
distribution build fails with.

The HTTP side is in ``reportgen/preview_http.py``; it binds 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import watchfiles

from reportgen.build import ValidatedData, build
from reportgen.charts.cache import DrawingPool
from reportgen.errors import DataError, ReportgenError
from reportgen.preview_http import PreviewHTTPServer
from reportgen.quarters import Quarter
from reportgen.render import TEMPLATES
from reportgen.slides.messages import Messages

log = logging.getLogger(__name__)

DEFAULT_PORT = 8708  # "87" for reportgen's preview, "08" as in 1Q08: clear of 8000/8080/8888
DEBOUNCE_MS = 300  # an editor's save is often a burst of writes: rebuild once it settles
# A burst counts as settled after this long without a change (watchfiles' default is
# 50 ms): an editor's save (write, or write and rename) takes a few milliseconds, and
# a burst cut in two costs one more rebuild whose result is the same (issue 21: 20 ms,
# then 10 ms, of every edit's path to the page).
STEP_MS = 10
# The watcher wakes this often while idle; its first wake-up proves it is watching.
WATCH_TIMEOUT_MS = 250


@dataclass(frozen=True, slots=True)
class Status:
    """What the preview shows now: the epoch, and the last rebuild's error if it failed.

    ``error`` is the one line the CLI would print; ``details`` every error behind it
    (all the failed tie-outs, not "and 5 more"), which the preview's panel lists.
    ``marked``: after a good rebuild, the line the CLI would fail with for each
    figure shown marked as missing in a sentence.
    """

    epoch: int
    error: str | None
    details: tuple[str, ...] = ()
    marked: tuple[str, ...] = ()


class Epoch:
    """A counter of finished rebuilds that server-sent-event clients wait on."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._status = Status(0, None)
        self._closed = False

    @property
    def status(self) -> Status:
        with self._changed:
            return self._status

    def advance(
        self, error: str | None, details: tuple[str, ...] = (), marked: tuple[str, ...] = ()
    ) -> Status:
        """Record a finished rebuild and wake every waiting client."""
        if error is not None and not details:
            details = (error,)
        with self._changed:
            self._status = Status(
                self._status.epoch + 1,
                error,
                details if error else (),
                () if error else marked,
            )
            self._changed.notify_all()
            return self._status

    def wait_past(self, seen: int, timeout: float) -> Status | None:
        """Wait until the epoch is not ``seen``; ``None`` once closed.

        Returns the current status, unchanged if ``timeout`` passed first.
        """
        with self._changed:
            self._changed.wait_for(
                lambda: self._closed or self._status.epoch != seen, timeout=timeout
            )
            return None if self._closed else self._status

    def close(self) -> None:
        """Release every waiting client: the server is stopping."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class Preview:
    """The deck being previewed: rebuilds it, keeps its status, builds its PDF on demand."""

    def __init__(
        self,
        data_root: Path,
        quarter: Quarter,
        workdir: Path,
        *,
        templates: Path = TEMPLATES,
        cache_dir: Path | None = None,
        language: str = "en",
        drawing: DrawingPool | None = None,
    ) -> None:
        if not data_root.is_dir():
            raise DataError(f"{data_root}: data folder not found ({quarter.name})")
        self.data_root = data_root
        self.quarter = quarter
        self.templates = templates
        self.language = language
        self.cache_dir = cache_dir or workdir / "cache"
        # Processes that stay, with matplotlib imported, to draw each edit's charts.
        self.drawing = drawing
        self._html_root = workdir / "html"
        self._pdf_root = workdir / "pdf"
        self.epoch = Epoch()
        # One build at a time: a PDF asked for during a rebuild waits for it.
        self._building = threading.Lock()
        self._messages = Messages.load(templates, language)
        # A template or CSS edit reuses the data as last loaded and validated.
        self._data = ValidatedData()

    @property
    def site(self) -> Path:
        """The folder served: the HTML deck of the last good build."""
        folder = "html" if self.language == "en" else f"html-{self.language}"
        return self._html_root / self.quarter.name / folder

    @property
    def messages(self) -> Messages:
        """The catalogue of the last good build (a broken catalogue must not break the panel)."""
        return self._messages

    def rebuild(self) -> Status:
        """Rebuild the HTML deck; on failure keep the last good one and record the error.

        The rebuild is lenient: a figure missing in a sentence shows marked, and the
        line the CLI would fail with is recorded (``Status.marked``) for the panel.
        """
        marked: list[str] = []
        with self._building:
            failure = self._run(lambda: marked.extend(self._build_html()))
        if failure is None:
            log.info("preview of %s rebuilt", self.quarter.name)
            return self.epoch.advance(None, marked=tuple(marked))
        return self.epoch.advance(str(failure), failure.details)

    def _build_html(self) -> tuple[str, ...]:
        """Build the HTML deck; the error lines of the figures it shows marked."""
        result = build(
            self.data_root,
            self.quarter,
            self._html_root,
            pdf=False,
            templates=self.templates,
            cache_dir=self.cache_dir,
            edition=self.language,
            data_cache=self._data,
            lenient=True,
            drawing=self.drawing,
        )
        self._messages = Messages.load(self.templates, self.language)
        return result.deck.marked

    def build_pdf(self) -> Path:
        """Build the PDF from the current files; raises the build's error."""
        with self._building:
            result = build(
                self.data_root,
                self.quarter,
                self._pdf_root,
                templates=self.templates,
                cache_dir=self.cache_dir,
                edition=self.language,
                data_cache=self._data,
                drawing=self.drawing,
            )
        assert result.output.pdf is not None
        log.info("preview: wrote %s (%d pages)", result.output.pdf, result.output.pages)
        return result.output.pdf

    @staticmethod
    def _run(step: Callable[[], None]) -> ReportgenError | None:
        """Run a build step; return its error (one line, and every detail), or None."""
        try:
            step()
        except ReportgenError as exc:
            log.error("%s", exc)
            return exc
        except Exception as exc:
            # A bug in a build must not stop the preview: log the traceback, show one line.
            log.exception("internal error while rebuilding the preview")
            return ReportgenError(f"internal error: {type(exc).__name__}: {exc}")
        return None

    @property
    def watched(self) -> tuple[Path, ...]:
        """The folders whose changes trigger a rebuild (templates/ includes css/ and i18n/)."""
        return (self.data_root, self.templates)


def watch(preview: Preview, stop: threading.Event, ready: threading.Event) -> None:
    """Build once, then rebuild after every settled burst of changes until ``stop``."""
    try:
        _watch(preview, stop, ready)
    except Exception:
        # Serving goes on without live reload; waiters must not hang on ``ready``.
        log.exception("the preview stopped watching for changes")
    finally:
        ready.set()


Identity = tuple[int, int] | None  # (device, inode) of a watched folder; None if absent


def _identities(folders: tuple[Path, ...]) -> tuple[Identity, ...]:
    identities: list[Identity] = []
    for folder in folders:
        try:
            found = folder.stat()
        except OSError:
            identities.append(None)
        else:
            identities.append((found.st_dev, found.st_ino))
    return tuple(identities)


def _watch(preview: Preview, stop: threading.Event, ready: threading.Event) -> None:
    """Watch, and watch again whenever a watched folder is deleted or replaced.

    A watch follows the folder it was set on: once ``git checkout`` or a sync tool
    deletes and recreates ``data/``, or renames another folder into its place, the
    old watch sees nothing more. Each watch is checked against the folders' current
    identities, and a new one is set (with a rebuild) when they differ.
    """
    while not stop.is_set():
        watched = preview.watched
        identities = _identities(watched)
        if None in identities:
            # A folder is gone for now: the build says so; wait for it to come back.
            preview.rebuild()
            ready.set()
            while not stop.wait(WATCH_TIMEOUT_MS / 1000) and None in _identities(watched):
                pass
            continue
        try:
            _watch_until_replaced(preview, stop, ready, identities)
        except FileNotFoundError:
            continue  # deleted between the check and the watch: check again


def _watch_until_replaced(
    preview: Preview,
    stop: threading.Event,
    ready: threading.Event,
    identities: tuple[Identity, ...],
) -> None:
    watched = preview.watched
    # Changes name absolute paths, the real ones where a watched folder is a symlink.
    roots = {form for folder in watched for form in (folder.absolute(), folder.resolve())}
    changes_seen = watchfiles.watch(
        *watched,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        stop_event=stop,
        rust_timeout=WATCH_TIMEOUT_MS,
        yield_on_timeout=True,
        raise_interrupt=False,
    )
    with contextlib.closing(changes_seen):
        built = False
        for changes in changes_seen:
            # The first wake-up (changes or not) comes once the folders are watched:
            # build only then, so that no edit made after ``ready`` can be missed.
            if not built:
                preview.rebuild()
                built = True
                ready.set()
            elif changes:
                names = sorted({Path(path).name for _, path in changes})
                log.info("changed: %s; rebuilding", ", ".join(names))
                preview.rebuild()
            # A folder deleted and made again may get its old inode number back, but
            # its deletion was reported; either way, the watch must be set again.
            deleted = {Path(path) for kind, path in changes if kind == watchfiles.Change.deleted}
            if deleted & roots or _identities(watched) != identities:
                log.info("a watched folder was replaced; watching it again")
                return


class PreviewServer:
    """Serve and watch one deck; a context manager that cleans up its temporary folder."""

    def __init__(
        self,
        data_root: Path,
        quarter: Quarter,
        *,
        port: int = DEFAULT_PORT,
        templates: Path = TEMPLATES,
        cache_dir: Path | None = None,
        edition: str = "en",
    ) -> None:
        self._workdir = Path(tempfile.mkdtemp(prefix=f"reportgen-preview-{quarter.name}-"))
        self._drawing: DrawingPool | None = None
        try:
            self.preview = Preview(
                data_root,
                quarter,
                self._workdir,
                templates=templates,
                cache_dir=cache_dir,
                language=edition,
            )
            self.httpd = PreviewHTTPServer(self.preview, port)
            # Started now, before this process's threads: they are forked elsewhere anyway.
            self._drawing = self.preview.drawing = DrawingPool.started()
        except BaseException:
            self.close_drawing()
            shutil.rmtree(self._workdir, ignore_errors=True)
            raise
        self.ready = threading.Event()
        self._stop = threading.Event()
        self._closed = threading.Event()
        self._threads = (
            threading.Thread(target=self.httpd.serve_forever, name="preview-http", daemon=True),
            threading.Thread(
                target=watch, args=(self.preview, self._stop, self.ready), name="preview-watch"
            ),
        )

    @property
    def url(self) -> str:
        return self.httpd.url

    @property
    def workdir(self) -> Path:
        """The temporary folder the preview builds into; removed by :meth:`close`."""
        return self._workdir

    def start(self) -> PreviewServer:
        for thread in self._threads:
            thread.start()
        return self

    def wait(self) -> None:
        """Block until the server is closed (Ctrl-C interrupts the wait)."""
        self._closed.wait()

    def close(self) -> None:
        """Stop watching and serving, release waiting clients, remove the temporary folder."""
        self._stop.set()
        self._closed.set()
        self.preview.epoch.close()
        started = [thread for thread in self._threads if thread.ident is not None]
        if started:
            # shutdown() waits for serve_forever() to return: only call it once it runs.
            self.httpd.shutdown()
        self.httpd.server_close()
        for thread in started:
            thread.join()
        self.close_drawing()
        shutil.rmtree(self._workdir, ignore_errors=True)

    def close_drawing(self) -> None:
        if self._drawing is not None:
            self._drawing.close()
            self._drawing = None

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

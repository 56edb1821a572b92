"""The only way WeasyPrint reads a resource: project files and data: URLs, nothing else."""

from __future__ import annotations

import errno
import logging
import mimetypes
import os
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from reportgen import weasyprint_import

weasyprint_import.load()

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402  (after the quick import)

log = logging.getLogger(__name__)


class ProjectFetcher(URLFetcher):
    """Serve ``file://`` URLs inside ``roots`` and ``data:`` URLs; refuse and record the rest.

    A deck must never reach the network or read files outside the project, even
    if a template or a data file names such a URL.
    """

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = tuple(root.resolve() for root in roots)
        self.refused: list[str] = []
        self.failed: list[LoadFailure] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            # Decoded once: url2pathname unquotes (a second unquote turned a folder
            # named ``a%41`` into ``aA``, outside the project).
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots):
                return self._serve(url, path)
        self.refused.append(url)
        log.warning("refused to fetch %s: only the project's own files are used", url)
        raise ValueError(f"refused: {url}")

    def _serve(self, url: str, path: Path) -> URLFetcherResponse:
        """Serve a project file; one that cannot be read is recorded in ``failed``."""
        try:
            # Non-blocking: a FIFO put in a chart's place must not hang the build.
            with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise IsADirectoryError(errno.EISDIR, "not a regular file")
                body = handle.read()
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.failed.append(LoadFailure(url, reason.lower()))
            raise ValueError(f"{url}: {reason}") from None
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})


@dataclass(frozen=True, slots=True)
class LoadFailure:
    """A resource the deck refers to that WeasyPrint could not use: its URL (if any), and why."""

    url: str | None
    reason: str


class _Collector(logging.Filter):
    """Record WeasyPrint's failures to load or draw a resource, in the rendering thread only."""

    def __init__(self, shown_from: int) -> None:
        super().__init__()
        self.thread = threading.get_ident()
        self.shown_from = shown_from
        self.failures: list[LoadFailure] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.thread == self.thread and _is_load_failure(record):
            self.failures.append(_failure(record))
        # Only what the logger let through before is passed on to the handlers.
        return record.levelno >= self.shown_from


def _failure(record: logging.LogRecord) -> LoadFailure:
    args = record.args if isinstance(record.args, tuple) else ()
    url = next((a for a in args if isinstance(a, str) and a.startswith("file:")), None)
    # WeasyPrint's own exception is often empty; the parser's error it wraps says why.
    errors = [a.__cause__ or a for a in args if isinstance(a, BaseException)]
    reason = str(errors[0]) if errors and str(errors[0]) else record.getMessage()
    if record.getMessage().startswith("Font-face"):
        reason = f"font {args[0]!r} could not be loaded" if args else record.getMessage()
    return LoadFailure(url, " ".join(reason.split()))


def _is_load_failure(record: logging.LogRecord) -> bool:
    # WeasyPrint logs every unusable resource at ERROR ("Failed to load image at",
    # "Failed to render SVG image", "Failed to load stylesheet at") and goes on;
    # a font that fetched but cannot be used is only a WARNING.
    return record.levelno >= logging.ERROR or record.getMessage().startswith("Font-face")


# WeasyPrint's logger is shared by the whole process: one render at a time sets its
# level and filter and puts them back (renders are serialized anyway: the preview
# builds one PDF at a time, a batch renders in separate processes).
_ONE_RENDER = threading.Lock()


@contextmanager
def load_failures() -> Iterator[list[LoadFailure]]:
    """Collect, while rendering, every resource WeasyPrint failed to load or draw.

    WeasyPrint logs such a failure and renders the page without the resource; the
    caller turns the list into an error, so that a deck never ships without a chart.
    """
    logger = logging.getLogger("weasyprint")
    with _ONE_RENDER:
        saved = logger.level
        collector = _Collector(shown_from=logger.getEffectiveLevel())
        logger.addFilter(collector)
        # The font warning must reach the filter even when the CLI shows only errors.
        logger.setLevel(min(collector.shown_from, logging.WARNING))
        try:
            yield collector.failures
        finally:
            logger.removeFilter(collector)
            logger.setLevel(saved)

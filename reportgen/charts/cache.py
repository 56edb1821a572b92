"""Draw the charts a deck needs: cached by content hash, missing ones in parallel.

Each cache entry ends with a seal, an SVG comment holding the SHA-256 of its key
and its drawing: an entry whose seal does not match (truncated, swapped with
another chart's, edited) or that is not a regular file is drawn again, never used.

Beside each drawing, ``<key>.marks.json`` holds where each value sits on it (the
preview's hotspots), sealed the same way under its own name: a chart whose drawing
or marks are damaged or missing is drawn again, both together.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import stat
import tempfile
import weakref
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from importlib.metadata import version
from pathlib import Path

from reportgen.charts.spec import Box, ChartSpec
from reportgen.workers import die_with_parent

log = logging.getLogger(__name__)

_CODE = Path(__file__).parent
# After the root element, where XML allows a comment and every SVG reader ignores it.
_SEAL = b"\n<!-- reportgen chart sha256:"
_SEAL_END = b" -->\n"


#: A folder of drawn charts shared by every output folder (instead of each one's
#: ``.cache/charts``): several checkouts, companies or CI jobs then draw a chart once.
SHARED_CACHE_VARIABLE = "REPORTGEN_CHART_CACHE"


def chart_cache_dir(out_root: Path) -> Path:
    """Where a build into ``out_root`` keeps its drawn charts.

    ``$REPORTGEN_CHART_CACHE`` if set, else ``out_root/.cache/charts``. Entries are
    named by content hash and written whole (a temporary file renamed), so any number
    of builds may share one folder at once.
    """
    shared = os.environ.get(SHARED_CACHE_VARIABLE, "").strip()
    return Path(shared) if shared else out_root / ".cache" / "charts"


def _salt() -> str:
    """Anything that changes a drawing changes the salt: matplotlib or chart code.

    The code is hashed by content, not by modification time, so two checkouts of the
    same commit name their charts alike and build byte-identical HTML.
    """
    stamps = sorted(
        f"{p.name}:{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in _CODE.glob("*.py")
    )
    # The installed version, read without importing matplotlib: a build whose charts
    # are all cached never needs it.
    return version("matplotlib") + "|" + "|".join(stamps)


def _draw_to(spec: ChartSpec, target: Path) -> Path:
    # Imported here, in the worker process that draws: matplotlib's import then
    # overlaps with the parent's import of WeasyPrint.
    from reportgen.charts.draw import draw_with_marks

    drawing, boxes = draw_with_marks(spec)
    marks = marks_path(target)
    # The marks first: a drawing is only ever used beside marks that are its own.
    _write(marks, seal(marks.stem, json.dumps(boxes, sort_keys=True).encode()))
    _write(target, seal(target.stem, drawing))
    return target


def _write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, target)


def marks_path(entry: Path) -> Path:
    """``<key>.marks.json``: where the values of the drawing ``entry`` sit on it."""
    return entry.with_name(f"{entry.stem}.marks.json")


def read_marks(entry: Path) -> dict[str, Box]:
    """The boxes of the values of the drawing ``entry``; none if its marks are damaged.

    The job checked them before using the drawing: one damaged since is logged and
    the chart simply has no hotspots in this build.
    """
    marks = marks_path(entry)
    problem = damage(marks)
    if problem is not None:
        log.warning("chart cache: %s %s; its values will not hover", marks, problem)
        return {}
    content = marks.read_bytes().rpartition(_SEAL)[0]
    return {key: (box[0], box[1], box[2], box[3]) for key, box in json.loads(content).items()}


def _seal_of(key: str, drawing: bytes) -> bytes:
    digest = hashlib.sha256(key.encode() + b"\0" + drawing).hexdigest().encode()
    return _SEAL + digest + _SEAL_END


def seal(key: str, drawing: bytes) -> bytes:
    """The cache entry of ``drawing`` under ``key``: the drawing, then its seal."""
    return drawing + _seal_of(key, drawing)


def damage(entry: Path) -> str | None:
    """Why the cache entry ``entry`` cannot be used, or None if its seal matches its key."""
    try:
        # A symlink could point anywhere, even outside the cache, and a FIFO would
        # block the build: neither is followed nor waited on.
        fd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        return "is a symbolic link" if exc.errno == errno.ELOOP else f"cannot be read ({exc})"
    try:
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return "is not a regular file"
            data = handle.read()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    drawing, found, _ = data.rpartition(_SEAL)
    if not found or not data.endswith(_seal_of(entry.stem, drawing)):
        return "does not match its seal"
    return None


def _clear(entry: Path) -> None:
    # os.replace puts a new drawing over a file or a symlink, not over a folder.
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)


class ChartJob:
    """Charts being drawn in worker processes; ``paths`` is known at once, the files at ``wait``.

    Starting the drawing and waiting for it are separate so that the build can do
    other work meanwhile (import WeasyPrint, render the HTML) on the other core.
    """

    def __init__(
        self,
        specs: Iterable[ChartSpec],
        cache_dir: Path,
        workers: int | None = None,
        drawing: DrawingPool | None = None,
    ) -> None:
        salt = _salt()
        folder = _cache_folder(cache_dir)
        self._private: Path | None = None
        self.paths: dict[ChartSpec, Path] = {}
        self._todo: list[tuple[ChartSpec, Path]] = []
        for spec in set(specs):
            name = f"{spec.digest(salt)}.svg"
            entry = folder / name if folder is not None else None
            if entry is not None and _usable(entry) and _usable(marks_path(entry)):
                self.paths[spec] = entry
                continue
            if entry is None or entry.is_dir() or marks_path(entry).is_dir():
                # No cache to draw into (or a folder that would not go): this build only.
                entry = self._private_folder() / name
            self.paths[spec] = entry
            self._todo.append((spec, entry))
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future[Path]] = []
        self._drawing = drawing if self._todo else None
        if self._drawing is not None:
            # Processes that already imported matplotlib: even one chart goes to them.
            log.debug("charts: drawn by processes forked from the matplotlib server")
            self._futures = [self._drawing.submit(spec, path) for spec, path in self._todo]
            return
        # A batch worker (a process with a parent process) draws its charts itself:
        # its sibling workers already use every core, and a pool in each of them
        # only made them compete (the batch ran slower than one process).
        default = 1 if multiprocessing.parent_process() is not None else os.cpu_count() or 1
        count = min(len(self._todo), workers or default)
        if count > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=count, initializer=die_with_parent, initargs=(os.getpid(),)
            )
            self._futures = [self._pool.submit(_draw_to, spec, path) for spec, path in self._todo]

    def _private_folder(self) -> Path:
        if self._private is None:
            self._private = Path(tempfile.mkdtemp(prefix="reportgen-charts-"))
            # Removed with the job: by then the build has linked or copied its charts.
            weakref.finalize(self, shutil.rmtree, self._private, ignore_errors=True)
        return self._private

    def wait(self) -> dict[ChartSpec, Path]:
        """Return a file for each spec once all are drawn; a drawing's error is raised here."""
        if self._drawing is not None:
            # A pool that stays: nothing to shut down.
            for (spec, path), future in zip(self._todo, self._futures, strict=True):
                try:
                    future.result()
                except BrokenProcessPool:
                    # Its process died (killed, out of memory): drawn again by a new one.
                    self._drawing.submit(spec, path).result()
        elif self._pool is None:
            # One chart is drawn here: starting a process would cost more than it saves.
            for spec, path in self._todo:
                _draw_to(spec, path)
        else:
            try:
                for future in self._futures:
                    future.result()
            finally:
                self._pool.shutdown(cancel_futures=True)
        log.info(
            "charts: %d drawn, %d from cache", len(self._todo), len(self.paths) - len(self._todo)
        )
        return self.paths

    def cancel(self) -> None:
        """Stop a pool of this job's own (a kept pool finishes the drawings: they are cached)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def marks(self) -> dict[ChartSpec, dict[str, Box]]:
        """Where the values of each drawn chart sit on it; call after :meth:`wait`."""
        return {spec: read_marks(path) for spec, path in self.paths.items()}


class DrawingPool:
    """Drawing processes that imported matplotlib once and stay for every later chart.

    They are forked by multiprocessing's fork server, which imports
    ``reportgen.charts.draw`` (matplotlib) as it starts, not by this process: a fork
    of a process with threads (the preview's) could copy a lock held mid-use. The
    command line starts one before it loads the data when every chart is to be drawn
    (``for_first_build``); the preview keeps one for its life, so an edit's charts
    are drawn at once, without a fork and an import each time (issue 21).
    """

    def __init__(self, workers: int | None = None) -> None:
        from multiprocessing import forkserver

        self._workers = workers or os.cpu_count() or 1
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["reportgen.charts.draw"])
        forkserver.ensure_running()  # the server starts importing matplotlib now
        self._executor = self._new()

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=self._context,
            initializer=die_with_server,
            initargs=(_log_levels(),),
        )

    def submit(self, spec: ChartSpec, target: Path) -> Future[Path]:
        try:
            return self._executor.submit(_draw_to, spec, target)
        except BrokenProcessPool:
            # A drawing process died (killed, out of memory): the job it had failed;
            # this one and the later ones get new processes.
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = self._new()
            return self._executor.submit(_draw_to, spec, target)

    @property
    def processes(self) -> list[int]:
        """The drawing processes' ids (they start as charts are first asked for)."""
        return [p.pid for p in getattr(self._executor, "_processes", {}).values() if p.pid]

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    @classmethod
    def for_first_build(cls, cache_dir: Path) -> DrawingPool | None:
        """A pool started now if ``cache_dir`` holds no chart (every chart is to be drawn).

        With charts in the cache, none: a warm build draws none, an edit a few, and
        importing matplotlib would only compete with the build.
        """
        if (os.cpu_count() or 1) < 2:
            return None
        try:
            if cache_dir.is_dir() and any(cache_dir.glob("*.svg")):
                return None
        except OSError:
            return None  # an unreadable cache: the build reports it when it uses it
        return cls.started()

    @classmethod
    def started(cls, workers: int | None = None) -> DrawingPool | None:
        """A pool, or None where the fork server cannot start (no usable temporary folder):
        builds then draw as they do without one."""
        try:
            return cls(workers)
        except OSError as exc:
            log.debug("charts: no drawing server (%s); each build starts its own", exc)
            return None


def _log_levels() -> dict[str, int]:
    """The levels a forked worker inherits, for one forked by the server (which does not)."""
    return {name: logging.getLogger(name).level for name in ("", "reportgen", "matplotlib")}


def die_with_server(levels: dict[str, int]) -> None:
    """Pool initializer of a process forked by the server: log as the build does, end with it.

    The server reads a pipe from the build and exits when the build does.
    """
    logging.basicConfig(format="%(levelname)s: %(message)s")
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    die_with_parent(os.getppid())


def _cache_folder(cache_dir: Path) -> Path | None:
    """``cache_dir``, made if need be, or None if something else is in its place.

    An output folder that cannot be written at all is the build's error, raised
    here as before; only the cache's own folder is worked around.
    """
    if os.path.lexists(cache_dir) and not cache_dir.is_dir():
        problem = "is not a folder"
    else:
        cache_dir.mkdir(parents=True, exist_ok=True)
        if os.access(cache_dir, os.W_OK | os.X_OK):
            return cache_dir
        problem = "is not writable"
    log.warning("chart cache: %s %s; drawing every chart for this build only", cache_dir, problem)
    return None


def _usable(entry: Path) -> bool:
    """True if ``entry`` can be used as drawn; a damaged one is cleared to be drawn again."""
    if not os.path.lexists(entry):
        return False
    problem = damage(entry)
    if problem is None:
        return True
    log.warning("chart cache: %s %s; drawing it again", entry, problem)
    _clear(entry)
    return False


def ensure_charts(
    specs: Iterable[ChartSpec], cache_dir: Path, workers: int | None = None
) -> dict[ChartSpec, Path]:
    """Return a file for each spec, drawing only those not already in ``cache_dir``.

    If ``cache_dir`` cannot hold charts, they are drawn into a private folder
    that lives only as long as a :class:`ChartJob`: keep the job to use them later.
    """
    return ChartJob(specs, cache_dir, workers).wait()

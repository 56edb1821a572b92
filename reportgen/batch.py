"""Build every quarter that has a deck file, in parallel, with progress and a summary."""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import queue
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reportgen import weasyprint_import
from reportgen.errors import DataError, InputError, QuarterError, ReportgenError
from reportgen.quarters import Quarter
from reportgen.workers import die_with_parent

log = logging.getLogger(__name__)

STAGES = ("data", "charts", "html", "pdf", "done")


@dataclass(frozen=True, slots=True)
class DeckOutcome:
    """How one deck of a batch went."""

    quarter: str
    ok: bool
    pages: int = 0
    pdf_bytes: int = 0
    seconds: float = 0.0
    warnings: int = 0
    error: str = ""
    input_error: bool = False


def _deck_size(data_root: Path, name: str, edition: str) -> int:
    """The deck file's size: a cheap stand-in for how long the deck takes to build."""
    suffix = "" if edition == "en" else f".{edition}"
    path = data_root / "decks" / f"{name.split()[0]}{suffix}.yaml"
    return path.stat().st_size if path.exists() else 0


def deck_quarters(data_root: Path, edition: str = "en") -> list[Quarter]:
    """The quarters that have a deck file in ``edition``, oldest first.

    ``1Q08.yaml`` is the English deck, ``1Q08.ja.yaml`` the Japanese one.
    """
    folder = data_root / "decks"
    if not folder.is_dir():
        raise DataError(f"{folder}: folder not found; expected one deck file per quarter")
    quarters = []
    for path in folder.glob("*.yaml"):
        name, _, language = path.stem.partition(".")
        try:
            quarter = Quarter.parse(name)
        except QuarterError:
            raise DataError(
                f"{path}: file name is not a quarter; expected e.g. 1Q08.yaml or 1Q08.ja.yaml"
            ) from None
        if name != quarter.name:
            from reportgen.slides.deckfile import misnamed

            raise misnamed(path, quarter.name + path.name[len(name) :])
        if (language or "en") == edition:
            quarters.append(quarter)
    return sorted(quarters)


def deck_editions(data_root: Path, quarter: Quarter, editions: tuple[str, ...]) -> tuple[str, ...]:
    """The ``editions`` of ``quarter`` that have a deck file; an error if none has one."""
    folder = data_root / "decks"
    paths = {e: folder / f"{quarter.name}{'' if e == 'en' else '.' + e}.yaml" for e in editions}
    found = tuple(e for e, path in paths.items() if path.is_file())
    if not found:
        known = sorted({q.name for e in editions for q in deck_quarters(data_root, e)})
        raise QuarterError(
            f"quarter {quarter.name}: no deck file in any edition "
            f"({' or '.join(str(p) for p in paths.values())}); "
            f"decks exist for {', '.join(known) or 'no quarter'}"
        )
    return found


# Where a batch worker reports each deck's stage: the queue its parent made before forking it.
_stages: Any = None


def _start_worker(parent: int, stages: Any = None) -> None:
    global _stages
    die_with_parent(parent)
    _stages = stages
    # The summary reports each deck's warnings; workers' logs would break the progress bar.
    logging.getLogger("reportgen").setLevel(logging.ERROR)


# The decks this process has built (a batch worker builds several).
_built_in_this_process: list[str] = []


def build_one(
    data_root: Path,
    quarter: str,
    out_root: Path,
    edition: str = "en",
    pdf: bool = True,
    pptx: bool = False,
) -> DeckOutcome:
    """Build one deck; never raise, so that one failing quarter does not stop the others.

    ``quarter`` names the deck in the batch: ``1Q08`` or, for another edition, ``1Q08 ja``.
    Its stages go to the queue the worker was started with (``_start_worker``), if any.
    """
    from reportgen.build import build

    started = time.perf_counter()
    name = quarter
    quarter = quarter.split()[0]

    def progress(stage: str) -> None:
        if _stages is not None:
            _stages.put((name, stage))

    # The garbage of this worker's previous deck is freed before the next deck
    # rather than after each: a worker's last deck, on the batch's critical path,
    # then pays no collection (the worker process ends after it).
    if _built_in_this_process:
        gc.collect()
    _built_in_this_process.append(quarter)
    try:
        result = build(
            data_root,
            Quarter.parse(quarter),
            out_root,
            pdf=pdf,
            pptx=pptx,
            progress=progress,
            edition=edition,
            release_memory=False,
        )
    except ReportgenError as exc:
        return DeckOutcome(
            name,
            False,
            seconds=time.perf_counter() - started,
            error=str(exc),
            input_error=isinstance(exc, InputError),
        )
    except Exception as exc:  # a bug in one deck must not hide the others' results
        log.debug("internal error building %s", quarter, exc_info=True)
        return DeckOutcome(
            name, False, seconds=time.perf_counter() - started, error=f"internal error: {exc!r}"
        )
    finally:
        progress("done")
    out = result.output
    return DeckOutcome(
        name, True, out.pages, out.pdf_bytes, time.perf_counter() - started, len(result.warnings)
    )


def build_all(
    data_root: Path,
    out_root: Path,
    *,
    workers: int | None = None,
    console: Console | None = None,
    editions: tuple[str, ...] = ("en",),
    pdf: bool = True,
    pptx: bool = False,
) -> list[DeckOutcome]:
    """Build every quarter's deck across ``workers`` processes, showing each deck's stage.

    Each edition builds the quarters that have a deck file in it; a deck other than
    English is named ``1Q08 ja`` in the progress and the summary. Without ``pdf``,
    only the HTML previews are written; with ``pptx``, each deck's PowerPoint too.
    """
    decks = {
        (q.name if edition == "en" else f"{q.name} {edition}"): edition
        for edition in editions
        for q in deck_quarters(data_root, edition)
    }
    quarters = list(decks)
    workers = max(1, min(workers or os.cpu_count() or 1, len(quarters)))
    console = console or Console(stderr=True)
    # Imported once here, before the workers are forked, rather than once in each
    # worker: with a few decks, each worker's imports were a large share of its time.
    weasyprint_import.load()

    # Batch workers draw their own charts: matplotlib is imported here too.
    import reportgen.build
    import reportgen.charts.draw  # noqa: F401

    # What the workers inherit is frozen: their collections then neither walk it
    # nor copy its pages (a collection writes to every object it visits).
    gc.freeze()
    try:
        return _run(data_root, out_root, decks, workers, console, pdf, pptx)
    finally:
        gc.unfreeze()


def _run(
    data_root: Path,
    out_root: Path,
    decks: dict[str, str],
    workers: int,
    console: Console,
    pdf: bool,
    pptx: bool = False,
) -> list[DeckOutcome]:
    quarters = list(decks)
    outcomes: dict[str, DeckOutcome] = {}
    # Forked workers inherit the queue they report stages on (no server process to relay them).
    context = multiprocessing.get_context("fork")
    events = context.Queue()
    try:
        columns = (
            TextColumn("{task.fields[quarter]:>8}"),
            BarColumn(),
            TextColumn("{task.fields[stage]:<7}"),
            TimeElapsedColumn(),
        )
        with (
            Progress(*columns, console=console, transient=False) as bar,
            ProcessPoolExecutor(
                max_workers=workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(), events),
            ) as pool,
        ):
            tasks = {
                q: bar.add_task("", total=len(STAGES) - 1, quarter=q, stage="queued")
                for q in quarters
            }
            # Largest decks first: with few decks and two workers, a big deck started
            # last would leave one worker idle while the other finishes it.
            order = sorted(quarters, key=lambda q: -_deck_size(data_root, q, decks[q]))
            futures: dict[Future[DeckOutcome], str] = {
                pool.submit(build_one, data_root, q, out_root, decks[q], pdf, pptx): q
                for q in order
            }
            try:
                while len(outcomes) < len(quarters):
                    try:
                        # A short wait: the last deck's end is noticed at most this late.
                        quarter, stage = events.get(timeout=0.05)
                        bar.update(tasks[quarter], completed=STAGES.index(stage), stage=stage)
                    except queue.Empty:
                        pass
                    for future, quarter in futures.items():
                        if quarter not in outcomes and future.done():
                            outcomes[quarter] = future.result()
                            done = outcomes[quarter]
                            bar.update(
                                tasks[quarter],
                                completed=len(STAGES) - 1,
                                stage="done" if done.ok else "failed",
                            )
            except BaseException:
                _stop(pool)
                raise
    finally:
        events.close()
        events.join_thread()
    return [outcomes[q] for q in quarters]


def _stop(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C or SIGTERM: end the decks being built rather than wait for them.

    A stopped worker's staging folder is removed by the next build. The pool has
    no public way to end its workers before Python 3.14 (``terminate_workers``).
    """
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((pool._processes or {}).values()):
        process.terminate()


def summary(outcomes: list[DeckOutcome]) -> Table:
    table = Table(title="Decks built")
    for name in ("quarter", "status", "pages", "size", "time", "warnings", "error"):
        table.add_column(
            name, justify="right" if name in ("pages", "size", "time", "warnings") else "left"
        )
    for o in outcomes:
        table.add_row(
            o.quarter,
            "ok" if o.ok else "FAILED",
            str(o.pages) if o.ok else "",
            f"{o.pdf_bytes / 1024:.0f} KB" if o.ok else "",
            f"{o.seconds:.1f} s",
            str(o.warnings) if o.ok else "",
            o.error,
        )
    return table

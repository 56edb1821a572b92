"""One build, as ``make report`` runs it: load, validate, build slides, render."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.charts.cache import DrawingPool
from reportgen.data.checks_cache import validate_cached
from reportgen.data.load import Dataset, load_dataset
from reportgen.data.validate import Check, validate
from reportgen.errors import ReleaseBlockedError
from reportgen.quarters import Quarter
from reportgen.render import TEMPLATES, Output, render_deck
from reportgen.slides.deck import Deck, build_deck
from reportgen.slides.messages import Messages

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildResult:
    output: Output
    deck: Deck
    warnings: tuple[Check, ...]


class ValidatedData:
    """The last data set loaded and validated, reused while no file it reads changed.

    The preview keeps one: a commentary, template or CSS edit then rebuilds without
    reading and checking the data again. It is reused while every file the loader
    read has the same bytes and every folder it listed the same files
    (``Dataset.inputs``), so an edit that restores a file reuses nothing stale.
    Loading and checking are separate steps (``load``, ``checks``), so that the
    preview checks the data while its charts are drawn.
    """

    def __init__(self) -> None:
        self._dataset: Dataset | None = None
        self._checks: tuple[Check, ...] | None = None
        self._both: tuple[Dataset, tuple[Check, ...]] | None = None

    def load(self, data_root: Path) -> Dataset:
        """The data set, read again only if a file it read changed."""
        if (
            self._dataset is None
            or self._dataset.root != data_root
            or not self._dataset.inputs.unchanged()
        ):
            self._dataset, self._checks = load_dataset(data_root), None
        return self._dataset

    def checks(self) -> tuple[Check, ...]:
        """The checks of the data set last loaded; raises the data's error if one fails."""
        if self._dataset is None:
            raise RuntimeError("ValidatedData.checks before load")
        if self._checks is None:
            # Kept only once validation passed: a failing one raises every time.
            self._checks = validate(self._dataset)
        return self._checks

    def get(self, data_root: Path) -> tuple[Dataset, tuple[Check, ...]]:
        """The data set and its checks: the very same objects while nothing changed."""
        dataset = self.load(data_root)
        checks = self.checks()
        if self._both is None or self._both[0] is not dataset or self._both[1] is not checks:
            self._both = (dataset, checks)
        return self._both


def prepare(
    data_root: Path,
    quarter: Quarter,
    templates: Path = TEMPLATES,
    language: str = "en",
    cache: ValidatedData | None = None,
    checks_dir: Path | None = None,
    *,
    lenient: bool = False,
) -> tuple[Dataset, Deck, tuple[Check, ...]]:
    """Load and validate the data and build every slide; nothing but the checks is written.

    ``checks_dir`` keeps the checks' results between processes (see ``checks_cache``).
    ``lenient``: the preview's HTML rebuilds only (see ``build_deck``).
    """
    if cache is not None:
        dataset, checks = cache.get(data_root)
    else:
        dataset = load_dataset(data_root)
        checks = validate(dataset) if checks_dir is None else validate_cached(dataset, checks_dir)
    warnings = _warnings(dataset, quarter, checks)
    deck = build_deck(dataset, quarter, Messages.load(templates, language), lenient=lenient)
    return dataset, replace(deck, warnings=warnings), warnings


def _warnings(dataset: Dataset, quarter: Quarter, checks: tuple[Check, ...]) -> tuple[Check, ...]:
    """The checks' warnings about the periods the deck shows, logged with the checks' count."""
    # Warnings about periods this deck does not show would be noise in its build log.
    shown = quarter.deck_periods
    warnings = tuple(c for c in checks if c.severity == "warning" and c.period in shown)
    for check in warnings:
        log.warning("%s", check.message)
    log.info(
        "loaded %s: %d figures, %d checks passed",
        dataset.root,
        len(dataset.figures.stored),
        len(checks) - len(warnings),
    )
    return warnings


def _slides_before_checks(
    data_root: Path, quarter: Quarter, templates: Path, language: str, cache: ValidatedData
) -> tuple[Dataset, Deck]:
    """The preview's order: slides from the data as loaded; ``cache.checks`` runs later,
    while the charts are drawn (``render_deck``'s ``while_drawing``).

    A figure edit's rebuild draws charts in other processes; checking the data
    meanwhile takes its checks off the rebuild's path. The slides are published
    only once the checks passed, as in ``prepare``; slides that bad data cannot
    even be built from fail with the data's own error.
    """
    dataset = cache.load(data_root)
    try:
        deck = build_deck(dataset, quarter, Messages.load(templates, language), lenient=True)
    except Exception:
        cache.checks()  # raises what is wrong with the data, if anything is
        raise
    return dataset, deck


@dataclass(frozen=True, slots=True)
class GateResult:
    """The release gate's verdict on one edition: the deck it judged and what is open."""

    deck: Deck
    content_hash: str
    open_items: tuple[str, ...]


def gate(
    data_root: Path,
    quarter: Quarter,
    edition: str = "en",
    templates: Path = TEMPLATES,
    checks_dir: Path | None = None,
) -> GateResult:
    """Build the deck leniently (every missing figure found, not only the first) and gate it."""
    from reportgen.review.content import content_hash
    from reportgen.review.gate import open_items

    dataset, deck, warnings = prepare(
        data_root, quarter, templates, edition, checks_dir=checks_dir, lenient=True
    )
    content = content_hash(dataset, quarter, edition, templates)
    items = open_items(deck, warnings, content, dataset.company)
    return GateResult(deck, content.digest, tuple(item.line for item in items))


def blocked(quarter: Quarter, results: dict[str, GateResult]) -> ReleaseBlockedError | None:
    """The error a final build stops with if any edition has an open item, else ``None``."""
    lines = [line for result in results.values() for line in result.open_items]
    if not lines:
        return None
    editions = ", ".join(e for e, r in results.items() if r.open_items)
    return ReleaseBlockedError(
        f"{quarter.name} ({editions}): "
        + (f"{len(lines)} open items block" if len(lines) > 1 else "1 open item blocks")
        + " the release; nothing was written",
        details=lines,
    )


def build(
    data_root: Path,
    quarter: Quarter,
    out_root: Path,
    *,
    pdf: bool = True,
    pptx: bool = False,
    templates: Path = TEMPLATES,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda stage: None,
    edition: str = "en",
    data_cache: ValidatedData | None = None,
    release_memory: bool = True,
    lenient: bool = False,
    final: bool = False,
    drawing: DrawingPool | None = None,
) -> BuildResult:
    """Build the ``edition`` deck of ``quarter`` into ``out_root/<quarter>``.

    ``final``: the distribution files, only if the release gate finds nothing open
    (else ``ReleaseBlockedError``, and nothing is written); without it, a draft, marked so
    on every slide.

    ``progress`` is told each stage. Editions share the folder without clobbering
    each other (see ``render.pdf_name``, ``xlsx_name``, ``html_folder``).

    ``cache_dir`` holds the drawn charts (default ``out_root/.cache/charts``); the
    preview builds into a temporary folder but shares the cache of ``make report``.
    ``data_cache`` keeps the validated data between builds of a long-running process;
    without it, the checks' results are kept in ``out_root/.cache/checks`` and reused
    while no data file (other than the deck files) and no code changed.

    ``release_memory`` frees the build's garbage before returning, which a
    long-running process needs; a command that exits next can skip it (0.1 s).

    ``pptx`` also writes the PowerPoint edition beside the PDF (``reportgen.pptx``).

    ``drawing``: processes kept to draw charts (the preview's, or the command line's
    started early); without it, the build starts its own if it draws several.

    ``lenient`` is for the preview's HTML rebuilds only, never a PDF: a placeholder
    whose figure is missing prints marked, and ``deck.marked`` lists the error lines
    every other build fails with.
    """
    if lenient and pdf:
        raise ValueError("a lenient build is HTML only: the PDF fails on a missing figure")
    # The preview's rebuilds check the data while their charts are drawn.
    checks_later = lenient and data_cache is not None
    # An HTML-only build (a preview rebuild) allocates too little for collections
    # to matter: the collection at the end would cost more than freezing saves.
    with frozen_heap(collect=release_memory) if pdf else nullcontext():
        progress("data")
        checks_dir = out_root / ".cache" / "checks"
        if final:
            if not pdf:
                raise ValueError("a final build writes the PDF: it is what is distributed")
            verdict = gate(data_root, quarter, edition, templates, checks_dir)
            error = blocked(quarter, {edition: verdict})
            if error is not None:
                raise error
            # Nothing is open, so nothing was printed marked: the lenient deck is the strict one.
            deck, warnings = replace(verdict.deck, released=verdict.content_hash), ()
        elif checks_later:
            dataset, deck = _slides_before_checks(
                data_root, quarter, templates, edition, data_cache
            )
        else:
            _, deck, warnings = prepare(
                data_root,
                quarter,
                templates,
                edition,
                cache=data_cache,
                checks_dir=checks_dir,
                lenient=lenient,
            )
        output = render_deck(
            deck,
            out_root,
            pdf=pdf,
            pptx=pptx,
            templates=templates,
            cache_dir=cache_dir,
            progress=progress,
            drawing=drawing,
            while_drawing=data_cache.checks if checks_later else lambda: None,
        )
        if checks_later:
            # Passed while the charts were drawn (kept by the cache): their warnings now.
            warnings = _warnings(dataset, quarter, data_cache.checks())
            deck = replace(deck, warnings=warnings)
    return BuildResult(output, deck, warnings)


@contextmanager
def frozen_heap(*, collect: bool = True) -> Iterator[None]:
    """Keep the garbage collector off every object that existed before the build.

    A build allocates millions of short-lived objects (WeasyPrint's boxes) on top
    of a large heap of imported modules (pandas, WeasyPrint, Jinja): each automatic
    full collection during the build walked that whole heap again, 10-15% of a
    build. Frozen, the old heap is skipped. With ``collect``, the build's own
    garbage is collected at the end, before the old heap is unfrozen, so memory
    does not grow from one build to the next in a long-running process (the
    preview, a batch worker).

    A heap frozen by the caller (a batch parent before it forks its workers) stays
    frozen: ``gc.unfreeze`` cannot tell its objects from ours.
    """
    frozen_by_caller = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if collect:
            gc.collect()
        if not frozen_by_caller:
            gc.unfreeze()

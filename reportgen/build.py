"""One build, as ``make report`` runs it: load, validate, build slides, render."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportgen.data.load import Dataset, load_dataset
from reportgen.data.validate import Check, validate
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


def prepare(
    data_root: Path, quarter: Quarter, templates: Path = TEMPLATES, language: str = "en"
) -> tuple[Dataset, Deck, tuple[Check, ...]]:
    """Load and validate the data and build every slide; nothing is written."""
    dataset = load_dataset(data_root)
    checks = validate(dataset)
    # Warnings about periods this deck does not show would be noise in its build log.
    shown = {q.name for q in quarter.trailing(5)}
    warnings = tuple(c for c in checks if c.severity == "warning" and c.period in shown)
    for check in warnings:
        log.warning("%s", check.message)
    log.info(
        "loaded %s: %d figures, %d checks passed",
        data_root,
        len(dataset.figures.stored),
        len(checks) - len(warnings),
    )
    deck = build_deck(dataset, quarter, Messages.load(templates, language))
    return dataset, deck, warnings


def build(
    data_root: Path,
    quarter: Quarter,
    out_root: Path,
    *,
    pdf: bool = True,
    templates: Path = TEMPLATES,
    cache_dir: Path | None = None,
    progress: Callable[[str], None] = lambda stage: None,
    edition: str = "en",
) -> BuildResult:
    """Build the ``edition`` deck of ``quarter`` into ``out_root/<quarter>``.

    ``progress`` is told each stage. Editions share the folder without clobbering
    each other (see ``render.pdf_name``, ``xlsx_name``, ``html_folder``).

    ``cache_dir`` holds the drawn charts (default ``out_root/.cache/charts``); the
    preview builds into a temporary folder but shares the cache of ``make report``.
    """
    progress("data")
    _, deck, warnings = prepare(data_root, quarter, templates, edition)
    output = render_deck(
        deck, out_root, pdf=pdf, templates=templates, cache_dir=cache_dir, progress=progress
    )
    return BuildResult(output, deck, warnings)

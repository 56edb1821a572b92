"""Build every slide of a quarter's deck from the dataset and the deck file."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from reportgen.data.load import Dataset, parse_record, read_yaml, shown
from reportgen.data.schema import DeckSpec
from reportgen.errors import DataError, QuarterError
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.slides.base import BuildContext, Slide
from reportgen.slides.commentary import Commentary
from reportgen.slides.messages import Messages
from reportgen.slides.registry import SLIDE_KINDS

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Deck:
    """A built deck: metadata and slides, everything already formatted."""

    dataset: Dataset
    quarter: Quarter
    spec: DeckSpec
    slides: tuple[Slide, ...]
    messages: Messages

    @property
    def title(self) -> str:
        return self.spec.title


def deck_path(dataset: Dataset, quarter: Quarter) -> Path:
    return dataset.root / "decks" / f"{quarter.name}.yaml"


def load_deck_spec(dataset: Dataset, quarter: Quarter) -> DeckSpec:
    path = deck_path(dataset, quarter)
    if not path.exists():
        known = sorted(p.stem for p in path.parent.glob("*.yaml"))
        raise QuarterError(
            f"quarter {quarter.name}: no deck file {shown(path)}; decks exist for "
            f"{', '.join(known) or 'no quarter'}"
        )
    spec = parse_record(path, DeckSpec, read_yaml(path))
    for index, slide in enumerate(spec.slides, start=1):
        if slide.kind not in SLIDE_KINDS:
            raise DataError(
                f"{shown(path)}, slide {index} ({quarter.name}): unknown kind {slide.kind!r}; "
                f"expected one of {', '.join(SLIDE_KINDS)}"
            )
    return spec


def build_deck(dataset: Dataset, quarter: Quarter, messages: Messages) -> Deck:
    """Build every slide's context. Raises on bad commentary or slide content."""
    spec = load_deck_spec(dataset, quarter)
    model = QuarterModel(dataset.figures, quarter, dataset.calendar)
    where = shown(deck_path(dataset, quarter))
    ctx = BuildContext(dataset, model, spec.release_date, Commentary(model, where), messages)
    quarter_label = f"{quarter.number}Q FY{quarter.fiscal_year}"
    slides = []
    for index, slide_spec in enumerate(spec.slides, start=1):
        kind = SLIDE_KINDS[slide_spec.kind]
        body, charts = kind.build(ctx, slide_spec)
        title = slide_spec.title or (
            messages(kind.title_key, quarter_label=quarter_label) if kind.title_key else spec.title
        )
        slides.append(
            Slide(
                kind=slide_spec.kind,
                number=slide_spec.number,
                # Titles are plain text (bookmarks, page labels, sheet names); figures in them
                # lose their hover spans.
                title=ctx.commentary.text(title).striptags(),
                anchor=f"slide-{index}",
                bullets=ctx.commentary.bullets(slide_spec.bullets),
                notes=tuple(ctx.commentary.text(n) for n in slide_spec.notes),
                body=body,
                charts=charts,
            )
        )
    log.info("built %d slides for %s", len(slides), quarter.name)
    return Deck(dataset, quarter, spec, tuple(slides), messages)

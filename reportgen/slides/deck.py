"""Build every slide of a quarter's deck from the dataset and the deck file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from reportgen.brand import DEFAULT_LOOK
from reportgen.data.commentary_check import typed_numbers
from reportgen.data.load import Dataset, shown
from reportgen.data.schema import DeckSpec
from reportgen.data.validate import Check
from reportgen.errors import DataError
from reportgen.formatting import Numbers, numbers_for
from reportgen.model.quarter import QuarterModel
from reportgen.model.targets import targets_in_force
from reportgen.quarters import Quarter
from reportgen.slides.base import BuildContext, Chart, Slide
from reportgen.slides.commentary import Commentary
from reportgen.slides.content import deck_path
from reportgen.slides.deckfile import DeckFile, load_deck_spec, quarter_label, read_deck
from reportgen.slides.messages import Messages
from reportgen.slides.periods import PeriodNames
from reportgen.slides.registry import SLIDE_KINDS
from reportgen.slides.shown import TABLE, body_figures
from reportgen.slides.wording import raise_on_contradiction

# Read here, and by tests through here.
__all__ = ["Deck", "build_deck", "deck_context", "load_deck_spec"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Deck:
    """A built deck: metadata and slides, everything already formatted."""

    dataset: Dataset
    quarter: Quarter
    spec: DeckSpec
    slides: tuple[Slide, ...]
    messages: Messages
    # The error line of each figure printed marked as missing (the preview's lenient
    # build only; every other build fails on the first).
    marked: tuple[str, ...] = ()
    # The checks of the periods this deck shows that warn (the snapshot carries them).
    warnings: tuple[Check, ...] = ()
    # The content hash a final build passed the release gate with; empty for a draft,
    # which carries a "Draft" mark on every slide (see ``review.gate``).
    released: str = ""
    # Where each slide is written, as errors name it (``decks/1Q08.yaml:229:5, slide 13
    # (statement, 1Q08) "Consolidated Balance Sheets"``), for the layout check.
    where: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def draft(self) -> bool:
        return not self.released


def _every_figure_missing(body: object, charts: tuple[Chart, ...]) -> bool:
    """Whether a slide shows figures and none of them is in the data (all n/a or n/d)."""
    cells = [f.figure for f in body_figures(body) if f.place == TABLE]
    values = [v for chart in charts for series in chart.spec.series for v in series.values]
    if not cells and not values:
        return False  # a text slide
    gaps = ("missing", "undisclosed")
    return all(c.status in gaps for c in cells) and all(v is None for v in values)


def deck_context(
    dataset: Dataset,
    quarter: Quarter,
    messages: Messages,
    numbers: Numbers | None = None,
    *,
    lenient: bool = False,
) -> tuple[BuildContext, DeckFile]:
    """The deck file of ``quarter`` in the messages' language, and what its slides read.

    Also what ``placeholder_reference`` renders its examples with, so the reference
    prints what a deck prints. ``lenient``: see ``build_deck``.
    """
    language = messages.language
    # Amounts and unit words in the company's currency and scale (company.yaml ``reporting:``).
    money = dataset.company.reporting.money
    messages = messages.with_catalogue(dataset.catalogue).with_money(money)
    numbers = numbers or numbers_for(language, money)
    # The company's name, contact, disclaimer and footer as this edition prints them.
    dataset = replace(dataset, company=dataset.company.in_language(language))
    text = dataset.company.editions.get(language)
    if text is not None and text.footer:
        dataset = replace(dataset, brand=replace(dataset.brand, footer=text.footer))
    deck = read_deck(dataset, quarter, language, messages)
    spec = deck.spec
    # The figures as of the deck's own release: a later restatement never leaks in.
    dataset = replace(dataset, figures=dataset.figures.at(spec.release_date))
    model = QuarterModel(dataset.figures, quarter, dataset.calendar)
    where = shown(deck_path(dataset, quarter, language))
    periods = PeriodNames(messages, dataset.calendar)
    targets = targets_in_force(dataset.targets, spec.release_date, dataset.catalogue)
    commentary = Commentary(model, where, messages, numbers, periods, targets.get, lenient=lenient)
    context = BuildContext(dataset, model, spec.release_date, commentary, messages, numbers)
    return context, deck


def build_deck(
    dataset: Dataset,
    quarter: Quarter,
    messages: Messages,
    numbers: Numbers | None = None,
    *,
    lenient: bool = False,
) -> Deck:
    """Build every slide's context. Raises on bad commentary or slide content.

    ``lenient`` is for the preview's HTML rebuilds only: a placeholder whose figure is
    missing prints marked (its bullet too) instead of failing, and ``Deck.marked``
    keeps the error line every other build fails with.
    """
    language = messages.language
    messages = messages.with_catalogue(dataset.catalogue)
    text = dataset.company.editions.get(language)
    if text is not None and text.review == "pending":
        where, source = shown(dataset.root / "company.yaml"), text.translated_from
        log.warning("%s: %s translation from %s awaits review", where, language, source)
    ctx, deck = deck_context(dataset, quarter, messages, numbers, lenient=lenient)
    spec, commentary, model = deck.spec, ctx.commentary, ctx.model
    messages = ctx.messages  # with the company's money units
    # Numbers typed where a placeholder belongs: a warning in every build, not only `check`.
    for typed in typed_numbers(spec, model):
        log.warning("%s: %s", deck.slide(typed.index).of(typed.text), typed.message)
    label = quarter_label(messages, ctx.dataset, quarter)
    look = dataset.brand.chart_look()

    slides = []
    for index, slide_spec in enumerate(spec.slides):
        kind = SLIDE_KINDS[slide_spec.kind]
        # Errors name the slide as printed (number, kind, title) and the line and
        # column of the text at fault.
        site = deck.slide(index)
        ctx = replace(ctx, commentary=commentary.at(site))
        body, charts = kind.build(ctx, slide_spec)
        if look != DEFAULT_LOOK:
            # The company's colours and fonts: builders describe what a chart shows,
            # the brand how it looks (and the chart cache keys on both).
            charts = tuple(replace(c, spec=replace(c.spec, look=look)) for c in charts)
        if not slide_spec.keep_empty and _every_figure_missing(body, charts):
            raise DataError(
                f"{site.at()}: every figure is missing for {quarter.name}; expected figures, "
                'or keep_empty: "<why the slide is kept>" on the slide'
            )
        # A builder whose title depends on what it shows (a year, a half) gives it.
        built_title = getattr(body, "title", None) or (
            body.get("title") if isinstance(body, dict) else None
        )
        title = slide_spec.title or (
            built_title
            if isinstance(built_title, str)
            else messages(kind.title_key, quarter_label=label)
            if kind.title_key
            else spec.title
        )
        slide = Slide(
            kind=slide_spec.kind,
            number=slide_spec.number,
            # Titles are plain text (bookmarks, page labels, sheet names); figures in them
            # lose their hover spans.
            title=ctx.commentary.text(title).striptags(),
            anchor=f"slide-{index + 1}",
            bullets=ctx.commentary.bullets(slide_spec.bullets),
            notes=tuple(ctx.commentary.text(n) for n in slide_spec.notes),
            body=body,
            charts=charts,
        )
        raise_on_contradiction(ctx.commentary.contradictions())
        slides.append(slide)
    log.info("built %d slides for %s", len(slides), quarter.name)
    marked = commentary.marked()
    for line in marked:
        log.warning("%s", line)
    where = tuple(deck.slide(index).at() for index in range(len(spec.slides)))
    return Deck(ctx.dataset, quarter, spec, tuple(slides), messages, marked, where=where)

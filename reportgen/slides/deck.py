"""Build every slide of a quarter's deck from the dataset and the deck file."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.data.commentary_check import typed_numbers
from reportgen.data.load import Dataset, parse_record, read_yaml, shown
from reportgen.data.schema import DeckSpec, SlideSpec
from reportgen.data.validate import Check
from reportgen.errors import DataError, QuarterError
from reportgen.formatting import Numbers, numbers_for
from reportgen.model.quarter import QuarterModel
from reportgen.model.targets import targets_in_force
from reportgen.quarters import Quarter
from reportgen.slides.base import BuildContext, Chart, Slide
from reportgen.slides.commentary import Commentary
from reportgen.slides.content import check_content_keys, deck_path, slide_where
from reportgen.slides.messages import Messages
from reportgen.slides.periods import PeriodNames
from reportgen.slides.registry import SLIDE_KINDS
from reportgen.slides.shown import TABLE, body_figures
from reportgen.slides.wording import raise_on_contradiction
from reportgen.suggest import did_you_mean

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

    @property
    def title(self) -> str:
        return self.spec.title


def load_deck_spec(dataset: Dataset, quarter: Quarter, language: str = "en") -> DeckSpec:
    path = deck_path(dataset, quarter, language)
    if not path.exists():
        suffix = "" if language == "en" else f".{language}"
        known = sorted(p.name.removesuffix(f"{suffix}.yaml") for p in path.parent.glob("*.yaml"))
        known = [k for k in known if "." not in k]
        raise QuarterError(
            f"quarter {quarter.name}: no deck file {shown(path)} ({language} edition); "
            f"decks exist for {', '.join(known) or 'no quarter'}"
        )
    spec = _read_spec(path, quarter, dataset.root)
    if language != "en":
        original = _read_spec(deck_path(dataset, quarter), quarter, dataset.root)
        _check_same_slides(spec, original, path)
        if spec.review == "pending":
            log.warning("%s: translation from %s awaits review", shown(path), spec.translated_from)
    return spec


def _read_spec(path: Path, quarter: Quarter, root: Path) -> DeckSpec:
    if not path.exists():
        raise QuarterError(f"quarter {quarter.name}: no deck file {shown(path)}")
    spec = parse_record(path, DeckSpec, read_yaml(path, root))
    for index, slide in enumerate(spec.slides, start=1):
        if slide.kind not in SLIDE_KINDS:
            raise DataError(
                f"{shown(path)}, slide {index} ({quarter.name}): unknown kind {slide.kind!r}"
                f"{did_you_mean(slide.kind, SLIDE_KINDS)}; expected one of {', '.join(SLIDE_KINDS)}"
            )
        check_content_keys(path, slide, quarter, SLIDE_KINDS[slide.kind].content)
    return spec


def _check_same_slides(edition: DeckSpec, original: DeckSpec, path: Path) -> None:
    """Every edition lists the same slides, in order, released the same day: same pages."""
    mine = [(s.kind, s.number) for s in edition.slides]
    theirs = [(s.kind, s.number) for s in original.slides]
    if edition.release_date != original.release_date:
        raise DataError(
            f"{shown(path)}: release_date {edition.release_date} differs from the English "
            f"deck's {original.release_date}; expected the same"
        )
    for index, (a, b) in enumerate(zip(mine, theirs, strict=False), start=1):
        if a != b:
            raise DataError(
                f"{shown(path)}, slide {index}: {a[0]} {a[1] or ''} where the English deck has "
                f"{b[0]} {b[1] or ''}; expected the same slides in the same order"
            )
    if len(mine) != len(theirs):
        raise DataError(
            f"{shown(path)}: {len(mine)} slides, the English deck has {len(theirs)}; "
            "expected the same slides in the same order"
        )


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
) -> tuple[BuildContext, DeckSpec]:
    """The deck file of ``quarter`` in the messages' language, and what its slides read.

    Also what ``placeholder_reference`` renders its examples with, so the reference
    prints what a deck prints. ``lenient``: see ``build_deck``.
    """
    language = messages.language
    numbers = numbers or numbers_for(language)
    # The company's name, contact and disclaimer as this edition prints them.
    dataset = replace(dataset, company=dataset.company.in_language(language))
    spec = load_deck_spec(dataset, quarter, language)
    # The figures as of the deck's own release: a later restatement never leaks in.
    dataset = replace(dataset, figures=dataset.figures.at(spec.release_date))
    model = QuarterModel(dataset.figures, quarter, dataset.calendar)
    where = shown(deck_path(dataset, quarter, language))
    periods = PeriodNames(messages, dataset.calendar)
    targets = targets_in_force(dataset.targets, spec.release_date)
    commentary = Commentary(model, where, messages, numbers, periods, targets.get, lenient=lenient)
    return BuildContext(dataset, model, spec.release_date, commentary, messages, numbers), spec


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
    text = dataset.company.editions.get(language)
    if text is not None and text.review == "pending":
        where, source = shown(dataset.root / "company.yaml"), text.translated_from
        log.warning("%s: %s translation from %s awaits review", where, language, source)
    ctx, spec = deck_context(dataset, quarter, messages, numbers, lenient=lenient)
    commentary, model, periods = ctx.commentary, ctx.model, ctx.periods
    where = commentary.where
    # Numbers typed where a placeholder belongs: a warning in every build, not only `check`.
    for typed in typed_numbers(spec, model):
        log.warning("%s, %s", where, typed.message)
    quarter_label = messages(
        "deck.quarter_label",
        number=quarter.number,
        fiscal_year=quarter.fiscal_year,
        name=periods.name(quarter),
    )

    def _fallback_title(slide: SlideSpec) -> str:
        """The slide's title as its deck file or kind gives it, for an error message."""
        title_key = SLIDE_KINDS[slide.kind].title_key
        return slide.title or (
            messages(title_key, quarter_label=quarter_label) if title_key else spec.title
        )

    slides = []
    for index, slide_spec in enumerate(spec.slides, start=1):
        kind = SLIDE_KINDS[slide_spec.kind]
        # Errors name the slide as printed: deck file, number, kind and title.
        named = " ".join(_fallback_title(slide_spec).split())
        slide_at = slide_where(ctx, slide_spec) + (f' "{named}"' if named else "")
        ctx = replace(ctx, commentary=commentary.at(slide_at))
        body, charts = kind.build(ctx, slide_spec)
        if not slide_spec.keep_empty and _every_figure_missing(body, charts):
            raise DataError(
                f"{slide_at}: every figure is missing for {quarter.name}; expected figures, "
                'or keep_empty: "<why the slide is kept>" on the slide'
            )
        # A builder whose title depends on what it shows (a year, a half) gives it.
        built_title = getattr(body, "title", None) or (
            body.get("title") if isinstance(body, dict) else None
        )
        title = slide_spec.title or (
            built_title
            if isinstance(built_title, str)
            else messages(kind.title_key, quarter_label=quarter_label)
            if kind.title_key
            else spec.title
        )
        slide = Slide(
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
        raise_on_contradiction(where, slide, ctx.commentary.contradictions())
        slides.append(slide)
    log.info("built %d slides for %s", len(slides), quarter.name)
    marked = commentary.marked()
    for line in marked:
        log.warning("%s", line)
    return Deck(ctx.dataset, quarter, spec, tuple(slides), messages, marked)

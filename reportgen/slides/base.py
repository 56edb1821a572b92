"""What every slide builder receives and returns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel

from reportgen.charts.labels import label, step_text
from reportgen.charts.spec import ChartSpec, series_key, step_key, total_key
from reportgen.data.load import Dataset
from reportgen.data.schema import SlideSpec
from reportgen.formatting import Numbers
from reportgen.model.figures import Figure
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Period, Quarter
from reportgen.slides.cells import Styles
from reportgen.slides.commentary import Commentary, RenderedBullet
from reportgen.slides.hotspots import Hotspot
from reportgen.slides.messages import Messages
from reportgen.slides.periods import PeriodNames
from reportgen.slides.shown import CHART, Shown


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart on a slide: its spec, a text alternative, and a note on its gaps.

    The spec holds only what is drawn (and is the chart cache's key); the figures
    behind its values, with their provenance, sit beside it: ``figures`` parallel
    to ``spec.series`` (value by value), ``total_figures`` to ``spec.column_totals``
    and ``step_figures`` to ``spec.steps``.
    """

    spec: ChartSpec
    alt: str
    footnote: str = ""
    title: str = ""
    src: str = ""  # filled in once the chart is drawn
    figures: tuple[tuple[Figure | None, ...], ...] = ()
    total_figures: tuple[Figure | None, ...] = ()
    step_figures: tuple[Figure | None, ...] = ()
    # What the column totals are (``Total Revenues``), in the edition's words.
    total_label: str = ""
    # Where each value sits on the drawn image, with its figure: filled in once drawn,
    # for the preview (``hotspots.py``).
    hotspots: tuple[Hotspot, ...] = ()

    def __post_init__(self) -> None:
        series, spec = self.figures, self.spec
        if series and (
            len(series) != len(spec.series)
            or any(len(f) != len(s.values) for f, s in zip(series, spec.series, strict=True))
        ):
            raise ValueError("a chart's figures must match its series value by value")
        if self.total_figures and len(self.total_figures) != len(spec.column_totals):
            raise ValueError("a chart's total figures must match its column totals")
        if self.step_figures and len(self.step_figures) != len(spec.steps):
            raise ValueError("a chart's step figures must match its steps")

    @property
    def hotspot_layer(self) -> str:
        """The CSS class that gives the hotspots' layer the drawn image's shape."""
        return f"hs-{Path(self.src).stem}"

    def shown(self) -> Iterator[Shown]:
        """The chart's values as its labels print them, each with its figure."""
        for _, shown in self.shown_by_key():
            yield shown

    def shown_by_key(self) -> Iterator[tuple[str, Shown]]:
        """The chart's values, each under the key its drawing marks it by (``spec.py``)."""
        spec, edition = self.spec, self.spec.edition
        for k, (series, figures) in enumerate(zip(spec.series, self.figures, strict=False)):
            for i, (category, value, figure) in enumerate(
                zip(spec.categories, series.values, figures, strict=True)
            ):
                if figure is not None and value is not None:
                    text = label(value, series.unit, edition)
                    yield series_key(k, i), Shown(CHART, series.label, category, text, figure)
        bars = [s for s in spec.series if s.kind == "bar"]
        unit = bars[0].unit if bars else spec.left_unit
        for i, (category, value, figure) in enumerate(
            zip(spec.categories, spec.column_totals, self.total_figures, strict=False)
        ):
            if figure is not None and value is not None:
                total = self.total_label or spec.undisclosed_label
                shown = Shown(CHART, total, category, label(value, unit, edition), figure)
                yield total_key(i), shown
        for j, ((name, value, is_total), figure) in enumerate(
            zip(spec.steps, self.step_figures, strict=False)
        ):
            if figure is not None:
                text = step_text(value, is_total, edition)
                yield step_key(j), Shown(CHART, name, "", text, figure)


@dataclass(frozen=True, slots=True)
class BuildContext:
    """Everything a slide builder may read."""

    dataset: Dataset
    model: QuarterModel
    release_date: date
    commentary: Commentary
    messages: Messages
    # The edition's number formatter: every figure a builder prints goes through it.
    numbers: Numbers = field(default_factory=Numbers)

    @property
    def quarter(self) -> Quarter:
        return self.model.quarter

    @property
    def language(self) -> str:
        return self.messages.language

    @property
    def styles(self) -> Styles:
        """Cell styles (text and spreadsheet format) of this edition."""
        return Styles.of(self.numbers)

    @property
    def periods(self) -> PeriodNames:
        return PeriodNames(self.messages, self.dataset.calendar)

    def period_label(self, period: Period | Quarter) -> str:
        """``1Q08 (08/4 ~ 08/6)``: the name and the months it covers."""
        return self.messages(
            "period.with_span", name=self.periods.name(period), span=self.periods.span(period)
        )

    def short_period(self, period: Period | Quarter | str) -> str:
        """A period's name on a chart axis or in a narrow column."""
        return self.periods.short(period)

    def end_date_label(self, quarter: Quarter) -> str:
        """``June 30, 2008``: the balance-sheet date at the end of a quarter."""
        return self.numbers.long_date(quarter.end_date(self.dataset.calendar))


@dataclass(frozen=True, slots=True)
class Slide:
    """A built slide, ready for its template."""

    kind: str
    number: str
    title: str
    anchor: str
    bullets: tuple[RenderedBullet, ...]
    notes: tuple[str, ...]
    # What the kind's template lays out: a mapping or a typed dataclass of blocks
    # (tables, charts, texts); ``shown.figures_of`` lists every figure in it.
    body: object
    charts: tuple[Chart, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    @property
    def classes(self) -> tuple[str, ...]:
        """Layout variants of the slide its body asks for (``text-wide``), as CSS classes."""
        classes = getattr(self.body, "classes", ())
        return classes if isinstance(classes, tuple) else ()


Builder = Callable[[BuildContext, SlideSpec], tuple[object, tuple[Chart, ...]]]


@dataclass(frozen=True, slots=True)
class SlideKind:
    """A kind of slide a deck file may list: its template and its context builder."""

    template: str
    build: Builder
    # Catalogue key of the default title; {quarter_label} is filled in.
    title_key: str = ""
    # The model of the ``content:`` this kind reads; None: it reads none, and any
    # content given in the deck file is an error rather than silently ignored.
    content: type[BaseModel] | None = None

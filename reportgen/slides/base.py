"""What every slide builder receives and returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel

from reportgen.charts.spec import ChartSpec
from reportgen.data.load import Dataset
from reportgen.data.schema import SlideSpec
from reportgen.formatting import Numbers
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Period, Quarter
from reportgen.slides.cells import Styles
from reportgen.slides.commentary import Commentary, RenderedBullet
from reportgen.slides.messages import Messages
from reportgen.slides.periods import PeriodNames


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart on a slide: its spec, a text alternative, and a note on its gaps."""

    spec: ChartSpec
    alt: str
    footnote: str = ""
    title: str = ""
    src: str = ""  # filled in once the chart is drawn


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
    body: Mapping[str, object]
    charts: tuple[Chart, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


Builder = Callable[[BuildContext, SlideSpec], tuple[dict[str, object], tuple[Chart, ...]]]


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

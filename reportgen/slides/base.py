"""What every slide builder receives and returns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from reportgen.charts.spec import ChartSpec
from reportgen.data.load import Dataset
from reportgen.data.schema import SlideSpec
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Period, Quarter
from reportgen.slides.commentary import Commentary, RenderedBullet
from reportgen.slides.messages import Messages


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

    @property
    def quarter(self) -> Quarter:
        return self.model.quarter

    def period_label(self, period: Period | Quarter) -> str:
        """``1Q08 (08/4 ~ 08/6)``: the name and the months it covers."""
        p = Period.of(period) if isinstance(period, Quarter) else period
        return f"{p.name} ({p.span_label(self.dataset.calendar)})"

    def end_date_label(self, quarter: Quarter) -> str:
        """``June 30, 2008``: the balance-sheet date at the end of a quarter."""
        end = quarter.end_date(self.dataset.calendar)
        return f"{end:%B} {end.day}, {end.year}"


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

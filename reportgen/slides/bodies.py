"""The typed body of each slide kind: what its template (and any other renderer) lays out.

A body is plain frozen data built from a few blocks: ``Table`` (cells carrying their
figures), ``FigureText`` (a phrase around figures), rendered commentary
(``FigureMarkup``, ``RenderedBullet``) and labels. Charts travel beside the body on the
``Slide``. ``shown.figures_of`` walks any body, so a new kind's figures are listed
without code of its own; a block that names its columns itself (the forecast rows)
says so with ``shown_figures``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from markupsafe import Markup

from reportgen.slides.cells import Cell, Table
from reportgen.slides.commentary import RenderedBullet
from reportgen.slides.content import RenderedSection
from reportgen.slides.shown import TABLE, FigureMarkup, FigureText, Shown, figures_in


@dataclass(frozen=True, slots=True)
class CoverBody:
    company_name: str
    display_name: str
    date: str
    ir_url: str
    fictional: bool


@dataclass(frozen=True, slots=True)
class TableBody:
    """A table and its unit (the margin slide's items by quarter)."""

    table: Table
    unit: str


@dataclass(frozen=True, slots=True)
class StatementBody:
    """A statement table of any items, its unit, and how its bullets are set."""

    table: Table
    unit: str
    bullet_columns: int = 1


@dataclass(frozen=True, slots=True)
class PeriodSummaryBody:
    """A half, nine months or year against a year earlier and the target in force."""

    table: Table
    unit: str
    title: str
    target_note: str


@dataclass(frozen=True, slots=True)
class Callout:
    """A box of figures beside the chart (a deck file's ``callout:``)."""

    title: str
    lines: tuple[FigureText, ...]


@dataclass(frozen=True, slots=True)
class Factors:
    """The box of main factors beside a breakdown chart, from the deck file."""

    title: Markup
    bullets: tuple[RenderedBullet, ...]


@dataclass(frozen=True, slots=True)
class BreakdownBody:
    """A breakdown chart's slide: the unit, and what may sit beside the chart."""

    unit: str
    callout: Callout | None = None
    factors: Factors | None = None
    # A series the chart cannot show, as a row of figures under it.
    series_table: Table | None = None
    series_note: str = ""
    # Layout variants the deck file asks for, as classes of the slide (``slide.html``).
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BridgeBody:
    """Operating income a year ago to now: the table beside the bridge, and the impacts."""

    unit: str
    table: Table
    impacts: Table
    impacts_title: str


@dataclass(frozen=True, slots=True)
class CashFlowSection:
    """One of the three cash-flow panels: its headline figure and the commentary under it."""

    headline: FigureText
    negative: bool
    points: tuple[Markup, ...]


@dataclass(frozen=True, slots=True)
class CashFlowsBody:
    unit: str
    sections: tuple[CashFlowSection, ...]
    notes: tuple[str | FigureText, ...]


@dataclass(frozen=True, slots=True)
class UnitBody:
    """A slide of charts only: the unit they share (empty when none is drawn)."""

    unit: str


@dataclass(frozen=True, slots=True)
class PanelsBody:
    """Rows of text panels under a lead sentence (new businesses, a product line)."""

    lead: Markup
    sections: tuple[RenderedSection, ...]
    # Layout variants the deck file asks for, as classes of the slide (``slide.html``).
    classes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForecastRow:
    label: str
    cells: tuple[Cell, ...]
    comment: FigureMarkup


@dataclass(frozen=True, slots=True)
class ForecastBody:
    """Ref. 1: targets against last year's actual, row by item, with comments."""

    unit: str
    # (name, months) per period column: the interim target (while ahead), the year's
    # target, last year's actual.
    header: tuple[tuple[str, str], ...]
    rows: tuple[ForecastRow, ...]
    # The column of this year's target, which the template sets off.
    target_column: int
    note_keys: tuple[str, ...]
    # The names of the change columns after the periods (amount, %).
    change_header: tuple[str, str]

    def shown_figures(self) -> Iterator[Shown]:
        columns = (*(name for name, _ in self.header), *self.change_header)
        for row in self.rows:
            for column, c in zip(columns, row.cells, strict=True):
                if c.figure is not None and c.text:
                    yield Shown(TABLE, row.label, column, c.text, c.figure, c.excel, c.scale)
            yield from figures_in(row.comment, row.label)


@dataclass(frozen=True, slots=True)
class TargetLine:
    """A medium-term target as the slide prints it: ``Revenues  over JPY 100 billion``."""

    label: str
    amount: FigureText


@dataclass(frozen=True, slots=True)
class MediumTermBody:
    stages: tuple[tuple[Markup, ...], ...]
    targets: tuple[TargetLine, ...]
    target_heading: str
    market: tuple[Markup, ...]
    market_heading: str


@dataclass(frozen=True, slots=True)
class CompanyRow:
    name: str
    new_business: bool
    ownership: Cell
    business: str


@dataclass(frozen=True, slots=True)
class CompanyGroup:
    label: str
    rows: tuple[CompanyRow, ...]


@dataclass(frozen=True, slots=True)
class GroupBody:
    groups: tuple[CompanyGroup, ...]
    header: tuple[str, ...]
    new_tag: str
    new_note: str
    has_gaps: bool


@dataclass(frozen=True, slots=True)
class ReleaseLine:
    date: str
    year: str
    title: str


@dataclass(frozen=True, slots=True)
class ReleaseGroup:
    label: str
    items: tuple[ReleaseLine, ...]


@dataclass(frozen=True, slots=True)
class PressBody:
    header: tuple[str, ...]
    groups: tuple[ReleaseGroup, ...]


@dataclass(frozen=True, slots=True)
class TextBody:
    """A slide of one text from company.yaml (the forward-looking statements)."""

    text: str


@dataclass(frozen=True, slots=True)
class ContactBody:
    office: str
    address: str
    lines: tuple[tuple[str, str], ...]

"""Every figure a slide shows, enumerated once: table cells, chart values, figures in text.

A slide's body is built from typed blocks (``Table`` and its ``Cell``s, ``Chart``,
``FigureText``, rendered commentary); each block knows the figures behind what it
prints. ``figures_of`` walks a slide and lists them in reading order, each with the
item, period, exact value, status, formula and documents of the figure, and the
text as printed. ``reportgen sources``, the CSV attached to the PDF, the Excel data
pack and the tests read this one list, so no figure can be shown without a source.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from reportgen.model.figures import Document, Figure

if TYPE_CHECKING:
    from reportgen.slides.cells import Table


def doc_links(documents: Iterable[Document]) -> str:
    """``data-docs``: each document's citation and URL, as JSON; web links only.

    A URL that is not http(s) (a typo, a ``javascript:`` link) is left out: the
    citation still names the document.
    """
    links = [
        {"text": d.citation, "url": d.url if urlsplit(d.url).scheme in ("http", "https") else ""}
        for d in documents
    ]
    return json.dumps(links, ensure_ascii=False)


# Where on the slide a figure is printed.
TABLE, CHART, TEXT = "table", "chart", "text"


# Figures that are not line items of the catalogue: a group company's ownership.
_OTHER_UNITS = {"ownership": "%"}


@dataclass(frozen=True, slots=True)
class Shown:
    """One figure as a slide prints it, and the figure behind it."""

    place: str  # table | chart | text
    row: str  # the table row, chart series or the text around the figure
    column: str  # the table column or chart category; empty in text
    text: str  # as printed
    figure: Figure
    excel: str = "General"  # the spreadsheet number format of a table cell
    scale: float = 1.0  # spreadsheet value = value x scale

    @property
    def unit(self) -> str:
        """The figure's unit: ``JPY million``, ``%``, ``pt``, ``employees``..."""
        item = self.figure.key.partition(":")[0]
        catalogue = self.figure.catalogue
        if catalogue is not None and item in catalogue:
            return catalogue.unit_of(self.figure.key)
        return _OTHER_UNITS.get(item, "")


class FigureMarkup(Markup):
    """Rendered text (commentary, a note) that remembers the figures printed in it."""

    figures: tuple[tuple[Figure, str], ...] = ()

    @classmethod
    def holding(cls, text: Markup, figures: tuple[tuple[Figure, str], ...]) -> FigureMarkup:
        made = cls(text)
        made.figures = figures
        return made


_SLOT = re.compile("\x00([0-9]+)\x00")


@dataclass(frozen=True, slots=True)
class FigureText:
    """A phrase built around figures (``Revenue: 1,040``): plain text, with each figure's
    text marked for its hover in the preview and listed by ``figures_of``.

    Build it with ``FigureText.slot(i)`` where figure ``i``'s text goes, so the span
    lands on that figure even if the same digits occur elsewhere in the phrase::

        FigureText(t("revenue.si_wip.revenue", amount=FigureText.slot(0)), ((fig, "1,040"),))
    """

    text: str
    figures: tuple[tuple[Figure, str], ...] = ()
    # Where each figure's text starts in ``text``, where slots placed it.
    starts: tuple[int, ...] = field(default=(), compare=False)

    @staticmethod
    def slot(index: int) -> str:
        return f"\x00{index}\x00"

    def __post_init__(self) -> None:
        if "\x00" not in self.text:
            return
        out: list[str] = []
        starts: list[int] = [0] * len(self.figures)
        length = 0
        for n, piece in enumerate(_SLOT.split(self.text)):
            if n % 2:
                shown = self.figures[int(piece)][1]
                starts[int(piece)] = length
                piece = shown
            out.append(piece)
            length += len(piece)
        object.__setattr__(self, "text", "".join(out))
        object.__setattr__(self, "starts", tuple(starts))

    def __html__(self) -> Markup:
        spans = [
            (start, figure, shown)
            for start, (figure, shown) in zip(self.starts, self.figures, strict=False)
        ]
        if not spans:  # no slots: each figure's text where it first occurs
            spans = [(self.text.find(shown), f, shown) for f, shown in self.figures]
        html, at = Markup(""), 0
        for start, figure, shown in sorted(spans, key=lambda span: span[0]):
            if start < at:
                continue  # not found (-1), or inside the figure before it
            html += escape(self.text[at:start])
            html += Markup('<span class="fig st-{}" title="{}" data-docs="{}">{}</span>').format(
                figure.status, figure.provenance, doc_links(figure.documents), shown
            )
            at = start + len(shown)
        return html + escape(self.text[at:])

    def __str__(self) -> str:
        return self.text


def _excerpt(text: str, limit: int = 60) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1] + "\u2026"


def figures_in(text: FigureMarkup | FigureText, label: str = "") -> Iterator[Shown]:
    """The figures a text prints, named by ``label`` or else by the text itself."""
    if isinstance(text, FigureText):
        yield from _in_text(text.text, text.figures, label)
    elif isinstance(text, FigureMarkup):
        yield from _in_text(text, text.figures, label)


def _in_text(
    text: str, figures: tuple[tuple[Figure, str], ...], label: str = ""
) -> Iterator[Shown]:
    row = label or _excerpt(Markup(text).striptags() if isinstance(text, Markup) else text)
    for figure, shown in figures:
        yield Shown(TEXT, row, "", Markup(shown).striptags(), figure)


def _walk(value: object, label: str) -> Iterator[Shown]:
    # Local imports: cells and base import this module's types.
    from reportgen.slides.base import Chart
    from reportgen.slides.cells import Cell, Table
    from reportgen.slides.commentary import RenderedBullet

    if isinstance(value, Table):
        yield from table_figures(value)
    elif isinstance(value, Cell):
        if value.figure is not None and value.text:
            yield Shown(TABLE, label, "", value.text, value.figure, value.excel, value.scale)
    elif isinstance(value, Chart):
        yield from value.shown()
    elif isinstance(value, FigureMarkup | FigureText):
        yield from figures_in(value)
    elif isinstance(value, RenderedBullet):
        yield from _walk(value.text, label)
        for sub in value.sub:
            yield from _walk(sub, label)
    elif isinstance(value, str | bytes | int | float | bool) or value is None:
        return
    elif hasattr(value, "shown_figures"):
        yield from value.shown_figures()
    elif is_dataclass(value) and not isinstance(value, type):
        # A row of a custom block names its figures by its own label.
        own = getattr(value, "label", None) or getattr(value, "name", None)
        here = own if isinstance(own, str) else label
        for f in fields(value):
            yield from _walk(getattr(value, f.name), here)
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _walk(item, label)
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _walk(item, label)


def table_figures(table: object) -> Iterator[Shown]:
    """A table's figures, named by row label and the last header row's column names."""
    from reportgen.slides.cells import Table

    assert isinstance(table, Table)
    columns = table.header[-1][1:] if table.header else ()
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if cell.figure is None or not cell.text:
                continue
            column = columns[index] if index < len(columns) else ""
            yield Shown(TABLE, row.label, column, cell.text, cell.figure, cell.excel, cell.scale)


def blocks(body: object) -> Iterator[object]:
    """Every block of a slide body in order: containers (mappings, lists, dataclasses)
    opened, the rest (tables, texts, cells, labels) yielded as they are."""
    if isinstance(body, Mapping):
        for value in body.values():
            yield from blocks(value)
    elif isinstance(body, tuple | list):
        for value in body:
            yield from blocks(value)
    elif is_dataclass(body) and not isinstance(body, type) and not _leaf(body):
        for f in fields(body):
            yield from blocks(getattr(body, f.name))
    else:
        yield body


def _leaf(value: object) -> bool:
    # Blocks that are dataclasses but read as one: a table, a rendered bullet.
    from reportgen.slides.cells import Table
    from reportgen.slides.commentary import RenderedBullet

    return isinstance(value, Table | RenderedBullet | FigureText)


def tables_of(body: object) -> Iterator[Table]:
    """The tables of a slide body, in order, wherever they sit in it."""
    from reportgen.slides.cells import Table

    return (block for block in blocks(body) if isinstance(block, Table))


def body_figures(body: object) -> tuple[Shown, ...]:
    """The figures a slide body shows (its charts, bullets and notes aside)."""
    return tuple(_walk(body, ""))


def figures_of(slide: object) -> tuple[Shown, ...]:
    """Every figure ``slide`` prints, in reading order: body, charts, bullets, notes."""
    from reportgen.slides.base import Slide

    assert isinstance(slide, Slide)
    found: list[Shown] = []
    found.extend(_walk(slide.body, ""))
    for chart in slide.charts:
        found.extend(chart.shown())
    found.extend(_walk(slide.bullets, ""))
    found.extend(_walk(slide.notes, ""))
    return tuple(found)

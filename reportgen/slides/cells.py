"""Table cells: a figure formatted for display, carrying its value and provenance.

The text is what the slide prints; the value and its spreadsheet number format
are what the Excel data pack and the PDF's attached data carry, so a reader can
check every printed number against an unrounded one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from reportgen import formatting
from reportgen.model.figures import Document, Figure
from reportgen.slides.plain import plain
from reportgen.slides.shown import doc_links

Formatter = Callable[[float | None], str]


@dataclass(frozen=True, slots=True)
class Style:
    """How a value is shown: as slide text, and as a number in a spreadsheet."""

    text: Formatter
    excel: str = "General"
    # Spreadsheet value = model value x scale (JPY billion columns, % as fractions).
    scale: float = 1.0
    # What a cell without a number says, in the edition's words (formatting.NumberStyle).
    not_meaningful: str = formatting.NOT_MEANINGFUL
    undisclosed: str = formatting.UNDISCLOSED


@dataclass(frozen=True, slots=True)
class Styles:
    """The styles of one edition: its text and spreadsheet formats agree."""

    million: Style
    billion: Style
    percent: Style
    points: Style
    number: Style
    yen: Style

    @classmethod
    def of(cls, numbers: formatting.Numbers) -> Styles:
        def style(fmt: Formatter, kind: str, scale: float = 1.0) -> Style:
            return Style(
                fmt, numbers.excel_format(kind), scale, numbers.not_meaningful, numbers.undisclosed
            )

        return cls(
            million=style(numbers.jpy_million, "million"),
            billion=style(numbers.jpy_billion, "billion", numbers.large_scale),
            percent=style(numbers.percent, "percent", 0.01),
            points=style(numbers.points, "points"),
            number=style(numbers.number, "number"),
            yen=style(numbers.jpy, "yen"),
        )


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: text, the value behind it, and its provenance (shown on hover)."""

    text: str
    source: str = ""
    status: str = ""
    negative: bool = False
    value: float | None = None  # the model's value, in the item's own unit
    excel: str = "General"
    scale: float = 1.0  # spreadsheet value = value x scale
    # The documents behind the figure (the data pack's source_title/date/url columns).
    documents: tuple[Document, ...] = ()
    # The figure the text shows (item, period, exact value, status, formula): what the
    # slide's enumeration of figures (``shown.py``) lists. None for a label cell.
    figure: Figure | None = field(default=None, compare=False)

    @property
    def docs(self) -> str:
        """The documents behind the figure, for the preview's popover (``data-docs``)."""
        return doc_links(self.documents)

    @property
    def classes(self) -> str:
        names = [f"st-{self.status}"] if self.status else []
        if self.negative:
            names.append("neg")
        return " ".join(names)


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: a label and its cells; ``style`` is total, sub or plain."""

    label: str
    cells: tuple[Cell, ...]
    style: str = ""

    def __post_init__(self) -> None:
        # Labels reach the data pack and the CSV too: plain text, escaped by the template.
        object.__setattr__(self, "label", plain(self.label))


@dataclass(frozen=True, slots=True)
class Table:
    """A table as the template lays it out: header rows of labels, then rows."""

    header: tuple[tuple[str, ...], ...]
    rows: tuple[Row, ...]
    column_classes: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "header", tuple(tuple(map(plain, h)) for h in self.header))

    @property
    def note_keys(self) -> tuple[str, ...]:
        """Catalogue keys of the notes that explain this table's n/a, n/d and n.m. cells."""
        return note_keys(c for r in self.rows for c in r.cells)


def note_keys(cells: Iterable[Cell]) -> tuple[str, ...]:
    """Catalogue keys of the notes that explain these cells: n/a, n/d, then n.m."""
    statuses = {c.status for c in cells}
    return tuple(
        key
        for key, status in (
            ("note.not_available", "missing"),
            ("note.undisclosed", "undisclosed"),
            ("note.not_meaningful", "not_meaningful"),
        )
        if status in statuses
    )


def style_of(fmt: Formatter | Style) -> Style:
    return fmt if isinstance(fmt, Style) else Style(fmt)


def cell(figure: Figure, fmt: Formatter | Style) -> Cell:
    """Format a figure; a missing one shows ``n/a``, an undisclosed one ``n/d``, a change
    from or to a loss ``n.m.`` (Japanese: a full-width dash)."""
    style = style_of(fmt)
    if figure.status == "not_meaningful":
        return Cell(
            style.not_meaningful,
            figure.provenance,
            figure.status,
            documents=figure.documents,
            figure=figure,
        )
    if figure.status == "undisclosed":
        return Cell(
            style.undisclosed,
            figure.provenance,
            figure.status,
            documents=figure.documents,
            figure=figure,
        )
    text = style.text(figure.value)
    return Cell(
        text=text,
        source=figure.provenance,
        status=figure.status,
        negative=text.startswith(("(", "△")),
        value=figure.value,
        excel=style.excel,
        scale=style.scale,
        documents=figure.documents,
        figure=figure,
    )


def blank() -> Cell:
    return Cell("")


def signed(fmt: Callable[..., str] | Style) -> Style:
    """A style that marks increases with ``+``, as change columns do."""
    base = style_of(fmt)
    excel = (
        base.excel
        if base.excel.startswith("+")
        else f"+{base.excel.split(';')[0]};" + (";".join(base.excel.split(";")[1:2]) or "-0") + ";0"
    )
    text = base.text
    return Style(
        lambda v: text(v, signed=True), excel, base.scale, base.not_meaningful, base.undisclosed
    )

"""The deck's data: every figure shown, as a CSV attached to the PDF and an Excel pack.

Each record names the slide, the table row or chart series, the column, the
value as the model holds it, the text the slide prints, and its provenance.

Text reaches both files as plain text (never HTML), and is never run as a formula:
a text that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR, LF, or
their full-width forms) is a text cell with a quote prefix in the Excel pack, and
gets a leading ``'`` in the CSV (the OWASP convention for CSV injection). A number
as the slide prints it (``+128``, ``-4.9%``) runs nothing and is left as it is;
values stay numbers in both.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from reportgen import brand, formatting
from reportgen.errors import QuarterError
from reportgen.model.figures import Document, Figure, label_of
from reportgen.quarters import Period
from reportgen.slides.base import Slide
from reportgen.slides.deck import Deck
from reportgen.slides.shown import Shown, figures_of, table_figures, tables_of

CSV_COLUMNS = (
    "slide",
    "title",
    "place",
    "row",
    "column",
    "item",
    "period",
    "value",
    "shown",
    "unit",
    "status",
    "formula",
    "as_of",
    "note",
    "source",
    "source_title",
    "source_date",
    "source_url",
)
# Several documents (a derived figure's inputs) in one column are joined with this.
DOCUMENT_SEPARATOR = "; "

# What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"); the
# full-width forms too, which spreadsheets in Japanese locales fold to ASCII.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER_AS_PRINTED = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?%?")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` as a formula if it were typed in."""
    return text.startswith(_FORMULA_START) and not _NUMBER_AS_PRINTED.fullmatch(text)


def csv_text(text: str) -> str:
    """A CSV text field: one that starts like a formula gets a leading ``'`` (OWASP)."""
    return f"'{text}" if formula_like(text) else text


@dataclass(frozen=True, slots=True)
class Record:
    """One figure a slide shows, as the CSV and the data pack's Figures sheet list it."""

    slide: str
    title: str
    shown: Shown

    @property
    def figure(self) -> Figure:
        return self.shown.figure

    @property
    def value(self) -> float | None:
        return self.figure.value

    @property
    def documents(self) -> tuple[Document, ...]:
        return self.figure.documents

    @property
    def fields(self) -> dict[str, str | float | None]:
        """The CSV columns: texts, and the value as a number (None where there is none)."""
        figure, documents = self.figure, self.documents
        return {
            "slide": self.slide,
            "title": self.title,
            "place": self.shown.place,
            "row": self.shown.row,
            "column": self.shown.column,
            "item": figure.key,
            "period": figure.period,
            "value": figure.value,
            "shown": self.shown.text,
            "unit": self.shown.unit,
            "status": figure.status,
            "formula": figure.formula,
            "as_of": figure.as_of,
            "note": figure.note,
            "source": figure.source,
            "source_title": DOCUMENT_SEPARATOR.join(d.title for d in documents),
            "source_date": DOCUMENT_SEPARATOR.join(d.date for d in documents),
            "source_url": DOCUMENT_SEPARATOR.join(d.url for d in documents),
        }


def records(deck: Deck) -> Iterator[Record]:
    """Every figure on every slide, in slide order (``shown.figures_of``)."""
    for slide in deck.slides:
        number = slide.number or slide.kind
        for shown in figures_of(slide):
            yield Record(number, slide.title, shown)


def figures_csv(deck: Deck) -> str:
    """The records as CSV text (UTF-8, one header row, RFC 4180 line ends)."""
    buffer = io.StringIO()
    # csv quotes a field only for the characters of its line end: with CRLF, a text
    # holding either one is quoted, so a stray CR cannot split a record.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in records(deck):
        writer.writerow(
            (
                ("" if v is None else repr(float(v))) if name == "value" else csv_text(str(v))
                for name, v in r.fields.items()
            )
        )
    return buffer.getvalue()


# Excel refuses these in a sheet name (and XML control characters anywhere).
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_SHEET_TRIM = " '"


def _header_fill(deck: Deck) -> PatternFill:
    """Header cells in the company's navy."""
    return PatternFill("solid", fgColor=brand.hex_rgb(deck.dataset.brand.navy))


def _sheet_name(slide: Slide, used: set[str]) -> str:
    base = _SHEET_UNSAFE.sub(" ", f"{slide.number} {slide.title}" if slide.number else slide.title)
    # Excel also refuses a name that starts or ends with an apostrophe.
    name = base[:31].strip(_SHEET_TRIM)
    suffix = 2
    while name in used:
        name = f"{base[:27].strip(_SHEET_TRIM)} ({suffix})"
        suffix += 1
    used.add(name)
    return name


def write_xlsx(deck: Deck, target: Path) -> None:
    """One sheet per slide that has figures: tables as numbers with number formats."""
    book = Workbook()
    book.remove(book.active)
    created = datetime.combine(deck.spec.release_date, datetime.min.time())
    book.properties.creator = deck.dataset.company.name
    book.properties.title = deck.messages("deck.datapack_title", title=deck.title)
    numbers = formatting.numbers_for(deck.messages.language, deck.messages.money)
    million = numbers.excel_format("million")
    book.properties.created = book.properties.modified = created
    used: set[str] = set()
    for slide in deck.slides:
        tables = list(tables_of(slide.body))
        # Figures outside the tables and charts: in text, and in blocks that are not
        # tables (the forecast rows, a callout): listed under them, one per line.
        in_tables = {_identity(f) for t in tables for f in table_figures(t)}
        others = [
            f for f in figures_of(slide) if f.place != "chart" and _identity(f) not in in_tables
        ]
        if not tables and not slide.charts and not others:
            continue
        sheet = book.create_sheet(_sheet_name(slide, used))
        _append(sheet, [slide.label])
        sheet["A1"].font = Font(bold=True, size=12)
        for table in tables:
            _append(sheet, [])
            for header in table.header:
                _append(sheet, list(header))
                for column in range(1, len(header) + 1):
                    cell = sheet.cell(row=sheet.max_row, column=column)
                    cell.font = Font(bold=True, color="FFFFFF")
                    cell.fill = _header_fill(deck)
            for row in table.rows:
                _append(sheet, [row.label, *(c.text for c in row.cells)])
                line = sheet.max_row
                for column, source in enumerate(row.cells, start=2):
                    target_cell = sheet.cell(row=line, column=column)
                    if source.value is not None and source.text:
                        target_cell.value = source.value * source.scale
                        target_cell.number_format = source.excel
                    target_cell.alignment = Alignment(horizontal="right")
        for chart in slide.charts:
            _append(sheet, [])
            _append(sheet, [chart.title or deck.messages("deck.chart"), *chart.spec.categories])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for series in chart.spec.series:
                _append(
                    sheet,
                    [
                        series.label,
                        *(
                            (v / 100 if series.unit == "pct" else v)
                            if v is not None
                            else numbers.missing
                            for v in series.values
                        ),
                    ],
                )
                for cell in sheet[sheet.max_row][1:]:
                    if isinstance(cell.value, float | int):
                        cell.number_format = (
                            numbers.excel_format("percent") if series.unit == "pct" else million
                        )
            for name, value, _ in chart.spec.steps:
                _append(sheet, [name, value])
                sheet.cell(sheet.max_row, 2).number_format = million
        if others:
            _append(sheet, [])
            _append(sheet, [deck.messages("deck.other_figures"), "", "", "", ""])
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
            for f in others:
                _append(sheet, [f.row, f.column, f.text, f.figure.value, f.unit])
                if f.figure.value is not None:
                    value_cell = sheet.cell(sheet.max_row, 4)
                    value_cell.value = f.figure.value * f.scale
                    value_cell.number_format = f.excel
        sheet.column_dimensions["A"].width = 48
        for index in range(2, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 16
    _data_sheet(book, deck, used)
    _figures_sheet(book, deck, used)
    _text_cells_are_text(book)
    _save(book, target, created)


def _identity(shown: Shown) -> tuple[str, str, str, str, str]:
    return (shown.row, shown.column, shown.text, shown.figure.key, shown.figure.period)


DATA_COLUMNS = (
    "item",
    "label",
    "period",
    "unit",
    "value",
    "status",
    "formula",
    "as_of",
    "source",
    "source_title",
    "source_date",
    "source_url",
    "slides",
)


def _data_sheet(book: Workbook, deck: Deck, used: set[str]) -> None:
    """Every figure once, as item x period: the long layout analysts build models from.

    A figure shown on several slides (revenue in the summary, the chart and a bullet)
    is one row, naming the slides; values are exact, in the item's own unit.
    """
    rows: dict[tuple[str, str], tuple[Record, list[str]]] = {}
    for r in records(deck):
        key = (r.figure.key, r.figure.period)
        _, slides = rows.setdefault(key, (r, []))
        if r.slide not in slides:
            slides.append(r.slide)
    sheet = book.create_sheet(_unused("Data", used))
    _append(sheet, list(DATA_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _header_fill(deck)
    for (key, period), (r, slides) in sorted(rows.items(), key=lambda kv: _order(*kv[0])):
        f = r.fields
        _append(
            sheet,
            [
                key,
                label_of(key, deck.dataset.catalogue),
                period,
                f["unit"],
                r.value,
                f["status"],
                f["formula"],
                f["as_of"],
                f["source"],
                f["source_title"],
                f["source_date"],
                f["source_url"],
                ", ".join(slides),
            ],
        )
    sheet.freeze_panes = "A2"
    for index, width in enumerate((28, 40, 10, 12, 14, 12, 40, 12, 10, 60, 12, 60, 16), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _order(key: str, period: str) -> tuple[str, int, int, int, str]:
    """Items alphabetically, each item's periods in time order (quarters before the year)."""
    try:
        p = Period.parse(period)
    except QuarterError:
        return (key, 0, 0, 0, period)
    return (key, p.fiscal_year, _KIND_ORDER.get(p.kind, 9), p.number, period)


_KIND_ORDER = {"Q": 0, "H": 1, "9M": 2, "FY": 3}


def _unused(name: str, used: set[str]) -> str:
    """``name``, or ``name (2)``... where a slide's sheet already has it."""
    found, suffix = name, 2
    while found in used:
        found = f"{name} ({suffix})"
        suffix += 1
    used.add(found)
    return found


def _figures_sheet(book: Workbook, deck: Deck, used: set[str]) -> None:
    """One row per figure, as the attached CSV lists them, with the document of each."""
    sheet = book.create_sheet(_unused("Figures", used))
    _append(sheet, list(CSV_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _header_fill(deck)
    for r in records(deck):
        _append(sheet, list(r.fields.values()))
    sheet.freeze_panes = "A2"
    widths = (8, 32, 8, 40, 16, 28, 10, 14, 14, 12, 12, 40, 12, 40, 12, 60, 12, 60)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _append(sheet: Worksheet, values: list[Any]) -> None:
    # XML cannot hold most control characters; openpyxl raises on them mid-build.
    sheet.append(
        [ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in values]
    )


def _text_cells_are_text(book: Workbook) -> None:
    """Every text cell is text, never a formula; one that starts like one is quote-prefixed."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    # openpyxl makes any text that starts with "=" a formula.
                    cell.data_type = "s"
                    cell.quotePrefix = formula_like(cell.value)


class _DatedZip(zipfile.ZipFile):
    """A zip whose entries all carry one date, not the time of writing."""

    def __init__(self, target: Path, when: datetime) -> None:
        super().__init__(target, "w", zipfile.ZIP_DEFLATED)
        self._when = when.timetuple()[:6]

    def writestr(self, name: str | zipfile.ZipInfo, data: str | bytes, *args: Any) -> None:
        if isinstance(name, str):
            name = zipfile.ZipInfo(name, date_time=self._when)
            name.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(name, data, *args)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        # openpyxl writes each worksheet to a temporary file first, then adds it.
        self.writestr(str(arcname or filename), Path(filename).read_bytes())


def _save(book: Workbook, target: Path, when: datetime) -> None:
    # Workbook.save stamps the file and each zip entry with the current time; here
    # both are the release date, so the same data gives the same bytes, as the PDF.
    ExcelWriter(book, _DatedZip(target, when)).save()

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
from reportgen.charts.labels import label
from reportgen.model.figures import Document
from reportgen.slides.base import Slide
from reportgen.slides.cells import Table
from reportgen.slides.deck import Deck

CSV_COLUMNS = (
    "slide",
    "title",
    "row",
    "column",
    "value",
    "shown",
    "status",
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
    slide: str
    title: str
    row: str
    column: str
    value: float | None
    shown: str
    status: str
    source: str
    documents: tuple[Document, ...] = ()

    @property
    def source_title(self) -> str:
        return DOCUMENT_SEPARATOR.join(d.title for d in self.documents)

    @property
    def source_date(self) -> str:
        return DOCUMENT_SEPARATOR.join(d.date for d in self.documents)

    @property
    def source_url(self) -> str:
        return DOCUMENT_SEPARATOR.join(d.url for d in self.documents)

    @property
    def texts(self) -> tuple[str, ...]:
        """The text columns, in CSV order (value aside)."""
        return (
            self.slide,
            self.title,
            self.row,
            self.column,
            self.shown,
            self.status,
            self.source,
            self.source_title,
            self.source_date,
            self.source_url,
        )


def _tables(slide: Slide) -> Iterator[Table]:
    for value in slide.body.values():
        if isinstance(value, Table):
            yield value


def records(deck: Deck) -> Iterator[Record]:
    """Every figure on every slide, in slide order."""
    numbers = formatting.numbers_for(deck.messages.language)
    for slide in deck.slides:
        number = slide.number or slide.kind
        for table in _tables(slide):
            columns = table.header[-1][1:] if table.header else ()
            for row in table.rows:
                for column, cell in zip(columns, row.cells, strict=False):
                    if cell.text:
                        yield Record(
                            number,
                            slide.title,
                            row.label,
                            column,
                            cell.value,
                            cell.text,
                            cell.status,
                            cell.source,
                            cell.documents,
                        )
        for chart in slide.charts:
            for series in chart.spec.series:
                for category, value in zip(chart.spec.categories, series.values, strict=True):
                    yield Record(
                        number,
                        slide.title,
                        series.label,
                        category,
                        value,
                        label(value, series.unit, chart.spec.edition),
                        "chart",
                        "",
                    )
            for name, value, _ in chart.spec.steps:
                yield Record(
                    number, slide.title, name, "", value, numbers.jpy_million(value), "chart", ""
                )


def figures_csv(deck: Deck) -> str:
    """The records as CSV text (UTF-8, one header row, RFC 4180 line ends)."""
    buffer = io.StringIO()
    # csv quotes a field only for the characters of its line end: with CRLF, a text
    # holding either one is quoted, so a stray CR cannot split a record.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in records(deck):
        value = "" if r.value is None else repr(float(r.value))
        texts = [csv_text(text) for text in r.texts]
        writer.writerow((*texts[:4], value, *texts[4:]))
    return buffer.getvalue()


# Excel refuses these in a sheet name (and XML control characters anywhere).
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_SHEET_TRIM = " '"
_HEADER_FILL = PatternFill("solid", fgColor=brand.hex_rgb(brand.NAVY))


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
    numbers = formatting.numbers_for(deck.messages.language)
    million = numbers.excel_format("million")
    book.properties.created = book.properties.modified = created
    used: set[str] = set()
    for slide in deck.slides:
        tables = list(_tables(slide))
        if not tables and not slide.charts:
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
                    cell.fill = _HEADER_FILL
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
        sheet.column_dimensions["A"].width = 48
        for index in range(2, sheet.max_column + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 16
    _figures_sheet(book, deck, used)
    _text_cells_are_text(book)
    _save(book, target, created)


def _figures_sheet(book: Workbook, deck: Deck, used: set[str]) -> None:
    """One row per figure, as the attached CSV lists them, with the document of each."""
    name = "Figures"
    suffix = 2
    while name in used:
        name = f"Figures ({suffix})"
        suffix += 1
    used.add(name)
    sheet = book.create_sheet(name)
    _append(sheet, list(CSV_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
    for r in records(deck):
        texts = list(r.texts)
        _append(sheet, [*texts[:4], r.value, *texts[4:]])
    sheet.freeze_panes = "A2"
    for index, width in enumerate((8, 32, 40, 16, 14, 14, 12, 48, 60, 12, 60), start=1):
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

"""Native tables with the cell texts the slide prints."""

from __future__ import annotations

import math
import unicodedata

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from reportgen import brand
from reportgen.pptx.bodies import TableBlock
from reportgen.pptx.text import rgb

# A row's height per line of text and per font point, as PowerPoint and LibreOffice
# lay a cell out (line height plus the cell's top and bottom margins).
_LINE = 1.3
_CELL_PAD_PT = 3.0
_CHAR_EM = 0.6


def font_size(block: TableBlock, scale: float = 1.0) -> float:
    return (8.0 if len(block.rows) <= 14 else 6.5) * scale


def _chars(text: str) -> float:
    """Width of ``text`` in Latin characters: a wide (CJK) character is one em, as wide
    as 1 / _CHAR_EM of them, and a Japanese label wraps where its length says it won't."""
    wide = sum(1 for c in text if unicodedata.east_asian_width(c) in "WF")
    return (len(text) - wide) + wide / _CHAR_EM if wide else len(text)


def _need_pt(text: str, size: float) -> float:
    return _chars(text) * size * _CHAR_EM + 2 * 3.0 + 2.0


def column_widths(block: TableBlock, width_pt: float, scale: float = 1.0) -> list[float]:
    """Short (figure) columns get the width their text needs; long texts share the rest."""
    size = font_size(block, scale)
    columns = max(len(r) for r in (*block.header, *block.rows))
    need = [_need_pt("0000", size)] * columns
    for row in (*block.header, *((c.text for c in r) for r in block.rows)):
        for index, text in enumerate(row):
            need[index] = max(need[index], _need_pt(text, size))
    if sum(need) <= width_pt:
        return [n * width_pt / sum(need) for n in need]
    short = [n <= width_pt * 0.14 for n in need]
    fixed = sum(n for n, s in zip(need, short, strict=True) if s)
    rest = max(width_pt - fixed, width_pt * 0.3)
    wide = sum(n for n, s in zip(need, short, strict=True) if not s) or 1.0
    return [n if s else n * rest / wide for n, s in zip(need, short, strict=True)]


def _lines(rows: object, widths: list[float], size: float) -> list[int]:
    """Lines each row needs: a long text wraps in its column."""
    out = []
    for row in rows:  # type: ignore[attr-defined]
        need = 1
        for text, width in zip(row, widths, strict=False):
            per_line = max(int((width - 6.0) / (size * _CHAR_EM)), 4)
            need = max(need, math.ceil(_chars(text) / per_line))
        out.append(need)
    return out


def row_heights(block: TableBlock, width_pt: float, scale: float = 1.0) -> list[float]:
    size = font_size(block, scale)
    widths = column_widths(block, width_pt, scale)
    rows = [*block.header, *((c.text for c in r) for r in block.rows)]
    return [n * size * _LINE + 2 * _CELL_PAD_PT for n in _lines(rows, widths, size)]


def height_pt(block: TableBlock, width_pt: float, scale: float = 1.0) -> float:
    return sum(row_heights(block, width_pt, scale))


def add_table(
    shapes: SlideShapes,
    block: TableBlock,
    left: int,
    top: int,
    width: int,
    height: int,
    scale: float = 1.0,
    look: brand.Brand = brand.DEFAULT,
) -> None:
    columns = max(len(r) for r in (*block.header, *block.rows))
    rows = len(block.header) + len(block.rows)
    frame = shapes.add_table(rows, columns, Emu(left), Emu(top), Emu(width), Emu(height))
    frame.name = block.name
    table = frame.table
    table.first_row = bool(block.header)
    table.horz_banding = False
    widths = column_widths(block, width / 12700, scale)
    for index, w in enumerate(widths):
        table.columns[index].width = Emu(int(w * 12700))
    size = font_size(block, scale)
    for row, h in zip(table.rows, row_heights(block, width / 12700, scale), strict=True):
        row.height = Emu(int(h * 12700))
    for r, header in enumerate(block.header):
        for c in range(columns):
            text = header[c] if c < len(header) else ""
            _fill(table.cell(r, c), text, size, look, header=True, numeric=c > 0)
    styles = block.row_styles or ("",) * len(block.rows)
    for r, (row, style) in enumerate(zip(block.rows, styles, strict=True), start=len(block.header)):
        for c in range(columns):
            cell = row[c] if c < len(row) else None
            numeric = cell is not None and (cell.value is not None or bool(cell.status))
            _fill(
                table.cell(r, c),
                cell.text if cell else "",
                size,
                look,
                bold=style == "total",
                numeric=numeric,
                negative=bool(cell and cell.negative),
            )


def _fill(
    target: object,
    text: str,
    size: float,
    look: brand.Brand,
    *,
    header: bool = False,
    bold: bool = False,
    numeric: bool = False,
    negative: bool = False,
) -> None:
    target.fill.solid()  # type: ignore[attr-defined]
    target.fill.fore_color.rgb = rgb(look.navy if header else look.colors["white"])  # type: ignore[attr-defined]
    target.vertical_anchor = MSO_ANCHOR.MIDDLE if not header else MSO_ANCHOR.BOTTOM  # type: ignore[attr-defined]
    for margin in ("margin_left", "margin_right"):
        setattr(target, margin, Pt(3))
    for margin in ("margin_top", "margin_bottom"):
        setattr(target, margin, Pt(_CELL_PAD_PT / 2))
    frame = target.text_frame  # type: ignore[attr-defined]
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.RIGHT if numeric else PP_ALIGN.LEFT
    # The paragraph's end mark too: an empty cell's line is as tall as its (18pt) default.
    paragraph.font.size = Pt(size)
    paragraph._p.get_or_add_endParaRPr().set("sz", str(round(size * 100)))
    if not text:
        return  # no run: LibreOffice lays an empty run out at the default 18pt
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = header or bold
    color = look.colors["white"] if header else look.colors["neg"] if negative else look.ink
    run.font.color.rgb = rgb(color)

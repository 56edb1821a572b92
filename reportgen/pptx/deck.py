"""The deck as a PowerPoint file: one 16:9 slide per deck slide, in the deck's order.

Each slide gets its number and title, then its blocks (``bodies``) laid out as the
HTML template arranges them: full-width blocks above, columns side by side, notes
below. Text blocks and tables take the height their lines need; charts share what is
left in their column. Speaker notes list the provenance of every figure on the slide.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches

from reportgen import __version__, brand
from reportgen.pptx import bodies, tables, template, text
from reportgen.pptx.bodies import Block, ChartBlock, SlideBlocks, TableBlock, TextBlock
from reportgen.pptx.charts import add_chart
from reportgen.slides.base import Slide
from reportgen.slides.deck import Deck

# The PDF's page: 10 x 5.625 in (templates/css/00-base.css), so sizes read the same.
WIDTH, HEIGHT = Inches(10), Inches(5.625)
MARGIN = Inches(0.35)
BODY_TOP, BODY_BOTTOM = Inches(0.78), Inches(5.28)
GAP = Inches(0.12)
_EMU_PER_PT = 12700
MIN_CHART = Inches(1.4)
# The name of the draft mark's shape; ``verify`` leaves it aside (a final has none).
DRAFT_SHAPE = "Draft"


def pptx_name(deck: Deck) -> str:
    short, quarter = deck.dataset.company.short_name, deck.quarter.name
    return f"{short}-{quarter}-results-{deck.messages.language}.pptx"


def release_time(deck: Deck) -> datetime:
    return datetime.combine(deck.spec.release_date, datetime.min.time())


def write_pptx(deck: Deck, target: Path) -> None:
    """Write ``deck`` as ``target``; the same deck gives the same bytes."""
    root = deck.dataset.root
    company_template = template.find(root)
    if company_template is not None:
        # The company's masters, layouts and theme: its own colours and fonts stay.
        presentation = template.open_template(company_template, root, WIDTH, HEIGHT)
    else:
        presentation = Presentation()
        presentation.slide_width, presentation.slide_height = WIDTH, HEIGHT
        _theme(presentation, deck.messages.language, deck.dataset.brand)
    created = release_time(deck)
    blank = template.blank_layout(presentation)
    for page, slide in enumerate(deck.slides, start=1):
        blocks = bodies.slide_blocks(slide, deck)
        target_slide = presentation.slides.add_slide(blank)
        shapes = target_slide.shapes
        if slide.kind != "cover":
            _frame(shapes, slide, deck, page)
        if deck.draft:
            # Every slide of a draft says so, as the PDF's footer does (not a final build).
            mark = TextBlock(DRAFT_SHAPE, (bodies.Paragraph(deck.messages("deck.draft")),), "draft")
            text.add_text(
                shapes,  # type: ignore[arg-type]
                mark,
                WIDTH - MARGIN - Inches(1.2),
                Inches(5.33),
                Inches(1.2),
                Inches(0.25),
                look=deck.dataset.brand,
            )
        _lay_out(shapes, blocks, deck, created, cover=slide.kind == "cover")
        _notes(target_slide, slide, blocks, deck)
    properties = presentation.core_properties
    properties.title = deck.title
    properties.author = deck.dataset.company.name
    properties.last_modified_by = deck.dataset.company.name
    properties.subject = f"{deck.dataset.company.short_name} {deck.quarter.name}"
    properties.keywords = deck.messages("deck.keywords")
    properties.language = deck.messages.language
    properties.revision = 1
    properties.comments = f"reportgen {__version__}"
    properties.created = properties.modified = properties.last_printed = created
    buffer = io.BytesIO()
    presentation.save(buffer)
    target.write_bytes(fixed_dates(buffer.getvalue(), created))


def _frame(shapes: object, slide: Slide, deck: Deck, page: int) -> None:
    """Header (number, title) and footer (company, deck title, page), as ``slide.html``."""
    look = deck.dataset.brand
    left = MARGIN
    if slide.number:
        number = TextBlock("Slide number", (bodies.Paragraph(slide.number),), "number")
        width = Inches(0.55 if len(slide.number) <= 2 else 0.8)
        text.add_text(shapes, number, MARGIN, Inches(0.2), width, Inches(0.45), look=look)  # type: ignore[arg-type]
        left = MARGIN + width + Inches(0.12)
    title = TextBlock("Title", (bodies.Paragraph(slide.title),), "title")
    text.add_text(shapes, title, left, Inches(0.16), WIDTH - MARGIN - left, Inches(0.55), look=look)  # type: ignore[arg-type]
    footer = (
        look.footer or deck.dataset.company.display_name,
        deck.title,
        str(page),
    )
    thirds = (WIDTH - 2 * MARGIN) // 3
    for index, (name, words) in enumerate(
        zip(("Footer company", "Footer deck", "Page"), footer, strict=True)
    ):
        block = TextBlock(name, (bodies.Paragraph(words),), "footer")
        x = MARGIN + index * thirds
        text.add_text(shapes, block, x, Inches(5.33), thirds, Inches(0.25), look=look)  # type: ignore[arg-type]


def _height(block: Block, width: int, scale: float = 1.0) -> int:
    if isinstance(block, TextBlock):
        return int(text.height_pt(block, width / _EMU_PER_PT, scale) * _EMU_PER_PT)
    if isinstance(block, TableBlock):
        return int(tables.height_pt(block, width / _EMU_PER_PT, scale) * _EMU_PER_PT)
    return 0  # a chart takes what its column leaves


def fitting_scale(blocks: tuple[Block, ...], width: int, height: int | None) -> float:
    """The largest type scale (down to 0.6) at which ``blocks`` fit in ``height``."""
    charts = sum(isinstance(b, ChartBlock) for b in blocks)
    scale = 1.0
    while height is not None and scale > 0.6:
        fixed = sum(_height(b, width, scale) + GAP for b in blocks if not isinstance(b, ChartBlock))
        if fixed + charts * (MIN_CHART + GAP) <= height:
            break
        scale -= 0.05
    return scale


def _lay_out(
    shapes: object, blocks: SlideBlocks, deck: Deck, created: datetime, *, cover: bool
) -> None:
    width = WIDTH - 2 * MARGIN
    top = Inches(1.6) if cover else BODY_TOP
    bottom_height = sum(_height(b, width) + GAP for b in blocks.bottom)
    bottom_start = BODY_BOTTOM - bottom_height
    top_blocks = blocks.top
    if not blocks.columns:
        # One column: what does not fit shares the height left by charts (none here).
        y = _stack(shapes, top_blocks, MARGIN, top, width, bottom_start - top, deck, created)
    else:
        y = _stack(shapes, top_blocks, MARGIN, top, width, None, deck, created)
        weights = blocks.weights or (1.0,) * len(blocks.columns)
        usable = width - GAP * (len(blocks.columns) - 1)
        x = MARGIN
        for column, weight in zip(blocks.columns, weights, strict=True):
            column_width = int(usable * weight / sum(weights))
            _stack(shapes, column, x, y, column_width, bottom_start - y, deck, created)
            x += column_width + GAP
    _stack(shapes, blocks.bottom, MARGIN, bottom_start, width, None, deck, created)
    del y


def _stack(
    shapes: object,
    blocks: tuple[Block, ...],
    x: int,
    y: int,
    width: int,
    height: int | None,
    deck: Deck,
    created: datetime,
) -> int:
    """Place ``blocks`` top to bottom from ``y``; charts share what the others leave."""
    scale = fitting_scale(blocks, width, height)
    fixed = sum(_height(b, width, scale) + GAP for b in blocks if not isinstance(b, ChartBlock))
    charts = [b for b in blocks if isinstance(b, ChartBlock)]
    chart_height = max(MIN_CHART, ((height or 0) - fixed) // len(charts) - GAP) if charts else 0
    for block in blocks:
        if isinstance(block, ChartBlock):
            _chart(shapes, block, deck, created, (x, y, width, chart_height))
            y += chart_height + GAP
            continue
        h = _height(block, width, scale)
        if isinstance(block, TextBlock):
            text.add_text(shapes, block, x, y, width, h, scale, deck.dataset.brand)  # type: ignore[arg-type]
        else:
            tables.add_table(shapes, block, x, y, width, h, scale, deck.dataset.brand)  # type: ignore[arg-type]
        y += h + GAP
    return y


def _chart(
    shapes: object, block: ChartBlock, deck: Deck, created: datetime, box: tuple[int, ...]
) -> None:
    chart = block.chart
    look = deck.dataset.brand
    x, y, width, height = box
    if chart.title:
        caption = TextBlock(f"{block.name} title", (bodies.Paragraph(chart.title),), "heading")
        h = _height(caption, width)
        text.add_text(shapes, caption, x, y, width, h, look=look)  # type: ignore[arg-type]
        y, height = y + h, height - h
    note = chart.footnote
    if chart.spec.empty:
        # No figure at all: a panel saying why, as the PDF's "no data" box.
        panel = TextBlock(
            block.name, (bodies.Paragraph(note or deck.messages("note.no_data")),), "box"
        )
        text.add_text(shapes, panel, x, y, width, height, look=look)  # type: ignore[arg-type]
        return
    if note:
        caption = TextBlock(f"{block.name} note", (bodies.Paragraph(note),), "note")
        h = _height(caption, width)
        text.add_text(shapes, caption, x, y + height - h, width, h, look=look)  # type: ignore[arg-type]
        height -= h
    add_chart(shapes, block.name, chart.spec, deck.messages, created, (x, y, width, height))  # type: ignore[arg-type]


def _notes(target: object, slide: Slide, blocks: SlideBlocks, deck: Deck) -> None:
    """Speaker notes: where each figure on the slide comes from."""
    if not blocks.sources:
        return
    lines = [deck.messages("pptx.sources"), *(f"- {s}" for s in blocks.sources)]
    target.notes_slide.notes_text_frame.text = "\n".join(lines)  # type: ignore[attr-defined]


def _theme(presentation: object, language: str, look: brand.Brand = brand.DEFAULT) -> None:
    """The theme's fonts and colours from the Brand: what PowerPoint offers when editing."""
    master = presentation.slide_master  # type: ignore[attr-defined]
    theme = master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    latin = look.fonts[language][0]
    for group in ("majorFont", "minorFont"):
        xml = re.sub(
            rf"(<a:{group}>\s*<a:latin typeface=)\"[^\"]*\"(.*?<a:ea typeface=)\"[^\"]*\"",
            rf'\1"{latin}"\2"{look.east_asian_font}"',
            xml,
            count=1,
            flags=re.S,
        )
    accents = (look.navy, *look.palette[1:5], brand.BRIDGE_UP)
    for index, color in enumerate(accents, start=1):
        xml = re.sub(
            rf"(<a:accent{index}>\s*<a:srgbClr val=)\"[0-9A-Fa-f]{{6}}\"",
            rf'\1"{brand.hex_rgb(color)}"',
            xml,
            count=1,
        )
    theme._blob = xml.encode("utf-8")


def fixed_dates(data: bytes, when: datetime) -> bytes:
    """The package re-zipped with every entry (and each embedded workbook's) dated ``when``.

    python-pptx and XlsxWriter stamp zip entries with the time of writing; the release
    date instead gives the same bytes for the same deck, as the PDF and the xlsx.
    """
    stamp = when.timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xlsx"):
                content = fixed_dates(content, when)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()

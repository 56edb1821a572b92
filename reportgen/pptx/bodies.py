"""A built slide as generic blocks: the one place the PowerPoint edition reads slide bodies.

Slide bodies are a mapping per kind (``slides/base.py``); everything kind-specific the
PowerPoint renderer needs is read here and nowhere else, and turned into blocks the
layout and the writers understand: text frames (paragraphs with levels), tables (the
cells as the slide prints them), and charts (the slide's ``Chart`` objects, whose specs
hold the model's values). Nothing is computed: every text is the one the HTML template
prints, so the PDF and the PowerPoint show the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from reportgen.slides.base import Chart, Slide
from reportgen.slides.bodies import BreakdownBody, PanelsBody
from reportgen.slides.cells import Cell, Table
from reportgen.slides.commentary import RenderedBullet
from reportgen.slides.deck import Deck
from reportgen.slides.plain import plain
from reportgen.slides.shown import FigureText, figures_of


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of a text frame; ``level`` 1 is a sub-bullet."""

    text: str
    level: int = 0
    bold: bool = False
    bullet: bool = False

    def __post_init__(self) -> None:
        # Chart notes and titles may be Markup or FigureText: a text frame holds plain text.
        object.__setattr__(self, "text", _plain(self.text))


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A text frame. ``role`` picks its look (``layout.ROLES``)."""

    name: str
    paragraphs: tuple[Paragraph, ...]
    role: str = "body"


@dataclass(frozen=True, slots=True)
class TableBlock:
    """A table: header rows of labels, then rows whose first cell is the row label."""

    name: str
    header: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_styles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ChartBlock:
    name: str
    chart: Chart


Block = TextBlock | TableBlock | ChartBlock


@dataclass(frozen=True, slots=True)
class SlideBlocks:
    """A slide laid out as full-width blocks above, columns side by side, blocks below."""

    top: tuple[Block, ...] = ()
    columns: tuple[tuple[Block, ...], ...] = ()
    weights: tuple[float, ...] = ()
    bottom: tuple[Block, ...] = ()
    # The provenance line of every figure the slide shows (speaker notes).
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def blocks(self) -> tuple[Block, ...]:
        return (*self.top, *(b for column in self.columns for b in column), *self.bottom)


def _plain(value: object) -> str:
    """What a reader sees of a body text: Markup without tags, a FigureText's text."""
    if isinstance(value, FigureText):
        return value.text
    return plain(value) if isinstance(value, str) else str(value)


def text(name: str, *texts: object, role: str = "body", bullet: bool = False) -> TextBlock | None:
    paragraphs = tuple(Paragraph(_plain(t), bullet=bullet) for t in texts if _plain(t))
    return TextBlock(name, paragraphs, role) if paragraphs else None


def bullets_block(
    name: str, bullets: Iterable[RenderedBullet], role: str = "bullets"
) -> TextBlock | None:
    paragraphs: list[Paragraph] = []
    for b in bullets:
        paragraphs.append(Paragraph(plain(b.text), 0, bold=b.emphasis, bullet=True))
        paragraphs.extend(Paragraph(plain(s), 1, bullet=True) for s in b.sub)
    return TextBlock(name, tuple(paragraphs), role) if paragraphs else None


def table_block(name: str, table: Table) -> TableBlock:
    return TableBlock(
        name,
        table.header,
        tuple((Cell(row.label), *row.cells) for row in table.rows),
        tuple(row.style for row in table.rows),
    )


def _notes(slide: Slide, deck: Deck, extra: Iterable[str] = (), tables: Iterable[Any] = ()) -> Any:
    """The notes under a slide, as ``macros.notes`` prints them."""
    keys: list[str] = []
    for table in tables:
        for key in table.note_keys:
            if key not in keys:
                keys.append(key)
    texts = [deck.messages(k) for k in keys] + [e for e in extra if e] + list(slide.notes)
    return text("Notes", *texts, role="note")


def _charts(slide: Slide) -> tuple[ChartBlock, ...]:
    return tuple(ChartBlock(f"Chart {i}", c) for i, c in enumerate(slide.charts, start=1))


def _keep(*blocks: Block | None) -> tuple[Block, ...]:
    return tuple(b for b in blocks if b is not None)


def _sources(slide: Slide) -> tuple[str, ...]:
    """The provenance of every figure the slide shows (item, period, status, documents)."""
    return tuple(dict.fromkeys(shown.figure.provenance for shown in figures_of(slide)))


def slide_blocks(slide: Slide, deck: Deck) -> SlideBlocks:
    """The blocks of one slide, as its HTML template arranges them."""
    body: Any = slide.body
    kind = slide.kind
    t = deck.messages
    if kind == "cover":
        company = deck.dataset.company
        return SlideBlocks(
            top=_keep(
                text("Cover title", deck.title, role="cover-title"),
                text("Company", body.display_name, role="cover-company"),
                text("Fictional", t("deck.fictional") if body.fictional else "", role="note"),
                text(
                    "Cover details",
                    body.company_name or company.name,
                    body.date,
                    body.ir_url or "",
                    role="cover-meta",
                ),
            )
        )
    if kind in ("statement", "period_summary"):
        table = body.table
        extra = [body.target_note] if kind == "period_summary" else []
        return SlideBlocks(
            top=_keep(
                text("Unit", body.unit, role="unit"),
                table_block("Table 1", table),
                bullets_block("Bullets", slide.bullets),
            ),
            bottom=_keep(_notes(slide, deck, extra, [table])),
            sources=_sources(slide),
        )
    if kind == "margin":
        table = body.table
        return SlideBlocks(
            columns=(
                _keep(
                    text("Unit", body.unit, role="unit"),
                    *_charts(slide),
                    # As margin.html: a deck that asks for no table rows gets no header-only table.
                    table_block("Table 1", table) if table.rows else None,
                ),
                _keep(bullets_block("Bullets", slide.bullets)),
            ),
            weights=(0.58, 0.42),
            bottom=_keep(_notes(slide, deck, tables=[table])),
            sources=_sources(slide),
        )
    if kind == "bridge":
        table, impacts = body.table, body.impacts
        # A bridge without impacts (none written in the deck file) shows no empty panel.
        impact_blocks = (
            (
                text("Impacts title", body.impacts_title, role="heading"),
                table_block("Table 2", impacts),
            )
            if impacts.rows
            else ()
        )
        return SlideBlocks(
            columns=(
                _keep(text("Unit", body.unit, role="unit"), *_charts(slide)),
                _keep(
                    table_block("Table 1", table),
                    *impact_blocks,
                    bullets_block("Bullets", slide.bullets),
                ),
            ),
            weights=(0.5, 0.5),
            bottom=_keep(_notes(slide, deck, tables=[table, impacts])),
            sources=_sources(slide),
        )
    if kind == "cash_flows":
        columns = []
        for i, (section, chart) in enumerate(zip(body.sections, slide.charts, strict=True), 1):
            columns.append(
                _keep(
                    ChartBlock(f"Chart {i}", chart),
                    text(f"Headline {i}", section.headline, role="heading"),
                    text(f"Points {i}", *section.points, bullet=True),
                )
            )
        return SlideBlocks(
            top=_keep(text("Unit", body.unit, role="unit")),
            columns=tuple(columns),
            weights=(1.0,) * len(columns),
            bottom=_keep(_notes(slide, deck, body.notes)),
            sources=_sources(slide),
        )
    if kind == "quarter_charts":
        charts = _charts(slide)
        return SlideBlocks(
            top=_keep(text("Unit", body.unit, role="unit")),
            columns=tuple((c,) for c in charts),
            weights=(1.0,) * len(charts),
            bottom=_keep(bullets_block("Bullets", slide.bullets), _notes(slide, deck)),
            sources=_sources(slide),
        )
    if isinstance(body, BreakdownBody):  # the breakdown kind
        left: list[Block | None] = [text("Unit", body.unit, role="unit"), *_charts(slide)]
        if body.series_table is not None:
            left.append(table_block("Table 1", body.series_table))
            left.append(text("Table note", body.series_note, role="note"))
        callout = body.callout
        if callout:
            left.append(text("Callout", callout.title, *callout.lines, role="box"))
        right: list[Block | None] = [bullets_block("Bullets", slide.bullets)]
        factors = body.factors
        if factors:
            right.append(text("Factors title", factors.title, role="heading"))
            right.append(bullets_block("Factors", factors.bullets, role="box"))
        return SlideBlocks(
            columns=(_keep(*left), _keep(*right)),
            weights=(0.56, 0.44),
            bottom=_keep(_notes(slide, deck)),
            sources=_sources(slide),
        )
    if kind == "forecast":
        header = (
            "",
            *(f"{name} {span}".strip() for name, span in body.header),
            t("forecast.yoy"),
            "",
            t("forecast.comments"),
        )
        rows = tuple((Cell(r.label), *r.cells, Cell(plain(r.comment))) for r in body.rows)
        table = TableBlock("Table 1", (header,), rows)
        return SlideBlocks(
            top=_keep(
                text("Unit", body.unit, role="unit"),
                table,
                bullets_block("Bullets", slide.bullets),
            ),
            bottom=_keep(_notes(slide, deck, tables=[_NoteKeys(body.note_keys)])),
            sources=_sources(slide),
        )
    if kind == "group_companies":
        rows = []
        for group in body.groups:
            for index, r in enumerate(group.rows):
                name = f"{r.name} [{body.new_tag}]" if r.new_business else r.name
                label = group.label if index == 0 else ""
                rows.append((Cell(label), Cell(name), r.ownership, Cell(r.business)))
        extra = [body.new_note, t("note.not_available") if body.has_gaps else ""]
        return SlideBlocks(
            top=(TableBlock("Table 1", (tuple(body.header),), tuple(rows)),),
            bottom=_keep(_notes(slide, deck, extra)),
            sources=_sources(slide),
        )
    if kind == "press_releases":
        rows = tuple(
            (Cell(group.label if i == 0 else ""), Cell(item.date), Cell(item.title))
            for group in body.groups
            for i, item in enumerate(group.items)
        )
        return SlideBlocks(
            top=(TableBlock("Table 1", (tuple(body.header),), rows),),
            bottom=_keep(_notes(slide, deck)),
        )
    if kind == "medium_term_target":
        stages = tuple(
            text(f"Stage {i}", *stage, role="box", bullet=True)
            for i, stage in enumerate(body.stages, 1)
        )
        targets = [body.target_heading]
        for target in body.targets:
            targets += [target.label, target.amount]
        target_box = text("Targets", *targets, role="target")
        market = (
            text("Market", body.market_heading, role="heading"),
            text("Market points", *body.market, bullet=True),
        )
        return SlideBlocks(
            columns=(*((s,) for s in _keep(*stages)), _keep(target_box)),
            weights=(1.0,) * (len(stages) + 1),
            bottom=_keep(*(market if body.market else ()), _notes(slide, deck)),
            sources=_sources(slide),
        )
    if isinstance(body, PanelsBody):  # the panels kind
        top: list[Block | None] = [text("Lead", body.lead, role="lead")]
        columns: list[tuple[Block, ...]] = []
        for s, section in enumerate(body.sections, 1):
            panels = []
            for p, panel in enumerate(section.panels, 1):
                paragraphs = [Paragraph(plain(panel.title), bold=True)]
                if plain(panel.subtitle):
                    paragraphs.append(Paragraph(plain(panel.subtitle)))
                for point in panel.points:
                    paragraphs.append(Paragraph(plain(point.text), bullet=True))
                    paragraphs += [Paragraph(plain(d), 1, bullet=True) for d in point.detail]
                panels.append(TextBlock(f"Panel {s}.{p}", tuple(paragraphs), "box"))
            heading = text(f"Section {s}", section.heading, role="heading")
            if heading is not None:
                top.append(heading)
            columns.extend((panel,) for panel in panels)
        return SlideBlocks(
            top=_keep(*top),
            columns=tuple(columns),
            weights=(1.0,) * len(columns),
            bottom=_keep(bullets_block("Bullets", slide.bullets), _notes(slide, deck)),
            sources=_sources(slide),
        )
    if kind == "forward_looking":
        return SlideBlocks(top=_keep(text("Disclaimer", body.text, role="disclaimer")))
    if kind == "contact":
        lines = [f"{label}: {value}" for label, value in body.lines]
        return SlideBlocks(
            top=_keep(
                text("Office", body.office, role="heading"),
                text("Address", body.address),
                text("Contact lines", *lines),
            )
        )
    raise ValueError(f"slide kind {kind!r} has no PowerPoint layout (reportgen/pptx/bodies.py)")


@dataclass(frozen=True, slots=True)
class _NoteKeys:
    note_keys: tuple[str, ...]

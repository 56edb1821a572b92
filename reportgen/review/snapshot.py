"""What a deck says, as data: every slide's texts and figures, and the checks that warn.

Every PDF carries its snapshot as an attached JSON file (beside the figures CSV),
so a reviewer can compare a draft with any earlier PDF without its data or code:
``reportgen diff`` reads the snapshots of both sides. Figures have an identity
(item, period, and where the slide prints them), so a change is a change of a
figure, not of a line of text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from markupsafe import Markup

from reportgen.slides.commentary import RenderedBullet
from reportgen.slides.deck import Deck
from reportgen.slides.shown import FigureMarkup, blocks, figures_of

FORMAT = 1


@dataclass(frozen=True, slots=True)
class FigureLine:
    """A figure as a slide prints it: where, what, as what, and from which document."""

    place: str
    row: str
    column: str
    item: str
    period: str
    shown: str
    value: float | None
    status: str
    source: str = ""
    source_title: str = ""
    source_date: str = ""

    @property
    def where(self) -> tuple[str, str, str, str, str]:
        """Its identity on a slide: the same figure in the same place of both versions.

        A figure in text is named by what it is, not by the words around it, so a
        reworded bullet keeps its figures.
        """
        if self.place == "text":
            return (self.place, "", "", self.item, self.period)
        return (self.place, self.row, self.column, self.item, self.period)


@dataclass(frozen=True, slots=True)
class SlideLine:
    """One slide: its number and title as printed, its texts and its figures."""

    number: str
    kind: str
    title: str
    texts: tuple[str, ...]
    figures: tuple[FigureLine, ...]

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True, slots=True)
class CheckLine:
    name: str
    period: str
    severity: str
    message: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    company: str
    quarter: str
    edition: str
    title: str
    slides: tuple[SlideLine, ...]
    checks: tuple[CheckLine, ...] = field(default_factory=tuple)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str, where: str) -> Snapshot:
        """Read a snapshot; ``where`` names the file in the error a bad one raises."""
        try:
            data = json.loads(text)
            if data.get("format") != FORMAT:
                raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
            return cls(
                company=data["company"],
                quarter=data["quarter"],
                edition=data["edition"],
                title=data["title"],
                slides=tuple(
                    SlideLine(
                        s["number"],
                        s["kind"],
                        s["title"],
                        tuple(s["texts"]),
                        tuple(FigureLine(**f) for f in s["figures"]),
                    )
                    for s in data["slides"]
                ),
                checks=tuple(CheckLine(**c) for c in data.get("checks", ())),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise SnapshotError(f"{where}: not a reportgen deck snapshot ({exc})") from None


class SnapshotError(ValueError):
    """A file that should hold a deck's snapshot does not."""


def _plain(text: object) -> str:
    words = Markup(text).striptags() if isinstance(text, Markup) else str(text)
    return " ".join(words.split())


def _texts(value: object) -> Iterator[str]:
    """Commentary texts (from the deck file) in a slide body, in order."""
    for block in blocks(value):
        if isinstance(block, RenderedBullet):
            yield _plain(block.text)
            yield from (_plain(sub) for sub in block.sub)
        elif isinstance(block, FigureMarkup) and block.strip():
            yield _plain(block)


def snapshot(deck: Deck) -> Snapshot:
    """The deck's snapshot: what a reader sees, slide by slide, and the checks that warn."""
    slides = []
    for slide in deck.slides:
        texts = [
            *(t for b in slide.bullets for t in _texts(b)),
            *_texts(slide.body),
            *(_plain(n) for n in slide.notes if _plain(n)),
        ]
        figures = tuple(
            FigureLine(
                place=s.place,
                row=s.row,
                column=s.column,
                item=s.figure.key,
                period=s.figure.period,
                shown=s.text,
                value=s.figure.value,
                status=s.figure.status,
                source=s.figure.source,
                source_title="; ".join(d.title for d in s.figure.documents),
                source_date="; ".join(d.date for d in s.figure.documents),
            )
            for s in figures_of(slide)
        )
        slides.append(SlideLine(slide.number, slide.kind, slide.title, tuple(texts), figures))
    return Snapshot(
        company=deck.dataset.company.short_name,
        quarter=deck.quarter.name,
        edition=deck.messages.language,
        title=deck.title,
        slides=tuple(slides),
        # Without the file's path: where the data folder sits must not change the PDF.
        checks=tuple(
            CheckLine(c.name, c.period, c.severity, c.message.removeprefix(f"{c.where}: "))
            for c in deck.warnings
        ),
    )


def snapshot_name(deck: Deck) -> str:
    """``IIJ-1Q08-content.json`` (``-ja`` for the Japanese edition): the PDF's attachment."""
    suffix = "" if deck.messages.language == "en" else f"-{deck.messages.language}"
    return f"{deck.dataset.company.short_name}-{deck.quarter.name}-content{suffix}.json"


def read_pdf_snapshot(path: Path) -> Snapshot:
    """The snapshot attached to a reportgen PDF."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise SnapshotError(f"{path}: not a readable PDF ({exc})") from None
    try:
        for index in range(document.count_attachments()):
            attachment = document.get_attachment(index)
            if attachment.get_name().endswith(".json") and "-content" in attachment.get_name():
                data = bytes(attachment.get_data()).decode("utf-8")
                return Snapshot.from_json(data, f"{path} ({attachment.get_name()})")
    finally:
        document.close()
    raise SnapshotError(
        f"{path}: has no deck snapshot attached (built by an older reportgen?); "
        "rebuild it, or compare against its data folder or git revision"
    )

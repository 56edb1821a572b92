"""An edited PowerPoint deck, checked against the model rather than trusted.

``read`` takes every text, table cell and chart value back out of a .pptx, shape by
shape (shapes keep the names the writer gave them: ``Table 1``, ``Chart 1``,
``Bullets``). ``compare`` sets an edited file beside a fresh build of the same deck:
a table cell, a chart value or a figure inside a text that differs is a difference
(slide, shape, shown value, model value); a text whose words changed but whose
figures did not is listed as information.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.exc import PackageNotFoundError

from reportgen.errors import DataError
from reportgen.pptx.deck import DRAFT_SHAPE

# A figure as slides print it: 16.3, (1,528), △1,528, +931, 22.5%, JPY3,875, n/a.
FIGURE = re.compile(r"[△(+−-]?\d[\d,]*(?:\.\d+)?\)?%?|n/a|n/d|n\.m\.")


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing a shape shows: a cell, a chart value, or a whole text."""

    where: str
    text: str
    kind: str  # cell | chart | text


@dataclass(frozen=True, slots=True)
class SlideContent:
    label: str
    shapes: dict[str, tuple[Entry, ...]]


@dataclass(frozen=True, slots=True)
class Difference:
    slide: str
    shape: str
    where: str
    shown: str
    model: str
    figure: bool  # False: changed wording only (information)

    @property
    def line(self) -> str:
        where = f", {self.where}" if self.where else ""
        head = "difference" if self.figure else "wording"
        return (
            f"{head}: slide {self.slide}, {self.shape}{where}: shown {self.shown!r}, "
            f"model {self.model!r}"
        )


def _value(value: float | None) -> str:
    return "" if value is None else format(float(value), ".12g")


def _entries(shape: object) -> Iterator[Entry]:
    if getattr(shape, "has_table", False):
        table = shape.table  # type: ignore[attr-defined]
        header = [c.text for c in table.rows[0].cells]
        for r, row in enumerate(table.rows):
            label = row.cells[0].text
            for c, cell in enumerate(row.cells):
                where = f"row {r + 1} {label!r}, column {c + 1} {header[c]!r}"
                yield Entry(where, cell.text, "cell")
    elif getattr(shape, "has_chart", False):
        chart = shape.chart  # type: ignore[attr-defined]
        for plot in chart.plots:
            categories = [str(c) for c in plot.categories]
            for series in plot.series:
                for category, value in zip(categories, series.values, strict=False):
                    yield Entry(f"series {series.name!r}, {category!r}", _value(value), "chart")
    elif getattr(shape, "has_text_frame", False):
        for index, paragraph in enumerate(shape.text_frame.paragraphs, start=1):  # type: ignore[attr-defined]
            yield Entry(f"paragraph {index}", paragraph.text, "text")


def read(path: Path) -> list[SlideContent]:
    """Every shape's texts, cells and chart values, slide by slide."""
    try:
        presentation = Presentation(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DataError(
            f"{path}: not a PowerPoint file ({exc}); expected a deck written by reportgen"
        ) from None
    slides = []
    for index, slide in enumerate(presentation.slides, start=1):
        shapes: dict[str, tuple[Entry, ...]] = {}
        for shape in slide.shapes:
            if shape.name == DRAFT_SHAPE:
                continue  # a draft says so; the fresh build to compare with is always one
            shapes[shape.name] = (*shapes.get(shape.name, ()), *_entries(shape))
        label = next((e.text for e in shapes.get("Slide number", ())), "") or str(index)
        slides.append(SlideContent(label, shapes))
    return slides


def language(path: Path) -> str:
    """The edition a file was written for (its core properties say; else its name)."""
    try:
        written = Presentation(str(path)).core_properties.language
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DataError(
            f"{path}: not a PowerPoint file ({exc}); expected a deck written by reportgen"
        ) from None
    if written in ("en", "ja"):
        return written
    return "ja" if path.name.endswith("-ja.pptx") else "en"


def compare(edited: list[SlideContent], fresh: list[SlideContent]) -> list[Difference]:
    """What ``edited`` shows differently from ``fresh``, figures first-class, wording as info."""
    out: list[Difference] = []
    if len(edited) != len(fresh):
        out.append(Difference("", "deck", "slides", str(len(edited)), str(len(fresh)), figure=True))
    for mine, model in zip(edited, fresh, strict=False):
        for name, expected in model.shapes.items():
            shown = mine.shapes.get(name)
            if shown is None:
                out.append(Difference(model.label, name, "", "(removed)", "", figure=True))
                continue
            shown_by_place = {e.where: e for e in shown}
            for entry in expected:
                got = shown_by_place.get(entry.where)
                if got is None:
                    out.append(
                        Difference(model.label, name, entry.where, "(missing)", entry.text, True)
                    )
                elif got.text != entry.text:
                    figure = entry.kind != "text" or (
                        FIGURE.findall(got.text) != FIGURE.findall(entry.text)
                    )
                    out.append(
                        Difference(model.label, name, entry.where, got.text, entry.text, figure)
                    )
        for name in mine.shapes.keys() - model.shapes.keys():
            added = " ".join(e.text for e in mine.shapes[name])
            out.append(
                Difference(
                    model.label, name, "", added, "(added)", figure=bool(FIGURE.search(added))
                )
            )
    return out


def verify(path: Path, data_root: Path, quarter_name: str) -> list[Difference]:
    """Compare ``path`` with a fresh build of its deck from ``data_root``."""
    from reportgen.build import prepare
    from reportgen.pptx.deck import write_pptx
    from reportgen.quarters import Quarter

    if not path.is_file():
        raise DataError(f"{path}: no such PowerPoint file")
    edited = read(path)
    quarter = Quarter.parse(quarter_name)
    _, deck, _ = prepare(data_root, quarter, language=language(path))
    with tempfile.TemporaryDirectory() as folder:
        fresh_path = Path(folder) / path.name
        write_pptx(deck, fresh_path)
        fresh = read(fresh_path)
    return compare(edited, fresh)

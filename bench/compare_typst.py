"""An equivalent Typst document of the same deck, compiled to PDF, against WeasyPrint.

The transcription (``typst_source``) takes each slide of the built IIJ 1Q08 deck:
its title, bullets (as plain text), every table in its content (header and rows,
already formatted by reportgen) and the same chart SVG files, one 16:9 page per
slide with the deck's fonts. It has no styling beyond that, no notes or
footnotes, no tagging (not PDF/A) and no attachment: a lower bound for a Typst
pipeline, not a replacement. Skipped, with a note, where the ``typst`` package
(dev dependency group) is not installed.
"""

from __future__ import annotations

import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.compare_common import ROOT, floor_median, record

log = logging.getLogger("bench")
SECTION = "Comparison: Typst"
REPS = 4


def _text(value: object) -> str:
    """Typst string literal of plain text (markup stripped)."""
    plain = value.striptags() if hasattr(value, "striptags") else str(value)
    return '"' + plain.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _tables(value: object) -> Iterator[object]:
    from reportgen.slides.cells import Table

    if isinstance(value, Table):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _tables(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _tables(item)
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _tables(getattr(value, name))


def _table(table: object) -> str:
    columns = 1 + max((len(r.cells) for r in table.rows), default=0)
    cells = []
    for header in table.header:
        cells += [_text(h) for h in header][:columns]
        cells += ['""'] * (columns - min(len(header), columns))
    for row in table.rows:
        cells += [_text(row.label), *(_text(c.text) for c in row.cells)]
        cells += ['""'] * (columns - 1 - len(row.cells))
    return f"#table(columns: {columns}, inset: 2pt, {', '.join(cells)})"


def typst_source(deck: object, charts: Path) -> str:
    """The deck as a Typst document: one page per slide."""
    lines = [
        "#set page(width: 254mm, height: 142.9mm, margin: 8mm)",
        '#set text(font: ("Lato", "IPAexGothic"), size: 8pt)',
    ]
    for index, slide in enumerate(deck.slides):
        if index:
            lines.append("#pagebreak()")
        lines.append(f'#text(size: 14pt, weight: "bold", {_text(slide.label)})')
        for bullet in slide.bullets:
            lines.append(f"#list({_text(bullet.text)})")
        for table in _tables(dict(slide.body)):
            lines.append(_table(table))
        for chart in slide.charts:
            if chart.src:
                path = charts / Path(chart.src).name
                lines.append(f'#image("{path.name}", height: 45mm)')
    return "\n".join(lines) + "\n"


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="bench: %(message)s")
    try:
        import typst
    except ImportError:
        record(SECTION, ["Skipped: the `typst` package is not installed (`uv sync --group dev`)."])
        return 0
    from reportgen.build import prepare
    from reportgen.charts.cache import ensure_charts
    from reportgen.quarters import Quarter
    from reportgen.render import with_chart_sources

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _, deck, _ = prepare(ROOT / "data" / "iij", Quarter.parse("1Q08"))
        specs = [c.spec for s in deck.slides for c in s.charts if not c.spec.empty]
        paths = ensure_charts(specs, folder)
        deck = with_chart_sources(deck, paths)
        source = folder / "deck.typ"
        source.write_text(typst_source(deck, folder), encoding="utf-8")
        times = []
        for rep in range(REPS):
            t0 = time.perf_counter()
            typst.compile(
                str(source), output=str(folder / f"{rep}.pdf"), font_paths=[str(ROOT / "fonts")]
            )
            times.append(time.perf_counter() - t0)
        size = (folder / "0.pdf").stat().st_size
        pages = len(PdfReader(folder / "0.pdf").pages)
    # The first compile of a process loads the fonts; later ones reuse Typst's caches.
    first, median = times[0], statistics.median(times[1:])
    floor = floor_median()
    ratio = f"{median / floor:.2f}" if floor else "n/a (run `make bench` first)"
    record(
        SECTION,
        [
            "| IIJ 1Q08 | min s | median s | max s | x WeasyPrint floor | PDF size |",
            "|---|---:|---:|---:|---:|---:|",
            f"| `typst.compile`, first in the process | {first:.2f} | {first:.2f} | {first:.2f} "
            f"| {first / floor:.2f} | {size // 1024} KB |"
            if floor
            else f"| `typst.compile`, first in the process | {first:.2f} | | | | |",
            f"| `typst.compile`, later in the same process | {min(times[1:]):.2f} "
            f"| {median:.2f} | {max(times[1:]):.2f} | {ratio} | {size // 1024} KB |",
            "",
            f"Typst laid out {pages} pages for {len(deck.slides)} slides (the transcription "
            "does not shorten content to fit a page as the deck's CSS does).",
            "The Typst document (`bench/compare_typst.py`) holds each slide's title, bullets, "
            "tables and the same chart SVGs, one page per slide; no CSS styling, notes, "
            "tagging (PDF/A) or attachments, so it does less than the WeasyPrint build.",
        ],
    )
    log.info("typst: median %.2f s", median)
    return 0


if __name__ == "__main__":
    sys.exit(main())

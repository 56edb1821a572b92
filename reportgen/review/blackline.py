"""The blackline: each changed slide, old | new, with the changed figures and words outlined.

Boxes come from the PDFs' own text layout (pdfium finds the changed text on the
page), so a reworded bullet outlines its changed words, not everything below it.
Only a change no text explains (a chart's bars and labels, drawn as paths) falls
back to comparing the pages' pixels, within the page regions that differ.
The change list opens the document; unchanged slides are listed by number only.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw

from reportgen.review.changes import Changes
from reportgen.review.snapshot import SlideLine

SCALE = 1.5  # pixels per PDF point of the page images
OLD_INK, NEW_INK = (200, 30, 30), (20, 130, 60)
# Pixel comparison: cells of this many pixels, and the share of a cell that must differ.
_CELL = 12
_WORD = re.compile(r"\[-(.+?)-\]|\{\+(.+?)\+\}")

Box = tuple[float, float, float, float]  # left, top, right, bottom, in pixels


@dataclass(frozen=True, slots=True)
class PagePair:
    label: str
    old: str  # file name of the old page's image ("" where the slide is new)
    new: str  # "" where the slide was removed
    boxes: int


def _page_boxes(pdf: object, index: int, needles: Iterable[str]) -> tuple[list[Box], list[str]]:
    """Where each of ``needles`` is printed on page ``index``; and those not found."""
    import pypdfium2 as pdfium

    assert isinstance(pdf, pdfium.PdfDocument)
    page = pdf[index]
    height = page.get_height()
    text = page.get_textpage()
    boxes: list[Box] = []
    missing: list[str] = []
    for needle in dict.fromkeys(n for n in needles if n.strip()):
        searcher = text.search(needle, match_case=True)
        found = False
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            for i in range(start, start + count):
                left, bottom, right, top = text.get_charbox(i)
                if right > left:
                    boxes.append(
                        (
                            left * SCALE,
                            (height - top) * SCALE,
                            right * SCALE,
                            (height - bottom) * SCALE,
                        )
                    )
            found = True
        if not found:
            missing.append(needle)
    return _merge_lines(boxes), missing


def _merge_lines(boxes: Sequence[Box]) -> list[Box]:
    """Characters of one word or run on one line become one box."""
    merged: list[Box] = []
    for box in sorted(boxes, key=lambda b: (round(b[1]), b[0])):
        if merged:
            last = merged[-1]
            same_line = abs(last[1] - box[1]) < 3 and abs(last[3] - box[3]) < 3
            if same_line and box[0] - last[2] < 6 * SCALE:
                merged[-1] = (
                    last[0],
                    min(last[1], box[1]),
                    max(last[2], box[2]),
                    max(last[3], box[3]),
                )
                continue
        merged.append(box)
    return merged


def _pixel_boxes(old: Image.Image, new: Image.Image) -> list[Box]:
    """Regions where the two page images differ, as boxes around runs of changed cells."""
    if old.size != new.size:
        return []
    diff = ImageChops.difference(old.convert("L"), new.convert("L")).point(
        lambda v: 255 if v > 40 else 0
    )
    width, height = diff.size
    cells = set()
    for y in range(0, height, _CELL):
        for x in range(0, width, _CELL):
            if diff.crop((x, y, x + _CELL, y + _CELL)).getbbox() is not None:
                cells.add((x // _CELL, y // _CELL))
    boxes: list[Box] = []
    while cells:
        stack = [cells.pop()]
        xs, ys = [], []
        while stack:
            cx, cy = stack.pop()
            xs.append(cx)
            ys.append(cy)
            for n in ((cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)):
                if n in cells:
                    cells.remove(n)
                    stack.append(n)
        boxes.append(
            (min(xs) * _CELL, min(ys) * _CELL, (max(xs) + 1) * _CELL, (max(ys) + 1) * _CELL)
        )
    return boxes


def _outline(image: Image.Image, boxes: Iterable[Box], ink: tuple[int, int, int]) -> None:
    draw = ImageDraw.Draw(image)
    for left, top, right, bottom in boxes:
        draw.rectangle((left - 2, top - 2, right + 2, bottom + 2), outline=ink, width=2)


def _needles(changes: Changes, label: str) -> tuple[list[str], list[str]]:
    """The texts to outline on the old page and on the new one, for slide ``label``."""
    old: list[str] = []
    new: list[str] = []
    for figure in changes.figures:
        if figure.slide == label:
            old.append(figure.old)
            new.append(figure.new)
    for text in changes.texts:
        if text.slide == label:
            for removed, added in _WORD.findall(text.words):
                if removed:
                    old.append(removed)
                if added:
                    new.append(added)
    return old, new


def write_blackline(
    changes: Changes,
    old_slides: Sequence[SlideLine],
    new_slides: Sequence[SlideLine],
    old_pdf: Path | None,
    new_pdf: Path,
    folder: Path,
) -> tuple[Path, Path]:
    """Write ``blackline.html`` and ``blackline.pdf`` into ``folder``; return both paths."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    new_doc = pdfium.PdfDocument(new_pdf)
    old_doc = pdfium.PdfDocument(old_pdf) if old_pdf is not None else None
    pairs: list[PagePair] = []
    try:
        changed = set(changes.changed_slides)
        new_index = {(s.number or s.title): i for i, s in enumerate(new_slides)}
        old_index = {(s.number or s.title): i for i, s in enumerate(old_slides)}
        labels = {(s.number or s.title): s.label for s in (*old_slides, *new_slides)}
        for number in changes.changed_slides:
            label = labels.get(number, number)
            old_needles, new_needles = _needles(changes, label)
            images: dict[str, Image.Image] = {}
            found: dict[str, list[Box]] = {"old": [], "new": []}
            unexplained = False
            for side, doc, index_of, needles in (
                ("old", old_doc, old_index, old_needles),
                ("new", new_doc, new_index, new_needles),
            ):
                index = index_of.get(number)
                if doc is None or index is None or index >= len(doc):
                    continue
                images[side] = doc[index].render(scale=SCALE).to_pil().convert("RGB")
                boxes, missing = _page_boxes(doc, index, needles)
                found[side] = boxes
                unexplained = unexplained or bool(missing)
            if unexplained and "old" in images and "new" in images:
                pixels = _pixel_boxes(images["old"], images["new"])
                # Only regions no text box already covers: a chart, a picture.
                extra = [b for b in pixels if not any(_overlaps(b, t) for t in found["new"])]
                found["old"] += extra
                found["new"] += extra
            names = {}
            for side, image in images.items():
                _outline(image, found[side], OLD_INK if side == "old" else NEW_INK)
                name = f"{side}-{_safe(number)}.png"
                image.save(folder / name, optimize=True)
                names[side] = name
            pairs.append(
                PagePair(
                    label,
                    names.get("old", ""),
                    names.get("new", ""),
                    len(found["old"]) + len(found["new"]),
                )
            )
        unchanged = [
            s.number or s.title for s in new_slides if (s.number or s.title) not in changed
        ]
    finally:
        new_doc.close()
        if old_doc is not None:
            old_doc.close()
    page = folder / "blackline.html"
    page.write_text(_html(changes, pairs, unchanged), encoding="utf-8")
    pdf = folder / "blackline.pdf"
    _pdf(page, pdf, folder)
    return page, pdf


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _safe(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-") or "slide"


_STYLE = """
@page { size: 400mm 140mm; margin: 6mm; }
body { font-family: Lato, "IPAexGothic", sans-serif; font-size: 8.5pt; color: #222; }
h1 { font-size: 14pt; margin: 0 0 4pt; } h2 { font-size: 11pt; margin: 0 0 4pt; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 0.5pt solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; }
.pair { page-break-before: always; }
.pair .sides { display: flex; gap: 4mm; }
.pair figure { margin: 0; flex: 1; }
.pair img { width: 100%; border: 0.5pt solid #999; }
figcaption { font-weight: bold; margin-bottom: 2pt; }
del { color: #c81e1e; } ins { color: #14823c; text-decoration: underline; }
"""


def _words(marked: str) -> str:
    """``[-old-]{+new+}`` as <del>/<ins>, everything else escaped."""
    out, last = [], 0
    for match in _WORD.finditer(marked):
        out.append(html.escape(marked[last : match.start()]))
        removed, added = match.groups()
        if removed:
            out.append(f"<del>{html.escape(removed)}</del>")
        if added:
            out.append(f"<ins>{html.escape(added)}</ins>")
        last = match.end()
    out.append(html.escape(marked[last:]))
    return "".join(out)


def _html(changes: Changes, pairs: Sequence[PagePair], unchanged: Sequence[str]) -> str:
    e = html.escape
    rows = [
        f"<tr><td>{e(f.slide)}</td><td>{e(f.row)} | {e(f.column)}<br><small>{e(f.item)}, "
        f"{e(f.period)}</small></td><td><del>{e(f.old)}</del> → <ins>{e(f.new)}</ins></td>"
        f"<td><small>{e(f.new_source or f.old_source)}</small></td></tr>"
        for f in changes.figures
    ]
    texts = [
        f"<tr><td>{e(t.slide)}</td><td colspan=3>{_words(t.words)}</td></tr>" for t in changes.texts
    ]
    slides = [
        f"<tr><td>{e(s.slide)}</td><td colspan=3>{e(s.change)} {e(s.detail)}</td></tr>"
        for s in changes.slides
    ]
    checks = [
        f"<tr><td>{e(c.period)}</td><td colspan=3>{e(c.name)}: {e(c.old or 'ok')} → "
        f"{e(c.new or 'ok')}</td></tr>"
        for c in changes.checks
    ]
    sections = []
    for title, body in (
        ("Figures", rows),
        ("Texts", texts),
        ("Slides", slides),
        ("Checks", checks),
    ):
        if body:
            sections.append(f"<h2>{title} ({len(body)})</h2><table>{''.join(body)}</table>")
    pages = "".join(
        f'<section class="pair"><h2>{e(p.label)}</h2><div class="sides">'
        + "".join(
            f'<figure><figcaption>{e(side)}</figcaption><img src="{e(name)}" alt="{e(side)}: '
            f'{e(p.label)}"></figure>'
            if name
            else f"<figure><figcaption>{e(side)}</figcaption><p>(no such slide)</p></figure>"
            for side, name in ((changes.old, p.old), (changes.new, p.new))
        )
        + "</div></section>"
        for p in pairs
    )
    same = ", ".join(unchanged) or "none"
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Blackline: {e(changes.new)} against {e(changes.old)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>Blackline: {e(changes.new)} against {e(changes.old)}</h1>"
        f"<p>{e(changes.summary())}</p>{''.join(sections)}"
        f"<p>Unchanged slides: {e(same)}</p>{pages}</body></html>\n"
    )


def _pdf(page: Path, target: Path, folder: Path) -> None:
    from reportgen import weasyprint_import

    weasyprint_import.load()
    from weasyprint import HTML

    from reportgen.fetch import ProjectFetcher

    HTML(filename=str(page), url_fetcher=ProjectFetcher([folder])).write_pdf(target)

"""Text that spills out of its part of a slide, found in WeasyPrint's laid-out boxes.

A slide is a fixed 16:9 box whose overflow is visible, so text that does not fit
does not always add a page: a title of two lines runs over the header's rule, a long
bullet column over the footer, a table past the slide's edge. Each text box is checked
against its part of the slide: the header, the footer, or the body between them
(the slide's content box, from the header's bottom to the footer's top); and
against the block that holds its line, so a word wider than its column (which CSS
breaks, ``overflow-wrap``) never runs over the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# CSS px (1/96 in): a glyph's box may reach this far past its frame (antialiasing,
# rounding) without any ink crossing it.
_SLACK = 1.5
_Frame = tuple[float, float, float, float]


@dataclass(frozen=True, slots=True)
class Spill:
    """Text of page ``page`` (0-based) outside its part (``header``, ``body``, ``footer``),
    or wider than its own block (``line``)."""

    page: int
    part: str
    text: str


def spills(document: Any) -> list[Spill]:
    """Every text that spills out of its part, at most one per page and part."""
    found: dict[tuple[int, str], Spill] = {}
    for number, page in enumerate(document.pages):
        # ``_page_box``: WeasyPrint keeps the laid-out tree there (pinned in uv.lock).
        for part, text in _walk(page._page_box, None):
            # Quoted in the error: words rather than a bullet's marker, if any spilled.
            kept = found.get((number, part))
            if kept is None or (not _worded(kept.text) and _worded(text)):
                found[(number, part)] = Spill(number, part, text)
    return list(found.values())


def _worded(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _classes(box: Any) -> list[str]:
    element = getattr(box, "element", None)
    return (element.get("class") or "").split() if element is not None else []


def _border(box: Any) -> _Frame:
    x, y = box.border_box_x(), box.border_box_y()
    return x, y, x + box.border_width(), y + box.border_height()


def _body(slide: Any) -> _Frame:
    left, top = slide.content_box_x(), slide.content_box_y()
    right, bottom = left + slide.width, top + slide.height
    for child in slide.children:
        classes = _classes(child)
        if "slide-header" in classes:
            top = _border(child)[3]
        elif "slide-footer" in classes:
            bottom = _border(child)[1]
    return left, top, right, bottom


def _walk(
    box: Any, part: tuple[str, _Frame] | None, block: Any = None
) -> Iterator[tuple[str, str]]:
    from weasyprint.formatting_structure.boxes import (
        BlockContainerBox,
        LineBox,
        TableCellBox,
        TextBox,
    )

    # The block whose lines hold the text (a bullet, a paragraph). Table cells are left
    # out: a figure may use a cell's padding, and a table wider than the slide is a spill.
    if isinstance(box, BlockContainerBox) and not isinstance(box, (LineBox, TableCellBox)):
        block = box
    tag, classes = getattr(box, "element_tag", None), _classes(box)
    if tag == "section" and "slide" in classes:
        part = ("body", _body(box))
    elif tag == "header" and "slide-header" in classes:
        part = ("header", _border(box))
    elif tag == "footer" and "slide-footer" in classes:
        part = ("footer", _border(box))
    if isinstance(box, TextBox) and part is not None and box.text.strip():
        name, (left, top, right, bottom) = part
        x, y = box.position_x, box.position_y
        if (
            x < left - _SLACK
            or y < top - _SLACK
            or x + box.width > right + _SLACK
            or y + box.height > bottom + _SLACK
        ):
            yield name, box.text
        # Only the right edge: a bullet's marker hangs to the left of its block.
        elif block is not None and x + box.width > block.content_box_x() + block.width + _SLACK:
            yield "line", box.text
    for child in getattr(box, "children", ()):
        yield from _walk(child, part, block)

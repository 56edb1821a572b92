"""Characters that no font the project ships can print.

The PDF embeds only the fonts in ``fonts/`` (Lato, IPAexGothic), so that it looks the
same on every machine. A character none of them has (an emoji, a rare symbol) would
print as an empty box, or in whatever font the machine happens to have: either way
not as written. Each laid-out text box is checked against the fonts' character maps.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The fonts the deck ships and embeds (``render.write_preview`` copies them beside it).
FONTS = Path(__file__).resolve().parents[1] / "fonts"
FONT_FILES = (
    "Lato-Regular.ttf",
    "Lato-Bold.ttf",
    "Lato-Italic.ttf",
    "Lato-Semibold.ttf",
    "IPAexGothic.ttf",
)


@dataclass(frozen=True, slots=True)
class Unprintable:
    """A character on page ``page`` (0-based) that no shipped font has."""

    page: int
    char: str

    @property
    def described(self) -> str:
        name = unicodedata.name(self.char, "unnamed")
        return f"U+{ord(self.char):04X} {self.char!r} ({name.lower()})"


@functools.cache
def coverage() -> frozenset[int]:
    """The code points some shipped font maps to a glyph (read once per process)."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for name in FONT_FILES:
        with TTFont(FONTS / name, lazy=True) as font:
            points.update(font.getBestCmap() or {})
    return frozenset(points)


def unprintable(document: Any) -> list[Unprintable]:
    """The first character of each page that no shipped font can print."""
    from weasyprint.formatting_structure.boxes import TextBox

    covered = coverage()
    found = []
    for number, page in enumerate(document.pages):
        # ``_page_box``: WeasyPrint keeps the laid-out tree there (pinned in uv.lock).
        for box in _text_boxes(page._page_box, TextBox):
            # Spaces and invisible characters (a word joiner) draw no glyph.
            missing = [
                c
                for c in box.text
                if ord(c) not in covered and not c.isspace() and unicodedata.category(c) != "Cf"
            ]
            if missing:
                found.append(Unprintable(number, missing[0]))
                break
    return found


def _text_boxes(box: Any, kind: type) -> Any:
    if isinstance(box, kind):
        yield box
    for child in getattr(box, "children", ()):
        yield from _text_boxes(child, kind)

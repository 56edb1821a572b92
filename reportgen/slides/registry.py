"""The kinds of slide a deck file may list, gathered from the module of each group."""

from __future__ import annotations

from reportgen.slides import breakdown, financials, narrative, reference, statements, text
from reportgen.slides.base import SlideKind

SLIDE_KINDS: dict[str, SlideKind] = {
    **text.KINDS,
    **financials.KINDS,
    **breakdown.KINDS,
    **statements.KINDS,
    **narrative.KINDS,
    **reference.KINDS,
}

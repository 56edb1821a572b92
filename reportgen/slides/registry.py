"""The kinds of slide a deck file may list, gathered from the module of each group."""

from __future__ import annotations

from reportgen.slides import financials, narrative, reference, revenue, statements, text
from reportgen.slides.base import SlideKind

SLIDE_KINDS: dict[str, SlideKind] = {
    **text.KINDS,
    **financials.KINDS,
    **revenue.KINDS,
    **statements.KINDS,
    **narrative.KINDS,
    **reference.KINDS,
}

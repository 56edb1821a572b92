"""Text slides: the cover, and slides whose content is text from the deck file."""

from __future__ import annotations

from reportgen.data.schema import SlideSpec
from reportgen.slides.base import BuildContext, SlideKind


def cover(ctx: BuildContext, spec: SlideSpec) -> tuple[dict[str, object], tuple]:
    company = ctx.dataset.company
    released = ctx.release_date
    return {
        "company_name": company.name,
        "display_name": company.display_name,
        "date": ctx.messages(
            "deck.cover_date", year=released.year, month=released.month, day=released.day
        ),
        "ir_url": company.ir_url or "",
        "fictional": company.fictional,
    }, ()


KINDS = {
    "cover": SlideKind("slides/cover.html", cover),
}

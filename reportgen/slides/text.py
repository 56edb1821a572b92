"""Text slides: the cover, and slides whose content is text from the deck file."""

from __future__ import annotations

from reportgen.data.schema import SlideSpec
from reportgen.slides.base import BuildContext, SlideKind
from reportgen.slides.bodies import CoverBody


def cover(ctx: BuildContext, spec: SlideSpec) -> tuple[CoverBody, tuple]:
    company = ctx.dataset.company
    released = ctx.release_date
    return CoverBody(
        company_name=company.name,
        display_name=company.display_name,
        date=ctx.messages(
            "deck.cover_date", year=released.year, month=released.month, day=released.day
        ),
        ir_url=company.ir_url or "",
        fictional=company.fictional,
    ), ()


KINDS = {
    "cover": SlideKind("slides/cover.html", cover),
}

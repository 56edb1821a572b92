"""The kinds of slide a deck file may list: each a template and a context builder."""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.slides import financials, text
from reportgen.slides.base import Builder


@dataclass(frozen=True, slots=True)
class SlideKind:
    template: str
    build: Builder
    # Catalogue key of the default title; {quarter_label} is filled in.
    title_key: str = ""


SLIDE_KINDS: dict[str, SlideKind] = {
    "cover": SlideKind("slides/cover.html", text.cover),
    "results_summary": SlideKind(
        "slides/results_summary.html", financials.results_summary, "slide.results_summary"
    ),
    "operating_net_income": SlideKind(
        "slides/operating_net_income.html",
        financials.operating_net_income,
        "slide.operating_net_income",
    ),
    "balance_sheet": SlideKind(
        "slides/balance_sheet.html", financials.balance_sheet, "slide.balance_sheet"
    ),
}

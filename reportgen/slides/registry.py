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

# The fixed kinds of earlier releases, each now a generic kind whose company choices sit
# in the deck file: a deck file written before names them, and its error says what to write.
FORMER_KINDS: dict[str, tuple[str, str]] = {
    **{
        name: ("breakdown", "total, parts (default: the total's children), lines")
        for name in (
            "revenues",
            "cost_of_revenues",
            "sga",
            "connectivity_revenue",
            "connectivity_cost",
            "si_revenue",
            "si_cost",
        )
    },
    "new_business": ("panels", "the same sections as before"),
    "seil_smf": ("panels", "the same lead and sections as before"),
    "results_summary": ("statement", "items, compare: year_ago, ratios: true"),
    "balance_sheet": ("statement", "items, compare: year_start"),
    "operating_net_income": ("margin", "items, lines, table"),
    "operating_income_bridge": ("bridge", "item, from, steps, impacts"),
    "other_financial_data": ("quarter_charts", "items"),
}


def former_kind_hint(kind: str) -> str:
    """``; it is now kind: statement ...`` for a kind of an earlier release, else ``""``."""
    if kind not in FORMER_KINDS:
        return ""
    new, keys = FORMER_KINDS[kind]
    return (
        f"; {kind!r} is now kind: {new}, with a title: and content: {keys} "
        '(README, "Slide kinds"; data/examples/fictional/decks/1Q25.yaml shows each)'
    )

"""Find figures typed by hand in commentary that the model could have given."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from reportgen import formatting
from reportgen.data.items import ITEMS
from reportgen.data.schema import Bullet, DeckSpec
from reportgen.model.quarter import QuarterModel

_PLACEHOLDER = "{{"
# A run of digits in commentary text outside a placeholder: a figure typed by hand.
TYPED_NUMBER_RE = re.compile(r"(?<![\w{])\d[\d,]*(?:\.\d+)?%?")


@dataclass(frozen=True, slots=True)
class TypedNumber:
    """A number typed in a bullet that equals a figure the model computes."""

    slide: int
    text: str
    number: str
    figure: str

    @property
    def message(self) -> str:
        return (
            f"slide {self.slide}: typed number {self.number!r} equals {self.figure}; "
            f"use a placeholder so it cannot drift from the data"
        )


def _texts(spec: DeckSpec) -> Iterator[tuple[int, str]]:
    for index, slide in enumerate(spec.slides, start=1):
        for bullet in slide.bullets:
            item = Bullet(text=bullet) if isinstance(bullet, str) else bullet
            for text in (item.text, *item.sub):
                yield index, text
        for note in slide.notes:
            yield index, note


def _known_figures(model: QuarterModel) -> dict[str, str]:
    """Text a figure of the quarter would print as → the figure's name."""
    known: dict[str, str] = {}
    quarters = (model.quarter, model.quarter.previous, model.quarter.year_ago)
    for key in ITEMS:
        for quarter in quarters:
            value = model.value(key, quarter).value
            if value is not None and abs(value) >= 10:
                known.setdefault(formatting.number(abs(value)), f"{key} {quarter.name}")
        for measure in ("yoy", "qoq", "ratio"):
            fig = getattr(model, measure)(key)
            if fig.value is not None:
                known.setdefault(formatting.percent(abs(fig.value)), f"{key}:{measure}")
    return known


def typed_numbers(spec: DeckSpec, model: QuarterModel) -> list[TypedNumber]:
    """Numbers typed in the deck's commentary that equal a figure of the model."""
    known = _known_figures(model)
    found = []
    for slide, text in _texts(spec):
        # Only the text outside placeholders was typed by hand.
        plain = "".join(part.split("}}", 1)[-1] for part in text.split(_PLACEHOLDER))
        for match in TYPED_NUMBER_RE.finditer(plain):
            number = match.group().rstrip(",")
            if number in known:
                found.append(TypedNumber(slide, text, number, known[number]))
    return found

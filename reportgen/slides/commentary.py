"""Commentary: bullets written in data, with figures as placeholders evaluated here.

A bullet such as ``Recurring revenues {{ 'revenue_recurring'|yoy_dir }} YoY``
takes its number from the model, so its sign and unit can never drift from
the tables. ``placeholders`` defines what a text may contain: text and our
figure filters, nothing that can reach Python or print markup.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from reportgen import formatting
from reportgen.data.items import ITEMS
from reportgen.data.schema import Bullet
from reportgen.errors import CommentaryError
from reportgen.model.figures import Figure
from reportgen.model.quarter import QuarterModel
from reportgen.slides.cells import NOT_MEANINGFUL
from reportgen.slides.messages import Messages
from reportgen.slides.periods import PeriodNames
from reportgen.slides.placeholders import Language


@dataclass(frozen=True, slots=True)
class RenderedBullet:
    text: Markup
    sub: tuple[Markup, ...]
    emphasis: bool


def _span(figure: Figure, text: str) -> Markup:
    if figure.status == "not_meaningful":
        text = NOT_MEANINGFUL
    return Markup('<span class="fig st-{}" title="{}">{}</span>').format(
        figure.status, figure.provenance, text
    )


def _filters(
    model: QuarterModel, numbers: formatting.Numbers, t: Messages
) -> dict[str, Callable[..., Markup]]:
    """Placeholder filters; their words (``up``, 「増」) come from the catalogue."""

    def key_of(key: str) -> str:
        item = key.partition(":")[0]
        if item not in ITEMS:
            raise CommentaryError(f"unknown item {key!r} in a placeholder")
        return key

    def amount(fmt: Callable[[float | None], str]) -> Callable[..., Markup]:
        def apply(key: str, period: str | None = None) -> Markup:
            fig = model.value(key_of(key), period)
            return _span(fig, fmt(fig.value))

        return apply

    def change(measure: str, fmt: Callable[[Figure], str]) -> Callable[..., Markup]:
        def apply(key: str, period: str | None = None) -> Markup:
            fig = getattr(model, measure)(key_of(key), period)
            return _span(fig, fmt(fig))

        return apply

    def worded(kind: str, value: float | None, size: str) -> str:
        """``up 22.5%`` / 「22.5%増」: the catalogue places the size in the words."""
        if value is None:
            return size
        way = numbers.direction(value, "up", "down", "flat")
        return t(f"commentary.{kind}_{way}", size=size)

    def pct_signed(fig: Figure) -> str:
        return numbers.percent(fig.value)

    def pct_dir(fig: Figure) -> str:
        return worded("pct", fig.value, numbers.magnitude_percent(fig.value))

    def pts_dir(fig: Figure) -> str:
        return worded("pts", fig.value, numbers.magnitude(fig.value, 1))

    def count_dir(fig: Figure) -> str:
        return worded("count", fig.value, numbers.magnitude(fig.value))

    def size_million(value: float | None) -> str:
        return numbers.jpy_million(None if value is None else abs(value))

    return {
        "m": amount(numbers.jpy_million),
        "m_abs": amount(size_million),
        "bn": amount(numbers.jpy_billion),
        "count": amount(numbers.number),
        "yoy": change("yoy", pct_signed),
        "qoq": change("qoq", pct_signed),
        "yoy_dir": change("yoy", pct_dir),
        "qoq_dir": change("qoq", pct_dir),
        "ratio": change("ratio", pct_signed),
        "ratio_yoy_pt_dir": change("ratio_yoy_pt", pts_dir),
        "ratio_qoq_pt_dir": change("ratio_qoq_pt", pts_dir),
        "yoy_change_dir": change("yoy_change", count_dir),
        "qoq_change_dir": change("qoq_change", count_dir),
    }


class Commentary:
    """Evaluates bullet text against one quarter's model."""

    def __init__(
        self,
        model: QuarterModel,
        where: str,
        messages: Messages,
        numbers: formatting.Numbers | None = None,
        periods: PeriodNames | None = None,
    ) -> None:
        self._where = where
        filters: dict[str, Callable[..., object]] = dict(
            _filters(model, numbers or formatting.Numbers(), messages)
        )
        if periods is not None:
            # Quarter names stay codes (``1Q07``), since ``m(year_ago_quarter)`` reads
            # the model with them; these filters print them as the edition names periods.
            filters.update(period=periods.name, period_short=periods.short)
        names = {
            "quarter": model.quarter.name,
            "prior_quarter": model.quarter.previous.name,
            "year_ago_quarter": model.quarter.year_ago.name,
        }
        self._language = Language(filters, names)

    @property
    def where(self) -> str:
        """The deck file, and the slide once ``at`` named it: errors start with it."""
        return self._where

    def at(self, where: str) -> Commentary:
        """The same commentary, naming ``where`` (a slide) in its errors."""
        other = copy.copy(self)
        other._where = where
        return other

    def text(self, source: str) -> Markup:
        """Render one piece of commentary; raise ``CommentaryError`` naming the file."""
        return self._language.render(source, self._where)

    def bullets(self, bullets: tuple[Bullet | str, ...]) -> tuple[RenderedBullet, ...]:
        rendered = []
        for bullet in bullets:
            spec = Bullet(text=bullet) if isinstance(bullet, str) else bullet
            rendered.append(
                RenderedBullet(
                    self.text(spec.text),
                    tuple(self.text(s) for s in spec.sub),
                    spec.emphasis,
                )
            )
        return tuple(rendered)

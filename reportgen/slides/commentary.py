"""Commentary: bullets written in data, with figures as placeholders evaluated here.

A bullet such as ``Recurring revenues {{ 'revenue_recurring'|yoy_dir }} YoY``
takes its number from the model, so its sign and unit can never drift from
the tables. Placeholders run in Jinja's sandbox: data cannot reach Python.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import CodeType

from jinja2 import StrictUndefined, TemplateError, nodes
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from reportgen import formatting
from reportgen.data.items import ITEMS
from reportgen.data.schema import Bullet
from reportgen.errors import CommentaryError
from reportgen.model.figures import Figure
from reportgen.model.quarter import QuarterModel
from reportgen.slides.cells import NOT_MEANINGFUL
from reportgen.slides.messages import Messages, as_shown
from reportgen.slides.periods import PeriodNames
from reportgen.slides.wording import Contradiction, Placed, WordingCheck
from reportgen.suggest import did_you_mean


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
    model: QuarterModel,
    numbers: formatting.Numbers,
    t: Messages,
    placed: list[Placed] | None = None,
) -> dict[str, Callable[..., Markup]]:
    """Placeholder filters; their words (``up``, 「増」) come from the catalogue.

    Each figure printed is appended to ``placed``, so the words typed around it can be
    checked against it (``wording.py``).
    """

    def span(figure: Figure, text: str) -> Markup:
        shown = _span(figure, text)
        if placed is not None:
            placed.append(Placed(figure, shown))
        return shown

    def key_of(key: str) -> str:
        item = key.partition(":")[0]
        if item not in ITEMS:
            raise CommentaryError(
                f"unknown item {key!r}{did_you_mean(item, ITEMS)} in a placeholder"
            )
        return key

    def amount(fmt: Callable[[float | None], str]) -> Callable[..., Markup]:
        def apply(key: str, period: str | None = None) -> Markup:
            fig = as_shown(model.value(key_of(key), period), t)
            return span(fig, fmt(fig.value))

        return apply

    def change(measure: str, fmt: Callable[[Figure], str]) -> Callable[..., Markup]:
        def apply(key: str, period: str | None = None) -> Markup:
            fig = getattr(model, measure)(key_of(key), period)
            return span(fig, fmt(fig))

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

    def amount_dir(fig: Figure) -> str:
        # "up JPY 31 million", 「31百万円増」: the unit sits inside the words in Japanese.
        return worded("amount", fig.value, numbers.magnitude(fig.value))

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
        "yoy_change_m_dir": change("yoy_change", amount_dir),
        "qoq_change_m_dir": change("qoq_change", amount_dir),
    }


class EscapeText(Extension):
    """Escape the literal text of commentary, not only what its placeholders print.

    Autoescape covers ``{{ ... }}`` output only; the text around it is copied as is.
    Commentary is data, so ``<script>`` in a bullet must show as text, not run.
    """

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        for token in stream:
            if token.type == "data":
                yield Token(token.lineno, "data", str(escape(token.value)))
            else:
                yield token


def sandbox() -> ImmutableSandboxedEnvironment:
    """The environment every text from a deck file is rendered in: sandboxed, escaped."""
    return ImmutableSandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, extensions=[EscapeText]
    )


def _runtime_only(*_args: object, **_kwargs: object) -> str:
    # Jinja evaluates a filter on constant arguments ('revenue'|m) while compiling;
    # refusing makes it look the filter up when rendering, against the real model.
    raise nodes.Impossible()


@functools.lru_cache(maxsize=8)
def _compiler(filters: frozenset[str]) -> ImmutableSandboxedEnvironment:
    # Compiled code does not depend on what the filters do, only on their names
    # (an unknown one is a compile error), so one compiler serves every build.
    env = sandbox()
    env.filters.update(dict.fromkeys(filters, _runtime_only))
    return env


@functools.lru_cache(maxsize=4096)
def _compiled(source: str, filters: frozenset[str]) -> CodeType:
    """Bullets are compiled once per process: a preview rebuild reuses them all."""
    return _compiler(filters).compile(source)


class Commentary:
    """Evaluates bullet text against one quarter's model."""

    def __init__(
        self,
        model: QuarterModel,
        where: str,
        messages: Messages,
        numbers: formatting.Numbers | None = None,
        periods: PeriodNames | None = None,
        target: Callable[[str, str], Figure] | None = None,
    ) -> None:
        self._where = where
        self._env = sandbox()
        # The figures the text being rendered prints, and what its words contradict.
        self._placed: list[Placed] = []
        self._wording = WordingCheck(model, messages.language, target)
        self._contradictions: list[Contradiction] = []
        self._env.filters.update(
            _filters(model, numbers or formatting.Numbers(), messages, self._placed)
        )
        if periods is not None:
            # Quarter globals stay codes (``1Q07``), since ``m(year_ago_quarter)`` reads
            # the model with them; these filters print them as the edition names periods.
            self._env.filters.update(period=periods.name, period_short=periods.short)
        self._env.globals.update(
            quarter=model.quarter.name,
            prior_quarter=model.quarter.previous.name,
            year_ago_quarter=model.quarter.year_ago.name,
        )

    def text(self, source: str) -> Markup:
        """Render one piece of commentary; raise ``CommentaryError`` naming the file."""
        try:
            code = _compiled(source, frozenset(self._env.filters))
            template = self._env.template_class.from_code(
                self._env, code, self._env.make_globals(None)
            )
            self._placed.clear()
            rendered = Markup(template.render())
        except CommentaryError as exc:
            raise CommentaryError(f"{self._where}: {exc} in {source[:60]!r}") from None
        except TemplateError as exc:
            raise CommentaryError(
                f"{self._where}: placeholder error ({exc.message}) in {source[:60]!r}"
            ) from None
        self._contradictions.extend(self._wording.check(rendered, self._placed))
        return rendered

    def contradictions(self) -> tuple[Contradiction, ...]:
        """Typed words found contradicting their figures since the last call, in text order."""
        found = tuple(self._contradictions)
        self._contradictions.clear()
        return found

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

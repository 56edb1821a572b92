"""Commentary: bullets written in data, with figures as placeholders evaluated here.

A bullet such as ``Recurring revenues {{ 'revenue_recurring'|yoy_dir }} YoY``
takes its number from the model, so its sign and unit can never drift from
the tables. ``placeholders`` defines what a text may contain: text and our
figure filters, nothing that can reach Python or print markup.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace

from markupsafe import Markup

from reportgen import formatting
from reportgen.data.marks import Site
from reportgen.data.schema import Bullet
from reportgen.errors import CommentaryError, MissingFigureError
from reportgen.model.figures import Figure
from reportgen.model.quarter import QuarterModel, quarter_earlier, year_earlier
from reportgen.quarters import Period
from reportgen.slides.messages import Messages, as_shown
from reportgen.slides.periods import PeriodNames
from reportgen.slides.placeholders import Language
from reportgen.slides.shown import FigureMarkup, doc_links
from reportgen.slides.wording import Contradiction, Placed, WordingCheck
from reportgen.suggest import unknown_item


@dataclass(frozen=True, slots=True)
class RenderedBullet:
    text: Markup
    sub: tuple[Markup, ...]
    emphasis: bool
    # A figure of the bullet is missing and marked in its place (preview only).
    missing: bool = False


def _span(figure: Figure, text: str, kind: str = "", *, missing: str = "") -> Markup:
    """A figure's text with its provenance; ``worded`` for a phrase that may wrap.

    With ``missing`` (why the figure is missing), the preview's mark in its place:
    ``<mark class="fig missing" title="why">n/a</mark>``.
    """
    if missing:
        return Markup('<mark class="fig missing st-{}" title="{}">{}</mark>').format(
            figure.status, missing, text
        )
    return Markup('<span class="fig st-{}{}" title="{}" data-docs="{}">{}</span>').format(
        figure.status,
        f" {kind}" if kind else "",
        figure.provenance,
        doc_links(figure.documents),
        text,
    )


# Measures that compare an item with itself in an earlier period.
_CHANGES = frozenset({"yoy", "qoq", "yoy_change", "qoq_change"})


def _outcome(now: float, then: float) -> str:
    """The catalogue key of what happened where a percentage is not meaningful."""
    now_sign, then_sign = formatting.sign(now), formatting.sign(then)
    if then_sign > 0:
        return "to_loss" if now_sign < 0 else "to_nil_from_profit"
    if then_sign == 0:
        return {1: "from_nil_profit", 0: "nil", -1: "from_nil_loss"}[now_sign]
    if now_sign > 0:
        return "to_profit"
    if now_sign == 0:
        return "to_nil_from_loss"
    way = formatting.sign(abs(then) - abs(now))
    return {1: "loss_narrowed", 0: "loss_unchanged", -1: "loss_widened"}[way]


# What each filter and name of the commentary prints, with an example: the one place
# they are described. ``reportgen placeholders`` renders every example against the
# fictional company into docs/placeholders.md, and its test fails on a filter or name
# without an entry here. Every figure filter takes a period too: ``m(year_ago_quarter)``.
FILTER_HELP: dict[str, tuple[str, str]] = {
    "m": (
        "the figure in the reporting unit (company.yaml `reporting:`; JPY million by default)",
        "{{ 'revenue'|m }}",
    ),
    "m_abs": (
        "its size in the reporting unit, without sign (the words say which way: a benefit of)",
        "{{ 'cf_financing'|m_abs }}",
    ),
    "bn": (
        "the figure in the large unit (`large_scale`: JPY billion by default, 億円 in Japanese)",
        "{{ 'revenue'|bn }}",
    ),
    "count": ("a count, such as employees or subscribers", "{{ 'employees'|count }}"),
    "yoy": (
        "the change from a year earlier, in % (words such as turned to a loss, 赤字転落, "
        "where either figure is not positive; so for every change below)",
        "{{ 'revenue'|yoy }}",
    ),
    "qoq": ("the change from the previous quarter, in %", "{{ 'revenue'|qoq }}"),
    "yoy_dir": ("the change from a year earlier, in words", "{{ 'revenue'|yoy_dir }}"),
    "qoq_dir": ("the change from the previous quarter, in words", "{{ 'revenue'|qoq_dir }}"),
    "ratio": (
        "the item as a share of its base (total revenues for a revenue line)",
        "{{ 'revenue_recurring'|ratio }}",
    ),
    "ratio_yoy_pt_dir": (
        "the change of that share from a year earlier, in points and words",
        "{{ 'gross_margin'|ratio_yoy_pt_dir }}",
    ),
    "ratio_qoq_pt_dir": (
        "the change of that share from the previous quarter, in points and words",
        "{{ 'gross_margin'|ratio_qoq_pt_dir }}",
    ),
    "yoy_change_dir": (
        "the difference from a year earlier, in the item's unit and words (counts)",
        "{{ 'employees'|yoy_change_dir }}",
    ),
    "qoq_change_dir": (
        "the difference from the previous quarter, in the item's unit and words (counts)",
        "{{ 'employees'|qoq_change_dir }}",
    ),
    "yoy_change_m_dir": (
        "the difference from a year earlier, in the reporting unit and words",
        "{{ 'sga'|yoy_change_m_dir }}",
    ),
    "qoq_change_m_dir": (
        "the difference from the previous quarter, in the reporting unit and words",
        "{{ 'sga'|qoq_change_m_dir }}",
    ),
    "has": (
        "a test: whether the data set has the figure (also `'item'|has`)",
        "{% if has('revenue_recurring') %}{{ 'revenue_recurring'|m }}{% else %}n/a{% endif %}",
    ),
    "is_loss": (
        "a test: whether the figure is negative (a loss)",
        "{% if 'net_income'|is_loss %}loss{% else %}profit{% endif %}",
    ),
    "period": ("a quarter name as the edition writes it", "{{ year_ago_quarter|period }}"),
    "period_short": (
        "a quarter name as the edition writes it in a narrow space",
        "{{ year_ago_quarter|period_short }}",
    ),
}
NAME_HELP: dict[str, tuple[str, str]] = {
    "quarter": ("the deck's quarter, as a code", "{{ quarter }}"),
    "prior_quarter": ("the quarter before it", "{{ prior_quarter }}"),
    "year_ago_quarter": ("the same quarter a year earlier", "{{ year_ago_quarter }}"),
    "money": (
        "the reporting unit as the edition writes it (company.yaml `reporting:`)",
        "{{ 'revenue'|m }} {{ money }}",
    ),
    "money_large": ("the large unit (`large_scale`) as the edition writes it", "{{ money_large }}"),
    "currency": ("the reporting currency (JPY; 円 in Japanese)", "{{ currency }}"),
    "scale": ("the scale of the figures (million; 百万 in Japanese)", "{{ scale }}"),
    "quarter_label": (
        "the deck's quarter as slide titles name it (not a period to read figures of)",
        "{{ quarter_label }}",
    ),
}


def _filters(
    model: QuarterModel,
    numbers: formatting.Numbers,
    t: Messages,
    placed: list[Placed] | None = None,
) -> dict[str, Callable[..., object]]:
    """Placeholder filters; their words (``up``, 「増」, 赤字転落) come from the catalogue.

    A figure missing from the data never prints inside a sentence: the placeholder
    fails, naming the item and period (``has`` lets a bullet test for it first).
    Each figure printed is appended to ``placed``, so the words typed around it can be
    checked against it (``wording.py``).
    """
    periods = PeriodNames(t, model.calendar)
    catalogue = model.figures.catalogue

    def span(figure: Figure, text: str, kind: str = "") -> Markup:
        shown = _span(figure, text, kind)
        if placed is not None:
            placed.append(Placed(figure, shown))
        return shown

    def key_of(key: str) -> str:
        item = key.partition(":")[0]
        if item not in catalogue:
            raise CommentaryError(
                f"{unknown_item(item, catalogue, shown=repr(key))} in a placeholder"
            )
        return key

    def present(name: str, key: str, fig: Figure, *inputs: Figure) -> Figure:
        """``fig``, or an error naming the first missing input (else ``fig`` itself)."""
        if not fig.missing or fig.status == "not_meaningful":
            return fig
        absent = next((f for f in inputs if f.missing), fig)
        undisclosed = absent.status == "undisclosed"
        why = (
            "is not disclosed by the company"
            if undisclosed
            else "is not available in this data set"
        )
        shown = numbers.undisclosed if undisclosed else numbers.missing
        reason = f"{absent.key} {absent.period} {why}"
        raise MissingFigureError(
            f"placeholder '{key}'|{name}: {reason}; "
            f"expected a figure (or test it first with has('{key.partition(':')[0]}'))",
            mark=_span(absent, shown, missing=reason),
        )

    def amount(name: str, fmt: Callable[[float | None], str]) -> Callable[..., Markup]:
        def apply(key: str, period: str | None = None) -> Markup:
            fig = present(name, key, as_shown(model.value(key_of(key), period), t))
            return span(fig, fmt(fig.value))

        return apply

    def inputs_of(measure: str, key: str, at: Period) -> tuple[Figure, ...]:
        """The two figures a change compares (none for a ratio or a non-quarter QoQ)."""
        yearly = measure.startswith("yoy")
        if measure not in _CHANGES or not (yearly or at.kind == "Q"):
            return ()
        base = year_earlier(at) if yearly else quarter_earlier(at)
        item = key.partition(":")[0]
        return model.value(item, at), model.value(item, base)

    def change(name: str, measure: str, fmt: Callable[[Figure], str]) -> Callable[..., Markup]:
        def apply(key: str, period: str | None = None) -> Markup:
            key = key_of(key)
            at = Period.parse(period) if period else model.period
            inputs = inputs_of(measure, key, at)
            fig = present(name, key, getattr(model, measure)(key, at), *inputs)
            if fig.status == "not_meaningful" and inputs:
                return span(fig, outcome(key.partition(":")[0], *inputs), "worded")
            return span(fig, numbers.not_meaningful if fig.value is None else fmt(fig))

        return apply

    def outcome(item: str, now: Figure, then: Figure) -> str:
        """``turned to a loss of JPY 14 million (profit of JPY 611 million in 3Q07)``."""
        assert now.value is not None  # present() has checked both
        assert then.value is not None

        def size(value: float) -> str:
            text = numbers.magnitude(value)
            return (
                t("commentary.amount_jpy_m", size=text) if catalogue[item].unit == "money" else text
            )

        return t(
            f"commentary.{_outcome(now.value, then.value)}",
            now=size(now.value),
            then=size(then.value),
            size=size(now.value - then.value),
            base=periods.name(then.period),
        )

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

    def has(key: str, period: str | None = None) -> bool:
        """Whether the data set has the figure: ``{% if has('revenue_recurring') %}``."""
        return not model.value(key_of(key), period).missing

    def is_loss(key: str, period: str | None = None) -> bool:
        """Whether the figure is negative (a loss); a missing figure is an error."""
        fig = present("is_loss", key, model.value(key_of(key), period))
        return formatting.sign(fig.value or 0.0) < 0

    return {
        "m": amount("m", numbers.jpy_million),
        "m_abs": amount("m_abs", size_million),
        "bn": amount("bn", numbers.jpy_billion),
        "count": amount("count", numbers.number),
        "yoy": change("yoy", "yoy", pct_signed),
        "qoq": change("qoq", "qoq", pct_signed),
        "yoy_dir": change("yoy_dir", "yoy", pct_dir),
        "qoq_dir": change("qoq_dir", "qoq", pct_dir),
        "ratio": change("ratio", "ratio", pct_signed),
        "ratio_yoy_pt_dir": change("ratio_yoy_pt_dir", "ratio_yoy_pt", pts_dir),
        "ratio_qoq_pt_dir": change("ratio_qoq_pt_dir", "ratio_qoq_pt", pts_dir),
        "yoy_change_dir": change("yoy_change_dir", "yoy_change", count_dir),
        "qoq_change_dir": change("qoq_change_dir", "qoq_change", count_dir),
        "yoy_change_m_dir": change("yoy_change_m_dir", "yoy_change", amount_dir),
        "qoq_change_m_dir": change("qoq_change_m_dir", "qoq_change", amount_dir),
        "has": has,
        "is_loss": is_loss,
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
        target: Callable[[str, str], Figure] | None = None,
        *,
        lenient: bool = False,
    ) -> None:
        """``lenient`` (the preview's HTML rebuilds only): a placeholder whose figure is
        missing prints marked instead of failing, and its error line is kept (``marked``).
        """
        self._where = where
        # The slide being built, once ``at`` named it: errors then give the line and
        # column each text is written at.
        self._site: Site | None = None
        # The error lines of the figures marked missing, shared by the copies ``at`` makes.
        self._marked: list[str] | None = [] if lenient else None
        # The figures the text being rendered prints, and what its words contradict
        # (shared by the copies ``at`` makes for each slide).
        self._placed: list[Placed] = []
        self._wording = WordingCheck(model, messages.language, target)
        self._contradictions: list[Contradiction] = []
        filters: dict[str, Callable[..., object]] = dict(
            _filters(model, numbers or formatting.Numbers(), messages, self._placed)
        )
        if periods is not None:
            # Quarter names stay codes (``1Q07``), since ``m(year_ago_quarter)`` reads
            # the model with them; these filters print them as the edition names periods.
            filters.update(period=periods.name, period_short=periods.short)
        names = {
            "quarter": model.quarter.name,
            "prior_quarter": model.quarter.previous.name,
            "year_ago_quarter": model.quarter.year_ago.name,
            # The unit words, so a deck file can write "{{ currency }} {{ 'x'|m }} {{ scale }}"
            # for any company (the catalogue's own texts take the same words).
            **{
                name: unit
                for name, unit in formatting.money_units(messages.money, messages.language).items()
                if name != "large_scale"
            },
        }
        if periods is not None:
            # A slide title names its quarter in words: ``Results for {{ quarter_label }}``.
            names["quarter_label"] = periods.quarter_label(model.quarter)
        self._language = Language(filters, names, self._marked, items=model.figures.catalogue)

    @property
    def language(self) -> Language:
        """The filters and names its texts may use."""
        return self._language

    @property
    def where(self) -> str:
        """The deck file, and the slide once ``at`` named it: errors start with it."""
        return self._where if self._site is None else self._site.at()

    @property
    def site(self) -> Site | None:
        """The slide being built (see ``at``), or None before the slides are built."""
        return self._site

    def where_of(self, source: str) -> str:
        """Where the text ``source`` is written: ``decks/1Q25.yaml:14:9, slide 1 (...)``."""
        return self._where if self._site is None else self._site.of(source)

    def at(self, site: Site) -> Commentary:
        """The same commentary, naming the slide ``site`` (and each text's line) in errors."""
        other = copy.copy(self)
        other._site = site
        return other

    def text(self, source: str) -> FigureMarkup:
        """Render one piece of commentary; raise ``CommentaryError`` naming where it is.

        The result remembers the figures it prints, for the slide's list of figures.
        """
        self._placed.clear()
        where = self.where_of(source)
        rendered = self._language.render(source, where)
        found = self._wording.check(rendered, self._placed)
        self._contradictions.extend(replace(c, where=where) for c in found)
        return FigureMarkup.holding(rendered, tuple((p.figure, p.shown) for p in self._placed))

    def marked(self) -> tuple[str, ...]:
        """The error line of every figure printed marked as missing so far (lenient only)."""
        return tuple(self._marked or ())

    def contradictions(self) -> tuple[Contradiction, ...]:
        """Typed words found contradicting their figures since the last call, in text order."""
        found = tuple(self._contradictions)
        self._contradictions.clear()
        return found

    def bullets(self, bullets: tuple[Bullet | str, ...]) -> tuple[RenderedBullet, ...]:
        rendered = []
        for bullet in bullets:
            spec = Bullet(text=bullet) if isinstance(bullet, str) else bullet
            before = len(self.marked())
            rendered.append(
                RenderedBullet(
                    self.text(spec.text),
                    tuple(self.text(s) for s in spec.sub),
                    spec.emphasis,
                    missing=len(self.marked()) > before,
                )
            )
        return tuple(rendered)

"""The model of one quarter's deck: every figure and measure a slide asks for.

A measure the company published (``operating_income:yoy`` in data) is shown as
published (except a percentage across a sign change: ``n.m.``); otherwise it is
computed here. Validation has already checked that
the two agree within rounding, so either way the sign and size are right.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.model import measures
from reportgen.model.figures import Figure, Figures, missing
from reportgen.quarters import FiscalCalendar, Period, Quarter

PeriodLike = Period | Quarter | str


def _period(period: PeriodLike) -> Period:
    if isinstance(period, Period):
        return period
    if isinstance(period, Quarter):
        return Period.of(period)
    return Period.parse(period)


def year_earlier(period: Period) -> Period:
    return Period(period.kind, period.number, period.fiscal_year - 1)


def quarter_earlier(period: Period) -> Period:
    quarter = period.quarter
    if quarter is None:
        raise ValueError(f"{period.name} is not a quarter; a previous quarter is undefined")
    return Period.of(quarter.previous)


def computed_measure(figures: Figures, key: str, measure: str, period: Period) -> Figure:
    """Compute ``key:measure`` at ``period`` from the figures, ignoring any published value."""
    name = f"{key}:{measure}"
    if measure in ("yoy", "qoq"):
        if measure == "qoq" and period.kind != "Q":
            return missing(name, period.name, figures.catalogue)
        base = year_earlier(period) if measure == "yoy" else quarter_earlier(period)
        return measures.change(figures.get(key, period), figures.get(key, base), name)
    if measure in ("yoy_change", "qoq_change"):
        if measure == "qoq_change" and period.kind != "Q":
            return missing(name, period.name, figures.catalogue)
        base = year_earlier(period) if measure == "yoy_change" else quarter_earlier(period)
        return measures.difference(figures.get(key, period), figures.get(key, base), name)
    item = figures.catalogue.get(key)
    # A rate the company reports as such (same-store sales growth) is its own ratio:
    # ``|ratio`` prints it and ``|ratio_yoy_pt_dir`` its change in points.
    own_rate = item is not None and item.unit == "percent"
    if measure == "ratio" and own_rate:
        return figures.get(key, period)
    ratio_base = item.ratio_base if item is not None else None
    if ratio_base is None and not own_rate:
        return missing(name, period.name, figures.catalogue)
    if measure == "ratio":
        return measures.ratio(figures.get(key, period), figures.get(ratio_base, period), name)
    if measure in ("ratio_yoy_pt", "ratio_qoq_pt"):
        if measure == "ratio_qoq_pt" and period.kind != "Q":
            return missing(name, period.name, figures.catalogue)
        base = year_earlier(period) if measure == "ratio_yoy_pt" else quarter_earlier(period)
        now = shown_measure(figures, key, "ratio", period)
        then = shown_measure(figures, key, "ratio", base)
        return measures.difference(now, then, name)
    raise ValueError(f"unknown measure {measure!r}")


def shown_measure(figures: Figures, key: str, measure: str, period: Period) -> Figure:
    """The measure as the deck shows it: published if the company gave it, else computed.

    A percentage change from or to a loss is not meaningful even where the company
    printed one (``reportgen check`` flags that row): the deck shows ``n.m.``.
    """
    published = figures.get(f"{key}:{measure}", period)
    if published.missing:
        return computed_measure(figures, key, measure, period)
    if measure in ("yoy", "qoq"):
        computed = computed_measure(figures, key, measure, period)
        if computed.status == "not_meaningful":
            return computed
    return published


@dataclass(frozen=True, slots=True)
class QuarterModel:
    """Figures and measures for the deck of ``quarter``."""

    figures: Figures
    quarter: Quarter
    calendar: FiscalCalendar

    @property
    def period(self) -> Period:
        return Period.of(self.quarter)

    def value(self, key: str, period: PeriodLike | None = None) -> Figure:
        return self.figures.get(key, _period(period or self.quarter))

    def yoy(self, key: str, period: PeriodLike | None = None) -> Figure:
        return shown_measure(self.figures, key, "yoy", _period(period or self.quarter))

    def qoq(self, key: str, period: PeriodLike | None = None) -> Figure:
        return shown_measure(self.figures, key, "qoq", _period(period or self.quarter))

    def ratio(self, key: str, period: PeriodLike | None = None) -> Figure:
        return shown_measure(self.figures, key, "ratio", _period(period or self.quarter))

    def ratio_yoy_pt(self, key: str, period: PeriodLike | None = None) -> Figure:
        return shown_measure(self.figures, key, "ratio_yoy_pt", _period(period or self.quarter))

    def ratio_qoq_pt(self, key: str, period: PeriodLike | None = None) -> Figure:
        return shown_measure(self.figures, key, "ratio_qoq_pt", _period(period or self.quarter))

    # The commentary filters ``yoy_change_dir`` and ``qoq_change_dir`` call these.
    def yoy_change(self, key: str, period: PeriodLike | None = None) -> Figure:
        return shown_measure(self.figures, key, "yoy_change", _period(period or self.quarter))

    def qoq_change(self, key: str, period: PeriodLike | None = None) -> Figure:
        return shown_measure(self.figures, key, "qoq_change", _period(period or self.quarter))

    def change(self, key: str, period: PeriodLike, base: PeriodLike) -> Figure:
        """Difference between two periods, such as a balance-sheet change."""
        return measures.difference(self.value(key, period), self.value(key, base), f"{key}:change")

    def growth(self, key: str, period: PeriodLike, base: PeriodLike) -> Figure:
        """Percent change between any two periods (a full year against the prior one)."""
        return measures.change(self.value(key, period), self.value(key, base), f"{key}:growth")

    def series(self, key: str, count: int = 5) -> list[Figure]:
        """The item over the ``count`` quarters ending with this one, oldest first."""
        return [self.value(key, q) for q in self.quarter.trailing(count)]

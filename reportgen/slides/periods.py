"""Period names as an edition prints them, from the catalogue and the fiscal calendar.

English decks name a period by its code (``1Q08``, ``FY08``). Japanese releases
name the fiscal year by the month it ends in: IIJ's FY2008 ends in March 2009,
so 1Q08 is 「2009年3月期 第1四半期」. The wording lives in the catalogue
(``period.*``); the months come from ``reportgen/quarters.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.quarters import FiscalCalendar, Period, Quarter
from reportgen.slides.messages import Messages

_KIND_KEYS = {"Q": "quarter", "H": "half", "9M": "nine_months", "FY": "year"}


@dataclass(frozen=True, slots=True)
class PeriodNames:
    """Names periods in one language under one fiscal calendar."""

    messages: Messages
    calendar: FiscalCalendar

    def _values(self, period: Period) -> dict[str, object]:
        end_year, end_month = self.calendar.month(period.fiscal_year, 11)
        return {
            "code": period.name,
            "number": period.number,
            "fiscal_year": period.fiscal_year,
            "end_year": end_year,
            "end_yy": f"{end_year % 100:02d}",
            "end_month": end_month,
        }

    def name(self, period: Period | Quarter | str) -> str:
        """The full name: ``1Q08`` / 「2009年3月期 第1四半期」."""
        p = _period(period)
        return self.messages(f"period.{_KIND_KEYS[p.kind]}", **self._values(p))

    def quarter_label(self, quarter: Quarter) -> str:
        """``1Q FY2025`` / 「2026年3月期 第1四半期」: the deck's quarter in slide titles."""
        return self.messages(
            "deck.quarter_label",
            number=quarter.number,
            fiscal_year=quarter.fiscal_year,
            name=self.name(quarter),
        )

    def fiscal_year(self, fiscal_year: int) -> str:
        """A fiscal year in full: ``FY2010`` / 「2011年3月期」."""
        return self.messages("period.fiscal_year", **self._values(Period("FY", 0, fiscal_year)))

    def short(self, period: Period | Quarter | str) -> str:
        """The name on a chart axis or a narrow column: ``1Q08`` / 「09/3期 1Q」."""
        p = _period(period)
        return self.messages(f"period.short_{_KIND_KEYS[p.kind]}", **self._values(p))

    def span(self, period: Period | Quarter | str) -> str:
        """The months a period covers: ``08/4 ~ 08/6``."""
        p = _period(period)
        first = p.quarters[0].first_month(self.calendar)
        last = p.quarters[-1].last_month(self.calendar)
        return self.messages(
            "period.span",
            first_yy=f"{first[0] % 100:02d}",
            first_month=first[1],
            last_yy=f"{last[0] % 100:02d}",
            last_month=last[1],
        )


def _period(period: Period | Quarter | str) -> Period:
    if isinstance(period, Quarter):
        return Period.of(period)
    return Period.parse(period) if isinstance(period, str) else period

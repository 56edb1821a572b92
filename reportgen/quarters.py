"""Fiscal quarters and periods: parse strictly, then do calendar arithmetic.

A quarter name such as ``1Q08`` is validated here, before it touches a path.
Names are matched case-insensitively (``1q08`` is ``1Q08``), since analysts type
both; anything else is rejected with a ``QuarterError``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from reportgen.errors import QuarterError

# ASCII digits only: \d would also take Bengali or Arabic-Indic digits as a year.
_QUARTER_RE = re.compile(r"([1-4])Q(\d{2})", re.ASCII)
_PERIOD_RE = re.compile(
    r"(?:(?P<q>[1-4])Q|(?P<h>[12])H|(?P<m>9M)|(?P<fy>FY))(?P<yy>\d{2})", re.ASCII
)


@dataclass(frozen=True, slots=True)
class FiscalCalendar:
    """A company's fiscal calendar: the month its fiscal year starts in.

    IIJ's FY2008 runs April 2008 to March 2009, so ``start_month`` is 4 and the
    fiscal year is named after the calendar year it starts in.
    """

    start_month: int = 4

    def __post_init__(self) -> None:
        if not 1 <= self.start_month <= 12:
            raise QuarterError(f"fiscal year start month {self.start_month}: expected 1 to 12")

    def month(self, fiscal_year: int, offset: int) -> tuple[int, int]:
        """Return (year, month) of the month ``offset`` months into the fiscal year."""
        index = self.start_month - 1 + offset
        return fiscal_year + index // 12, index % 12 + 1


@dataclass(frozen=True, slots=True, order=True)
class Quarter:
    """A fiscal quarter, such as 1Q08 (the first quarter of FY2008)."""

    fiscal_year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse ``1Q08``; raise ``QuarterError`` for anything else."""
        match = _QUARTER_RE.fullmatch(text.strip().upper()) if isinstance(text, str) else None
        if match is None:
            shown = text if isinstance(text, str) and text else "(empty)"
            raise QuarterError(
                f"quarter {shown!r}: expected a quarter such as 1Q08 (1-4, 'Q', two-digit year)"
            )
        return cls(2000 + int(match.group(2)), int(match.group(1)))

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        """Return the quarter with the given ordinal (see ``index``)."""
        return cls(index // 4, index % 4 + 1)

    @property
    def index(self) -> int:
        """Ordinal that increases by one each quarter, for arithmetic."""
        return self.fiscal_year * 4 + self.number - 1

    @property
    def name(self) -> str:
        return f"{self.number}Q{self.fiscal_year % 100:02d}"

    def __str__(self) -> str:
        return self.name

    def shift(self, quarters: int) -> Quarter:
        return Quarter.from_index(self.index + quarters)

    @property
    def previous(self) -> Quarter:
        return self.shift(-1)

    @property
    def year_ago(self) -> Quarter:
        return self.shift(-4)

    def trailing(self, count: int) -> tuple[Quarter, ...]:
        """Return the ``count`` quarters ending with this one, oldest first."""
        return tuple(self.shift(offset) for offset in range(1 - count, 1))

    @property
    def deck_periods(self) -> frozenset[str]:
        """The periods this quarter's deck shows: the five quarters its charts draw
        (this one and the year-ago one included) and both years' year-to-date periods.

        Checks about other periods are not this deck's concern.
        """
        year_to_date = (self.year_to_date.name, self.year_ago.year_to_date.name)
        return frozenset((*(q.name for q in self.trailing(5)), *year_to_date))

    @property
    def half(self) -> Period:
        return Period("H", 1 if self.number <= 2 else 2, self.fiscal_year)

    @property
    def fiscal_year_period(self) -> Period:
        return Period("FY", 0, self.fiscal_year)

    @property
    def year_to_date(self) -> Period:
        """The cumulative period that ends with this quarter (1Q, 1H, 9M or FY)."""
        return {
            1: Period("Q", 1, self.fiscal_year),
            2: self.half,
            3: Period("9M", 0, self.fiscal_year),
            4: self.fiscal_year_period,
        }[self.number]

    def first_month(self, cal: FiscalCalendar) -> tuple[int, int]:
        return cal.month(self.fiscal_year, 3 * (self.number - 1))

    def last_month(self, cal: FiscalCalendar) -> tuple[int, int]:
        return cal.month(self.fiscal_year, 3 * (self.number - 1) + 2)

    def end_date(self, cal: FiscalCalendar) -> date:
        year, month = self.last_month(cal)
        return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A reporting period: a quarter (Q), a half (H), nine months (9M) or a year (FY)."""

    kind: str
    number: int
    fiscal_year: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``1Q08``, ``1H07``, ``2H07``, ``9M08`` or ``FY07``."""
        match = _PERIOD_RE.fullmatch(text.strip().upper()) if isinstance(text, str) else None
        if match is None:
            raise QuarterError(
                f"period {text!r}: expected a quarter (1Q08), half (1H08), "
                "nine months (9M08) or fiscal year (FY08)"
            )
        year = 2000 + int(match["yy"])
        if match["q"]:
            return cls("Q", int(match["q"]), year)
        if match["h"]:
            return cls("H", int(match["h"]), year)
        return cls("9M" if match["m"] else "FY", 0, year)

    @classmethod
    def of(cls, quarter: Quarter) -> Period:
        return cls("Q", quarter.number, quarter.fiscal_year)

    @property
    def quarters(self) -> tuple[Quarter, ...]:
        """The quarters this period is made of, in order."""
        first, count = {
            "Q": (self.number, 1),
            "H": (1 + 2 * (self.number - 1), 2),
            "9M": (1, 3),
            "FY": (1, 4),
        }[self.kind]
        return tuple(Quarter(self.fiscal_year, n) for n in range(first, first + count))

    @property
    def quarter(self) -> Quarter | None:
        return Quarter(self.fiscal_year, self.number) if self.kind == "Q" else None

    @property
    def name(self) -> str:
        yy = f"{self.fiscal_year % 100:02d}"
        return {
            "Q": f"{self.number}Q{yy}",
            "H": f"{self.number}H{yy}",
            "9M": f"9M{yy}",
            "FY": f"FY{yy}",
        }[self.kind]

    def __str__(self) -> str:
        return self.name

    def span_label(self, cal: FiscalCalendar) -> str:
        """Return the months the period covers as the deck prints them: ``08/4 ~ 08/6``."""
        first = self.quarters[0].first_month(cal)
        last = self.quarters[-1].last_month(cal)
        return f"{first[0] % 100:02d}/{first[1]} ~ {last[0] % 100:02d}/{last[1]}"


def chronological(name: str) -> tuple[int, int, int]:
    """Sort key of a period name: 1Q07, 2Q07, 1H07, 3Q07, 9M07, 4Q07, FY07 (shorter first)."""
    period = Period.parse(name)
    return period.fiscal_year, period.quarters[-1].number, len(period.quarters)

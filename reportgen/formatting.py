"""The only place numbers become text.

Accounting style throughout: negatives and decreases are marked, never given a
minus sign; in parentheses for the English edition, with a triangle (△1,528) for
the Japanese one, as Japanese releases print them. Thousands separators;
rounding half away from zero, applied here and nowhere else. Rounding never
hides a sign: a loss of JPY 14 million in JPY billion is ``(0.0)``, never ``0.0``.
A value missing from the data set prints as the edition's ``missing`` text
(``n/a``), one the company says it does not disclose as ``undisclosed`` (``n/d``),
and a change that is not meaningful (from or to a loss) as ``not_meaningful``.

``Numbers`` is bound to an edition's ``NumberStyle``; builders use the one their
``BuildContext`` carries (``ctx.numbers``). The module-level functions are the
English edition's, for code that is not edition-specific (checks, logs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from babel.dates import format_date, format_skeleton

MISSING = "n/a"
UNDISCLOSED = "n/d"
NOT_MEANINGFUL = "n.m."

# Float noise (0.0985 * 100 == 9.849999999999998) must not decide a rounding
# half case, so values are first snapped to this many decimal places.
_NOISE_PLACES = Decimal("1e-9")


def _snap(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(_NOISE_PLACES, rounding=ROUND_HALF_UP)


def _round(value: float, places: int) -> Decimal:
    return _snap(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def sign(value: float) -> int:
    """-1, 0 or 1: the sign of a value, float noise (1e-12 after a subtraction) being zero."""
    snapped = _snap(value)
    return (snapped > 0) - (snapped < 0)


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """How one edition writes numbers: negative mark, units, the text for a gap."""

    negative: Literal["parentheses", "triangle"] = "parentheses"
    missing: str = MISSING
    undisclosed: str = UNDISCLOSED
    not_meaningful: str = NOT_MEANINGFUL
    yen_prefix: str = "JPY"
    yen_suffix: str = ""
    points_suffix: str = "pt"
    # "billion": JPY billion (10^9, one decimal); "oku": 億円 (10^8, one place fewer),
    # so JPY 16.3 billion is 163億円 and both round the same amount.
    large_unit: Literal["billion", "oku"] = "billion"
    # Babel locale for dates and month names.
    locale: str = "en"

    def mark_negative(self, body: str) -> str:
        return f"({body})" if self.negative == "parentheses" else f"△{body}"


EN_STYLE = NumberStyle()
# Japanese IR convention: △ for negatives, 円 after the amount, ポイント for points, 億円.
JA_STYLE = NumberStyle(
    negative="triangle",
    missing=MISSING,
    # 決算短信 print a dash where a change is not meaningful (from or to a loss).
    not_meaningful="\uff0d",  # full-width hyphen-minus
    yen_prefix="",
    yen_suffix="円",
    points_suffix="ポイント",
    large_unit="oku",
    locale="ja",
)


@dataclass(frozen=True, slots=True)
class Numbers:
    """Number formatting bound to one edition's style; one small method per style."""

    style: NumberStyle = EN_STYLE

    @property
    def missing(self) -> str:
        return self.style.missing

    @property
    def undisclosed(self) -> str:
        return self.style.undisclosed

    @property
    def not_meaningful(self) -> str:
        return self.style.not_meaningful

    def _accounting(
        self,
        value: float | None,
        places: int,
        *,
        prefix: str = "",
        suffix: str = "",
        signed: bool = False,
    ) -> str:
        if value is None:
            return self.style.missing
        rounded = _round(value, places)
        body = f"{prefix}{abs(rounded):,.{places}f}{suffix}"
        # The sign of the value, not of its rounding: a small loss stays marked, (0.0).
        if sign(value) < 0:
            return self.style.mark_negative(body)
        if signed and sign(value) > 0:
            return f"+{body}"
        return body

    def number(self, value: float | None, places: int = 0, *, signed: bool = False) -> str:
        """Format a plain number: ``1,513``, ``(25)`` / ``△25``; ``signed`` adds ``+``."""
        return self._accounting(value, places, signed=signed)

    def jpy_million(self, value: float | None, *, signed: bool = False) -> str:
        """Format JPY millions: ``9,943``, ``(1,528)``; ``signed`` gives ``+931``."""
        return self._accounting(value, 0, signed=signed)

    def jpy_billion(
        self, value_jpy_m: float | None, *, signed: bool = False, places: int = 1
    ) -> str:
        """Format a JPY-million amount in the edition's large unit: ``16.3`` or ``163`` (億円).

        ``places`` counts decimals of JPY billion; 億円 has one fewer (never below zero).
        """
        if value_jpy_m is None:
            return self.style.missing
        return self._accounting(
            value_jpy_m * self.large_scale, self._large_places(places), signed=signed
        )

    def _large_places(self, places: int) -> int:
        """Decimals in the large unit for ``places`` decimals of JPY billion (億円: one fewer)."""
        return places if self.style.large_unit == "billion" else max(places - 1, 0)

    def jpy(self, value: float | None, *, signed: bool = False) -> str:
        """Format a yen amount such as a per-share figure: ``JPY3,875`` or ``3,875円``."""
        return self._accounting(
            value, 0, prefix=self.style.yen_prefix, suffix=self.style.yen_suffix, signed=signed
        )

    def percent(self, value: float | None, places: int = 1, *, signed: bool = False) -> str:
        """Format a percentage or a percent change: ``19.2%``, ``(40.5%)``, ``△40.5%``."""
        return self._accounting(value, places, suffix="%", signed=signed)

    def points(self, value: float | None, places: int = 1, *, signed: bool = True) -> str:
        """Format a change of a ratio in percentage points: ``+1.0pt``, ``(1.6)pt``."""
        if value is None:
            return self.style.missing
        return self._accounting(value, places, signed=signed) + self.style.points_suffix

    def magnitude_percent(self, value: float | None, places: int = 1) -> str:
        """Format the size of a change without its sign, after a word that gives it."""
        return self.style.missing if value is None else self.percent(abs(value), places)

    def magnitude(self, value: float | None, places: int = 0) -> str:
        """Format the size of a number without its sign: ``1,528``."""
        return self.style.missing if value is None else self.number(abs(value), places)

    def direction(
        self, value: float | None, up: str = "up", down: str = "down", flat: str = "flat"
    ) -> str:
        """Return the word for the direction of a change, for commentary.

        The value's own sign decides, as it decides the mark on its number: a fall
        of 0.04% is "down 0.0%", as its number is (0.0%).
        """
        if value is None:
            return self.style.missing
        way = sign(value)
        return up if way > 0 else down if way < 0 else flat

    def excel_format(self, kind: str) -> str:
        """The spreadsheet number format that prints a value as this edition does."""
        neg = (
            (lambda body: f"({body})")
            if self.style.negative == "parentheses"
            else (lambda body: f'"△"{body}')
        )
        yen = (
            f'"{self.style.yen_prefix}"#,##0'
            if self.style.yen_prefix
            else f'#,##0"{self.style.yen_suffix}"'
        )
        decimals = self._large_places(1)
        large = "#,##0" + ("." + "0" * decimals if decimals else "")
        body = {
            "million": "#,##0",
            "number": "#,##0",
            "decimal": "#,##0.0",
            "billion": large,
            "percent": "#,##0.0%",
            "yen": yen,
        }
        if kind == "points":
            pts = f'"{self.style.points_suffix}"'
            # Three sections: a zero change prints 0.0pt, unsigned, as ``points`` does.
            if self.style.negative == "parentheses":
                return f"+#,##0.0{pts};(#,##0.0){pts};0.0{pts}"
            return f'+#,##0.0{pts};"△"#,##0.0{pts};0.0{pts}'
        return f"{body[kind]};{neg(body[kind])}"

    def long_date(self, day: date) -> str:
        """``June 30, 2008`` or ``2008年6月30日``."""
        return format_date(day, "long", locale=self.style.locale)

    def month_year(self, year: int, month: int) -> str:
        """``April 2008`` or ``2008年4月``."""
        return format_skeleton("yMMMM", date(year, month, 1), locale=self.style.locale)

    @property
    def large_scale(self) -> float:
        """Spreadsheet value of a JPY-million amount in the large unit (billion or 億)."""
        return 0.001 if self.style.large_unit == "billion" else 0.01


EDITION_STYLES: dict[str, NumberStyle] = {"en": EN_STYLE, "ja": JA_STYLE}


def numbers_for(edition: str) -> Numbers:
    """The formatter of an edition (``en`` or ``ja``)."""
    return Numbers(EDITION_STYLES[edition])


_EN = Numbers(EN_STYLE)
number = _EN.number
jpy_million = _EN.jpy_million
jpy_billion = _EN.jpy_billion
jpy = _EN.jpy
percent = _EN.percent
points = _EN.points
magnitude_percent = _EN.magnitude_percent

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

from dataclasses import dataclass, replace
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


# The units a company reports in (``company.yaml`` ``reporting:``), as powers of ten.
SCALES: dict[str, int] = {"thousand": 3, "million": 6, "billion": 9}
# Japanese unit words by power of ten. A "billion" large unit is 億 (10^8) in Japanese,
# as Japanese releases print it: JPY 16.3 billion is 163億円, one decimal fewer.
JA_SCALE_WORDS: dict[int, str] = {3: "千", 6: "百万", 8: "億"}
# The currency's name in Japanese, after the amount (1,528百万円, 15千ユーロ). A code not
# listed here is printed as its ISO code (15百万SEK): readable, never a guess.
JA_CURRENCY: dict[str, str] = {
    "JPY": "円",
    "USD": "ドル",
    "EUR": "ユーロ",
    "GBP": "ポンド",
    "CHF": "スイスフラン",
    "CNY": "人民元",
    "KRW": "ウォン",
    "AUD": "豪ドル",
    "CAD": "カナダドル",
    "HKD": "香港ドル",
    "SGD": "シンガポールドル",
}
# ISO 4217 minor units: the decimals of a per-share amount (EPS JPY3,875; EUR1.25).
NO_MINOR_UNITS = frozenset({"JPY", "KRW"})


@dataclass(frozen=True, slots=True)
class Money:
    """The reporting currency and scales: what a figure of ``figures/*.csv`` is in."""

    currency: str = "JPY"  # ISO 4217
    scale: str = "million"  # the unit of the figures (tables, commentary)
    large_scale: str = "billion"  # the unit of summary tables (one decimal)

    @property
    def per_share_places(self) -> int:
        return 0 if self.currency in NO_MINOR_UNITS else 2


JPY_MILLION = Money()


def _ja_large_exponent(money: Money) -> int:
    exponent = SCALES[money.large_scale]
    return 8 if exponent == 9 else exponent


def money_units(money: Money, edition: str) -> dict[str, str]:
    """The unit words an edition's catalogue places in its texts.

    ``currency`` (JPY / 円), ``scale`` and ``large_scale`` (million / 百万),
    ``money`` and ``money_large`` (``JPY million`` / 百万円, ``JPY billion`` / 億円).
    """
    if edition == "ja":
        name = JA_CURRENCY.get(money.currency, money.currency)
        small = JA_SCALE_WORDS[SCALES[money.scale]]
        large = JA_SCALE_WORDS[_ja_large_exponent(money)]
        return {
            "currency": name,
            "scale": small,
            "large_scale": large,
            "money": f"{small}{name}",
            "money_large": f"{large}{name}",
        }
    return {
        "currency": money.currency,
        "scale": money.scale,
        "large_scale": money.large_scale,
        "money": f"{money.currency} {money.scale}",
        "money_large": f"{money.currency} {money.large_scale}",
    }


def money_unit(money: Money, edition: str, *, large: bool = False) -> str:
    """The money unit text of an edition: ``JPY million``, ``EUR thousand``, 百万円, 千ユーロ."""
    return money_units(money, edition)["money_large" if large else "money"]


@dataclass(frozen=True, slots=True)
class NumberStyle:
    """How one edition writes numbers: negative mark, units, the text for a gap."""

    negative: Literal["parentheses", "triangle"] = "parentheses"
    missing: str = MISSING
    undisclosed: str = UNDISCLOSED
    not_meaningful: str = NOT_MEANINGFUL
    # A per-share amount's currency: before it in English (JPY3,875), after in Japanese (3,875円).
    yen_prefix: str = "JPY"
    yen_suffix: str = ""
    per_share_places: int = 0
    points_suffix: str = "pt"
    # Powers of ten: the figures' unit, the large unit's nominal size (``large_scale``,
    # whose decimals ``places`` counts) and the edition's own large unit. JPY billion
    # is 10^9 in English, 億円 (10^8, one place fewer) in Japanese, so JPY 16.3 billion
    # is 163億円 and both round the same amount.
    scale_exponent: int = 6
    nominal_large_exponent: int = 9
    large_exponent: int = 9
    # Babel locale for dates and month names.
    locale: str = "en"

    def mark_negative(self, body: str) -> str:
        return f"({body})" if self.negative == "parentheses" else f"△{body}"

    def in_money(self, money: Money) -> NumberStyle:
        """This edition's style for amounts in ``money`` (currency and scales)."""
        japanese = self.locale == "ja"
        name = JA_CURRENCY.get(money.currency, money.currency)
        return replace(
            self,
            yen_prefix="" if japanese else money.currency,
            yen_suffix=name if japanese else "",
            per_share_places=money.per_share_places,
            scale_exponent=SCALES[money.scale],
            nominal_large_exponent=SCALES[money.large_scale],
            large_exponent=_ja_large_exponent(money) if japanese else SCALES[money.large_scale],
        )


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
    large_exponent=8,
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
        """Format an amount in the reporting unit (JPY million): ``9,943``, ``(1,528)``.

        ``signed`` gives ``+931``. The name is historical: the unit is the company's.
        """
        return self._accounting(value, 0, signed=signed)

    def jpy_billion(
        self, value_jpy_m: float | None, *, signed: bool = False, places: int = 1
    ) -> str:
        """Format an amount of the reporting unit in the edition's large unit.

        ``16.3`` (JPY billion) or ``163`` (億円). ``places`` counts decimals of the
        company's ``large_scale`` (JPY billion); 億円 has one fewer (never below zero).
        """
        if value_jpy_m is None:
            return self.style.missing
        return self._accounting(
            value_jpy_m * self.large_scale, self._large_places(places), signed=signed
        )

    def _large_places(self, places: int) -> int:
        """Decimals in the large unit for ``places`` of the nominal one (億円: one fewer)."""
        shift = self.style.nominal_large_exponent - self.style.large_exponent
        return max(places - shift, 0)

    def jpy(self, value: float | None, *, signed: bool = False) -> str:
        """Format a per-share amount in the currency: ``JPY3,875``, ``3,875円``, ``EUR1.25``."""
        return self._accounting(
            value,
            self.style.per_share_places,
            prefix=self.style.yen_prefix,
            suffix=self.style.yen_suffix,
            signed=signed,
        )

    def currency_amount(self, value: float | None, *, signed: bool = False) -> str:
        """An amount of the reporting unit with its currency: ``JPY14`` (then ``million``)."""
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
        minor = "." + "0" * self.style.per_share_places if self.style.per_share_places else ""
        yen = (
            f'"{self.style.yen_prefix}"#,##0{minor}'
            if self.style.yen_prefix
            else f'#,##0{minor}"{self.style.yen_suffix}"'
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
        """Spreadsheet value of an amount of the reporting unit in the large unit (billion, 億)."""
        # 10 ** -3 is 0.001 exactly as written; a float power would not be.
        return float(Decimal(1).scaleb(self.style.scale_exponent - self.style.large_exponent))


EDITION_STYLES: dict[str, NumberStyle] = {"en": EN_STYLE, "ja": JA_STYLE}


def numbers_for(edition: str, money: Money = JPY_MILLION) -> Numbers:
    """The formatter of an edition (``en`` or ``ja``) for amounts in ``money``."""
    style = EDITION_STYLES[edition]
    return Numbers(style if money == JPY_MILLION else style.in_money(money))


_EN = Numbers(EN_STYLE)
number = _EN.number
jpy_million = _EN.jpy_million
jpy_billion = _EN.jpy_billion
jpy = _EN.jpy
percent = _EN.percent
points = _EN.points
magnitude_percent = _EN.magnitude_percent

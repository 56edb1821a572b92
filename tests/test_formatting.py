import math
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen import formatting as fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (9943, "9,943"),
        (-1528, "(1,528)"),
        (0, "0"),
        (0.4, "0"),
        (-0.4, "(0)"),
        (None, fmt.MISSING),
        (1234567, "1,234,567"),
        (2.5, "3"),
        (-2.5, "(3)"),
    ],
    ids=[
        "plain",
        "negative",
        "zero",
        "rounds-down",
        "negative-zero",
        "missing",
        "millions",
        "half-up",
        "half-away",
    ],
)
def test_jpy_million(value: float | None, expected: str) -> None:
    assert fmt.jpy_million(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(931, "+931"), (-19, "(19)"), (0, "0"), (1, "+1")],
    ids=["increase", "decrease", "zero", "one"],
)
def test_signed_change(value: float, expected: str) -> None:
    assert fmt.jpy_million(value, signed=True) == expected


@pytest.mark.parametrize(
    ("value_jpy_m", "expected"),
    [
        (16328, "16.3"),
        (13696, "13.7"),
        (411, "0.4"),
        (-2695, "(2.7)"),
        (66835, "66.8"),
        (None, fmt.MISSING),
    ],
    ids=["revenue", "prior", "small", "negative", "year", "missing"],
)
def test_jpy_billion(value_jpy_m: float | None, expected: str) -> None:
    assert fmt.jpy_billion(value_jpy_m) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (19.2, "19.2%"),
        (-40.5, "(40.5%)"),
        (9.85, "9.9%"),
        (0.0985 * 100, "9.9%"),
        (-9.85, "(9.9%)"),
        (-0.04, "(0.0%)"),
        (None, fmt.MISSING),
    ],
    ids=["up", "down", "half", "float-noise-half", "negative-half", "tiny-negative", "missing"],
)
def test_percent(value: float | None, expected: str) -> None:
    assert fmt.percent(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-1.6, "(1.6)pt"), (1.0, "+1.0pt"), (0.0, "0.0pt")],
    ids=["down", "up", "flat"],
)
def test_points(value: float, expected: str) -> None:
    assert fmt.points(value) == expected


def test_per_share_yen() -> None:
    assert fmt.jpy(25184.28) == "JPY25,184"
    assert fmt.jpy(250, signed=True) == "+JPY250"


def _unformat(text: str) -> float:
    negative = text.startswith("(")
    body = text.strip("()%").replace(",", "")
    return -float(body) if negative else float(body)


finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


@given(finite)
def test_million_round_trips_within_half_a_unit(value: float) -> None:
    text = fmt.jpy_million(value)
    assert "-" not in text
    assert math.isclose(_unformat(text), value, abs_tol=0.5 + 1e-6)
    if text.startswith("("):
        assert value < 0


@given(finite)
def test_percent_sign_is_parentheses(value: float) -> None:
    text = fmt.percent(value)
    assert text.endswith(("%", "%)"))
    if text.startswith("("):
        assert value < 0
    assert abs(_unformat(text) - value) <= 0.05 + 1e-6


JA = fmt.numbers_for("ja")


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: JA.jpy_million(-1528), "△1,528"),
        (lambda: JA.jpy_million(931, signed=True), "+931"),
        (lambda: JA.jpy_billion(16328), "163"),
        (lambda: JA.jpy_billion(-2695), "△27"),
        (lambda: JA.jpy_billion(100000, places=0), "1,000"),
        (lambda: JA.jpy(3875), "3,875円"),
        (lambda: JA.percent(-40.5), "△40.5%"),
        (lambda: JA.points(-1.6), "△1.6ポイント"),
        (lambda: JA.points(1.0), "+1.0ポイント"),
        (lambda: JA.jpy_million(None), "n/a"),
        (lambda: JA.jpy_billion(-14), "△0"),
        (lambda: JA.percent(-0.04), "△0.0%"),
        (lambda: JA.not_meaningful, "\uff0d"),
        (lambda: JA.long_date(date(2008, 8, 12)), "2008年8月12日"),
        (lambda: JA.month_year(2008, 4), "2008年4月"),
        (lambda: fmt.numbers_for("en").long_date(date(2008, 6, 30)), "June 30, 2008"),
        (lambda: JA.excel_format("million"), '#,##0;"△"#,##0'),
    ],
    ids=[
        "million-negative",
        "million-signed",
        "oku",
        "oku-negative",
        "oku-medium-term",
        "yen",
        "percent-negative",
        "points-down",
        "points-up",
        "missing",
        "oku-small-loss",
        "percent-small-fall",
        "not-meaningful",
        "date",
        "month",
        "en-date",
        "excel",
    ],
)
def test_japanese_style(call: Callable[[], str], expected: str) -> None:
    assert call() == expected


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: fmt.jpy_billion(-14), "(0.0)"),
        (lambda: fmt.jpy_billion(-49), "(0.0)"),
        (lambda: fmt.jpy_billion(-50), "(0.1)"),
        (lambda: fmt.jpy_billion(14), "0.0"),
        (lambda: fmt.percent(-0.04), "(0.0%)"),
        (lambda: fmt.percent(0.04, signed=True), "+0.0%"),
        (lambda: fmt.points(-0.01), "(0.0)pt"),
        (lambda: fmt.jpy_million(100.1 - 100.1), "0"),
        (lambda: fmt.numbers_for("en").not_meaningful, "n.m."),
    ],
    ids=[
        "billion-small-loss",
        "billion-below-half",
        "billion-half",
        "billion-small-profit",
        "percent-small-fall",
        "percent-small-rise-signed",
        "points-small-fall",
        "float-noise-is-zero",
        "not-meaningful",
    ],
)
def test_rounding_keeps_the_sign(call: Callable[[], str], expected: str) -> None:
    assert call() == expected


# Figures as data files type them: up to two decimals.
@given(st.integers(min_value=-(10**9), max_value=10**9).map(lambda n: n / 100))
def test_negative_values_are_always_marked(value: float) -> None:
    for numbers in (fmt.numbers_for("en"), fmt.numbers_for("ja")):
        for text in (
            numbers.jpy_billion(value),
            numbers.percent(value),
            numbers.jpy_million(value),
        ):
            marked = text.startswith(("(", "△"))
            assert marked == (fmt.sign(value) < 0), (value, text)


# A company reporting in another currency and scale (company.yaml ``reporting:``).
EUR_THOUSAND = fmt.Money("EUR", "thousand", "million")


@pytest.mark.parametrize(
    ("edition", "money", "million", "billion"),
    [
        ("en", fmt.JPY_MILLION, "JPY million", "JPY billion"),
        ("ja", fmt.JPY_MILLION, "百万円", "億円"),
        ("en", EUR_THOUSAND, "EUR thousand", "EUR million"),
        ("ja", EUR_THOUSAND, "千ユーロ", "百万ユーロ"),
        ("en", fmt.Money("USD", "million", "billion"), "USD million", "USD billion"),
        ("ja", fmt.Money("USD", "million", "billion"), "百万ドル", "億ドル"),
        ("ja", fmt.Money("JPY", "thousand", "million"), "千円", "百万円"),
        # A currency without a Japanese name in the table: its ISO code, never a guess.
        ("ja", fmt.Money("SEK", "million", "billion"), "百万SEK", "億SEK"),
    ],
)
def test_money_unit_follows_the_reporting_currency_and_scale(
    edition: str, money: fmt.Money, million: str, billion: str
) -> None:
    assert fmt.money_unit(money, edition) == million
    assert fmt.money_unit(money, edition, large=True) == billion


@pytest.mark.parametrize(
    ("edition", "value", "places", "expected"),
    [
        # EUR thousand in EUR million: one decimal in both editions (no 億 shift).
        ("en", 16328, 1, "16.3"),
        ("en", -1528, 1, "(1.5)"),
        ("en", 1250, 1, "1.3"),  # half away from zero
        ("en", -1250, 1, "(1.3)"),
        ("en", -14, 1, "(0.0)"),  # a small loss stays marked
        ("ja", 16328, 1, "16.3"),
        ("ja", -1528, 1, "△1.5"),
        ("ja", -14, 1, "△0.0"),
    ],
)
def test_large_unit_in_another_currency(
    edition: str, value: float, places: int, expected: str
) -> None:
    assert fmt.numbers_for(edition, EUR_THOUSAND).jpy_billion(value, places=places) == expected


def test_per_share_amounts_carry_the_currency_and_its_minor_units() -> None:
    en, ja = fmt.numbers_for("en", EUR_THOUSAND), fmt.numbers_for("ja", EUR_THOUSAND)
    assert en.jpy(1.255) == "EUR1.26"  # half away from zero, not banker's
    assert en.jpy(-1.5) == "(EUR1.50)"
    assert ja.jpy(-1.5) == "△1.50ユーロ"
    assert en.jpy_million(-1528) == "(1,528)"
    assert en.excel_format("yen") == '"EUR"#,##0.00;("EUR"#,##0.00)'
    assert ja.excel_format("yen") == '#,##0.00"ユーロ";"△"#,##0.00"ユーロ"'
    # JPY has no minor unit: today's formats, unchanged.
    assert fmt.numbers_for("en").jpy(3875) == "JPY3,875"
    assert fmt.numbers_for("ja").excel_format("billion") == '#,##0;"△"#,##0'


def test_large_scale_is_the_spreadsheet_factor_of_the_edition_unit() -> None:
    assert fmt.numbers_for("en").large_scale == 0.001
    assert fmt.numbers_for("ja").large_scale == 0.01  # 億円
    assert fmt.numbers_for("ja", EUR_THOUSAND).large_scale == 0.001
    assert fmt.numbers_for("ja", EUR_THOUSAND).excel_format("billion") == '#,##0.0;"△"#,##0.0'

"""The fictional company's decks for the rest of FY2025: 2Q25, 3Q25 and 4Q25.

Each is the full 1Q25 deck; a 2Q deck adds the first-half view and a 4Q deck the
full-year view, and the forecast shows the targets in force at the release (2Q25:
the revision announced with it; 4Q25: the next year's). Figures are checked
against the model and ``targets.csv``, never typed here.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date

import pytest

from reportgen import formatting
from reportgen.data.load import Dataset, Target, load_dataset
from reportgen.model.figures import Figures
from reportgen.model.quarter import QuarterModel
from reportgen.model.targets import targets_in_force
from reportgen.quarters import Quarter
from reportgen.slides.cells import Table
from reportgen.slides.deck import load_deck_spec
from reportgen.slides.reference import PressContent
from tests.conftest import ROOT, BuiltDeck, DeckShelf, content_items, undisclosed_columns

EXAMPLE = ROOT / "data" / "examples" / "fictional"
QUARTERS = ("2Q25", "3Q25", "4Q25")
# Slides 3-11 (2-10 without a period view) one chart each; cash flows and other data three.
CHARTS = 15
PER_SHARE = ("eps", "dps")  # the forecast rows shown in JPY, not JPY billion


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def decks(shelf: DeckShelf) -> dict[str, BuiltDeck]:
    """Each deck built once for the whole run (conftest's shelf)."""
    return dict(zip(QUARTERS, shelf.get_many((EXAMPLE, q, "en") for q in QUARTERS), strict=True))


def _model(dataset: Dataset, quarter: str) -> QuarterModel:
    return QuarterModel(dataset.figures, Quarter.parse(quarter), dataset.calendar)


def _in_force(dataset: Dataset, key: str, period: str, release: date) -> Target:
    """The ``targets.csv`` row a deck released on ``release`` must show."""
    rows = [
        t
        for t in dataset.targets
        if (t.figure.key, t.figure.period) == (key, period)
        and date.fromisoformat(t.announced) <= release
    ]
    return max(rows, key=lambda t: t.announced)


# Every deck ----------------------------------------------------------------------------


@pytest.mark.parametrize("quarter", QUARTERS)
def test_full_deck_one_page_per_slide(
    decks: dict[str, BuiltDeck], dataset: Dataset, quarter: str
) -> None:
    deck = decks[quarter]
    first = [s.kind for s in load_deck_spec(dataset, Quarter.parse("1Q25")).slides]
    # Each adds its period view (first half, nine months, year) after the cover.
    expected = [first[0], "period_summary", *first[1:]]
    assert [s.kind for s in deck.result.deck.spec.slides] == expected
    assert len(deck.pages) == len(expected)
    assert len(deck.slides) == len(expected)
    assert deck.result.deck.spec.title in deck.pages[0]
    assert "Fictional company" in deck.pages[0]


@pytest.mark.parametrize("quarter", QUARTERS)
def test_nothing_is_marked_not_disclosed(decks: dict[str, BuiltDeck], quarter: str) -> None:
    for number, page in enumerate(decks[quarter].pages, start=1):
        assert "n/d" not in page, f"{quarter} page {number}"
        assert "n/a" not in page, f"{quarter} page {number}"
        assert "not disclosed" not in page.lower(), f"{quarter} page {number}"
        assert "total only" not in page.lower(), f"{quarter} page {number}"


@pytest.mark.parametrize("quarter", QUARTERS)
def test_every_chart_is_drawn_in_full(decks: dict[str, BuiltDeck], quarter: str) -> None:
    deck = decks[quarter]
    charts = [(s.kind, c) for s in deck.slides for c in s.charts]
    assert len(charts) == CHARTS
    for kind, chart in charts:
        assert not chart.spec.empty, kind
        assert chart.spec.gaps == (), f"{kind}: gaps {chart.spec.gaps}"
        assert undisclosed_columns(chart.spec) == [], kind
        assert chart.footnote == "", f"{kind}: {chart.footnote}"
    assert deck.html.count('<img src="charts/') == CHARTS
    assert 'class="no-data"' not in deck.html


@pytest.mark.parametrize("quarter", QUARTERS)
def test_press_releases_fall_in_the_quarter_or_after(
    decks: dict[str, BuiltDeck], dataset: Dataset, quarter: str
) -> None:
    spec = decks[quarter].result.deck.spec
    slide = next(s for s in spec.slides if s.kind == "press_releases")
    year, month = Quarter.parse(quarter).first_month(dataset.calendar)
    # Content is checked by its slide kind's model (dates are text until then).
    for release in PressContent.model_validate(slide.content).releases:
        assert date(year, month, 1) <= release.date <= spec.release_date, release


# Period views and forecasts ------------------------------------------------------------


@pytest.mark.parametrize(
    ("quarter", "period", "prior", "title"),
    [
        ("2Q25", "1H25", "1H24", "Consolidated Financial Results for the First Half (1H25)"),
        ("4Q25", "FY25", "FY24", "Consolidated Financial Results for FY25"),
    ],
    ids=["first-half", "full-year"],
)
def test_period_view_against_prior_period_and_target_in_force(
    decks: dict[str, BuiltDeck],
    dataset: Dataset,
    quarter: str,
    period: str,
    prior: str,
    title: str,
) -> None:
    deck = decks[quarter]
    page = deck.page("period_summary")
    assert title in page
    model = _model(dataset, quarter)
    release = deck.result.deck.spec.release_date
    targets = targets_in_force(dataset.targets, release, dataset.catalogue)
    table = next(s for s in deck.slides if s.kind == "period_summary").body.table
    assert isinstance(table, Table)
    # The totals; revenue by type (sub rows) and the dividend are checked in test_quarters_decks.
    dividend = deck.result.deck.messages.item("dps")
    main = [r for r in table.rows if r.style != "sub" and r.label != dividend]
    items = content_items(deck, "period_summary")
    assert [r.label for r in main] == [deck.result.deck.messages.item(k) for k in items]
    assert table.header[0][2].startswith(f"{period} (")
    assert table.header[0][4].startswith(f"{prior} (")
    for key, row in zip(items, main, strict=True):
        actual, plan = model.value(key, period).value, targets.get(key, period).value
        if key != "gross_margin":  # derived from the revenue and cost targets
            assert plan == _in_force(dataset, key, period, release).figure.value, key
        then = model.value(key, prior).value
        assert actual is not None
        assert plan is not None
        assert then is not None
        cells = tuple(c.text for c in row.cells)
        assert cells[1] == formatting.jpy_billion(actual), key
        assert cells[3] == formatting.jpy_billion(then), key
        growth = model.yoy(key, period)
        # 1H24 made a net loss, so first-half net income growth is not meaningful.
        expected = (
            formatting.NOT_MEANINGFUL
            if growth.status == "not_meaningful"
            else formatting.percent(growth.value)
        )
        assert cells[4] == expected, key
        assert cells[5] == formatting.jpy_billion(plan), key
        assert cells[6] == formatting.percent(actual / plan * 100), key
        assert " ".join((row.label, *(c for c in cells if c))) in page, key


def _csv_value(quarter: str, item: str) -> float:
    """A stored figure read straight from the CSV, as typed (16,328 or (426))."""
    with (EXAMPLE / "figures" / f"{quarter}.csv").open(encoding="utf-8") as f:
        raw = next(r["value"] for r in csv.DictReader(f) if r["item"] == item)
    text = raw.replace(",", "")
    return -float(text[1:-1]) if text.startswith("(") else float(text)


def _csv_target(item: str, period: str, release: date) -> float:
    """The target in force at ``release``, read straight from ``targets.csv``."""
    with (EXAMPLE / "targets.csv").open(encoding="utf-8") as f:
        rows = [
            r
            for r in csv.DictReader(f)
            if (r["item"], r["period"]) == (item, period) and r["announced"] <= release.isoformat()
        ]
    return float(max(rows, key=lambda r: r["announced"])["value"].replace(",", ""))


@pytest.mark.parametrize("key", ["revenue", "operating_income", "income_before_tax", "net_income"])
def test_nine_month_view_sums_the_quarters_and_tracks_the_year_target(
    decks: dict[str, BuiltDeck], key: str
) -> None:
    """3Q25: 9M25 against 9M24 and the FY25 target, computed here from the CSVs."""
    deck = decks["3Q25"]
    page = deck.page("period_summary")
    assert "Consolidated Financial Results for the Nine Months (9M25)" in page
    now = sum(_csv_value(f"{n}Q25", key) for n in (1, 2, 3))
    then = sum(_csv_value(f"{n}Q24", key) for n in (1, 2, 3))
    target = _csv_target(key, "FY25", deck.result.deck.spec.release_date)
    table = next(s for s in deck.slides if s.kind == "period_summary").body.table
    assert isinstance(table, Table)
    assert table.header[0][-2:] == ("Full-year Target", "Progress")
    row = next(r for r in table.rows if r.label == deck.result.deck.messages.item(key))
    cells = [c.text for c in row.cells]
    assert cells[1] == formatting.jpy_billion(now)
    assert cells[3] == formatting.jpy_billion(then)
    assert cells[4] == formatting.percent((now / then - 1) * 100)
    assert cells[5] == formatting.jpy_billion(target)
    assert cells[6] == formatting.percent(now / target * 100)
    assert " ".join((row.label, *(c for c in cells if c))) in page


@pytest.mark.parametrize(
    ("quarter", "dates"),
    [
        ("2Q25", ("September 30, 2025", "March 31, 2025")),
        ("3Q25", ("December 31, 2025", "March 31, 2025")),
        ("4Q25", ("March 31, 2026", "March 31, 2025")),
    ],
)
def test_balance_sheet_compares_with_the_previous_fiscal_year_end(
    decks: dict[str, BuiltDeck], quarter: str, dates: tuple[str, str]
) -> None:
    page = decks[quarter].pages_of("statement")[-1]
    for label in dates:
        assert label in page
    change = _csv_value(quarter, "cash") - _csv_value("4Q24", "cash")
    assert f"Cash {formatting.number(_csv_value(quarter, 'cash'), 0)}" in page
    assert formatting.jpy_million(change, signed=True) in page


def test_first_half_target_is_mays_and_the_year_revised_with_the_results(
    decks: dict[str, BuiltDeck], dataset: Dataset
) -> None:
    release = decks["2Q25"].result.deck.spec.release_date
    # No first-half revision: the May target stands; the year was revised on the release date.
    assert _in_force(dataset, "revenue", "1H25", release).announced < release.isoformat()
    first_quarter = load_deck_spec(dataset, Quarter.parse("1Q25")).release_date
    # "the FY2025 targets were raised": above those the 1Q25 deck showed.
    for key in ("revenue", "operating_income", "income_before_tax", "net_income"):
        revised = _in_force(dataset, key, "FY25", release)
        assert revised.announced == release.isoformat()
        original = _in_force(dataset, key, "FY25", first_quarter)
        assert (revised.figure.value or 0) > (original.figure.value or 0), key
    revenue = _in_force(dataset, "revenue", "FY25", first_quarter)
    page = decks["2Q25"].page("forecast")
    assert "Revised Forecast for FY2025" in page
    assert "FY25 Target" in page
    for key in content_items(decks["2Q25"], "forecast"):
        plan = _in_force(dataset, key, "FY25", release).figure.value
        shown = formatting.jpy(plan) if key in PER_SHARE else formatting.jpy_billion(plan)
        assert shown in page, key
    assert formatting.jpy_billion(revenue.figure.value) not in page


def test_full_year_view_is_against_the_revised_target(
    decks: dict[str, BuiltDeck], dataset: Dataset
) -> None:
    release = decks["4Q25"].result.deck.spec.release_date
    revision = decks["2Q25"].result.deck.spec.release_date
    for key in ("revenue", "cost", "sga", "operating_income", "income_before_tax", "net_income"):
        assert _in_force(dataset, key, "FY25", release).announced == revision.isoformat(), key


def test_third_quarter_still_shows_the_revised_year(
    decks: dict[str, BuiltDeck], dataset: Dataset
) -> None:
    release = decks["3Q25"].result.deck.spec.release_date
    revised = _in_force(dataset, "revenue", "FY25", release)
    assert revised.announced == decks["2Q25"].result.deck.spec.release_date.isoformat()
    page = decks["3Q25"].page("forecast")
    assert "FY25 Target" in page
    assert formatting.jpy_billion(revised.figure.value) in page


def test_fourth_quarter_forecasts_the_next_year(
    decks: dict[str, BuiltDeck], dataset: Dataset
) -> None:
    deck = decks["4Q25"]
    release = deck.result.deck.spec.release_date
    page = deck.page("forecast")
    assert "Forecast for FY2026" in page
    assert "FY26 Target" in page
    assert "FY25 Actual" in page
    model = _model(dataset, "4Q25")
    rows = next(s for s in deck.slides if s.kind == "forecast").body.rows
    assert isinstance(rows, tuple)
    for key, row in zip(content_items(deck, "forecast"), rows, strict=True):
        fmt = formatting.jpy if key in PER_SHARE else formatting.jpy_billion
        year = _in_force(dataset, key, "FY26", release)
        # Announced with these results, after the year it follows had closed.
        assert year.announced == release.isoformat()
        interim = _in_force(dataset, key, "1H26", release).figure.value
        actual = model.value(key, "FY25").value
        cells = [c.text for c in row.cells]
        assert cells[0] == fmt(interim), key
        assert fmt(year.figure.value) in cells[1], key
        assert fmt(actual) in cells[2], key
        assert cells[4] == formatting.percent((year.figure.value / actual - 1) * 100), key
        assert cells[0] in page
        assert cells[1] in page


# Words no placeholder computes ---------------------------------------------------------
# A direction a placeholder prints follows the data by itself; these are the words
# typed in the deck files ("a net loss", "exceeded the targets", "increase in
# accounts receivable"), each with the figures that make it true.

Targets = Figures
Claim = Callable[[QuarterModel, Targets], bool]


def _v(model: QuarterModel, key: str, period: str | None = None) -> float:
    value = model.value(key, period).value
    assert value is not None, f"{key} {period}"
    return value


def _t(targets: Targets, key: str, period: str) -> float:
    value = targets.get(key, period).value
    assert value is not None, f"target {key} {period}"
    return value


def _negative(key: str, period: str | None = None) -> Claim:
    return lambda model, _: _v(model, key, period) < 0


def _positive(key: str) -> Claim:
    return lambda model, _: _v(model, key) > 0


def _beats_target(key: str, period: str) -> Claim:
    return lambda model, targets: _v(model, key, period) > _t(targets, key, period)


def _just_short_of_target(key: str, period: str) -> Claim:
    return lambda model, targets: (
        0.99 * _t(targets, key, period) < _v(model, key, period) < _t(targets, key, period)
    )


def _seasonal_extreme(number: int, key: str, largest: bool) -> Claim:
    """Quarter ``number`` is the largest (smallest) of every complete year in the data."""

    def claim(model: QuarterModel, _: Targets) -> bool:
        pick = max if largest else min
        for year in (24, 25):
            values = {n: _v(model, key, f"{n}Q{year}") for n in range(1, 5)}
            if pick(values, key=values.__getitem__) != number:
                return False
        return True

    return claim


def _same_direction(measure: str, first: str, second: str) -> Claim:
    def claim(model: QuarterModel, _: Targets) -> bool:
        a, b = getattr(model, measure)(first).value, getattr(model, measure)(second).value
        return a is not None and b is not None and (a > 0) == (b > 0)

    return claim


def _qoq_up(key: str) -> Claim:
    return lambda model, _: (model.qoq(key).value or 0) > 0


INCOME = ("operating_income", "income_before_tax", "net_income")
EVERY_QUARTER: list[tuple[str, Claim]] = [
    ("work in process on SI projects increased", _positive("si_wip_unrealized_income")),
    ("deferred tax expense", _positive("deferred_tax")),
    ("minority interests in losses of subsidiaries", _positive("minority_interests")),
    ("operating loss of the new subsidiaries", _positive("new_subsidiaries_operating_loss")),
    ("increase in accounts receivable", _negative("cf_receivables_decrease")),
    ("decrease in prepaid expenses", _negative("cf_prepaid_increase")),
    ("increase in accounts payable", _negative("cf_payables_decrease")),
]
CLAIMS: list[tuple[str, str, Claim]] = [
    ("2Q25", "a net loss in 2Q24", _negative("net_income", "2Q24")),
    ("2Q25", "a net loss on equity securities in 2Q24", _negative("securities_gain", "2Q24")),
    ("2Q25", "a net loss in 1H24", _negative("net_income", "1H24")),
    ("2Q25", "a net loss on equity securities in 1H24", _negative("securities_gain", "1H24")),
    *(
        ("2Q25", f"1H25 {key} exceeded its target", _beats_target(key, "1H25"))
        for key in ("revenue", *INCOME)
    ),
    (
        "2Q25",
        "the seasonally small first quarter",
        _seasonal_extreme(1, "revenue_systems_construction", largest=False),
    ),
    ("2Q25", "systems construction grew from 1Q25", _qoq_up("revenue_systems_construction")),
    (
        "2Q25",
        "purchasing costs moved with construction revenues QoQ",
        _same_direction("qoq", "cost_si_purchasing", "revenue_systems_construction"),
    ),
    (
        "3Q25",
        "purchasing costs moved with construction revenues YoY",
        _same_direction("yoy", "cost_si_purchasing", "revenue_systems_construction"),
    ),
    (
        "4Q25",
        "systems construction is seasonally largest in the fourth quarter",
        _seasonal_extreme(4, "revenue_systems_construction", largest=True),
    ),
    (
        "4Q25",
        "purchasing costs moved with construction revenues QoQ",
        _same_direction("qoq", "cost_si_purchasing", "revenue_systems_construction"),
    ),
    ("4Q25", "FY2024 had a net loss on equity securities", _negative("securities_gain", "FY24")),
    *(
        ("4Q25", f"FY25 {key} exceeded the revised target", _beats_target(key, "FY25"))
        for key in INCOME
    ),
    ("4Q25", "revenues fell just short of theirs", _just_short_of_target("revenue", "FY25")),
    *((q, claim, check) for q in QUARTERS for claim, check in EVERY_QUARTER),
    # Dividends are paid in 1Q (year-end) and 3Q (interim); the other decks omit the line.
    ("2Q25", "no dividend line", lambda model, _: _v(model, "cf_dividends_paid") == 0),
    ("3Q25", "payments of interim dividends", _positive("cf_dividends_paid")),
    ("4Q25", "no dividend line", lambda model, _: _v(model, "cf_dividends_paid") == 0),
]


@pytest.mark.parametrize(
    ("quarter", "claim", "check"), CLAIMS, ids=[f"{q}: {c}" for q, c, _ in CLAIMS]
)
def test_the_data_supports_the_decks_words(
    dataset: Dataset, quarter: str, claim: str, check: Claim
) -> None:
    release = load_deck_spec(dataset, Quarter.parse(quarter)).release_date
    assert check(
        _model(dataset, quarter), targets_in_force(dataset.targets, release, dataset.catalogue)
    ), claim

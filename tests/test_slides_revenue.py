"""Revenue and cost slides (2-4, 7-10): figures from the model, charts, gaps and their notes."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

import pytest

from reportgen import formatting
from reportgen.build import prepare
from reportgen.charts.draw import draw
from reportgen.data.load import Dataset, load_dataset
from reportgen.data.schema import SlideSpec
from reportgen.errors import DataError
from reportgen.model.figures import Figure, Figures
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.render import TEMPLATES
from reportgen.slides import revenue
from reportgen.slides.base import BuildContext, Chart, Slide
from reportgen.slides.breakdown_charts import breakdown_chart
from reportgen.slides.commentary import Commentary
from reportgen.slides.deck import Deck
from reportgen.slides.messages import Messages
from tests.conftest import EXAMPLE, IIJ, BuiltDeck

KINDS = tuple(revenue.KINDS)
# Ranges of quarters in chart notes use the typographic dash.
DASH = "\N{EN DASH}"


@pytest.fixture(scope="module")
def deck() -> Deck:
    _, built, _ = prepare(IIJ, Quarter.parse("1Q08"))
    return built


@pytest.fixture(scope="module")
def t() -> Messages:
    return Messages.load(TEMPLATES, "en")


def slide_of(deck: Deck, kind: str) -> Slide:
    return next(s for s in deck.slides if s.kind == kind)


def m(value: Figure) -> str:
    return formatting.jpy_million(value.value)


def pct(value: Figure) -> str:
    return formatting.magnitude_percent(value.value)


def test_slides_sit_in_the_seed_order(iij_1q08: BuiltDeck) -> None:
    numbers = [slide.number for slide in iij_1q08.slides]
    references = [f"Ref. {n}" for n in range(1, 5)]
    assert numbers == ["", *(str(n) for n in range(1, 16)), *references, "", ""]
    assert len(iij_1q08.pages) == len(iij_1q08.kinds)


# Slides 7-10 keep the seed deck's titles (/work/shared/seed/iij-1q08-results-deck.txt,
# slides -7 to -10); the others take the catalogue's.
SEED_TITLES = {
    "connectivity_revenue": f"Results by Service {DASH} Connectivity and Outsourcing Services "
    "(Revenues and Total Contracted Bandwidth)",
    "connectivity_cost": f"Results by Service {DASH} Connectivity and Outsourcing Services "
    "(Cost of Revenues)",
    "si_revenue": f"Results by Service {DASH} SI (Revenue and Gross Margin Ratio)",
    "si_cost": f"Results by Service {DASH} SI (Cost of Revenues)",
}


@pytest.mark.parametrize("kind", KINDS)
def test_title_and_chart_on_the_page(iij_1q08: BuiltDeck, t: Messages, kind: str) -> None:
    page = iij_1q08.page(kind)
    assert SEED_TITLES.get(kind, t(f"slide.{kind}")) in page
    assert t("unit.jpy_million") in page


@pytest.mark.parametrize("kind", KINDS)
def test_every_chart_has_data_and_draws(deck: Deck, kind: str) -> None:
    (chart,) = slide_of(deck, kind).charts
    assert not chart.spec.empty
    assert b"<svg" in draw(chart.spec)


@pytest.mark.parametrize("kind", KINDS)
def test_chart_totals_are_the_model_totals(
    iij_1q08: BuiltDeck, iij_model: QuarterModel, kind: str
) -> None:
    total_key = {
        "revenues": "revenue",
        "cost_of_revenues": "cost",
        "sga": "sga",
        "connectivity_revenue": "revenue_connectivity_outsourcing",
        "connectivity_cost": "cost_connectivity_outsourcing",
        "si_revenue": "revenue_si",
        "si_cost": "cost_si",
    }[kind]
    page = iij_1q08.page(kind)
    for figure in iij_model.series(total_key):
        assert (m(figure) if figure.value is not None else formatting.MISSING) in page


def test_revenues(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("revenues")
    recurring = iij_model.value("revenue_recurring")
    assert f"Recurring revenues in 1Q08: JPY {m(recurring)} million" in page
    assert f"up {pct(iij_model.yoy('revenue_recurring'))} from 1Q07" in page
    assert formatting.percent(iij_model.ratio("revenue_recurring").value) in page
    construction = iij_model.value("revenue_systems_construction")
    assert f"Systems construction (one-time): JPY {m(construction)} million" in page
    for key in ("revenue_connectivity_outsourcing", "revenue_si"):
        for quarter in ("1Q07", "1Q08"):
            assert m(iij_model.value(key, quarter)) in page
    # Only two quarters have the split: the other three show their total, hatched.
    assert f"Breakdown not in this data set: 2Q07{DASH}4Q07" in page
    assert "Outsourcing Services" in page  # the reclassification note


def test_cost_of_revenues(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("cost_of_revenues")
    for key in ("cost_connectivity_outsourcing", "cost_si"):
        assert m(iij_model.value(key)) in page
        assert f"up {pct(iij_model.yoy(key))} from 1Q07" in page
    for key in ("gross_margin_co", "gross_margin_si"):
        ratio = formatting.percent(iij_model.ratio(key).value)
        assert f"Gross margin ratio was {ratio}" in page
        points = formatting.number(abs(iij_model.ratio_yoy_pt(key).value or 0), 1)
        assert f"down {points} points from 1Q07" in page
    assert "Not available in this data set: 2Q07, 4Q07" in page
    assert f"Gross Margin Ratio (SI): not in this data set for 1Q07{DASH}4Q07" in page


def test_sga(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("sga")
    for key in ("sga", "sga_sales_marketing", "sga_general_admin", "sga_rnd"):
        assert f"{formatting.percent(iij_model.ratio(key).value)} of revenues" in page
    for quarter in ("1Q07", "3Q07", "1Q08"):
        assert formatting.percent(iij_model.ratio("sga", quarter).value) in page
    employees = formatting.number(iij_model.value("employees").value)
    added = formatting.number(iij_model.yoy_change("employees").value)
    assert f"employees: {employees} at the end of 1Q08, an increase of {added} from 1Q07" in page
    assert f"JPY {m(iij_model.value('new_subsidiaries_sga'))} million" in page
    # The yen split of SG&A is not disclosed for any quarter.
    assert "Breakdown not in this data set: 1Q07, 3Q07, 1Q08" in page


def test_connectivity_revenue(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("connectivity_revenue")
    for key in ("revenue_home", "revenue_corporate", "revenue_outsourcing", "revenue_ip_service"):
        assert f"JPY {m(iij_model.value(key))} million" in page
    assert formatting.number(iij_model.value("contracts_broadband").value) in page
    assert formatting.number(iij_model.value("subscribers_hiho").value) in page
    vas = iij_model.qoq("revenue_vas_former")
    assert f"up {pct(vas)} from 4Q07 at JPY {m(iij_model.value('revenue_vas_former'))}" in page
    # The seed's heading said YoY; the factors compare with the prior quarter.
    assert "QoQ main factors of the decrease in revenues in 1Q08 (vs 4Q07)" in page
    assert "YoY Main Factors" not in page
    # The title names the bandwidth; this data set has none after March 2007, so the
    # slide shows the series as a row of n/a, never an invented point.
    assert "1Q07 2Q07 3Q07 4Q07 1Q08 Total Contracted Bandwidth (Gbps)" + " n/a" * 5 in page
    assert "n/a: not available in this data set" in page
    assert "Bandwidth (Gbps): not disclosed" not in page


def test_complete_bandwidth_is_drawn_not_tabled(example_1q25: BuiltDeck) -> None:
    dataset = load_dataset(EXAMPLE)
    model = QuarterModel(dataset.figures, Quarter.parse("1Q25"), dataset.calendar)
    page = example_1q25.page("connectivity_revenue")
    shown = [formatting.number(v.value, 1) for v in model.series("bandwidth_gbps")]
    # Each value once, as the line's label: no row repeats them, nothing says n/a.
    for value in shown:
        assert page.count(value) == 1
    assert "n/a" not in page


def test_connectivity_cost(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("connectivity_cost")
    change = formatting.number(iij_model.qoq_change("cost_connectivity_outsourcing").value)
    qoq = pct(iij_model.qoq("cost_connectivity_outsourcing"))
    assert f"Total cost almost equal to 4Q07: up JPY {change} million (up {qoq})" in page
    assert f"JPY {m(iij_model.value('new_subsidiaries_cost'))} million" in page
    assert f"Not available in this data set: 1Q07{DASH}4Q07" in page


def test_si_revenue_comes_from_the_model_not_the_seed(
    iij_1q08: BuiltDeck, iij_model: QuarterModel
) -> None:
    page = iij_1q08.page("si_revenue")
    construction = iij_model.value("revenue_systems_construction")
    operation = iij_model.value("revenue_systems_operation")
    assert f"Systems construction: JPY {m(construction)} million" in page
    assert f"Systems operation and maintenance: JPY {m(operation)} million" in page
    # Seed slide 9 printed 2,928 and 4,760 (reference Part 3, rows 12-13).
    assert "2,928" not in page
    assert "4,760" not in page
    wip = iij_model.value("si_wip_unrealized_revenue")
    assert f"Unrealized revenue: about JPY {m(wip)} million" in page
    assert m(iij_model.value("si_wip_unrealized_income")) in page


def test_si_cost(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("si_cost")
    assert f"down {pct(iij_model.qoq('cost_si_purchasing'))} from 4Q07" in page
    for key in ("cost_si_personnel", "cost_si_outsourcing"):
        assert f"up {pct(iij_model.yoy(key))} from 1Q07" in page
    assert "Breakdown not in this data set: 1Q08" in page


def test_chart_with_no_data_becomes_the_no_data_panel(iij: Dataset, t: Messages) -> None:
    empty = QuarterModel(Figures({}, iij.catalogue), Quarter.parse("1Q08"), iij.calendar)
    t = t.with_catalogue(iij.catalogue)
    ctx = BuildContext(iij, empty, date(2008, 8, 12), Commentary(empty, "test", t), t)
    chart = breakdown_chart(ctx, total="cost_si", parts=revenue.SI_COST_PARTS)
    assert chart.spec.empty
    assert chart.footnote == t("note.no_data")


# A complete, made-up record for 1Q07-1Q08: every part of every breakdown, every quarter.
COMPLETE_PARTS = {
    "revenue": 20000,
    "revenue_corporate": 3000,
    "revenue_home": 1500,
    "revenue_outsourcing": 3500,
    "revenue_systems_construction": 3000,
    "revenue_systems_operation": 4500,
    "revenue_recurring": 12500,
    "cost_co_circuit": 2500,
    "cost_co_network_operation": 1500,
    "cost_co_personnel": 1200,
    "cost_co_outsourcing": 800,
    "cost_co_other": 600,
    "cost_si_purchasing": 2000,
    "cost_si_personnel": 1800,
    "cost_si_outsourcing": 1500,
    "cost_si_other": 500,
    "cost": 14000,
    "sga_sales_marketing": 1200,
    "sga_general_admin": 1400,
    "sga_rnd": 100,
    "bandwidth_gbps": 400.5,
    "si_wip_unrealized_revenue": 500,
    "si_wip_unrealized_income": 150,
}


def complete_context(dataset: Dataset, t: Messages) -> BuildContext:
    quarter = Quarter.parse("1Q08")
    stored = {}
    for step, q in enumerate(quarter.trailing(5)):
        for key, value in COMPLETE_PARTS.items():
            figure = Figure(key, q.name, value * (1 + 0.05 * step), "published", "T")
            stored[(key, q.name)] = figure
    model = QuarterModel(Figures(stored, dataset.catalogue), quarter, dataset.calendar)
    t = t.with_catalogue(dataset.catalogue)
    return BuildContext(dataset, model, date(2008, 8, 12), Commentary(model, "test", t), t)


@pytest.mark.parametrize("kind", KINDS)
def test_complete_record_draws_every_part_and_needs_no_note(
    iij: Dataset, t: Messages, kind: str
) -> None:
    ctx = complete_context(iij, t)
    body, charts = revenue.KINDS[kind].build(ctx, SlideSpec(kind=kind))
    (chart,) = charts
    assert isinstance(chart, Chart)
    assert chart.footnote == ""
    assert chart.spec.gaps == ()
    assert all(v is not None for v in chart.spec.column_totals)
    svg = draw(chart.spec).decode()
    assert t("revenue.chart.undisclosed") not in svg  # nothing hatched: every split is known
    for series in chart.spec.series:
        assert escape(series.label) in svg
    if kind == "si_revenue":
        assert body.callout is not None


def test_a_misspelt_factors_key_names_the_deck_file_and_slide(data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    text = deck.read_text(encoding="utf-8")
    assert "      factors_title:" in text
    deck.write_text(text.replace("      factors_title:", "      factor_title:"), encoding="utf-8")
    with pytest.raises(DataError, match=r"1Q08\.yaml.*slide 7.*factor_title"):
        prepare(data_copy, Quarter.parse("1Q08"))

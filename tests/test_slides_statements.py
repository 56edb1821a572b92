"""Slides 6, 11, 12, 14, 15, Ref. 1-4 and the closing pages: figures from the model, in the PDF."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from reportgen import formatting
from reportgen.build import prepare
from reportgen.data.load import Dataset, Target
from reportgen.errors import CommentaryError, DataError
from reportgen.model.figures import Figure
from reportgen.model.quarter import QuarterModel
from reportgen.model.targets import latest_targets, targets_in_force
from reportgen.quarters import FiscalCalendar, Period, Quarter
from reportgen.slides.cells import Cell, note_keys
from reportgen.slides.deck import Deck
from reportgen.slides.periods import PeriodNames
from reportgen.slides.reference import fiscal_quarter
from tests.conftest import IIJ, BuiltDeck, catalogue_of

RELEASE = date(2008, 8, 12)
# IIJ's cash-flow items, as its deck files name them (content.items of cash_flows).
CASH_FLOW_SECTIONS = (
    ("operating", "cf_operating"),
    ("investing", "cf_investing"),
    ("financing", "cf_financing"),
)
MY_KINDS = (
    "bridge",
    "panels",
    "cash_flows",
    "quarter_charts",
    "forecast",
    "medium_term_target",
    "group_companies",
    "press_releases",
    "forward_looking",
    "contact",
)


@pytest.fixture(scope="module")
def deck() -> Deck:
    _, built, _ = prepare(IIJ, Quarter.parse("1Q08"))
    return built


def m(value: float | None, *, signed: bool = False) -> str:
    return formatting.jpy_million(value, signed=signed)


def test_every_slide_is_one_page(iij_1q08: BuiltDeck) -> None:
    assert len(iij_1q08.pages) == len(iij_1q08.kinds)
    for kind in MY_KINDS:
        assert kind in iij_1q08.kinds


def test_slides_sit_at_their_seed_positions(iij_1q08: BuiltDeck, deck: Deck) -> None:
    numbers = [s.number for s in deck.slides]
    for before, after in (("5", "6"), ("6", "11"), ("11", "12"), ("12", "13"), ("13", "14")):
        assert numbers.index(before) < numbers.index(after)
    assert numbers[-6:] == ["Ref. 1", "Ref. 2", "Ref. 3", "Ref. 4", "", ""]
    assert iij_1q08.kinds[-2:] == ["forward_looking", "contact"]


# Slide 6 ---------------------------------------------------------------------------------


def test_bridge_steps_come_from_the_model(deck: Deck, iij_model: QuarterModel) -> None:
    slide = next(s for s in deck.slides if s.kind == "bridge")
    steps = slide.charts[0].spec.steps
    start = iij_model.value("operating_income", "1Q07").value
    end = iij_model.value("operating_income", "1Q08").value
    assert [v for _, v, total in steps if total] == [start, end]
    moves = [v for _, v, total in steps if not total]
    assert moves == [
        iij_model.change("gross_margin", "1Q08", "1Q07").value,
        -(iij_model.change("sga", "1Q08", "1Q07").value or 0),
    ]
    assert start is not None
    assert end is not None
    assert start + sum(moves) == pytest.approx(end)


def test_bridge_page(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("bridge")
    assert "Operating Income YoY Comparison" in page
    assert "Negative Impact on 1Q08 Operating Income" in page
    margin = iij_model.change("gross_margin", "1Q08", "1Q07").value
    sga = iij_model.change("sga", "1Q08", "1Q07").value
    assert sga is not None
    # The chart's labels are text in the PDF: the steps with their signs.
    assert m(margin, signed=True) in page
    assert m(-sga, signed=True) in page
    for key in ("gross_margin", "sga", "operating_income"):
        assert m(iij_model.value(key, "1Q07").value) in page
        assert m(iij_model.value(key, "1Q08").value) in page
    loss = m(iij_model.value("new_subsidiaries_operating_loss").value)
    assert f"Operating loss from 4 newly established subsidiaries {loss}" in page
    assert f"approximately {m(iij_model.value('si_wip_unrealized_income').value)}" in page
    assert f"about {m(iij_model.value('lease_accounting_cost').value)}" in page


# Slides 11 and 12 ------------------------------------------------------------------------


def test_new_business_panels(iij_1q08: BuiltDeck) -> None:
    page = iij_1q08.numbered("11")
    assert "「TSUTAYA TV」" in page
    assert "IIJ Mobile Service" in page
    # Ownership and founding month come from group_companies.csv, as on Ref. 3.
    assert "Established April 2008 (100% consolidated subsidiary)" in page
    assert "Established June 2008 (100% consolidated subsidiary)" in page
    assert "Established July 2007 (60.2% consolidated subsidiary)" in page
    assert "Established April 2007 (51.0% consolidated subsidiary)" in page


def test_japanese_text_uses_the_shipped_font(iij_1q08: BuiltDeck) -> None:
    assert iij_1q08.result.output.pdf is not None
    reader = PdfReader(iij_1q08.result.output.pdf)
    page = reader.pages[iij_1q08.kinds.index("panels")]
    fonts = page["/Resources"]["/Font"]
    names = {str(fonts[name].get_object()["/BaseFont"]) for name in fonts}
    assert any("IPAexGothic" in name for name in names), names


def test_only_shipped_fonts_are_embedded(iij_1q08: BuiltDeck) -> None:
    # A glyph missing from Lato and IPAexGothic would fall back to a system font.
    assert iij_1q08.result.output.pdf is not None
    reader = PdfReader(iij_1q08.result.output.pdf)
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for name in fonts:
            base = str(fonts[name].get_object()["/BaseFont"]).split("+")[-1]
            assert base.startswith(("Lato", "IPAexGothic")), base


def test_seil_smf(iij_1q08: BuiltDeck) -> None:
    page = iij_1q08.numbered("12")
    assert "IIJ In-house Developed “SEIL/SMF”" in page
    assert "UNIVERGE IX2005-Z" in page
    assert "Patent No. 3774433" in page


def test_bad_panel_content_names_the_file_and_slide(data_copy: Path) -> None:
    path = data_copy / "decks" / "1Q08.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    slide = next(s for s in spec["slides"] if s.get("number") == "11")
    slide["content"]["sections"][0]["panels"][0]["colour"] = "red"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    where = r"decks/1Q08\.yaml:\d+:\d+, slide 11 \(panels, 1Q08\) \"[^\"]+\": .*colour"
    with pytest.raises(DataError, match=where):
        prepare(data_copy, Quarter.parse("1Q08"))


def test_unknown_company_in_a_panel_is_an_error(data_copy: Path) -> None:
    path = data_copy / "decks" / "1Q08.yaml"
    text = path.read_text(encoding="utf-8").replace("company: gdx_japan", "company: gdx")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"slide 11 .*'gdx' is not in group_companies\.csv"):
        prepare(data_copy, Quarter.parse("1Q08"))


# Slide 14 --------------------------------------------------------------------------------


def test_cash_flows_signs_and_wording(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("cash_flows")
    for name, key in CASH_FLOW_SECTIONS:
        value = iij_model.value(key).value
        assert value is not None
        verb = "used in" if value < 0 else "provided by"
        size = formatting.number(abs(value))
        assert f"Net cash {verb} {name} activities: JPY {size} million" in page
    # "Used in" says the cash went out; a negative figure after it would be a double
    # negative. The amounts as the seed prints them (slide -14; reference file, 2.3).
    assert "Net cash used in investing activities: JPY 825 million" in page
    assert "JPY (825) million" not in page
    # Seed errors: financing is an outflow, and prepaid expenses increased.
    assert "Net cash used in financing activities: JPY 2,695 million" in page
    assert "provided by financing" not in page
    assert "Increase in prepaid expenses" in page
    assert "decrease in prepaid" not in page.lower()
    assert "Not available in this data set: 1Q07, 2Q07, 3Q07, 4Q07" in page


def test_cash_flow_gap_is_computed(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("cash_flows")
    sections = sum(iij_model.value(key).value or 0 for _, key in CASH_FLOW_SECTIONS)
    change = iij_model.change("cash", "1Q08", "4Q07").value
    assert change is not None
    assert (
        f"The three sections sum to {m(sections)}, against a change in cash of {m(change)}: "
        f"a gap of {m(sections - change)}"
    ) in page
    # The arithmetic only: no source gives the gap's cause (reference file, 2.3).
    assert "a gap of 26." in page
    assert "exchange" not in page.lower()


# Slide 15 --------------------------------------------------------------------------------


def test_other_financial_data_says_not_disclosed(iij_1q08: BuiltDeck) -> None:
    page = iij_1q08.page("quarter_charts")
    for title in ("CAPEX", "Adjusted EBITDA", "Depreciation and Amortization"):
        assert title in page
    assert page.count("Not available in this data set") == 3
    section = iij_1q08.html.split('data-kind="quarter_charts"')[1].split("</section>")[0]
    assert "<img" not in section
    assert "n/a" not in page  # no empty axes with gap marks


# Ref. 1 ----------------------------------------------------------------------------------


def test_forecast_uses_targets_known_at_release(iij: Dataset, iij_1q08: BuiltDeck) -> None:
    page = iij_1q08.page("forecast")
    targets = latest_targets(iij.targets, RELEASE)
    for key in ("revenue", "operating_income", "income_before_tax", "net_income"):
        assert formatting.jpy_billion(targets[(key, "FY08")].value) in page
        assert formatting.jpy_billion(targets[(key, "1H08")].value) in page
    assert formatting.jpy(targets[("eps", "FY08")].value) in page
    assert "78.5" in page
    assert "73.0" not in page


def test_forecast_actuals_and_changes(
    iij: Dataset, iij_1q08: BuiltDeck, iij_model: QuarterModel
) -> None:
    page = iij_1q08.page("forecast")
    targets = latest_targets(iij.targets, RELEASE)
    for key in ("revenue", "operating_income", "income_before_tax", "net_income"):
        actual = iij_model.value(key, "FY07").value
        plan = targets[(key, "FY08")].value
        assert actual is not None
        assert plan is not None
        assert formatting.jpy_billion(actual) in page
        assert formatting.percent((plan / actual - 1) * 100) in page
    # Seed errors: FY07 actuals in JPY billion, not 100 million; NI change in JPY million.
    for right in ("66.8", "4.8", "4.4"):
        assert right in page
    for wrong in ("668.4", "47.6", "43.6", "51.8"):
        assert wrong not in page
    assert "+JPY23 million 0.4%" in page
    assert "Unit: JPY billion (except for Net Income per Share and Cash Dividend per Share)" in page
    assert "JPY2,000 (Annual)" in page
    assert "+JPY250 14.3%" in page
    assert "up JPY250 YoY" in page
    assert "JPY0.9 billion loss" in page
    assert "deferred tax benefit of JPY0.5 billion" in page


def test_latest_target_is_chosen_by_date() -> None:
    def t(value: float, announced: str) -> Target:
        return Target(Figure("revenue", "FY08", value, "published", "S2"), announced)

    targets = (t(78500, "2008-05-15"), t(73000, "2008-10-24"), t(69300, "2009-02-12"))
    assert latest_targets(targets, date(2008, 8, 12))[("revenue", "FY08")].value == 78500
    assert latest_targets(targets, date(2008, 11, 13))[("revenue", "FY08")].value == 73000
    assert latest_targets(targets, date(2008, 5, 14)) == {}


def test_a_target_set_through_its_terms_is_derived() -> None:
    def t(key: str, value: float) -> Target:
        return Target(Figure(key, "FY25", value, "published", "E1"), "2025-05-14")

    both = (t("revenue", 76000), t("cost", 61600))
    margin = targets_in_force(both, date(2025, 5, 14), catalogue_of(IIJ)).get(
        "gross_margin", "FY25"
    )
    assert margin.value == 76000 - 61600
    assert margin.status == "derived"
    assert "revenue FY25" in margin.formula
    assert "cost FY25" in margin.formula
    # Without a cost target the gross margin target stays missing, never an estimate.
    assert (
        targets_in_force(both[:1], date(2025, 5, 14), catalogue_of(IIJ))
        .get("gross_margin", "FY25")
        .missing
    )


def test_bad_forecast_comment_is_an_error(data_copy: Path) -> None:
    path = data_copy / "decks" / "1Q08.yaml"
    text = path.read_text(encoding="utf-8").replace("'dps'|target_jpy", "'dividend'|target_jpy")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommentaryError, match=r"slide Ref\. 1 \(forecast.*'dividend'"):
        prepare(data_copy, Quarter.parse("1Q08"))


# Ref. 2 to Ref. 4 ------------------------------------------------------------------------


def test_medium_term_target(iij: Dataset, iij_1q08: BuiltDeck) -> None:
    page = iij_1q08.page("medium_term_target")
    targets = latest_targets(iij.targets, RELEASE)
    revenue = formatting.jpy_billion(targets[("revenue", "FY10")].value, places=0)
    income = formatting.jpy_billion(targets[("operating_income", "FY10")].value, places=0)
    assert f"over JPY {revenue} billion" in page
    assert f"JPY {income} billion" in page
    assert "Medium-term Target (around FY2010)" in page
    assert "Market Environment" in page


@pytest.mark.parametrize(
    ("company", "ownership"),
    [
        ("On-Demand Solutions Inc.", "100%"),
        ("IIJ Innovation Institute Inc.", "100%"),
        ("Trust Networks Inc.", "60.2%"),
        ("GDX Japan Inc.", "51.0%"),
    ],
    ids=["ods", "iij-ii", "trust-networks", "gdx"],
)
def test_group_ownership_is_not_shifted(iij_1q08: BuiltDeck, company: str, ownership: str) -> None:
    page = iij_1q08.page("group_companies")
    assert re.search(re.escape(company) + r"(?: New)? " + re.escape(ownership), page), page


def test_group_companies_lists_every_company(iij_1q08: BuiltDeck) -> None:
    page = iij_1q08.page("group_companies")
    for name in ("IIJ Technology Inc.", "hi-ho, Inc.", "Internet Multifeed Co.", "Taihei Computer"):
        assert name in page
    assert "Consolidated Subsidiaries" in page
    assert "Equity Method Investees" in page
    assert "n/a: not available in this data set" in page


def test_press_releases_grouped_by_fiscal_quarter(iij_1q08: BuiltDeck) -> None:
    page = iij_1q08.page("press_releases")
    assert page.index("FY07 4Q") < page.index("FY08 1Q") < page.index("FY08 2Q")
    assert "2008/1/21 IIJ Launches IIJ Mobile for Corporate Customers as an MVNO" in page
    assert "2008/7/3 IIJ to Add Fixed IP Address Feature" in page


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (date(2008, 1, 21), "4Q07"),
        (date(2008, 3, 31), "4Q07"),
        (date(2008, 4, 1), "1Q08"),
        (date(2008, 7, 23), "2Q08"),
        (date(2008, 12, 31), "3Q08"),
    ],
    ids=["january", "year-end", "new-year", "july", "december"],
)
def test_fiscal_quarter_of_a_date(day: date, quarter: str) -> None:
    assert fiscal_quarter(day, FiscalCalendar(4)).name == quarter


def test_closing_pages_come_from_company_yaml(iij: Dataset, iij_1q08: BuiltDeck) -> None:
    statement = iij_1q08.page("forward_looking")
    assert "Forward-looking Statements" in statement
    assert "Form 20-F" in statement
    contact = iij_1q08.page("contact")
    assert iij.company.contact is not None
    assert iij.company.contact.office in contact
    assert f"TEL {iij.company.contact.tel}" in contact
    assert f"E-Mail {iij.company.contact.email}" in contact


@pytest.mark.parametrize(
    ("value_jpy_m", "places", "expected"),
    [(100000, 0, "100"), (10000, 0, "10"), (78500, 1, "78.5"), (-2695, 1, "(2.7)")],
    ids=["hundred", "ten", "default", "negative"],
)
def test_jpy_billion_places(value_jpy_m: float, places: int, expected: str) -> None:
    assert formatting.jpy_billion(value_jpy_m, places=places) == expected


def test_notes_explain_every_kind_of_gap_once() -> None:
    def c(status: str) -> Cell:
        return Cell("x", "", status)

    assert note_keys([c("published"), c("derived")]) == ()
    assert note_keys([c("missing"), c("missing")]) == ("note.not_available",)
    assert note_keys([c("not_meaningful"), c("missing")]) == (
        "note.not_available",
        "note.not_meaningful",
    )


def test_forecast_headers_bracket_the_span_in_the_editions_words(iij_1q08: BuiltDeck) -> None:
    (slide,) = (s for s in iij_1q08.slides if s.kind == "forecast")
    deck = iij_1q08.result.deck
    t, periods = deck.messages, PeriodNames(deck.messages, deck.dataset.calendar)
    spans = [span for _, span in slide.body.header]
    assert spans[1] == t("period.bracketed_span", span=periods.span(Period.parse("FY08")))

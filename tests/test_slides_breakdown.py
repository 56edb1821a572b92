"""Breakdown slides (IIJ's 2-4 and 7-10): figures from the model, charts, gaps and their notes."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from html import escape
from pathlib import Path

import pytest
import yaml

from reportgen import formatting
from reportgen.build import prepare
from reportgen.charts.draw import draw
from reportgen.data.load import Dataset, load_dataset, shown
from reportgen.data.schema import SlideSpec
from reportgen.errors import DataError
from reportgen.model.figures import Figure, Figures
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.render import TEMPLATES
from reportgen.slides import breakdown
from reportgen.slides.base import BuildContext, Chart, Slide
from reportgen.slides.breakdown_charts import Part, breakdown_chart
from reportgen.slides.commentary import Commentary
from reportgen.slides.deck import Deck, load_deck_spec
from reportgen.slides.messages import Messages
from tests.conftest import EXAMPLE, IIJ, ROOT, BuiltDeck, cli_command, edit, pdf_pages

# IIJ's 1Q08 breakdown slides by printed number, with the total each one stacks.
TOTALS = {
    "2": "revenue",
    "3": "cost",
    "4": "sga",
    "7": "revenue_connectivity_outsourcing",
    "8": "cost_connectivity_outsourcing",
    "9": "revenue_si",
    "10": "cost_si",
}
NUMBERS = tuple(TOTALS)
# Ranges of quarters in chart notes use the typographic dash.
DASH = "\N{EN DASH}"


@pytest.fixture(scope="module")
def deck() -> Deck:
    _, built, _ = prepare(IIJ, Quarter.parse("1Q08"))
    return built


@pytest.fixture(scope="module")
def t() -> Messages:
    return Messages.load(TEMPLATES, "en")


def slide_of(deck: Deck, number: str) -> Slide:
    return next(s for s in deck.slides if s.number == number)


def m(value: Figure) -> str:
    return formatting.jpy_million(value.value)


def pct(value: Figure) -> str:
    return formatting.magnitude_percent(value.value)


def test_slides_sit_in_the_seed_order(iij_1q08: BuiltDeck) -> None:
    numbers = [slide.number for slide in iij_1q08.slides]
    references = [f"Ref. {n}" for n in range(1, 5)]
    assert numbers == ["", *(str(n) for n in range(1, 16)), *references, "", ""]
    assert len(iij_1q08.pages) == len(iij_1q08.kinds)


# The titles the deck file gives (as the old per-slide kinds printed them); slides 7-10
# keep the seed deck's (/work/shared/seed/iij-1q08-results-deck.txt, slides -7 to -10).
TITLES = {
    "2": "Revenues",
    "3": "Cost of Revenues and Gross Margin Ratio",
    "4": "SG&A Expenses/R&D",
    "7": f"Results by Service {DASH} Connectivity and Outsourcing Services "
    "(Revenues and Total Contracted Bandwidth)",
    "8": f"Results by Service {DASH} Connectivity and Outsourcing Services (Cost of Revenues)",
    "9": f"Results by Service {DASH} SI (Revenue and Gross Margin Ratio)",
    "10": f"Results by Service {DASH} SI (Cost of Revenues)",
}


@pytest.mark.parametrize("number", NUMBERS)
def test_title_and_chart_on_the_page(iij_1q08: BuiltDeck, t: Messages, number: str) -> None:
    page = iij_1q08.numbered(number)
    assert TITLES[number] in page
    assert t("unit.jpy_million") in page
    assert slide_kind(iij_1q08, number) == "breakdown"


def slide_kind(deck: BuiltDeck, number: str) -> str:
    return next(s.kind for s in deck.slides if s.number == number)


@pytest.mark.parametrize("number", NUMBERS)
def test_every_chart_has_data_and_draws(deck: Deck, number: str) -> None:
    (chart,) = slide_of(deck, number).charts
    assert not chart.spec.empty
    assert b"<svg" in draw(chart.spec)


@pytest.mark.parametrize("number", NUMBERS)
def test_chart_totals_are_the_model_totals(
    iij_1q08: BuiltDeck, iij_model: QuarterModel, number: str
) -> None:
    total_key = TOTALS[number]
    page = iij_1q08.numbered(number)
    for figure in iij_model.series(total_key):
        assert (m(figure) if figure.value is not None else formatting.MISSING) in page


def test_revenues(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.numbered("2")
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
    page = iij_1q08.numbered("3")
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
    page = iij_1q08.numbered("4")
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
    page = iij_1q08.numbered("7")
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
    page = example_1q25.numbered("7")
    shown = [formatting.number(v.value, 1) for v in model.series("bandwidth_gbps")]
    # Each value once, as the line's label: no row repeats them, nothing says n/a.
    for value in shown:
        assert page.count(value) == 1
    assert "n/a" not in page


def test_connectivity_cost(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.numbered("8")
    change = formatting.number(iij_model.qoq_change("cost_connectivity_outsourcing").value)
    qoq = pct(iij_model.qoq("cost_connectivity_outsourcing"))
    assert f"Total cost almost equal to 4Q07: up JPY {change} million (up {qoq})" in page
    assert f"JPY {m(iij_model.value('new_subsidiaries_cost'))} million" in page
    assert f"Not available in this data set: 1Q07{DASH}4Q07" in page


def test_si_revenue_comes_from_the_model_not_the_seed(
    iij_1q08: BuiltDeck, iij_model: QuarterModel
) -> None:
    page = iij_1q08.numbered("9")
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
    page = iij_1q08.numbered("10")
    assert f"down {pct(iij_model.qoq('cost_si_purchasing'))} from 4Q07" in page
    for key in ("cost_si_personnel", "cost_si_outsourcing"):
        assert f"up {pct(iij_model.yoy(key))} from 1Q07" in page
    assert "Breakdown not in this data set: 1Q08" in page


def test_chart_with_no_data_becomes_the_no_data_panel(iij: Dataset, t: Messages) -> None:
    empty = QuarterModel(Figures({}, iij.catalogue), Quarter.parse("1Q08"), iij.calendar)
    t = t.with_catalogue(iij.catalogue)
    ctx = BuildContext(iij, empty, date(2008, 8, 12), Commentary(empty, "test", t), t)
    parts = [Part(key, i, key) for i, key in enumerate(("cost_si_purchasing", "cost_si_other"))]
    chart = breakdown_chart(ctx, total="cost_si", parts=parts)
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


@pytest.fixture(scope="module")
def iij_slides(iij: Dataset) -> dict[str, SlideSpec]:
    """IIJ's 1Q08 breakdown slides as its deck file writes them, by number."""
    spec = load_deck_spec(iij, Quarter.parse("1Q08"))
    return {s.number: s for s in spec.slides if s.number in TOTALS}


@pytest.mark.parametrize("number", NUMBERS)
def test_complete_record_draws_every_part_and_needs_no_note(
    iij: Dataset, t: Messages, iij_slides: dict[str, SlideSpec], number: str
) -> None:
    ctx = complete_context(iij, t)
    spec = iij_slides[number]
    # The factors' commentary reads items this made-up record leaves out.
    content = {k: v for k, v in spec.content.items() if not k.startswith("factors")}
    body, charts = breakdown.breakdown(ctx, spec.model_copy(update={"content": content}))
    (chart,) = charts
    assert isinstance(chart, Chart)
    assert chart.footnote == ""
    assert chart.spec.gaps == ()
    assert all(v is not None for v in chart.spec.column_totals)
    svg = draw(chart.spec).decode()
    assert t("revenue.chart.undisclosed") not in svg  # nothing hatched: every split is known
    for series in chart.spec.series:
        assert escape(series.label) in svg
    if number == "9":
        assert body.callout is not None
    if number == "7":  # every quarter has the bandwidth: a line, not a row under the chart
        assert body.series_table is None
        assert chart.spec.series[-1].label == "Total Contracted Bandwidth (Gbps)"


def test_a_misspelt_factors_key_names_the_deck_file_and_slide(data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    text = deck.read_text(encoding="utf-8")
    assert "      factors_title:" in text
    deck.write_text(text.replace("      factors_title:", "      factor_title:"), encoding="utf-8")
    with pytest.raises(DataError, match=r"1Q08\.yaml.*slide 7.*factor_title"):
        prepare(data_copy, Quarter.parse("1Q08"))


# What a deck file writes, checked: unknown items, missing keys -----------------------


def deck_error(data: Path) -> str:
    with pytest.raises(DataError) as caught:
        prepare(data, Quarter.parse("1Q08"))
    return str(caught.value)


def column_of(path: Path, needle: str) -> str:
    """``line:column`` where ``needle`` itself starts."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return f"{number}:{line.index(needle) + 1}"
    raise AssertionError(f"{needle!r} is not in {path}")


# (text in IIJ's 1Q08 deck file, the item in it to misspell, how, the slide, the key's path)
UNKNOWN_ITEMS = {
    "part": ('{item: revenue_si, label: "SI"}', "revenue_si", "revenue_sj", "2", "parts.1.item"),
    "plain-part": (
        "- sga_general_admin\n",
        "sga_general_admin",
        "sga_general_admim",
        "4",
        "parts.1",
    ),
    "line": (
        "{item: gross_margin_co, label:",
        "gross_margin_co",
        "gross_margin_cp",
        "3",
        "lines.0.item",
    ),
    "callout": (
        "          - item: si_wip_unrealized_income",
        "si_wip_unrealized_income",
        "si_wip_unrealised_income",
        "9",
        "callout.lines.1.item",
    ),
    "total": ("total: cost_si\n", "cost_si", "cost_sj", "10", "total"),
}


@pytest.mark.parametrize("case", UNKNOWN_ITEMS)
def test_an_unknown_item_names_where_it_is_written_and_the_closest(
    data_copy: Path, case: str
) -> None:
    old, right, wrong, number, path = UNKNOWN_ITEMS[case]
    deck = data_copy / "decks" / "1Q08.yaml"
    edit(deck, old, old.replace(right, wrong))
    slide = f'slide {number} (breakdown, 1Q08) "{TITLES[number]}"'
    assert deck_error(data_copy) == (
        f"{deck_where(deck, wrong)}, {slide}: content.{path}: "
        f"unknown item {wrong!r} (did you mean {right!r}?)"
    )


def deck_where(deck: Path, needle: str) -> str:
    return f"{shown(deck)}:{column_of(deck, needle)}"


def test_parts_default_to_the_totals_children_in_the_catalogue(data_copy: Path) -> None:
    """Without ``parts`` a breakdown stacks the total's children (``parent:`` in items.yaml)."""
    deck = data_copy / "decks" / "1Q08.yaml"
    text = deck.read_text(encoding="utf-8")
    parts = (
        "      parts:\n        - {item: cost_si_purchasing, "
        + text.split("      parts:\n        - {item: cost_si_purchasing, ")[1].split("\n\n")[0]
        + "\n"
    )
    edit(deck, parts, "\n")
    dataset, built, _ = prepare(data_copy, Quarter.parse("1Q08"))
    (slide,) = [s for s in built.slides if s.number == "10"]
    children = dataset.catalogue.children("cost_si")
    assert len(children) > 1
    labels = [series.label for series in slide.charts[0].spec.series if series.kind == "bar"]
    assert labels == [dataset.catalogue.label(key) for key in children]


def test_missing_parts_and_total_say_what_is_expected(data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    # A total without children in the catalogue needs its parts written.
    text = deck.read_text(encoding="utf-8")
    start = text.index("      parts:\n        - {item: cost_si_purchasing, ")
    block = text[start : text.index("\n\n", start) + 1]
    edit(deck, "      total: cost_si\n" + block, "      total: cost_si_purchasing\n")
    line = deck_error(data_copy)
    assert "slide 10 (breakdown, 1Q08)" in line
    assert line.endswith(
        "content.parts: missing, and no item of items.yaml has 'cost_si_purchasing' as its "
        "parent; expected the items that make up the total, "
        "e.g. parts: [revenue_a, revenue_b, {item: revenue_c, color: 3}]"
    )
    edit(deck, "      total: cost_connectivity_outsourcing\n", "")
    line = deck_error(data_copy)
    assert "slide 8 (breakdown, 1Q08)" in line
    assert line.endswith(
        "content.total: missing; expected the item the chart stacks, e.g. total: revenue"
    )


def test_a_callout_sentence_needs_its_figure(data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    edit(deck, "about {currency} {amount} {scale}", "about {currency} 1,040 {scale}")
    line = deck_error(data_copy)
    assert "slide 9 (breakdown, 1Q08)" in line
    assert "content.callout.lines.0.text: expected the sentence to hold {amount} once" in line


# No company's item key in the generic builders ---------------------------------------

GENERIC_BUILDERS = ("breakdown.py", "breakdown_charts.py", "narrative.py")


def company_item_keys() -> set[str]:
    """Every item key the data folders' figures files hold (measures stripped)."""
    keys = set()
    for figures in ROOT.glob("data/**/figures/*.csv"):
        for line in figures.read_text(encoding="utf-8").splitlines()[1:]:
            keys.add(line.split(",", 1)[0].split(":", 1)[0])
    return keys


@pytest.mark.parametrize("module", GENERIC_BUILDERS)
def test_no_item_key_of_a_company_in_a_generic_builder(module: str) -> None:
    source = (ROOT / "reportgen" / "slides" / module).read_text(encoding="utf-8")
    keys = company_item_keys()
    assert {"revenue", "bandwidth_gbps", "si_wip_unrealized_revenue"} <= keys
    written = set(re.findall(r"""["']([a-z][a-z0-9_]*)["']""", source))
    assert not written & keys, f"{module} names items of a company: {sorted(written & keys)}"


# Another node, drawn from a deck file alone --------------------------------------------


def test_breakdown_over_another_node_draws_and_prints_its_figures(tmp_path: Path) -> None:
    """SG&A over four quarters with its parts in another order and another ratio line."""
    data = tmp_path / "company"
    shutil.copytree(EXAMPLE, data)
    deck = data / "decks" / "1Q25.yaml"
    text = deck.read_text(encoding="utf-8")
    start = text.index("      total: sga\n")
    end = text.index("\n\n", start)
    edit(
        deck,
        text[start:end],
        "      total: sga\n      parts: [sga_rnd, sga_general_admin, sga_sales_marketing]\n"
        "      lines: [sga_general_admin]\n      quarters: 4",
    )
    out = tmp_path / "out"
    subprocess.run(cli_command(out, "1Q25", data), check=True)
    (pdf,) = (out / "1Q25").glob("*-en.pdf")
    pages = pdf_pages(pdf)
    _, built, _ = prepare(data, Quarter.parse("1Q25"))
    index, slide = next((i, s) for i, s in enumerate(built.slides) if s.number == "4")
    page = pages[index]
    (chart,) = slide.charts
    model = QuarterModel(built.dataset.figures, Quarter.parse("1Q25"), built.dataset.calendar)
    quarters = ["2Q24", "3Q24", "4Q24", "1Q25"]
    assert chart.spec.categories == tuple(quarters)
    labels = [s.label for s in chart.spec.series]
    t = Messages.load(TEMPLATES, "en").with_catalogue(built.dataset.catalogue)
    names = ("sga_rnd", "sga_general_admin", "sga_sales_marketing")
    assert labels == [*(t.item(k) for k in names), t.item("sga_general_admin")]
    assert [s.color for s in chart.spec.series[:3]] == [0, 1, 2]
    for quarter in quarters:
        assert quarter in page
        assert m(model.value("sga", quarter)) in page
        assert formatting.percent(model.ratio("sga_general_admin", quarter).value) in page
        # The parts large enough to carry their label (R&D's thin segment does not).
        for key in names[1:]:
            assert m(model.value(key, quarter)) in page
    for series, key in zip(chart.spec.series, names, strict=False):
        assert series.values == tuple(model.value(key, q).value for q in quarters)
    assert "1Q24" not in chart.spec.categories


def test_the_readme_example_is_a_breakdown_slide_of_iij_items() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```yaml\n- kind: breakdown\n")[1].split("```")[0]
    (slide,) = yaml.safe_load("- kind: breakdown\n" + block)
    content = breakdown.BreakdownContent.model_validate(slide["content"])
    named = [content.total, *(p if isinstance(p, str) else p.item for p in content.parts)]
    named += [line if isinstance(line, str) else line.item for line in content.lines]
    assert set(named) <= company_item_keys()


def test_layout_variants_of_the_deck_file_reach_the_page(iij_1q08: BuiltDeck) -> None:
    """Slide 7's narrower chart and smaller title, slide 12's larger text: classes the
    deck file asks for (``text_column``, ``title_size``, ``text_size``), styled by CSS."""

    def classes(number: str) -> list[str]:
        section = iij_1q08.html.split(f'data-label="{number}. ')[0].rsplit("<section", 1)[1]
        return section.split('class="')[1].split('"')[0].split()

    assert classes("7") == ["slide", "slide-breakdown", "text-wide", "title-small"]
    assert classes("2") == ["slide", "slide-breakdown"]
    assert classes("12") == ["slide", "slide-panels", "text-large"]
    assert classes("11") == ["slide", "slide-panels"]
    css = "".join(p.read_text(encoding="utf-8") for p in (TEMPLATES / "css").glob("*.css"))
    for name in ("text-wide", "title-small", "text-large"):
        assert f".{name} " in css

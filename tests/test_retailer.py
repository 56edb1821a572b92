"""The second example company (issue 20): a fictional retailer shaped unlike IIJ.

``data/examples/retailer`` reports under IFRS with a December year end, in EUR
thousand, by segments Stores / Online / Wholesale, with its own catalogue
(``items.yaml``), brand and decks written in the generic slide kinds only. These
tests read its decks from the shelf (``tests/conftest.py``): one page per slide in
both editions, every chart drawn in full, every figure shown as its data files hold
it, ``check`` clean, and ``report-all`` building it like the other companies.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from pptx import Presentation

from reportgen import formatting
from reportgen.cli import main
from reportgen.data.load import load_dataset
from reportgen.data.schema import fold_full_width
from reportgen.model.quarter import QuarterModel
from reportgen.pptx.bodies import TableBlock, slide_blocks
from reportgen.pptx.deck import write_pptx
from reportgen.quarters import Quarter
from reportgen.slides.shown import figures_of
from tests.conftest import RETAILER, BuiltDeck, DeckShelf, undisclosed_columns

# Every deck file of the retailer, as (quarter, edition).
DECKS = sorted(
    (path.name.split(".")[0], path.name.split(".")[1] if path.name.count(".") == 2 else "en")
    for path in (RETAILER / "decks").glob("*.yaml")
)
IDS = [f"{quarter}-{edition}" for quarter, edition in DECKS]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(params=DECKS, ids=IDS)
def deck(request: pytest.FixtureRequest, shelf: DeckShelf) -> BuiltDeck:
    quarter, edition = request.param
    return shelf.get(RETAILER, quarter, edition)


def test_the_retailer_has_english_and_japanese_decks() -> None:
    assert ("4Q25", "en") in DECKS
    assert ("4Q25", "ja") in DECKS
    assert {quarter for quarter, _ in DECKS} == {"1Q25", "2Q25", "3Q25", "4Q25"}


def test_one_page_per_slide(deck: BuiltDeck) -> None:
    spec = deck.result.deck.spec
    assert len(deck.pages) == len(spec.slides) == len(deck.slides)


def test_every_chart_is_drawn_in_full(deck: BuiltDeck) -> None:
    charts = [(s.kind, c) for s in deck.slides for c in s.charts]
    assert charts, "the retailer's decks draw charts"
    for kind, chart in charts:
        assert not chart.spec.empty, kind
        assert chart.spec.gaps == (), f"{kind}: gaps {chart.spec.gaps}"
        assert undisclosed_columns(chart.spec) == [], kind
    assert 'class="no-data"' not in deck.html


def test_no_figure_is_missing(deck: BuiltDeck) -> None:
    for number, page in enumerate(deck.pages, start=1):
        assert "n/a" not in page, f"page {number}"
        assert "n/d" not in page, f"page {number}"


def test_only_generic_slide_kinds() -> None:
    """The retailer's deck files name no slide kind made for IIJ's shape."""
    generic = {
        "cover", "statement", "breakdown", "margin", "bridge", "quarter_charts", "panels",
        "cash_flows", "forecast", "period_summary", "forward_looking", "contact",
    }  # fmt: skip
    for path in sorted((RETAILER / "decks").glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds = {slide["kind"] for slide in spec["slides"]}
        assert kinds <= generic, (path.name, sorted(kinds - generic))


def test_the_cover_says_the_company_is_fictional(deck: BuiltDeck) -> None:
    company = deck.result.deck.dataset.company.in_language(deck.result.deck.messages.language)
    cover = deck.pages[0]
    assert " ".join(company.display_name.split()) in cover.replace("\u2060", "")
    assert deck.result.deck.dataset.company.fictional


def test_every_slide_carries_the_footer_of_its_edition(deck: BuiltDeck) -> None:
    """The footer is company.yaml's: ``brand.footer`` in English, ``editions: ja: footer`` in
    Japanese; the cover has none."""
    company = deck.result.deck.dataset.company
    language = deck.result.deck.messages.language
    english = company.brand.footer
    footer = company.editions[language].footer if language != "en" else english
    assert footer
    if language != "en":
        assert footer != english
    for page in deck.pages[1:]:
        flat = " ".join(page.replace("\u2060", "").split())
        assert " ".join(footer.split()) in flat
        if language != "en":
            assert " ".join(english.split()) not in flat


def _stored(root: Path) -> dict[tuple[str, str], float]:
    """Every value of ``figures/*.csv``, read here as a person reads the file."""
    values = {}
    for path in sorted((root / "figures").glob("*.csv")):
        for row in csv.DictReader(path.read_text(encoding="utf-8").splitlines()):
            text = fold_full_width(row["value"]).replace(",", "")
            negative = text.startswith("(")
            number = float(text.strip("()"))
            values[(row["item"], path.stem)] = -number if negative else number
    return values


def test_every_published_figure_shown_is_a_value_of_its_data_files(deck: BuiltDeck) -> None:
    """Each figure a slide shows as published is the value its figures file holds; every
    other one is derived, with its formula (identities, sums of quarters, ratios)."""
    stored = _stored(RETAILER)
    checked = 0
    for slide in deck.slides:
        for shown in figures_of(slide):
            figure = shown.figure
            if figure.status == "published" and ":" not in figure.key:
                key = (figure.key, figure.period)
                if key in stored:
                    assert figure.value == pytest.approx(stored[key]), (slide.number, key)
                    checked += 1
                    continue
                # A target: targets.csv holds it (the forecast slide).
                assert figure.period.startswith(("FY", "1H")), (slide.number, key)
            elif figure.status != "published":
                # A change across a zero or a loss is "not meaningful": still a formula.
                assert figure.status in ("derived", "not_meaningful"), (slide.number, figure)
                assert figure.formula, (slide.number, figure)
    assert checked > 50


@pytest.mark.parametrize("quarter", sorted({q for q, _ in DECKS}))
def test_check_is_clean(quarter: str) -> None:
    code, table, err = run("check", "--quarter", quarter, "--data", str(RETAILER))
    assert code == 0, err
    assert ", 0 warnings, 0 errors" in table
    # No figure typed by hand in a bullet (the check reports them).
    assert "typed" not in err.lower()


def test_the_catalogue_ties_out_every_identity_it_declares() -> None:
    """Every identity and movement of items.yaml is checked for every quarter stored."""
    data = load_dataset(RETAILER)
    catalogue = yaml.safe_load((RETAILER / "items.yaml").read_text(encoding="utf-8"))
    code, table, err = run("check", "--quarter", "4Q25", "--data", str(RETAILER), "--all")
    assert code == 0, err
    for identity in catalogue["identities"]:
        assert f"tie-out '{identity['name']}'" in table, identity["name"]
    for movement in catalogue["movements"]:
        assert movement["name"] in table, movement["name"]
    assert data.calendar.start_month == 1


def test_report_all_builds_the_retailer_beside_the_others(tmp_path: Path) -> None:
    """``make report-all DATA=data/examples/retailer EDITION=all``: every quarter with a
    deck file, both editions where the Japanese deck exists, into its own OUT."""
    out = tmp_path / "retailer"
    code, _, err = run(
        "build", "--all", "--data", str(RETAILER), "--out", str(out), "--edition", "all"
    )
    assert code == 0, err
    short = load_dataset(RETAILER).company.short_name
    for quarter, edition in DECKS:
        suffix = "en" if edition == "en" else edition
        assert (out / quarter / f"{short}-{quarter}-results-{suffix}.pdf").is_file()


def test_a_percent_item_is_its_own_ratio() -> None:
    """Same-store sales growth is a rate the company reports (unit percent): ``|ratio``
    prints it as stored and ``|ratio_yoy_pt_dir`` its change in points."""
    data = load_dataset(RETAILER)
    model = QuarterModel(data.figures, Quarter.parse("4Q25"), data.calendar)
    stored = _stored(RETAILER)
    assert (
        model.ratio("same_store_sales_growth").value == stored[("same_store_sales_growth", "4Q25")]
    )
    change = model.ratio_yoy_pt("same_store_sales_growth").value
    expected = (
        stored[("same_store_sales_growth", "4Q25")] - stored[("same_store_sales_growth", "4Q24")]
    )
    assert change == pytest.approx(expected)


def test_a_rate_is_charted_as_a_percentage(shelf: DeckShelf) -> None:
    """Same-store sales growth (unit percent) is drawn with percentage labels on the
    KPI slide, whose charts are not money, so no money unit is printed over them."""
    deck = shelf.get(RETAILER, "4Q25")
    slide = next(
        s
        for s in deck.slides
        if any(
            c.title == deck.result.deck.messages.item("same_store_sales_growth") for c in s.charts
        )
    )
    chart = next(c for c in slide.charts if c.spec.series[0].unit == "pct")
    assert chart.spec.left_unit == "pct"
    model = QuarterModel(
        deck.result.deck.dataset.figures, Quarter.parse("4Q25"), deck.result.deck.dataset.calendar
    )
    rate = model.value("same_store_sales_growth").value
    page = deck.pages[deck.slides.index(slide)]
    assert formatting.percent(rate) in page
    assert slide.body.unit == ""


@pytest.mark.parametrize(("quarter", "shown"), [("1Q25", False), ("4Q25", True)])
def test_a_bridge_without_impacts_shows_no_empty_panel(
    shelf: DeckShelf, quarter: str, shown: bool
) -> None:
    """The 4Q deck names an impact (the impairment); the 1Q deck names none, and its
    bridge shows no impact panel rather than an empty one."""
    deck = shelf.get(RETAILER, quarter)
    index = next(i for i, s in enumerate(deck.slides) if s.kind == "bridge")
    body = deck.slides[index].body
    assert bool(body.impacts.rows) is shown
    assert (" ".join(body.impacts_title.split()) in deck.pages[index]) is shown


def test_the_powerpoint_margin_slide_shows_no_header_only_table(
    deck: BuiltDeck, tmp_path: Path
) -> None:
    """The retailer's margin slide asks for no table rows: the PDF shows none, and the
    PowerPoint edition must not show a lone header row of quarters under the chart."""
    built = deck.result.deck
    target = tmp_path / "deck.pptx"
    write_pptx(built, target)
    margins = [i for i, s in enumerate(deck.slides) if s.kind == "margin"]
    assert margins
    slides = Presentation(str(target)).slides
    for index in margins:
        assert not deck.slides[index].body.table.rows
        assert not any(shape.has_table for shape in slides[index].shapes)
    for slide in deck.slides:
        for block in slide_blocks(slide, built).blocks:
            assert not isinstance(block, TableBlock) or block.rows, (slide.title, block.name)

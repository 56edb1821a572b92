"""The built deck: its pages, its figures and its preview."""

from __future__ import annotations

from reportgen import formatting
from reportgen.model.quarter import QuarterModel
from tests.conftest import BuiltDeck, content_items

# A small held set of figures as IIJ published them (reference file, S1 and seed slide -13).
PUBLISHED_SLIDE_1 = ("16.3", "13.7", "19.2%", "(40.5%)", "(59.1%)", "(70.4%)")
PUBLISHED_SLIDE_13 = ("9,943", "11,471", "(1,528)")


def test_one_page_per_slide(iij_1q08: BuiltDeck) -> None:
    assert len(iij_1q08.pages) == len(iij_1q08.kinds)
    assert iij_1q08.result.output.pages == len(iij_1q08.pages)


def test_results_summary_shows_published_figures(iij_1q08: BuiltDeck) -> None:
    page = iij_1q08.page("statement")
    for text in PUBLISHED_SLIDE_1:
        assert text in page
    assert "1Q08 (08/4 ~ 08/6)" in page
    assert "1Q07 (07/4 ~ 07/6)" in page


def test_results_summary_shows_every_model_figure(
    iij_1q08: BuiltDeck, iij_model: QuarterModel
) -> None:
    page = iij_1q08.page("statement")
    for key in content_items(iij_1q08, "statement"):
        assert formatting.jpy_billion(iij_model.value(key).value) in page
        assert formatting.percent(iij_model.yoy(key).value) in page
        if key != "revenue":
            assert formatting.percent(iij_model.ratio(key).value) in page


def test_balance_sheet_changes_are_computed_with_signs(
    iij_1q08: BuiltDeck, iij_model: QuarterModel
) -> None:
    page = iij_1q08.pages_of("statement")[-1]
    for text in PUBLISHED_SLIDE_13:
        assert text in page
    assert "June 30, 2008" in page
    assert "March 31, 2008" in page
    for key in content_items(iij_1q08, "statement", -1):
        change = iij_model.change(key, "1Q08", "4Q07").value
        assert formatting.jpy_million(change, signed=True) in page


def test_operating_net_income_table(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    page = iij_1q08.page("margin")
    for quarter in iij_model.quarter.trailing(5):
        assert quarter.name in page
        for key in ("income_tax", "minority_interests", "equity_method_income"):
            assert formatting.jpy_million(iij_model.value(key, quarter).value) in page
    # The seed's inverted label is corrected: losses are in parentheses under "income (loss)".
    assert "Equity in Net Income (Loss) of Equity Method Investees" in page


def test_commentary_figures_come_from_the_model(
    iij_1q08: BuiltDeck, iij_model: QuarterModel
) -> None:
    page = iij_1q08.page("margin")
    oi = formatting.magnitude_percent(iij_model.yoy("operating_income").value)
    assert f"Operating income: down {oi} from 1Q07" in page


def test_cover(iij_1q08: BuiltDeck) -> None:
    cover = iij_1q08.pages[0]
    assert "1st Quarter FY2008 Consolidated Financial Results" in cover
    assert "2008.8.12" in cover
    assert "Internet Initiative Japan Inc." in cover


def test_preview_has_the_same_figures(iij_1q08: BuiltDeck) -> None:
    html = iij_1q08.html
    for text in (*PUBLISHED_SLIDE_1, *PUBLISHED_SLIDE_13):
        assert f">{text}<" in html
    folder = iij_1q08.result.output.html.parent
    assert (folder / "deck.css").is_file()
    for src in html.split('src="')[1:]:
        assert (folder / src.split('"')[0]).is_file()


def test_preview_shows_provenance(iij_1q08: BuiltDeck) -> None:
    assert 'title="Operating Income, YoY change (%), 1Q08 · published · Source: IIJ Announces' in (
        iij_1q08.html
    )
    assert "Cash, change, 1Q08 · derived: 1Q08 = 1Q08 − 4Q07" in iij_1q08.html


def test_pdf_metadata(iij_1q08: BuiltDeck) -> None:
    from pypdf import PdfReader

    assert iij_1q08.result.output.pdf is not None
    reader = PdfReader(iij_1q08.result.output.pdf)
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "1st Quarter FY2008 Consolidated Financial Results"
    assert meta.author == "Internet Initiative Japan Inc."
    assert [o["/Title"] for o in reader.outline][1].startswith("1. Consolidated Financial Results")

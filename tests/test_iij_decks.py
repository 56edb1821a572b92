"""IIJ's 4Q07, 2Q08 and 3Q08 decks, in English and Japanese, against the published record.

Expected figures are typed here from the published reference
(``reference/iij-published-figures.md`` in the shared material; section and source
in a comment beside each), never computed by the code under test; a derived
quarter is written as the subtraction of the published figures.
"""

from __future__ import annotations

import pytest

from reportgen.slides.cells import Table
from reportgen.slides.shown import tables_of
from tests.conftest import IIJ, BuiltDeck, DeckShelf

QUARTERS = ("4Q07", "2Q08", "3Q08")
EDITIONS = ("en", "ja")


def en(value: int) -> str:
    """A figure as the English bullets print it in JPY million: 1,005 or (14)."""
    return f"({-value:,})" if value < 0 else f"{value:,}"


def ja(value: int) -> str:
    """The same figure in the Japanese edition: 1,005百万円 or △14百万円."""
    return (f"△{-value:,}" if value < 0 else f"{value:,}") + "百万円"


@pytest.fixture(scope="module")
def decks(shelf: DeckShelf) -> dict[tuple[str, str], BuiltDeck]:
    """Each deck in each edition, built once for the whole run (conftest's shelf)."""
    wanted = [(q, e) for q in QUARTERS for e in EDITIONS]
    return dict(zip(wanted, shelf.get_many((IIJ, q, e) for q, e in wanted), strict=True))


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("quarter", QUARTERS)
def test_one_page_per_slide_and_the_same_slides_in_both_editions(
    decks: dict[tuple[str, str], BuiltDeck], quarter: str, edition: str
) -> None:
    deck = decks[(quarter, edition)]
    spec = deck.result.deck.spec
    assert len(deck.pages) == len(spec.slides) == len(deck.slides)
    assert spec.title in deck.pages[0]
    english = decks[(quarter, "en")].result.deck.spec
    assert [s.kind for s in spec.slides] == [s.kind for s in english.slides]


@pytest.mark.parametrize("quarter", QUARTERS)
def test_every_slide_shows_a_figure_of_the_record(
    decks: dict[tuple[str, str], BuiltDeck], quarter: str
) -> None:
    """No table whose figures are all missing: a 2Q08 or 3Q08 balance sheet would have none."""
    deck = decks[(quarter, "en")]
    for slide in deck.slides:
        for table in tables_of(slide.body):
            assert any(c.value is not None for r in table.rows for c in r.cells), slide.kind
    # Balance sheets are in the record for 31 Mar 2008 only (seed slide 13, Part 2.2).
    titles = [s.title for s in deck.slides]
    assert ("Consolidated Balance Sheets" in titles) == (quarter == "4Q07")


def test_4q07_figures(decks: dict[tuple[str, str], BuiltDeck]) -> None:
    english, japanese = decks[("4Q07", "en")], decks[("4Q07", "ja")]
    year = english.page("period_summary")
    # S2: FY2007 revenues 66,835 (+17.1%), operating income 4,759 (+36.0%),
    # net income 5,177 ((4.3%)); S3: annual dividend JPY 1,750.
    for text in ("JPY 66,835 million", "17.1%", "JPY 4,759 million", "36.0%", "(4.3%)", "1,750"):
        assert text in year, text
    # S10 (Nikkei xTECH, 15 May 2007): FY2006 operating income 35億円 = JPY 3.5 billion.
    assert " 3.5 " in year
    # S10 (Nikkei xTECH, 15 May 2007): the FY2007 guidance of revenue 69,000 = JPY 69.0 billion.
    assert "69.0" in year
    quarter = english.page("statement")
    # S2: 4Q07 revenues 18,486 (+8.6%), operating income 1,807 (+58.0%), net income 1,089 ((5.4%)).
    for text in ("JPY 18,486 million", "8.6%", "JPY 1,807 million", "58.0%", "JPY 1,089 million"):
        assert text in quarter, text
    assert "(5.4%)" in quarter
    # Part 2.2 (seed slide 13): cash 11,471 at 31 Mar 2008, compared with the prior year end.
    sheet = english.pages_of("statement")[-1]
    assert "11,471" in sheet
    assert "March 31, 2008" in sheet
    assert "March 31, 2007" in sheet
    assert "December 31, 2007" not in sheet
    for text in (ja(66_835), ja(4_759), ja(18_486), ja(1_807), ja(1_089)):
        assert text in " ".join(japanese.pages), text
    assert "11,471" in japanese.pages_of("statement")[-1]
    assert "2007年3月31日" in japanese.pages_of("statement")[-1]


def test_2q08_figures(decks: dict[tuple[str, str], BuiltDeck]) -> None:
    english, japanese = decks[("2Q08", "en")], decks[("2Q08", "ja")]
    half = english.page("period_summary")
    # S5: 1H08 revenues 33,254 (+10.9%), operating income 1,005 ((44.6%)), net income 368
    # ((89.4%)); S6: first-half revenue target revised on 24 Oct 2008 to 33,200 = 33.2.
    for text in ("JPY 33,254 million", "10.9%", "JPY 1,005 million", "(44.6%)", "(89.4%)", "33.2"):
        assert text in half, text
    # S10 (Mynavi/fastly, 13 Nov 2009): 1H08 recurring 26,429 and systems construction 6,290.
    assert "JPY 26,429 million" in half
    assert "JPY 6,290 million" in half
    # S5: interim dividend JPY 1,000 per share.
    assert "JPY 1,000 per share" in half
    table = next(s for s in english.slides if s.kind == "period_summary").body.table
    assert isinstance(table, Table)
    rows = {r.label: [c.text for c in r.cells] for r in table.rows}
    # The same figures in the table's JPY billion; S3: the 1H07 interim dividend was JPY 750.
    assert rows["Recurring Revenues"][1] == "26.4"
    assert rows["Systems Construction"][1] == "6.3"
    assert rows["Cash Dividend per Share"][1:4:2] == ["JPY1,000", "JPY750"]
    quarter = english.page("statement")
    # D3: 2Q08 = 1H08 (S5) − 1Q08 (S1); D9: recurring and systems construction likewise.
    for value in (33_254 - 16_328, 26_429 - 13_050, 6_290 - 3_036):
        assert f"JPY {en(value)} million" in quarter, value
    net = english.page("margin")
    # D3: 2Q08 net income 368 − 169; D1: 2Q07 net income 3,477 − 571.
    assert f"JPY {en(368 - 169)} million" in net
    assert f"JPY {en(3_477 - 571)} million" in net
    pages = " ".join(japanese.pages)
    for value in (33_254, 1_005, 26_429, 6_290, 33_254 - 16_328, 368 - 169):
        assert ja(value) in pages, value


def test_3q08_figures(decks: dict[tuple[str, str], BuiltDeck]) -> None:
    english, japanese = decks[("3Q08", "en")], decks[("3Q08", "ja")]
    nine = english.page("period_summary")
    assert "Nine Months (9M08)" in nine
    # S8: 9M08 revenue 50,789 (+5.0%), operating income 1,844 ((37.5%)), net income 354
    # ((91.3%)), recurring revenues +16.3%; 2.5/D7: 9M07 net income 4,088.
    for text in ("JPY 50,789 million", "5.0%", "JPY 1,844 million", "(37.5%)", "(91.3%)", "16.3%"):
        assert text in nine, text
    assert "JPY 354 million" in nine
    assert "JPY 4,088 million" in nine
    # 2.5/D7: 9M07 revenue 48,349 = JPY 48.3 billion; S7: FY2008 revenue target revised on
    # 12 Feb 2009 to 69,300 = 69.3 (the October target of 73,000 is no longer in force).
    assert "48.3" in nine
    assert "69.3" in nine
    assert "73.0" not in nine
    assert "Full-year Target" in nine
    assert "Progress" in nine
    quarter = english.page("statement")
    # 3Q08 = 9M08 (S8) − 1H08 (S5); 3Q07 from S4. Net income is a loss of 14.
    for value in (50_789 - 33_254, 1_844 - 1_005):
        assert f"JPY {en(value)} million" in quarter, value
    assert (
        f"turned to a loss of JPY {-(354 - 368)} million (profit of JPY 611 million in 3Q07)"
        in quarter
    )
    assert "JPY (14) million" in english.page("margin")
    pages = " ".join(japanese.pages)
    for value in (50_789, 1_844, 354, 50_789 - 33_254, 1_844 - 1_005):
        assert ja(value) in pages, value
    summary = "".join(japanese.page("statement").split())
    assert f"赤字転落\uff08損失{-(354 - 368)}百万円" in summary
    assert "△14百万円" in japanese.page("margin")
    assert "第3四半期累計" in japanese.page("period_summary")


@pytest.mark.parametrize("edition", EDITIONS)
def test_3q08_forecast_has_no_first_half_column(
    decks: dict[tuple[str, str], BuiltDeck], edition: str
) -> None:
    """In a 3Q deck the first half has been reported: only the year's target is shown."""
    deck = decks[("3Q08", edition)]
    page = deck.page("forecast")
    rows = next(s for s in deck.slides if s.kind == "forecast").body.rows
    assert isinstance(rows, tuple)
    assert all(len(r.cells) == 4 for r in rows)
    # S6: the first-half revenue target 33,200 (revised) and 34,500 (May); S7: FY 69,300.
    assert "Interim" not in page
    assert "中間期" not in page
    for target in ("33.2", "34.5", "332", "345"):
        assert target not in page, target
    assert ("69.3" if edition == "en" else "693") in page


@pytest.mark.parametrize("quarter", ["4Q07", "2Q08"])
def test_first_half_target_column_while_the_half_is_open(
    decks: dict[tuple[str, str], BuiltDeck], quarter: str
) -> None:
    page = decks[(quarter, "en")].page("forecast")
    assert "Interim Period of FY08 Target" in page
    # S6: 1H08 revenue target 34,500 (15 May 2008), revised to 33,200 on 24 Oct 2008.
    assert ("34.5" if quarter == "4Q07" else "33.2") in page


@pytest.mark.parametrize(
    ("quarter", "labels", "title"),
    [
        ("4Q07", ("4Q07 (08/1 ~ 08/3)", "4Q06 (07/1 ~ 07/3)"), "4Q FY2007"),
        ("2Q08", ("2Q08 (08/7 ~ 08/9)", "2Q07 (07/7 ~ 07/9)"), "2Q FY2008"),
        ("3Q08", ("3Q08 (08/10 ~ 08/12)", "3Q07 (07/10 ~ 07/12)"), "3Q FY2008"),
    ],
    ids=QUARTERS,
)
def test_comparison_columns_point_to_the_right_quarters(
    decks: dict[tuple[str, str], BuiltDeck], quarter: str, labels: tuple[str, str], title: str
) -> None:
    page = decks[(quarter, "en")].page("statement")
    for label in labels:
        assert label in page
    assert f"Consolidated Financial Results for {title}" in page


@pytest.mark.parametrize(
    ("quarter", "title", "columns"),
    [
        ("4Q07", "Consolidated Financial Results for FY07", ("FY07 (07/4 ~ 08/3)", "FY06")),
        (
            "2Q08",
            "Consolidated Financial Results for the First Half (1H08)",
            ("1H08 (08/4 ~ 08/9)", "1H07 (07/4 ~ 07/9)"),
        ),
        (
            "3Q08",
            "Consolidated Financial Results for the Nine Months (9M08)",
            ("9M08 (08/4 ~ 08/12)", "9M07 (07/4 ~ 07/12)"),
        ),
    ],
    ids=QUARTERS,
)
def test_period_view_fits_the_quarter(
    decks: dict[tuple[str, str], BuiltDeck], quarter: str, title: str, columns: tuple[str, str]
) -> None:
    page = decks[(quarter, "en")].page("period_summary")
    assert title in page
    for column in columns:
        assert column in page
    assert "announced on or before" in page


@pytest.mark.parametrize(
    ("quarter", "present", "absent"),
    # S2: FY2008 revenue target 78,500 (15 May 2008); S6: revised to 73,000 on 24 Oct 2008;
    # S7: revised to 69,300 on 12 Feb 2009.
    [("4Q07", "78.5", "73.0"), ("2Q08", "73.0", "78.5"), ("3Q08", "69.3", "73.0")],
    ids=["4Q07-next-year", "2Q08-revised", "3Q08-revised-again"],
)
def test_forecast_is_for_the_right_year_as_of_the_release(
    decks: dict[tuple[str, str], BuiltDeck], quarter: str, present: str, absent: str
) -> None:
    page = decks[(quarter, "en")].page("forecast")
    assert "FY08 Target" in page
    assert present in page
    assert absent not in page

"""The fictional company's 1Q25 deck: every slide of the IIJ deck, with nothing missing.

IIJ's published record has gaps, so its deck shows ``n/d`` and hatched totals; the
fictional data set is complete, so its deck is where every chart is seen drawn in full.
"""

from __future__ import annotations

import pytest

from reportgen.data.load import load_dataset
from reportgen.quarters import Quarter
from reportgen.slides.deck import load_deck_spec
from tests.conftest import IIJ, ROOT, BuiltDeck, undisclosed_columns

EXAMPLE = ROOT / "data" / "examples" / "fictional"


@pytest.fixture(scope="module")
def example(example_1q25: BuiltDeck) -> BuiltDeck:
    return example_1q25


def test_one_page_per_slide_of_the_full_deck(example: BuiltDeck) -> None:
    spec = example.result.deck.spec
    assert len(spec.slides) == 22
    assert len(example.pages) == 22
    assert len(example.slides) == 22


def test_same_slides_in_the_same_order_as_the_iij_deck(example: BuiltDeck) -> None:
    reference = load_deck_spec(load_dataset(IIJ), Quarter.parse("1Q08")).slides
    slides = example.result.deck.spec.slides
    assert [(s.kind, s.number) for s in slides] == [(s.kind, s.number) for s in reference]


def test_every_chart_is_drawn_in_full(example: BuiltDeck) -> None:
    charts = [(s.kind, c) for s in example.slides for c in s.charts]
    # Slides 2-10 one each, 14 and 15 three each.
    assert len(charts) == 15
    for kind, chart in charts:
        assert not chart.spec.empty, kind
        assert chart.spec.gaps == (), f"{kind}: gaps {chart.spec.gaps}"
        assert undisclosed_columns(chart.spec) == [], kind
        assert chart.footnote == "", f"{kind}: {chart.footnote}"
    # Each is drawn as a chart, none replaced by a "not disclosed" panel.
    assert example.html.count('<img src="charts/') == 15
    assert 'class="no-data"' not in example.html


def test_no_figure_is_marked_not_disclosed(example: BuiltDeck) -> None:
    for number, page in enumerate(example.pages, start=1):
        assert "n/d" not in page, f"page {number}"
        assert "n/a" not in page, f"page {number}"
        assert "not disclosed" not in page.lower(), f"page {number}"
        assert "total only" not in page.lower(), f"page {number}"


def test_cover_says_the_company_is_fictional(example: BuiltDeck) -> None:
    cover = example.pages[0]
    assert "1st Quarter FY2025 Consolidated Financial Results" in cover
    assert "Fictional company" in cover
    assert "Example Networks (fictional)" in cover


def test_text_slides_show_the_fictional_content(example: BuiltDeck) -> None:
    assert "Example Edge Computing Inc. (fictional)" in example.numbered("11")
    assert "Established April 2025 (100% consolidated subsidiary)" in example.numbered("11")
    group = example.page("group_companies")
    assert "Example Secure ID Inc. (fictional)" in group
    assert "66.7%" in group
    assert "companies established from FY24" in group
    assert "over JPY 100 billion" in example.page("medium_term_target")
    assert "FY25 1Q" in example.page("press_releases")
    # The interim target covers the first half, not the whole year.
    assert "(25/4 ~ 25/9)" in example.page("forecast")

"""Decks of other quarters, a quarter added by an analyst, and the batch build."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from reportgen import formatting
from reportgen.batch import build_all
from reportgen.cli import main
from reportgen.data.load import load_dataset
from reportgen.errors import QuarterError
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.slides.deck import load_deck_spec
from tests.conftest import IIJ, ROOT, BuiltDeck, build_and_read

EXAMPLE = ROOT / "data" / "examples" / "fictional"


@pytest.fixture(scope="module")
def iij_decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BuiltDeck]:
    """IIJ's 4Q07 and 2Q08 decks, each built once for the whole module."""
    return {q: build_and_read(IIJ, q, tmp_path_factory.mktemp(q)) for q in ("4Q07", "2Q08")}


@pytest.fixture(params=["4Q07", "2Q08"])
def other_quarter(request: pytest.FixtureRequest, iij_decks: dict[str, BuiltDeck]) -> BuiltDeck:
    return iij_decks[request.param]


def test_one_page_per_listed_slide(other_quarter: BuiltDeck) -> None:
    spec = other_quarter.result.deck.spec
    assert len(other_quarter.pages) == len(spec.slides)
    assert spec.title in other_quarter.pages[0]


@pytest.mark.parametrize(
    ("quarter", "labels", "title"),
    [
        ("4Q07", ("4Q07 (08/1 ~ 08/3)", "4Q06 (07/1 ~ 07/3)"), "4Q FY2007"),
        ("2Q08", ("2Q08 (08/7 ~ 08/9)", "2Q07 (07/7 ~ 07/9)"), "2Q FY2008"),
    ],
    ids=["4Q07", "2Q08"],
)
def test_comparison_columns_point_to_the_right_quarters(
    iij_decks: dict[str, BuiltDeck], quarter: str, labels: tuple[str, str], title: str
) -> None:
    deck = iij_decks[quarter]
    page = deck.page("results_summary")
    for label in labels:
        assert label in page
    assert f"Consolidated Financial Results for {title}" in page
    assert "n/a: not available in this data set" in page


def test_balance_sheet_compares_with_the_previous_quarter_end(other_quarter: BuiltDeck) -> None:
    quarter = other_quarter.result.deck.quarter
    page = other_quarter.page("balance_sheet")
    end = {
        "4Q07": ("March 31, 2008", "December 31, 2007"),
        "2Q08": ("September 30, 2008", "June 30, 2008"),
    }[quarter.name]
    for label in end:
        assert label in page


def test_an_added_quarter_builds(tmp_path: Path) -> None:
    data = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, data)
    # Back to the day the 2Q25 figures arrived: no deck yet, then one copied from 1Q25
    # with a new title and date, as the README's "Adding a quarter" says.
    (data / "decks" / "2Q25.yaml").unlink()
    with pytest.raises(QuarterError, match="2Q25: no deck file"):
        load_deck_spec(load_dataset(data), Quarter.parse("2Q25"))
    source = (data / "decks" / "1Q25.yaml").read_text()
    (data / "decks" / "2Q25.yaml").write_text(
        source.replace("1st Quarter FY2025", "2nd Quarter FY2025").replace(
            "release_date: 2025-08-12", "release_date: 2025-11-12"
        )
    )
    deck = build_and_read(data, "2Q25", tmp_path / "out")
    assert len(deck.pages) == len(
        load_deck_spec(deck.result.deck.dataset, deck.result.deck.quarter).slides
    )
    assert "2nd Quarter FY2025" in deck.pages[0]
    assert "2Q25 (25/7 ~ 25/9)" in deck.page("results_summary")
    assert "2Q24 (24/7 ~ 24/9)" in deck.page("results_summary")


def test_batch_reports_a_broken_quarter_and_builds_the_others(
    tmp_path: Path, data_copy: Path
) -> None:
    broken = data_copy / "decks" / "2Q08.yaml"
    broken.write_text(broken.read_text().replace("kind: balance_sheet", "kind: balance_shet"))
    outcomes = build_all(data_copy, tmp_path / "out", workers=2)
    by_quarter = {o.quarter: o for o in outcomes}
    assert sorted(by_quarter) == ["1Q08", "2Q08", "4Q07"]
    assert not by_quarter["2Q08"].ok
    assert "unknown kind 'balance_shet'" in by_quarter["2Q08"].error
    assert by_quarter["2Q08"].input_error
    for name in ("1Q08", "4Q07"):
        assert by_quarter[name].ok
        assert by_quarter[name].pages > 0
        assert (tmp_path / "out" / name / f"IIJ-{name}-results-en.pdf").is_file()


def test_batch_cli_exit_code_and_summary(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "decks" / "2Q08.yaml").write_text("title: [broken\n")
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["build", "--all", "--data", str(data_copy), "--out", str(tmp_path)], stdout=out, stderr=err
    )
    assert code == 2
    summary = out.getvalue()
    assert "FAILED" in summary
    assert "YAML syntax error" in summary
    assert summary.count(" ok ") == 2


@pytest.mark.parametrize(
    ("quarter", "period", "target_revenue", "title"),
    [
        # FY2007 guidance of May 2007, still in force at the 15 May 2008 release (held set).
        ("4Q07", "FY07", "69.0", "Consolidated Financial Results for FY07"),
        # The first-half target as revised on 24 October 2008, not May's 34.5.
        ("2Q08", "1H08", "33.2", "Consolidated Financial Results for the First Half (1H08)"),
    ],
    ids=["full-year", "first-half"],
)
def test_period_view_against_prior_period_and_target(
    iij_decks: dict[str, BuiltDeck], quarter: str, period: str, target_revenue: str, title: str
) -> None:
    deck = iij_decks[quarter]
    page = deck.page("period_summary")
    model = QuarterModel(
        deck.result.deck.dataset.figures,
        deck.result.deck.quarter,
        deck.result.deck.dataset.calendar,
    )
    assert title in page
    assert formatting.jpy_billion(model.value("revenue", period).value) in page
    assert formatting.percent(model.yoy("revenue", period).value) in page
    assert target_revenue in page
    assert "Targets as announced on or before" in page


@pytest.mark.parametrize(
    ("quarter", "present", "absent"),
    [("4Q07", "78.5", "73.0"), ("2Q08", "73.0", "78.5")],
    ids=["4Q07-next-year", "2Q08-revised"],
)
def test_forecast_is_for_the_right_year_as_of_the_release(
    iij_decks: dict[str, BuiltDeck], quarter: str, present: str, absent: str
) -> None:
    page = iij_decks[quarter].page("forecast")
    assert "FY08 Target" in page
    assert present in page
    assert absent not in page


def test_period_summary_refuses_a_first_quarter_deck(tmp_path: Path, data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    deck.write_text(
        deck.read_text().replace(
            "  - kind: cover\n", "  - kind: cover\n\n  - kind: period_summary\n", 1
        )
    )
    code = main(
        ["build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(tmp_path)],
        stdout=io.StringIO(),
        stderr=(err := io.StringIO()),
    )
    assert code == 2
    assert (
        "a period summary fits a 2Q deck (first half) or a 4Q deck (full year) only"
        in err.getvalue()
    )

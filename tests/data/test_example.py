"""The fictional example company: complete, consistent, and its deck builds.

IIJ's published record has gaps, so this data set is what exercises every item,
slide and chart with no "n/d". Its completeness is checked against the item
catalogue, so a new storable item fails here until the example carries it.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
import yaml

from reportgen.data.load import Dataset, load_dataset
from reportgen.data.validate import run_checks
from reportgen.render import TEMPLATES
from reportgen.slides.messages import Messages
from tests.conftest import EXAMPLE, BuiltDeck, catalogue_of

QUARTERS = tuple(f"{n}Q{year}" for year in ("24", "25") for n in range(1, 5))
OPENING = "4Q23"

# Storable items the example deliberately does not store, and why.
LEFT_OUT = {
    "revenue_vas_former": "a former IIJ classification; a new company never published it",
    "revenue_voip_support_onetime": "an IIJ one-off (4Q07), memo only",
    "revenue_ntt_commission_onetime": "an IIJ one-off (4Q07), memo only",
    "gross_margin_co": "derived from segment revenue − segment cost; storing it would duplicate",
    "gross_margin_si": "derived from segment revenue − segment cost; storing it would duplicate",
}
# Of those, the ones the model derives: they must resolve in every quarter all the same.
DERIVED_INSTEAD = ("gross_margin_co", "gross_margin_si")
ITEMS = catalogue_of(EXAMPLE).items
STORED_ITEMS = tuple(k for k, item in ITEMS.items() if item.storable and k not in LEFT_OUT)


def _balance_sheet_items() -> tuple[str, ...]:
    """The items of the example's balance-sheet slide, as its 1Q25 deck file lists them."""
    deck = yaml.safe_load((EXAMPLE / "decks" / "1Q25.yaml").read_text(encoding="utf-8"))
    (sheet,) = [
        s["content"]
        for s in deck["slides"]
        if s["kind"] == "statement" and s["content"]["compare"] == "year_start"
    ]
    return tuple(sheet["items"])


BALANCE_SHEET = _balance_sheet_items()
ASSETS = BALANCE_SHEET[:8]  # the asset lines, before borrowings


@pytest.fixture(scope="module")
def example() -> Dataset:
    return load_dataset(EXAMPLE)


def test_example_validates_without_errors_or_warnings(example: Dataset) -> None:
    checks = run_checks(example)
    assert [c.message for c in checks if c.severity != "ok"] == []
    # The rules actually ran: every quarter's cash and deficit movements are checked.
    for rule in ("cash movement vs cash flows", "accumulated deficit movement"):
        assert sorted(c.period for c in checks if c.name == rule) == sorted(QUARTERS)


def test_example_is_marked_fictional(example: Dataset) -> None:
    assert example.company.fictional
    assert "fictional" in example.company.name
    assert "fictional" in example.company.forward_looking_statement


def test_left_out_items_are_storable_and_absent(example: Dataset) -> None:
    stored_keys = {key for key, _ in example.figures.stored}
    for key in LEFT_OUT:
        assert ITEMS[key].storable
        assert key not in stored_keys


@pytest.mark.parametrize("quarter", QUARTERS)
def test_every_storable_item_is_stored(example: Dataset, quarter: str) -> None:
    absent = [key for key in STORED_ITEMS if (key, quarter) not in example.figures.stored]
    assert absent == []


def test_opening_balance_sheet_is_stored(example: Dataset) -> None:
    absent = [key for key in BALANCE_SHEET if (key, OPENING) not in example.figures.stored]
    assert absent == []


@pytest.mark.parametrize("quarter", QUARTERS)
def test_every_derived_item_resolves(example: Dataset, quarter: str) -> None:
    derived = [key for key, item in ITEMS.items() if not item.storable] + list(DERIVED_INSTEAD)
    missing = [key for key in derived if example.figures.get(key, quarter).missing]
    assert missing == []


@pytest.mark.parametrize("quarter", [OPENING, *QUARTERS])
def test_total_assets_is_the_sum_of_asset_lines(example: Dataset, quarter: str) -> None:
    # Not an identity of items.yaml (liabilities are not itemised), but the example keeps it.
    lines = sum(example.figures.get(key, quarter).value or 0.0 for key in ASSETS)
    assert example.figures.get("total_assets", quarter).value == lines


def test_example_exercises_signs(example: Dataset) -> None:
    """A net loss and a sign switch keep parentheses and red in the example's decks."""
    net = [example.figures.get("net_income", q).value or 0.0 for q in QUARTERS]
    assert any(v < 0 for v in net)
    equity = [example.figures.get("equity_method_income", q).value or 0.0 for q in QUARTERS]
    switches = sum(1 for a, b in pairwise(equity) if (a < 0) != (b < 0))
    assert switches == 1


def test_targets_have_an_original_and_a_revision(example: Dataset) -> None:
    full_year = {t.announced for t in example.targets if t.figure.period == "FY25"}
    assert len(full_year) == 2
    assert any(t.figure.period == "1H25" for t in example.targets)


def test_example_deck_builds_one_page_per_slide(example_1q25: BuiltDeck) -> None:
    assert example_1q25.result.warnings == ()
    assert len(example_1q25.pages) == len(example_1q25.kinds)
    assert example_1q25.result.output.pages == len(example_1q25.pages)
    assert example_1q25.result.output.pdf is not None
    assert example_1q25.result.output.pdf.name.startswith("EXAMPLE-1Q25")


def test_example_cover_says_fictional(example_1q25: BuiltDeck, example: Dataset) -> None:
    cover = example_1q25.page("cover")
    assert Messages.load(TEMPLATES, "en")("deck.fictional") in cover
    assert example.company.display_name in cover


def test_example_deck_has_no_gaps(example_1q25: BuiltDeck) -> None:
    # A complete company shows every figure: no "n/d" anywhere in the deck.
    for page in example_1q25.pages:
        assert "n/d" not in page
        assert "n/a" not in page


def test_example_folder_layout() -> None:
    for name in ("company.yaml", "sources.yaml", "items.yaml", "targets.csv", "decks/1Q25.yaml"):
        assert (EXAMPLE / name).is_file()
    periods = sorted(p.stem for p in Path(EXAMPLE / "figures").glob("*.csv"))
    assert periods == sorted((OPENING, *QUARTERS))

"""The generic statement kinds: any items from the deck file, and no company's items in code.

``statement``, ``margin``, ``bridge`` and ``quarter_charts`` (and the item keys of
``cash_flows``, ``forecast`` and ``period_summary``) take every item they show from
the slide's ``content:``. These tests build them over other items than IIJ's deck
files list, check the errors a deck file can make, and read the builders' source for
item keys written in code.
"""

from __future__ import annotations

import ast
import csv
import io
import shutil
from pathlib import Path

import pytest
import yaml

from reportgen import formatting
from reportgen.build import prepare
from reportgen.cli import main
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.slides.base import Slide
from reportgen.slides.cells import Table
from reportgen.slides.deck import Deck
from tests.conftest import EXAMPLE, IIJ, ROOT, BuiltDeck, catalogue_of, written_at

Q = Quarter.parse("1Q08")
BUILDERS = ("financials.py", "statements.py", "reference.py")
# Content keys whose values name items (a string, a list, or rows with an ``item``).
ITEM_FIELDS = {"item", "items", "parts", "table", "totals", "lines", "dividend", "cash", "steps"}

DECK = """title: A deck of other items
release_date: 2008-08-12
slides:
  - kind: cover
  - kind: statement
    number: "1"
    title: Segments against the previous quarter
    content:
      items: [revenue_connectivity_outsourcing, revenue_si, cost_si]
      compare: prior_quarter
      totals: [revenue_si]
  - kind: bridge
    number: "2"
    title: Gross margin from a year earlier
    content:
      item: gross_margin
      from: year_ago
      steps:
        - item: revenue
        - {item: cost, subtract: true, up: "Costs up", down: "Costs down"}
"""


def _built(data: Path, deck: str) -> Deck:
    (data / "decks" / "1Q08.yaml").write_text(deck, encoding="utf-8")
    return prepare(data, Q)[1]


def _slide(deck: Deck, kind: str) -> Slide:
    return next(s for s in deck.slides if s.kind == kind)


def _texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> tuple[Deck, QuarterModel]:
    data = tmp_path_factory.mktemp("other") / "iij"
    shutil.copytree(IIJ, data)
    deck = _built(data, DECK)
    return deck, QuarterModel(deck.dataset.figures, Q, deck.dataset.calendar)


def test_a_statement_shows_the_items_its_content_lists(
    other: tuple[Deck, QuarterModel],
) -> None:
    deck, model = other
    slide = _slide(deck, "statement")
    table = slide.body.table  # type: ignore[attr-defined]
    keys = ("revenue_connectivity_outsourcing", "revenue_si", "cost_si")
    assert [r.label for r in table.rows] == [deck.messages.item(k) for k in keys]
    assert [r.style for r in table.rows] == ["", "total", ""]
    # Against the quarter before, in JPY million, with the % change; no ratio columns.
    assert table.header[0][1].startswith("1Q08 (")
    assert table.header[0][2].startswith("4Q07 (")
    assert table.header[0][3] == "QoQ"
    for key, cells in zip(keys, _texts(table), strict=True):
        assert cells == [
            formatting.jpy_million(model.value(key, "1Q08").value),
            formatting.jpy_million(model.value(key, "4Q07").value),
            formatting.percent(model.qoq(key).value),
        ], key
    assert "Unit: JPY million" in slide.body.unit  # type: ignore[attr-defined]


def test_a_bridge_runs_over_the_steps_its_content_lists(
    other: tuple[Deck, QuarterModel],
) -> None:
    deck, model = other
    slide = _slide(deck, "bridge")
    (chart,) = slide.charts
    then, now = model.value("gross_margin", "1Q07").value, model.value("gross_margin").value
    revenue = model.change("revenue", "1Q08", "1Q07").value
    cost = model.change("cost", "1Q08", "1Q07").value
    assert revenue is not None
    assert cost is not None
    words = "Increase in" if revenue >= 0 else "Decrease in"
    # Gross margin is revenue less cost exactly: no residual step.
    assert chart.spec.steps == (
        ("1Q07 Gross Margin", then, True),
        (f"{words} Total Revenues", revenue, False),
        ("Costs up" if cost >= 0 else "Costs down", -cost, False),
        ("1Q08 Gross Margin", now, True),
    )
    table = slide.body.table  # type: ignore[attr-defined]
    # By default the steps' items, then the bridged item in bold.
    assert [r.label for r in table.rows] == [
        deck.messages.item(k) for k in ("revenue", "cost", "gross_margin")
    ]
    assert [r.style for r in table.rows] == ["", "", "total"]
    assert table.header[0][1:3] == ("1Q07", "1Q08")
    assert slide.body.impacts_title == "Negative Impact on 1Q08 Gross Margin"  # type: ignore[attr-defined]


def _build_error(data: Path) -> str:
    err = io.StringIO()
    argv = ["build", "--quarter", "1Q08", "--data", str(data), "--no-pdf"]
    code = main([*argv, "--out", str(data.parent / "out")], stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "Traceback" not in err.getvalue()
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("error:")]
    return line


def test_an_unknown_item_names_the_place_and_the_closest_item(
    data_copy: Path, iij_1q08: BuiltDeck
) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    text = deck.read_text(encoding="utf-8")
    typo = "      items: [revenue, cost, gross_margin, sga, operating_incom, "
    deck.write_text(
        text.replace("      items: [revenue, cost, gross_margin, sga, operating_income, ", typo, 1)
    )
    line = _build_error(data_copy)
    row = written_at(deck, "operating_incom,").split(":")[0]
    assert f"{deck}:{row}:" in line
    # The slide named as it prints: its title's {{ quarter_label }} filled in.
    (summary,) = [s for s in iij_1q08.slides if s.number == "1"]
    assert f', slide 1 (statement, 1Q08) "{summary.title}": ' in line
    assert (
        "content.items.4: unknown item 'operating_incom' (did you mean 'operating_income'?)" in line
    )


def test_a_missing_required_key_says_what_is_expected(data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("      compare: year_start\n", "", 1), encoding="utf-8")
    line = _build_error(data_copy)
    assert ', slide 13 (statement, 1Q08) "Consolidated Balance Sheets": content.compare: ' in line
    assert "content.compare: missing; expected one of year_ago, prior_quarter, year_start" in line


def test_a_bridge_without_steps_says_what_is_expected(data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    text = deck.read_text(encoding="utf-8")
    steps = "      steps:\n        - item: gross_margin\n        - item: sga\n"
    steps += "          subtract: true  # higher SG&A lowers operating income\n"
    assert steps in text
    deck.write_text(text.replace(steps, "", 1), encoding="utf-8")
    line = _build_error(data_copy)
    assert ', slide 6 (bridge, 1Q08) "Operating Income YoY Comparison": content.steps: ' in line
    assert "missing; expected a list of steps ({item: key, subtract, up, down})" in line


def _item_keys() -> set[str]:
    """Every item key the repository's companies use: their catalogues, figures, decks."""
    keys: set[str] = set()
    for company in (IIJ, EXAMPLE):
        keys |= set(catalogue_of(company).items)
        for path in (company / "figures").glob("*.csv"):
            with path.open(encoding="utf-8") as rows:
                keys |= {row["item"].split(":")[0] for row in csv.DictReader(rows)}
        for path in (company / "decks").glob("*.yaml"):
            for slide in yaml.safe_load(path.read_text(encoding="utf-8"))["slides"]:
                keys |= set(_named_items(slide.get("content") or {}))
    return keys


def _named_items(content: object, field: str = "") -> list[str]:
    """The item keys in a slide's content: the values of its item fields, at any depth."""
    if isinstance(content, dict):
        return [k for name, value in content.items() for k in _named_items(value, name)]
    if isinstance(content, list):
        return [k for value in content for k in _named_items(value, field)]
    return [content] if field in ITEM_FIELDS and isinstance(content, str) else []


def _string_constants(path: Path) -> set[str]:
    return {
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


@pytest.mark.parametrize("module", BUILDERS)
def test_no_company_item_is_written_in_a_builder(module: str) -> None:
    """Which items a slide shows is the deck file's choice, never the builder's."""
    keys = _item_keys()
    # The decks' own items are among them (a sanity check of the collection).
    assert {"revenue", "operating_income", "cf_operating", "capex", "dps"} <= keys
    written = _string_constants(ROOT / "reportgen" / "slides" / module) & keys
    assert written == set(), f"item keys in reportgen/slides/{module}: {sorted(written)}"

"""One enumeration of every figure a slide shows: tables, charts and text, with provenance.

``reportgen sources``, the attached CSV and the data pack all read it; these tests
check that the groups the old table-only listing missed are there, each with its
item, period, exact value and documents, compared with the model, not typed here.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from reportgen.datapack import DATA_COLUMNS, records
from reportgen.formatting import numbers_for
from reportgen.model.quarter import QuarterModel
from reportgen.slides.base import Slide
from reportgen.slides.shown import CHART, TABLE, TEXT, Shown, figures_of, tables_of
from tests.conftest import BuiltDeck


def _slide(deck: BuiltDeck, kind: str) -> Slide:
    """The deck's first slide of ``kind``."""
    return next(s for s in deck.slides if s.kind == kind)


def _by(shown: tuple[Shown, ...], place: str, key: str) -> list[Shown]:
    return [s for s in shown if s.place == place and s.figure.key == key]


def test_text_figures_are_listed(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    """A bullet's placeholder figure (the number of employees) is listed with its source."""
    shown = tuple(s for slide in iij_1q08.slides for s in figures_of(slide))
    (employees,) = _by(shown, TEXT, "employees")
    figure = iij_model.value("employees")
    assert employees.figure.value == figure.value
    assert employees.figure.documents == figure.documents
    assert employees.text == numbers_for("en").number(figure.value)


def test_chart_values_carry_their_figures(iij_1q08: BuiltDeck, iij_model: QuarterModel) -> None:
    revenues = figures_of(next(s for s in iij_1q08.slides if s.number == "2"))
    points = [s for s in revenues if s.place == CHART]
    assert points, "the revenue chart lists no figure"
    for point in points:
        assert point.figure.status in ("published", "seed", "derived")
        assert point.figure.documents, point
    # The column totals are the model's revenue of each quarter shown.
    totals = _by(revenues, CHART, "revenue")
    quarters = iij_model.quarter.trailing(5)
    assert [t.figure.period for t in totals] == [
        q.name for q in quarters if not iij_model.value("revenue", q).missing
    ]
    for total in totals:
        assert total.figure.value == iij_model.value("revenue", total.figure.period).value


def test_bridge_steps_and_the_residual_are_figures(iij_1q08: BuiltDeck) -> None:
    steps = [s for s in figures_of(_slide(iij_1q08, "bridge")) if s.place == CHART]
    chart = _slide(iij_1q08, "bridge").charts[0]
    assert len(steps) == len(chart.spec.steps)
    for step, (_, value, _) in zip(steps, chart.spec.steps, strict=True):
        # The SG&A step shows the change negated: the figure listed is what is drawn.
        assert step.figure.value == pytest.approx(value)


def test_reference_slides_are_listed(iij_1q08: BuiltDeck) -> None:
    """The forecast table, the medium-term target and group ownership: not only tables."""
    forecast = figures_of(_slide(iij_1q08, "forecast"))
    assert {s.figure.key for s in forecast if s.place == TABLE} >= {"revenue", "dps"}
    target = figures_of(_slide(iij_1q08, "medium_term_target"))
    assert target
    assert all(s.place == TEXT and s.figure.documents for s in target)
    ownership = figures_of(_slide(iij_1q08, "group_companies"))
    assert ownership
    assert all(s.figure.key.startswith("ownership:") and s.unit == "%" for s in ownership)


def test_records_name_item_period_and_unit(iij_1q08: BuiltDeck) -> None:
    for record in records(iij_1q08.result.deck):
        fields = record.fields
        assert fields["item"]
        assert fields["period"]
        assert fields["shown"]
        if fields["status"] in ("published", "seed", "derived"):
            assert fields["source_title"], fields


def test_data_sheet_lists_each_figure_once(iij_1q08: BuiltDeck) -> None:
    path = iij_1q08.result.output.xlsx
    assert path is not None
    book = load_workbook(path)
    sheet = book["Data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == DATA_COLUMNS
    keys = [(r[0], r[2]) for r in rows[1:]]
    assert len(keys) == len(set(keys))
    expected = {(r.figure.key, r.figure.period) for r in records(iij_1q08.result.deck)}
    assert set(keys) == expected
    # The Ref. slides have sheets of their own now.
    assert any(name.startswith("Ref. 1") for name in book.sheetnames)
    assert any(name.startswith("Ref. 3") for name in book.sheetnames)


def test_tables_are_found_wherever_they_sit(iij_1q08: BuiltDeck) -> None:
    """The data pack's per-slide sheets and the snapshot walk bodies for their tables."""
    summary = _slide(iij_1q08, "statement").body
    assert list(tables_of(summary)) == [summary.table]  # type: ignore[attr-defined]
    bridge = _slide(iij_1q08, "bridge").body
    assert list(tables_of(bridge)) == [bridge.table, bridge.impacts]  # type: ignore[attr-defined]

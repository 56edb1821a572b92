"""Chart values hover in the preview (issue 17): a hotspot over each value's label and bar.

Where a value's label sits is read from the chart's SVG itself (its ``<text>``
elements, placed by matplotlib), not from the boxes under test; the figures behind
the values are read from the data files. The browser test is in ``test_preview.py``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from reportgen import render
from reportgen.build import build
from reportgen.charts.cache import ChartJob, marks_path, read_marks
from reportgen.charts.spec import ChartSpec, Series
from reportgen.quarters import Quarter
from reportgen.slides.base import Chart
from reportgen.slides.deck import Deck
from tests.conftest import IIJ, BuiltDeck
from tests.test_source_documents import figure_as_typed

_SVG = "{http://www.w3.org/2000/svg}"
# A label's anchor may sit this far outside its box (a fraction of the image): the
# box is the text's measured extent, the anchor a point on its baseline.
_SLACK = 0.01


def drawn(built: BuiltDeck) -> tuple[Deck, dict[ChartSpec, Path]]:
    """The deck with its charts drawn (from the build's cache), and each chart's file."""
    cache = built.result.output.folder.parent / ".cache" / "charts"
    specs = [c.spec for s in built.slides for c in s.charts if not c.spec.empty]
    job = ChartJob(specs, cache)
    paths = job.wait()
    return render.with_chart_sources(built.result.deck, paths, job.marks()), paths


def label_points(svg: Path) -> dict[str, list[tuple[float, float]]]:
    """Each text the SVG prints, with the middle of where it prints, as image fractions."""
    root = ET.fromstring(svg.read_bytes().decode())
    width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
    points: dict[str, list[tuple[float, float]]] = {}
    for text in root.iter(f"{_SVG}text"):
        style = text.get("style", "")
        size = float(re.search(r"font-size: ([0-9.]+)px", style).group(1))  # type: ignore[union-attr]
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        # Value labels are centred on x; y is their baseline, about a third of the
        # font size below the middle of the digits.
        middle = y - size * 0.35
        points.setdefault(text.text or "", []).append((x / width, middle / height))
    return points


def charts_of(deck: Deck) -> list[Chart]:
    return [c for s in deck.slides for c in s.charts if c.src]


@pytest.fixture(params=["iij_1q08", "example_1q25"])
def built(request: pytest.FixtureRequest) -> BuiltDeck:
    return request.getfixturevalue(request.param)


def test_every_chart_value_has_a_hotspot_over_its_label(built: BuiltDeck) -> None:
    deck, paths = drawn(built)
    labelled = 0
    for chart in charts_of(deck):
        shown = list(chart.shown_by_key())
        # Every value shown hovers, labelled or not (a thin segment prints no label).
        assert len(chart.hotspots) == len(shown) > 0, chart.title
        points = label_points(paths[chart.spec])
        for spot in chart.hotspots:
            where = (
                f"{chart.spec.categories}: {spot.shown.row} {spot.shown.column} {spot.shown.text}"
            )
            left, top, right, bottom = spot.box
            assert 0 <= left < right <= 1, where
            assert 0 <= top < bottom <= 1, where
            near = [
                (x, y)
                for x, y in points.get(spot.shown.text, [])
                if left - _SLACK <= x <= right + _SLACK and top - _SLACK <= y <= bottom + _SLACK
            ]
            labelled += bool(near)
            # A label printing this value elsewhere only (a tick of the same number) is
            # allowed only for a value whose own label did not fit on its segment.
            if not near and spot.shown.text in points:
                assert chart.spec.stacked, f"{where}: not over its label"
                assert len(chart.spec.series) > 1, f"{where}: not over its label"
    # Nearly every value is labelled on its chart, and each label lies in its hotspot.
    assert labelled >= 0.9 * sum(len(c.hotspots) for c in charts_of(deck))


def test_a_hotspot_names_its_own_figure(iij_1q08: BuiltDeck) -> None:
    """The revenue chart's 1Q08 segments: each hotspot names the item and period it labels."""
    deck, _ = drawn(iij_1q08)
    (chart,) = next(s for s in deck.slides if s.number == "2").charts
    by_text = {h.shown.text: h for h in chart.hotspots}
    for item in ("revenue_connectivity_outsourcing", "revenue_si"):
        # As the figures file types it: the label the segment prints.
        typed = figure_as_typed(item, "1Q08")
        spot = by_text[typed]
        assert spot.shown.figure.key == item
        assert spot.shown.figure.period == "1Q08"
        assert spot.title == spot.shown.figure.provenance
        assert spot.label.startswith(f"{typed}: ")


def test_hotspots_never_reach_the_pdf(
    iij_1q08: BuiltDeck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF is the same byte for byte with and without the preview's hotspots."""
    assert 'class="hotspot ' in iij_1q08.html
    monkeypatch.setattr(render, "hotspots", lambda *_: ())
    without = build(IIJ, Quarter.parse("1Q08"), tmp_path / "out")
    assert without.output.pdf is not None
    assert 'class="hotspot ' not in without.output.html.read_text(encoding="utf-8")
    assert iij_1q08.result.output.pdf is not None
    assert without.output.pdf.read_bytes() == iij_1q08.result.output.pdf.read_bytes()


SPEC = ChartSpec(
    kind="bars",
    categories=("1Q", "2Q", "3Q"),
    series=(
        Series("Revenue", (1200.0, 1300.0, 1250.0)),
        Series("Margin", (10.0, 11.0, 12.5), kind="line", unit="pct"),
    ),
)


def test_damaged_marks_are_drawn_again(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (entry,) = ChartJob([SPEC], tmp_path, workers=1).wait().values()
    marks = marks_path(entry)
    good = read_marks(entry)
    assert set(good) == {"s0.0", "s0.1", "s0.2", "s1.0", "s1.1", "s1.2"}
    marks.write_bytes(marks.read_bytes().replace(b"s0.0", b"s0.1", 1))

    job = ChartJob([SPEC], tmp_path, workers=1)

    assert [spec for spec, _ in job._todo] == [SPEC]
    assert "does not match its seal; drawing it again" in caplog.text
    job.wait()
    assert read_marks(entry) == good


def test_a_drawing_without_its_marks_is_drawn_again(tmp_path: Path) -> None:
    (entry,) = ChartJob([SPEC], tmp_path, workers=1).wait().values()
    marks_path(entry).unlink()
    job = ChartJob([SPEC], tmp_path, workers=1)
    assert [spec for spec, _ in job._todo] == [SPEC]
    job.wait()
    assert set(read_marks(entry)) == {"s0.0", "s0.1", "s0.2", "s1.0", "s1.1", "s1.2"}


def test_hotspots_follow_the_chart_they_cover(iij_1q08: BuiltDeck) -> None:
    """Each chart's layer takes its image's shape, and hotspots.css places every hotspot."""
    deck, _ = drawn(iij_1q08)
    css = (iij_1q08.result.output.html.parent / render.HOTSPOTS_CSS).read_text(encoding="utf-8")
    for chart in charts_of(deck):
        ratio = chart.spec.width_in / chart.spec.height_in
        assert f".{chart.hotspot_layer} {{ aspect-ratio: {ratio:.6f}; }}" in css
        for spot in chart.hotspots:
            assert f".{spot.name} {{ left: {round(spot.box[0] * 100, 2)}%;" in css
            assert f'class="hotspot {spot.name} ' in iij_1q08.html

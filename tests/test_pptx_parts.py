"""The PowerPoint edition's parts: bridge geometry, chart XML, number formats, workbooks, theme."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.chart import XL_TICK_LABEL_POSITION
from pptx.oxml.ns import qn
from pptx.util import Inches

from reportgen import brand
from reportgen.charts import limits
from reportgen.charts.spec import ChartSpec, Series
from reportgen.formatting import numbers_for
from reportgen.pptx import chart_xml, tables
from reportgen.pptx.bodies import TableBlock
from reportgen.pptx.bridge import SERIES, bridge_columns
from reportgen.pptx.charts import add_chart
from reportgen.render import TEMPLATES, stylesheet
from reportgen.slides.cells import Cell
from reportgen.slides.messages import Messages

ROOT = Path(__file__).resolve().parents[1]


def _waterfall(*steps: tuple[str, float, bool]) -> ChartSpec:
    return ChartSpec(kind="waterfall", categories=(), series=(), steps=steps)


# Running totals: 692 → 963 → 411 (IIJ 1Q08), and bridges into and out of a loss.
BRIDGES = {
    "profit": (
        ("A", 692.0, True),
        ("up", 271.0, False),
        ("down", -552.0, False),
        ("B", 411.0, True),
    ),
    "into-loss": (
        ("A", 300.0, True),
        ("down", -500.0, False),
        ("up", 50.0, False),
        ("B", -150.0, True),
    ),
    "out-of-loss": (
        ("A", -200.0, True),
        ("up", 350.0, False),
        ("down", -20.0, False),
        ("B", 130.0, True),
    ),
    "loss-deepens": (
        ("A", -100.0, True),
        ("down", -70.0, False),
        ("up", 30.0, False),
        ("B", -140.0, True),
    ),
}


def _stack(columns: dict[str, tuple[float | None, ...]], i: int) -> tuple[float, float]:
    """Where a stacked column chart draws column ``i``'s visible bars: positives stack up
    from zero and negatives down from it, each in series order, the base drawn invisible."""
    up = down = 0.0
    visible: list[float] = []
    for name in SERIES:
        value = columns[name][i]
        if value is None:
            continue
        start = up if value >= 0 else down
        end = start + value
        if value >= 0:
            up = end
        else:
            down = end
        if name != "base":
            visible += [start, end]
    return min(visible), max(visible)


@pytest.mark.parametrize("steps", BRIDGES.values(), ids=BRIDGES.keys())
def test_bridge_bars_span_the_levels_they_join(steps: tuple[tuple[str, float, bool], ...]) -> None:
    spec = _waterfall(*steps)
    columns = bridge_columns(spec)
    running = 0.0
    for i, (_, value, is_total) in enumerate(steps):
        before = 0.0 if is_total else running
        after = value if is_total else running + value
        assert _stack(columns.values, i) == pytest.approx((min(before, after), max(before, after)))
        running = after
    assert columns.step_values() == pytest.approx([v for _, v, _ in steps])


def test_a_step_that_crosses_zero_has_no_base() -> None:
    columns = bridge_columns(_waterfall(*BRIDGES["into-loss"])).values
    # 300 → (200): drawn as 300 above zero and (200) below, on nothing.
    assert columns["base"][1] is None
    assert (columns["down"][1], columns["down_below"][1]) == (300.0, -200.0)


def test_bridge_axis_reaches_below_zero_for_a_loss() -> None:
    """A bridge into a loss reaches below its lowest level, on a round tick (the PDF's
    limit moved to a step, as ticks count from the minimum); a profit's stands on zero."""
    loss = _waterfall(*BRIDGES["into-loss"])
    axis = _chart(loss).value_axis
    low, _ = limits.bridge_limits(loss)
    assert axis.minimum_scale <= min(b for b, _ in loss.levels)
    assert axis.minimum_scale <= low + 0.02 * (axis.maximum_scale - low)
    assert axis.major_unit is not None, "ticks would count from an odd minimum"
    assert axis.minimum_scale % axis.major_unit == 0
    assert _chart(_waterfall(*BRIDGES["profit"])).value_axis.minimum_scale == 0


# The retailer's 4Q25 bridge: "+65 Wholesale" is a bar a few pixels high; its white
# label inside it could not be read.
RETAIL = (
    ("4Q24", 11464.0, True),
    ("Stores", 621.0, False),
    ("Online", 583.0, False),
    ("Wholesale", 65.0, False),
    ("Corporate", 560.0, False),
    ("4Q25", 13293.0, True),
)
THIN_DOWN = (("A", 1000.0, True), ("up", 400.0, False), ("thin", -40.0, False), ("B", 1360.0, True))


def _step_label(chart: object, step: int) -> etree._Element:
    """The one data label that carries step ``step``'s text."""
    found = [
        label
        for ser in chart._chartSpace.iter(chart_xml._c("ser"))  # type: ignore[attr-defined]
        for label in ser.iter(chart_xml._c("dLbl"))
        if label.find(chart_xml._c("idx")).get("val") == str(step)
        and label.find(chart_xml._c("tx")) is not None
    ]
    assert len(found) == 1
    return found[0]


def _label_color(label: etree._Element) -> str:
    return label.find(f".//{qn('a:rPr')}//{qn('a:srgbClr')}").get("val")


@pytest.mark.parametrize(
    ("steps", "step", "above"), [(RETAIL, 3, True), (THIN_DOWN, 2, False)], ids=["up", "down"]
)
def test_a_thin_steps_label_sits_outside_its_bar_in_ink(
    steps: tuple[tuple[str, float, bool], ...], step: int, above: bool
) -> None:
    """As the PDF (``limits.step_outside``): a step too short for its label has it above
    the bar (an increase) or below it (a decrease), in the brand's ink, moved from the
    bar's centre by more than half the bar and half a line, with no leader line."""
    spec = _waterfall(*steps)
    assert limits.step_outside(spec)[step]
    chart = _chart(spec)
    label = _step_label(chart, step)
    assert _label_color(label) == brand.hex_rgb(spec.look.ink)
    manual = label.find(f"{chart_xml._c('layout')}/{chart_xml._c('manualLayout')}")
    assert manual is not None, "the label stays at the bar's centre"
    dy = float(manual.find(chart_xml._c("y")).get("val"))  # share of the chart, down positive
    axis = chart.value_axis  # type: ignore[attr-defined]
    bottom, top = spec.levels[step]
    chart_pt = Inches(3).pt
    # The plot is at most the chart's height: the bar is at most this tall, in points.
    bar_pt = (top - bottom) / (axis.maximum_scale - axis.minimum_scale) * chart_pt
    clear = (bar_pt + 7.5) / 2 / chart_pt
    assert (-dy if above else dy) > clear
    labels = label.getparent()
    assert labels.find(chart_xml._c("showLeaderLines")).get("val") == "0"


def test_a_tall_steps_label_stays_inside_in_white() -> None:
    spec = _waterfall(*RETAIL)
    assert limits.step_outside(spec) == (False, True, True, True, True, False)
    chart = _chart(spec)
    for step in (0, 5):
        label = _step_label(chart, step)
        assert label.find(chart_xml._c("layout")) is None
        assert _label_color(label) == "FFFFFF"


def _chart(spec: ChartSpec) -> object:
    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    box = (0, 0, int(Inches(5)), int(Inches(3)))
    add_chart(
        slide.shapes, "Chart 1", spec, Messages.load(TEMPLATES, "en"), datetime(2008, 8, 12), box
    )
    return slide.shapes[0].chart


OUTFLOWS = ChartSpec(
    kind="bars",
    categories=("4Q24", "1Q25", "2Q25"),
    series=(Series("Net cash used in investing activities", (-5760.0, -3750.0, -5020.0)),),
)


@pytest.mark.parametrize(
    "spec", [OUTFLOWS, _waterfall(*BRIDGES["into-loss"])], ids=["outflows", "into-loss"]
)
def test_category_names_sit_under_the_plot_not_on_the_zero_line(spec: ChartSpec) -> None:
    """A chart of outflows has its zero line on top: its quarters must not print over the bars."""
    axis = _chart(spec).category_axis
    assert axis.tick_label_position == XL_TICK_LABEL_POSITION.LOW


BARS = ChartSpec(
    kind="bars",
    categories=("1Q07", "2Q07"),
    series=(
        Series("=SUM(A1)", (1.0, 2.0)),
        Series("+cmd|' /C calc'!A0", (3.0, None)),
        Series("Margin", (5.0, 6.5), kind="line", axis="right", unit="pct"),
    ),
)


def test_ratio_line_moves_to_a_second_axis_in_schema_order() -> None:
    chart = _chart(BARS)
    plot_area = chart._chartSpace.find(f"{chart_xml._c('chart')}/{chart_xml._c('plotArea')}")
    names = [chart_xml._local(e) for e in plot_area]
    assert names[: names.index("valAx") + 1][-1] == "valAx"
    assert names.index("lineChart") < names.index("catAx")
    assert names.count("valAx") == 2
    chart_xml.check_order(chart)  # does not raise
    line_series = plot_area.find(chart_xml._c("lineChart")).find(chart_xml._c("ser"))
    assert [chart_xml._local(e) for e in line_series][-1] == "smooth"
    assert line_series.find(chart_xml._c("invertIfNegative")) is None


# The retailer's 4Q25 operating-profit slide: PowerPoint's own scale for the margin put
# the line across the bars and "9.1%" on the "13,293" above the last one.
PROFIT = ChartSpec(
    kind="bars",
    categories=("4Q24", "1Q25", "2Q25", "3Q25", "4Q25"),
    series=(
        Series("Operating profit", (11464.0, 5810.0, 8296.0, 8521.0, 13293.0)),
        Series("Profit attributable", (7268.0, 3185.0, 4960.0, 5117.0, 8556.0), color=1),
        Series(
            "Operating margin", (8.4, 5.4, 7.3, 7.3, 9.1), kind="line", axis="right", unit="pct"
        ),
    ),
    stacked=False,
)


def _value_axes(chart: object) -> list[etree._Element]:
    plot_area = chart._chartSpace.find(f"{chart_xml._c('chart')}/{chart_xml._c('plotArea')}")  # type: ignore[attr-defined]
    return plot_area.findall(chart_xml._c("valAx"))


def _scale(axis: etree._Element) -> tuple[float, float]:
    scaling = axis.find(chart_xml._c("scaling"))
    low, high = scaling.find(chart_xml._c("min")), scaling.find(chart_xml._c("max"))
    assert low is not None, "the axis is left to PowerPoint's own scale"
    assert high is not None, "the axis is left to PowerPoint's own scale"
    return float(low.get("val")), float(high.get("val"))


@pytest.mark.parametrize("spec", [PROFIT, BARS], ids=["profit", "stacked"])
def test_a_ratio_line_flies_in_its_band_above_the_bars(spec: ChartSpec) -> None:
    """Both value axes carry the PDF's limits (``charts/limits.py``): every bar's top stays
    in the lower ``BAR_ROOM`` of the plot, every point of the line in ``LINE_BAND``."""
    bars_axis, line_axis = _value_axes(_chart(spec))
    assert _scale(bars_axis) == pytest.approx(limits.bar_limits(spec))
    low, high = limits.line_limits(spec.lines, banded=True)
    assert _scale(line_axis) == pytest.approx((low * 0.01, high * 0.01))  # fractions
    tops, _ = limits.bar_extents(spec)
    bottom, top = _scale(bars_axis)
    for height in tops:
        assert (height - bottom) / (top - bottom) <= limits.BAR_ROOM + 1e-9
    low, high = _scale(line_axis)
    for value in (v for s in spec.lines for v in s.values if v is not None):
        share = (value * 0.01 - low) / (high - low)
        assert limits.LINE_BAND[0] - 1e-9 <= share <= limits.LINE_BAND[1] + 1e-9


def test_the_ratio_axis_prints_no_scale_of_its_own() -> None:
    """Every point of the line is labelled, as in the PDF: the right axis stays (the line
    plot needs it) but prints no tick labels and draws no line."""
    _, line_axis = _value_axes(_chart(PROFIT))
    assert line_axis.find(chart_xml._c("delete")).get("val") == "0"
    assert line_axis.find(chart_xml._c("tickLblPos")).get("val") == "none"
    assert line_axis.find(f"{chart_xml._c('spPr')}/{qn('a:ln')}/{qn('a:noFill')}") is not None


def test_check_order_refuses_an_axis_before_a_plot() -> None:
    chart = _chart(BARS)
    plot_area = chart._chartSpace.find(f"{chart_xml._c('chart')}/{chart_xml._c('plotArea')}")
    plot_area.append(plot_area.find(chart_xml._c("lineChart")))  # after the axes: invalid
    with pytest.raises(ValueError, match="lineChart is out of the schema's order"):
        chart_xml.check_order(chart)


def test_embedded_workbook_text_is_never_a_formula() -> None:
    chart = _chart(BARS)
    book = zipfile.ZipFile(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    strings = book.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet
    assert "=SUM(A1)" in strings
    assert "+cmd|" in strings


# --- Excel number formats: each prints a value as formatting.py does -----------------

_SECTION = re.compile(r'"([^"]*)"|([#0,.]+)|(%)|([^"#0,.%]+)')


def excel_text(code: str, value: float) -> str:
    """What Excel shows for ``value`` under ``code`` (the subset our codes use).

    Sections are positive;negative;zero (negative written without its minus, zero
    using the first section if absent); quoted text is literal; ``%`` multiplies by
    100; numbers round half away from zero on their decimal digits, as Excel does.
    """
    sections = code.split(";")
    if value < 0 and len(sections) > 1:
        section, shown = sections[1], -value
    elif value == 0 and len(sections) > 2:
        section, shown = sections[2], value
    else:
        section, shown = sections[0], value
    out = []
    for literal, digits, percent, other in _SECTION.findall(section):
        if literal or other:
            out.append(literal or other)
        elif percent:
            out.append("%")
        else:
            places = len(digits.split(".")[1]) if "." in digits else 0
            scaled = shown * (100 if "%" in section else 1)
            rounded = Decimal(repr(scaled)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            out.append(f"{rounded:,.{places}f}" if "," in digits else f"{rounded:.{places}f}")
    return "".join(out)


HALF_WAY = (0.0, 0.05, 0.15, 0.25, 2.5, -2.5, 1527.5, -1527.5, 16.35, -0.04, 12.345, -40.45)


@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize(
    ("kind", "method", "scale"),
    [
        ("million", "jpy_million", 1.0),
        ("number", "number", 1.0),
        ("percent", "percent", 0.01),
        ("points", "points", 1.0),
        ("yen", "jpy", 1.0),
    ],
)
def test_excel_formats_print_as_the_slides_do(
    edition: str, kind: str, method: str, scale: float
) -> None:
    numbers = numbers_for(edition)
    code = numbers.excel_format(kind)
    for value in HALF_WAY:
        expected = getattr(numbers, method)(value)
        # A value that rounds to zero keeps its sign mark on the slide ((0.0), △0) and in
        # Excel's negative section; only an exact zero takes the zero section.
        assert excel_text(code, value * scale) == expected, (code, value)


def test_excel_formats_mark_negatives_per_edition() -> None:
    assert excel_text(numbers_for("en").excel_format("million"), -1528) == "(1,528)"
    assert excel_text(numbers_for("ja").excel_format("million"), -1528) == "△1,528"
    assert excel_text(numbers_for("en").excel_format("million"), 2.5) == "3"
    assert excel_text(numbers_for("en").excel_format("percent"), -0.0004) == "(0.0%)"


# --- one source for colours and fonts -------------------------------------------------


def test_css_takes_its_brand_colours_and_fonts_from_brand_py() -> None:
    css_files = "\n".join(p.read_text(encoding="utf-8") for p in (TEMPLATES / "css").glob("*.css"))
    for color in (*brand.COLORS.values(), *brand.PALETTE):
        if color != "#ffffff":
            assert color.lower() not in css_files.lower(), f"{color} typed in templates/css"
    assert 'font-family: "Lato"' not in css_files.replace('@font-face { font-family: "Lato"', "")
    css = stylesheet(TEMPLATES)
    assert f"--navy: {brand.NAVY};" in css
    assert css.index("--navy") < css.index("/* 00-base.css */")


def test_pptx_theme_carries_the_brand(tmp_path: Path) -> None:
    from reportgen.pptx.deck import _theme

    presentation = Presentation()
    _theme(presentation, "ja")
    presentation.save(str(tmp_path / "t.pptx"))
    theme = zipfile.ZipFile(tmp_path / "t.pptx").read("ppt/theme/theme1.xml").decode()
    assert f'<a:accent1><a:srgbClr val="{brand.hex_rgb(brand.NAVY)}"/>' in theme
    assert f'<a:latin typeface="{brand.FONTS["ja"][0]}"' in theme
    assert f'<a:ea typeface="{brand.EAST_ASIAN_FONT}"' in theme


def test_a_japanese_table_label_is_measured_at_one_em_a_character() -> None:
    """The retailer's Japanese bridge table: row labels of full-width characters are
    twice as wide as as many Latin letters. Measured as Latin, they wrapped in
    LibreOffice while the layout reserved one line, and the table ran into the heading
    placed under it."""
    label = "セグメント利益（オンライン事業）"  # noqa: RUF001 (16 full-width characters)
    block = TableBlock(
        "Table 1",
        (("", "4Q24", "4Q25"),),
        ((Cell(label), Cell("1,964"), Cell("2,547")),),
    )
    size = tables.font_size(block)
    one_line = size * 1.3 + 6.0
    # Wider than the three columns need if the label were 16 Latin letters (it would
    # sit on one line), narrower than its 16 ems: the label needs a second line.
    width = 16 * size * 0.6 + 2 * (5 * size * 0.6 + 8.0) + 8.0
    header, row = tables.row_heights(block, width)
    assert header == pytest.approx(one_line)
    assert row == pytest.approx(2 * size * 1.3 + 6.0)

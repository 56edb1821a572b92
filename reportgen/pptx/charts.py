"""Native, editable charts whose data sheet holds the model's values.

Bars are a clustered or stacked column chart; ratio lines move to a second value
axis and column totals to an unlined series with labels (``chart_xml``); the bridge
is a stacked chart with an invisible base (``bridge``). Number formats are the
formatting module's Excel codes (``charts.labels.excel_format``), so a value edited
in PowerPoint is labelled as the PDF labels it.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt
from xlsxwriter import Workbook

from reportgen import brand
from reportgen.charts import limits
from reportgen.charts.labels import SCALE, excel_format, ink_on, step_text
from reportgen.charts.spec import ChartSpec, Series
from reportgen.pptx import chart_xml
from reportgen.pptx.bridge import LABEL_PT, SERIES, bridge_columns, label_shift
from reportgen.pptx.text import rgb
from reportgen.slides.messages import Messages


class _Writer(CategoryWorkbookWriter):  # type: ignore[misc]
    """The chart's data sheet: text stays text, and the workbook is dated the release date."""

    def __init__(self, chart_data: Any, created: datetime) -> None:
        super().__init__(chart_data)
        self._created = created

    @contextmanager
    def _open_worksheet(self, xlsx_file: io.BytesIO) -> Iterator[tuple[Any, Any]]:
        # XlsxWriter turns a string starting with "=" into a formula unless told not
        # to: a series or category name from the data must never run.
        workbook = Workbook(
            xlsx_file,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        workbook.set_properties({"created": self._created})
        worksheet = workbook.add_worksheet()
        yield workbook, worksheet
        workbook.close()


class ChartData(CategoryChartData):  # type: ignore[misc]
    def __init__(self, created: datetime, number_format: str) -> None:
        super().__init__(number_format)
        self._writer = _Writer(self, created)

    @property
    def _workbook_writer(self) -> _Writer:
        return self._writer


def scaled(series: Series) -> tuple[float | None, ...]:
    """A series' values as the data sheet holds them (percentages as fractions)."""
    scale = SCALE.get(series.unit, 1.0)
    return tuple(None if v is None else v * scale for v in series.values)


def add_chart(
    shapes: SlideShapes,
    name: str,
    spec: ChartSpec,
    messages: Messages,
    created: datetime,
    box: tuple[int, int, int, int],
) -> None:
    if spec.kind == "waterfall":
        _bridge(shapes, name, spec, messages, created, box)
    else:
        _bars(shapes, name, spec, messages, created, box)


def _frame(shapes: SlideShapes, kind: Any, data: ChartData, box: tuple[int, ...]) -> Any:
    left, top, width, height = (Emu(v) for v in box)
    return shapes.add_chart(kind, left, top, width, height, data)


def _bars(
    shapes: SlideShapes,
    name: str,
    spec: ChartSpec,
    messages: Messages,
    created: datetime,
    box: tuple[int, int, int, int],
) -> None:
    edition = spec.edition
    bars, lines = spec.bars, spec.lines
    # One series is a plain (clustered) column: Office allows a label outside the end of
    # a bar only there, and a stacked chart refuses it.
    stacked = spec.stacked and (len(bars) > 1 or bool(spec.column_totals))
    data = ChartData(created, excel_format(spec.left_unit, edition))
    data.categories = spec.categories
    colors: list[str] = []
    for s in bars:
        data.add_series(s.label, scaled(s), excel_format(s.unit, edition))
        colors.append(spec.look.palette[s.color % len(spec.look.palette)])
    # The part of a disclosed total its disclosed parts do not explain, as the PDF hatches it.
    rest: list[float | None] = []
    for i in range(len(spec.categories) if spec.column_totals and stacked else 0):
        total = spec.column_totals[i]
        known = sum(v for s in bars if (v := s.values[i]) is not None)
        rest.append(total - known if total is not None and total - known > 0.5 else None)
    undisclosed = any(v is not None for v in rest)
    if undisclosed:
        data.add_series(spec.undisclosed_label, rest, excel_format(spec.left_unit, edition))
        colors.append(brand.COLORS["rule"])
    show_totals = stacked and spec.totals and (len(bars) > 1 or bool(spec.column_totals))
    totals_index = len(colors)
    if show_totals:
        totals = [spec.column_total(i) for i in range(len(spec.categories))]
        data.add_series(messages("pptx.total"), totals, excel_format(spec.left_unit, edition))
        colors.append("")
    first_line = len(colors)
    for s in lines:
        data.add_series(s.label, scaled(s), excel_format(s.unit, edition))
    kind = XL_CHART_TYPE.COLUMN_STACKED if stacked else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = _frame(shapes, kind, data, box)
    frame.name = name
    chart = frame.chart
    # Styled before the lines move: python-pptx's value_axis is the last one once there are two.
    _style(chart, spec)
    right = [first_line + i for i, s in enumerate(lines) if s.axis == "right"]
    left = [first_line + i for i, s in enumerate(lines) if s.axis != "right"]
    # Column totals ride on the bars' axes as a line with neither line nor markers.
    chart_xml.to_lines(chart, ([totals_index] if show_totals else []) + left, secondary=False)
    if right:
        on_right = [s for s in lines if s.axis == "right"]
        unit = on_right[0].unit
        # Both scales are the PDF's (``charts/limits.py``): bars in the lower part of the
        # plot, the line in a band above them, so neither its line nor its labels cross
        # the bars' totals. PowerPoint's own scaling of the second axis put them there.
        _set_scale(chart.value_axis, limits.bar_limits(spec))
        scale = SCALE.get(unit, 1.0)  # the data sheet holds percentages as fractions
        low, high = limits.line_limits(on_right, banded=limits.banded(spec))
        chart_xml.to_lines(
            chart,
            right,
            secondary=True,
            number_format=excel_format(unit, edition),
            limits=(low * scale, high * scale),
        )
    if show_totals and chart.has_legend:
        chart_xml.hide_legend_entry(chart, totals_index)
    series = {s.index: s for plot in chart.plots for s in plot.series}
    for index, color in enumerate(colors):
        target = series[index]
        if index == totals_index and show_totals:
            target.format.line.fill.background()
            target.marker.style = XL_MARKER_STYLE.NONE
            _labels(
                target,
                excel_format(spec.left_unit, edition),
                XL_LABEL_POSITION.ABOVE,
                bold=True,
                color=spec.look.ink,
            )
            continue
        target.format.fill.solid()
        target.format.fill.fore_color.rgb = rgb(color)
        if undisclosed and index == len(bars):
            continue  # hatched in the PDF, unlabelled: the total above says it
        source = bars[index]
        _labels(
            target,
            excel_format(source.unit, edition),
            XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.OUTSIDE_END,
            color=ink_on(color, spec.look.ink) if stacked else spec.look.ink,
        )
    for offset, s in enumerate(lines):
        target = series[first_line + offset]
        color = spec.look.line_colors[offset % len(spec.look.line_colors)]
        target.format.line.color.rgb = rgb(color)
        target.format.line.width = Pt(1.5)
        target.marker.format.fill.solid()
        target.marker.format.fill.fore_color.rgb = rgb(color)
        target.smooth = False
        _labels(target, excel_format(s.unit, edition), XL_LABEL_POSITION.ABOVE, color=color)


def _labels(
    series: Any,
    number_format: str,
    position: Any,
    *,
    bold: bool = False,
    color: str = brand.INK,
) -> None:
    labels = series.data_labels
    labels.number_format = number_format
    labels.number_format_is_linked = False
    labels.show_value = True
    labels.position = position
    labels.font.size = Pt(7)
    labels.font.bold = bold
    labels.font.color.rgb = rgb(color)


def _style(chart: Any, spec: ChartSpec) -> None:
    chart.has_title = False  # the slide's caption names the chart, as in the PDF
    chart.font.size = Pt(7.5)
    chart.font.color.rgb = rgb(spec.look.ink)
    chart.has_legend = spec.legend and spec.kind != "waterfall" and len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(7)
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = rgb(spec.look.grid)
    value_axis.tick_labels.number_format = excel_format(spec.left_unit, spec.edition)
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.format.line.fill.background()
    # Category names under the plot, as in the PDF: by default they sit on the zero line,
    # which is the top of a chart of outflows, over its bars.
    chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    # Bars stand on zero, as in the PDF: PowerPoint would start a tall, flat series higher.
    lowest = [v for s in spec.bars for v in s.values if v is not None]
    lowest += [bottom for bottom, _ in spec.levels]  # a bridge into a loss goes below zero
    if all(v >= 0 for v in lowest):
        value_axis.minimum_scale = 0
    plot = chart.plots[0]
    plot.gap_width = 60


def _bridge(
    shapes: SlideShapes,
    name: str,
    spec: ChartSpec,
    messages: Messages,
    created: datetime,
    box: tuple[int, int, int, int],
) -> None:
    edition = spec.edition
    fmt = excel_format("jpy_m", edition)
    columns = bridge_columns(spec)
    data = ChartData(created, fmt)
    data.categories = [step for step, _, _ in spec.steps]
    for key in SERIES:
        data.add_series(messages(f"pptx.bridge.{key}"), columns.values[key], fmt)
    frame = _frame(shapes, XL_CHART_TYPE.COLUMN_STACKED, data, box)
    frame.name = name
    chart = frame.chart
    _style(chart, spec)
    colors = {
        # As the drawn bridge (``charts/waterfall.py``): totals in the palette's first colour.
        "total": spec.look.palette[0],
        "up": spec.look.bridge_up,
        "up_below": spec.look.bridge_up,
        "down": spec.look.bridge_down,
        "down_below": spec.look.bridge_down,
    }
    plot = chart.plots[0]
    for key, series in zip(SERIES, plot.series, strict=True):
        if key == "base":
            series.format.fill.background()
            series.format.line.fill.background()
            continue
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(colors[key])
    # The PDF's scale, so a label moved off a thin bar lands where it is computed to.
    axis = _set_scale(chart.value_axis, limits.bridge_limits(spec))
    outside = limits.step_outside(spec)
    # Each bar is labelled once, with its signed amount as the PDF prints it; a step
    # drawn in two parts (crossing zero) carries the label on its larger part.
    for i, (_, value, is_total) in enumerate(spec.steps):
        parts = _parts_of(columns.values, i, is_total, value)
        key = max(parts, key=lambda k: abs(columns.values[k][i] or 0.0))
        series = plot.series[SERIES.index(key)]
        # The PDF's label for the step (charts/labels.py): a total plain, a step signed.
        text = step_text(value, is_total, edition)
        point_label = series.points[i].data_label
        point_label.has_text_frame = True
        point_label.text_frame.text = text
        point_label.position = XL_LABEL_POSITION.CENTER
        run = point_label.text_frame.paragraphs[0].runs[0]
        run.font.size = Pt(LABEL_PT)
        run.font.bold = True
        run.font.color.rgb = rgb(brand.COLORS["white"])
        if outside[i]:
            # Too thin for its label (the PDF's rule): above an increase, below a
            # decrease, in ink. A stacked chart has no outside position, so the label
            # is moved from the bar's centre by a manual offset.
            run.font.color.rgb = rgb(spec.look.ink)
            shift = label_shift(spec, i, key, axis, box[3])
            chart_xml.move_label(point_label._get_or_add_dLbl(), dy=shift)


# Share of an axis' range its minimum may rise by to land on a round step.
_ROUNDING = 0.02


def _set_scale(axis: Any, scale: tuple[float, float]) -> tuple[float, float]:
    """Set a value axis' limits; the limits set.

    PowerPoint and LibreOffice count ticks from the minimum, so a minimum below zero
    moves to a round step, or the scale would read (832), (732), ... It may move up by
    a sliver (``_ROUNDING``) of the room under the lowest bar rather than down a step.
    """
    low, high = scale
    if low < 0:

        def bottom(step: float) -> float:
            return min(math.floor((low + (high - low) * _ROUNDING) / step) * step, -step)

        # Of the round steps that make four to ten ticks, the one wasting least room below.
        steps = {_round_step((high - low) / ticks) for ticks in range(4, 11)}
        step = max(steps, key=lambda s: (bottom(s), s))
        low = bottom(step)
        axis.major_unit = step
    axis.minimum_scale, axis.maximum_scale = low, high
    return low, high


def _round_step(rough: float) -> float:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least ``rough``."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(power * m for m in (1.0, 2.0, 2.5, 5.0, 10.0) if power * m >= rough)


def _parts_of(
    values: dict[str, tuple[float | None, ...]], i: int, is_total: bool, value: float
) -> Sequence[str]:
    if is_total:
        return ("total",)
    names = ("up", "up_below") if value >= 0 else ("down", "down_below")
    return tuple(n for n in names if values[n][i] is not None) or names[:1]

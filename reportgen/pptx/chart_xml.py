"""Lines over a bar chart, on the bars' axis or a second value axis: chart XML python-pptx lacks.

python-pptx writes one plot per chart (no combination charts, no secondary axis: its
issues #141 and #338). ``to_lines`` moves series of a bar chart into a line plot of
the same chart, on the primary axes or on a new pair (a hidden category axis and a
value axis on the right), through lxml on the chart part. The embedded workbook is
untouched: the moved series keep their references to its columns.

Element order follows the chart schema (ECMA-376 part 1, ``dml-chart.xsd``), which
PowerPoint enforces: a plot area holds its layout, then its plots, then its axes; a
line series orders its children as ``LINE_SERIES`` lists them.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree
from pptx.chart.chart import Chart
from pptx.oxml.ns import qn

# CT_PlotArea: layout?, (plots)+, (axes)*, dTable?, spPr?, extLst?
PLOTS = (
    "areaChart",
    "area3DChart",
    "lineChart",
    "line3DChart",
    "stockChart",
    "radarChart",
    "scatterChart",
    "pieChart",
    "pie3DChart",
    "doughnutChart",
    "barChart",
    "bar3DChart",
    "ofPieChart",
    "surfaceChart",
    "surface3DChart",
    "bubbleChart",
)
AXES = ("valAx", "catAx", "dateAx", "serAx")
PLOT_AREA = ("layout", *PLOTS, *AXES, "dTable", "spPr", "extLst")
# CT_LineSer's children, in order.
LINE_SERIES = (
    "idx",
    "order",
    "tx",
    "spPr",
    "marker",
    "dPt",
    "dLbls",
    "trendline",
    "errBars",
    "cat",
    "val",
    "smooth",
    "extLst",
)
# CT_LineChart's children, in order.
LINE_CHART = (
    "grouping",
    "varyColors",
    "ser",
    "dLbls",
    "dropLines",
    "hiLowLines",
    "upDownBars",
    "marker",
    "smooth",
    "axId",
    "extLst",
)
# Bar-series children a line series does not have.
_BAR_ONLY = ("invertIfNegative", "pictureOptions", "shape")
# Axis ids of the second pair; python-pptx numbers its own axes with random-looking
# constants, so fixed ones keep the file reproducible and cannot collide with them.
SECONDARY_CATEGORY_AXIS, SECONDARY_VALUE_AXIS = "50010", "50020"


def _c(tag: str) -> str:
    return qn(f"c:{tag}")


def _el(tag: str, **attrs: str) -> etree._Element:
    return etree.Element(_c(tag), {k: v for k, v in attrs.items()})


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    child = _el(tag, **attrs)
    parent.append(child)
    return child


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def to_lines(
    chart: Chart,
    series_indexes: Sequence[int],
    *,
    secondary: bool,
    number_format: str = "General",
    limits: tuple[float, float] | None = None,
) -> None:
    """Move the bar series at ``series_indexes`` (``c:idx``) into a line plot.

    ``secondary``: the lines get their own value axis on the right (with
    ``number_format`` and, if given, ``limits`` as its minimum and maximum), over a
    hidden category axis that shares the bars' categories. The axis prints no tick
    labels: every point is labelled, as in the PDF, and a second scale would compete.
    """
    if not series_indexes:
        return
    plot_area = chart._chartSpace.find(f"{_c('chart')}/{_c('plotArea')}")
    bar_chart = plot_area.find(_c("barChart"))
    primary_ids = [a.get("val") for a in bar_chart.findall(_c("axId"))]
    line_chart = _el("lineChart")
    _sub(line_chart, "grouping", val="standard")
    _sub(line_chart, "varyColors", val="0")
    for ser in bar_chart.findall(_c("ser")):
        if int(ser.find(_c("idx")).get("val")) in series_indexes:
            line_chart.append(_line_series(ser))
    _sub(line_chart, "marker", val="1")
    axis_ids = [SECONDARY_CATEGORY_AXIS, SECONDARY_VALUE_AXIS] if secondary else primary_ids
    for axis_id in axis_ids:
        _sub(line_chart, "axId", val=axis_id)
    # After the last plot, before the first axis.
    plots = [e for e in plot_area if _local(e) in PLOTS]
    plots[-1].addnext(line_chart)
    if secondary:
        category_axis = plot_area.find(_c("catAx"))
        _add_secondary_axes(plot_area, category_axis, number_format, limits)
    check_order(chart)


def _line_series(ser: etree._Element) -> etree._Element:
    """A bar chart's ``c:ser`` rewritten as a line chart's (same data references)."""
    for tag in _BAR_ONLY:
        for old in ser.findall(_c(tag)):
            ser.remove(old)
    marker = _el("marker")
    _sub(marker, "symbol", val="circle")
    _sub(marker, "size", val="5")
    ser.append(marker)
    _sub(ser, "smooth", val="0")
    _reorder(ser, LINE_SERIES)
    return ser


def _reorder(parent: etree._Element, order: Sequence[str]) -> None:
    rank = {name: i for i, name in enumerate(order)}
    children = sorted(parent, key=lambda e: rank[_local(e)])  # sorted() is stable
    for child in children:
        parent.append(child)


def _add_secondary_axes(
    plot_area: etree._Element,
    category_axis: etree._Element,
    number_format: str,
    limits: tuple[float, float] | None,
) -> None:
    cat = _el("catAx")
    _sub(cat, "axId", val=SECONDARY_CATEGORY_AXIS)
    scaling = _sub(cat, "scaling")
    _sub(scaling, "orientation", val="minMax")
    _sub(cat, "delete", val="1")
    _sub(cat, "axPos", val="b")
    _sub(cat, "majorTickMark", val="none")
    _sub(cat, "minorTickMark", val="none")
    _sub(cat, "tickLblPos", val="nextTo")
    _sub(cat, "crossAx", val=SECONDARY_VALUE_AXIS)
    _sub(cat, "crosses", val="autoZero")
    _sub(cat, "auto", val="1")
    _sub(cat, "lblAlgn", val="ctr")
    _sub(cat, "lblOffset", val="100")
    _sub(cat, "noMultiLvlLbl", val="0")
    val = _el("valAx")
    _sub(val, "axId", val=SECONDARY_VALUE_AXIS)
    # CT_Scaling: logBase?, orientation?, max?, min?
    scaling = _sub(val, "scaling")
    _sub(scaling, "orientation", val="minMax")
    if limits is not None:
        _sub(scaling, "max", val=repr(float(limits[1])))
        _sub(scaling, "min", val=repr(float(limits[0])))
    _sub(val, "delete", val="0")
    _sub(val, "axPos", val="r")
    _sub(val, "numFmt", formatCode=number_format, sourceLinked="0")
    _sub(val, "majorTickMark", val="none")
    _sub(val, "minorTickMark", val="none")
    # Kept (the line plot needs its axis) but unlabelled and unlined, as the PDF's.
    _sub(val, "tickLblPos", val="none")
    line = etree.SubElement(_sub(val, "spPr"), qn("a:ln"))
    etree.SubElement(line, qn("a:noFill"))
    _sub(val, "crossAx", val=SECONDARY_CATEGORY_AXIS)
    # The right-hand axis crosses its (hidden) category axis at its far end.
    _sub(val, "crosses", val="max")
    _sub(val, "crossBetween", val="between")
    axes = [e for e in plot_area if _local(e) in AXES]
    anchor = axes[-1] if axes else category_axis
    anchor.addnext(cat)
    cat.addnext(val)


def hide_legend_entry(chart: Chart, series_index: int) -> None:
    """Leave series ``series_index`` out of the legend (CT_Legend: legendPos?, legendEntry*)."""
    legend = chart._chartSpace.find(f"{_c('chart')}/{_c('legend')}")
    entry = _el("legendEntry")
    _sub(entry, "idx", val=str(series_index))
    _sub(entry, "delete", val="1")
    position = legend.find(_c("legendPos"))
    if position is None:
        legend.insert(0, entry)
    else:
        position.addnext(entry)


def check_order(chart: Chart) -> None:
    """Raise if the plot area or a line plot breaks the schema's element order."""
    plot_area = chart._chartSpace.find(f"{_c('chart')}/{_c('plotArea')}")
    _check(plot_area, PLOT_AREA, "plotArea")
    for line_chart in plot_area.findall(_c("lineChart")):
        _check(line_chart, LINE_CHART, "lineChart")
        for ser in line_chart.findall(_c("ser")):
            _check(ser, LINE_SERIES, "line ser")


def _ranks(order: Sequence[str]) -> dict[str, int]:
    """Each element's place; the plots (a repeated choice) share one, as do the axes."""
    ranks: dict[str, int] = {}
    rank, previous = -1, ""
    for name in order:
        group = "plot" if name in PLOTS else "axis" if name in AXES else name
        if group != previous:
            rank, previous = rank + 1, group
        ranks[name] = rank
    return ranks


def _check(parent: etree._Element, order: Sequence[str], what: str) -> None:
    ranks = _ranks(order)
    last = -1
    for child in parent:
        name = _local(child)
        if name not in ranks:
            raise ValueError(f"{what}: unexpected element {name}")
        if ranks[name] < last:
            raise ValueError(f"{what}: {name} is out of the schema's order")
        last = ranks[name]


def move_label(label: etree._Element, *, dy: float) -> None:
    """Move a data label from where its position puts it by ``dy`` of the chart's height
    (down positive). CT_DLbl: idx, layout?, tx?, ...; a data label's manual layout is an
    offset from its default place, in shares of the chart's size."""
    layout = label.find(_c("layout"))
    if layout is not None:
        label.remove(layout)
    layout = _el("layout")
    manual = _sub(layout, "manualLayout")
    _sub(manual, "x", val="0")
    _sub(manual, "y", val=repr(round(dy, 6)))
    label.find(_c("idx")).addnext(layout)
    # A moved label gets a line back to its point where leader lines are on (python-pptx
    # turns them on); over a thin bar it only strikes through the bar. CT_DLbls ends:
    # ..., showBubbleSize?, separator?, showLeaderLines?, leaderLines?, extLst?
    labels = label.getparent()
    leader = labels.find(_c("showLeaderLines"))
    if leader is None:
        leader = _el("showLeaderLines")
        after = [e for e in labels if _local(e) in ("showBubbleSize", "separator")]
        if after:
            after[-1].addnext(leader)
        else:
            labels.append(leader)
    leader.set("val", "0")

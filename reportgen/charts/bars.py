"""Bar charts: stacked or grouped bars, optional lines on a secondary axis, gaps marked.

Layout is measured (``layout.fit_layout``), so legend, tick labels and plot never
overlap whatever the labels' length. Lines over bars live in a band above
the tallest bar, and their points are labelled, so the right axis carries no
tick labels of its own.
"""

from __future__ import annotations

import itertools

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from reportgen import formatting
from reportgen.charts import limits, style
from reportgen.charts.labels import axis_style, ink_on, label
from reportgen.charts.layout import fit_layout
from reportgen.charts.marks import Marks
from reportgen.charts.spec import ChartSpec, Series, series_key, total_key

# Segments thinner than this share of the axis get no inside label: it would not fit.
_MIN_LABEL_SHARE = 0.07
# Two line labels at one category closer than this (points) would overlap.
_LABEL_CLEARANCE_PT = 11.0
_UNDISCLOSED_COLOR = "#eef1f6"
_UNDISCLOSED_EDGE = "#9aa3b5"
_MUTED = "#8a8f99"
# A line's point is found within this radius of it (its marker is 3.5 pt across).
_POINT_REACH_PT = 5.0


def draw_bars(fig: Figure, ax: Axes, spec: ChartSpec, marks: Marks) -> None:
    """Stacked or grouped bars, with optional lines on a secondary axis."""
    x = list(range(len(spec.categories)))
    bars = [s for s in spec.series if s.kind == "bar"]
    lines = [s for s in spec.series if s.kind == "line"]
    # Where each drawn series sits in the spec: the key its values are marked under.
    bar_index = [k for k, s in enumerate(spec.series) if s.kind == "bar"]
    line_index = [k for k, s in enumerate(spec.series) if s.kind == "line"]
    legend: list[tuple[Artist, str]] = []
    if bars or spec.column_totals:
        legend += _draw_bars(ax, x, bars, spec, marks, bar_index)
    axis_style(ax, spec.left_unit, spec.edition, spec.look.grid)
    ax.set_xticks(x, spec.categories)
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.axhline(0, color=_MUTED, linewidth=0.8)
    axes = [ax]
    if lines:
        right = ax.twinx() if bars or spec.column_totals else ax
        if right is not ax:
            axes.append(right)
            right.spines["right"].set_visible(False)
            # Every point is labelled; a second scale would only compete with the first.
            right.set_yticks([])
        right.set_ylim(*limits.line_limits(lines, banded=right is not ax))
        legend += _draw_lines(
            right, x, lines, spec.height_in, marks, line_index, spec.edition, spec.look.line_colors
        )
    _mark_empty_columns(ax, spec, bars)
    fit_layout(fig, axes, legend if spec.legend else [])


def _draw_bars(
    ax: Axes,
    x: list[int],
    bars: list[Series],
    spec: ChartSpec,
    marks: Marks,
    index: list[int],
) -> list[tuple[Artist, str]]:
    legend: list[tuple[Artist, str]] = []
    count = len(bars)
    stacked = limits.stacked(spec)
    width = 0.58 if stacked else 0.8 / count
    totals = [spec.column_total(i) for i in x]
    tops, lows = limits.bar_extents(spec)
    span = max([*tops, *(abs(v) for v in lows), 1.0])
    # Bars make room for the lines only if some line has a point to draw.
    ax.set_ylim(*limits.bar_limits(spec))
    pos_base = [0.0] * len(x)
    neg_base = [0.0] * len(x)
    for k, series in enumerate(bars):
        palette = spec.look.palette
        color = palette[series.color % len(palette)]
        heights = [v if v is not None else 0.0 for v in series.values]
        if stacked:
            bottoms = [pos_base[i] if h >= 0 else neg_base[i] for i, h in enumerate(heights)]
            offsets = x
        else:
            bottoms = [0.0] * len(x)
            offsets = [i - 0.4 + width * (k + 0.5) for i in x]
        handle = ax.bar(offsets, heights, width, bottom=bottoms, color=color, linewidth=0)
        if any(v is not None for v in series.values):
            legend.append((handle, series.label))
        for i, h in enumerate(heights):
            if series.values[i] is None:
                continue
            key = series_key(index[k], i)
            marks.add(key, handle.patches[i])
            text = _label_segment(
                ax, offsets[i], bottoms[i], h, series, color, stacked, count, span, spec
            )
            if text is not None:
                marks.add(key, text)
            if stacked:
                if h >= 0:
                    pos_base[i] += h
                else:
                    neg_base[i] += h
    if stacked:
        hidden = _draw_undisclosed(ax, x, totals, pos_base, width, marks)
        if hidden and spec.undisclosed_label:
            legend.append((_undisclosed_patch(), spec.undisclosed_label))
    if stacked and spec.totals and (count > 1 or spec.column_totals):
        unit = bars[0].unit if bars else spec.left_unit
        for i in x:
            if totals[i] is not None:
                total = ax.annotate(
                    label(totals[i], unit, spec.edition),
                    (i, max(pos_base[i], totals[i] or 0.0)),
                    textcoords="offset points",
                    xytext=(0, 3),
                    ha="center",
                    fontsize=8,
                    fontweight="bold",
                )
                marks.add(total_key(i), total)
    return legend


def _label_segment(
    ax: Axes,
    x: float,
    bottom: float,
    height: float,
    series: Series,
    color: str,
    stacked: bool,
    count: int,
    span: float,
    spec: ChartSpec,
) -> Text | None:
    """Label a bar's value; the label, or None where it would not fit."""
    edition = spec.edition
    if stacked and count > 1:
        if abs(height) / span >= _MIN_LABEL_SHARE:
            return ax.text(
                x,
                bottom + height / 2,
                label(height, series.unit, edition),
                ha="center",
                va="center",
                fontsize=7,
                color=ink_on(color, spec.look.ink),
            )
        return None
    return ax.annotate(
        label(height, series.unit, edition),
        (x, height),
        textcoords="offset points",
        xytext=(0, 3 if height >= 0 else -3),
        ha="center",
        # A negative bar's label hangs below its end instead of overlapping it.
        va="bottom" if height >= 0 else "top",
        fontsize=7.5,
    )


def _draw_undisclosed(
    ax: Axes,
    x: list[int],
    totals: list[float | None],
    stacked_to: list[float],
    width: float,
    marks: Marks,
) -> bool:
    """Hatch the part of each disclosed total that its known parts do not explain."""
    drawn = False
    for i in x:
        total = totals[i]
        if total is None or total - stacked_to[i] <= 0.5:
            continue
        hatched = ax.bar(
            i,
            total - stacked_to[i],
            width,
            bottom=stacked_to[i],
            color=_UNDISCLOSED_COLOR,
            edgecolor=_UNDISCLOSED_EDGE,
            hatch="////",
            linewidth=0.6,
        )
        # The hatched part is the total's too: hovering it names the total.
        marks.add(total_key(i), hatched.patches[0])
        drawn = True
    return drawn


def _undisclosed_patch() -> Patch:
    return Patch(
        facecolor=_UNDISCLOSED_COLOR, edgecolor=_UNDISCLOSED_EDGE, hatch="////", linewidth=0.6
    )


def _draw_lines(
    ax: Axes,
    x: list[int],
    lines: list[Series],
    height_in: float,
    marks: Marks,
    index: list[int],
    edition: str = "en",
    colors: tuple[str, ...] = style.LINE_COLORS,
) -> list[tuple[Artist, str]]:
    legend: list[tuple[Artist, str]] = []
    below = _labels_below(ax, lines, height_in)
    for number, series in enumerate(lines):
        if all(v is None for v in series.values):
            continue  # nothing to draw; the chart's note names the series
        color = colors[number % len(colors)]
        (handle,) = ax.plot(
            x,
            [v if v is not None else float("nan") for v in series.values],
            color=color,
            marker="o",
            markersize=3.5,
            linewidth=1.6,
        )
        legend.append((handle, series.label))
        for i, value in enumerate(series.values):
            if value is None:
                continue
            under = (number, i) in below
            key = series_key(index[number], i)
            marks.point(key, ax, i, value, _POINT_REACH_PT)
            text = ax.annotate(
                label(value, series.unit, edition),
                (i, value),
                textcoords="offset points",
                xytext=(0, -11 if under else 5),
                ha="center",
                fontsize=7.5,
                color=color,
            )
            marks.add(key, text)
    return legend


def _labels_below(ax: Axes, lines: list[Series], height_in: float) -> set[tuple[int, int]]:
    """(line, category) pairs whose label goes under the point, clear of the line above."""
    lo, hi = ax.get_ylim()
    points_per_unit = height_in * 72 * 0.7 / ((hi - lo) or 1.0)
    below: set[tuple[int, int]] = set()
    for i in range(len(lines[0].values) if lines else 0):
        here = sorted((v, k) for k, s in enumerate(lines) if (v := s.values[i]) is not None)
        for (low, k), (high, _) in itertools.pairwise(here):
            if (high - low) * points_per_unit < _LABEL_CLEARANCE_PT:
                below.add((k, i))
    return below


def _mark_empty_columns(ax: Axes, spec: ChartSpec, bars: list[Series]) -> None:
    """Write ``n/d`` where a column has no bar at all, so the gap reads as one."""
    if not bars and not spec.column_totals:
        return
    low, high = ax.get_ylim()
    below = high < (high - low) * 0.1
    for i in range(len(spec.categories)):
        known = [s.values[i] for s in bars if s.values[i] is not None]
        total = spec.column_totals[i] if spec.column_totals else None
        if not known and total is None:
            ax.annotate(
                formatting.numbers_for(spec.edition).missing,
                (i, 0),
                textcoords="offset points",
                # Above the zero line, unless the plot has no room there (all bars negative).
                xytext=(0, -4) if below else (0, 4),
                va="top" if below else "bottom",
                ha="center",
                fontsize=7.5,
                color=_MUTED,
            )

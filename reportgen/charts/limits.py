"""Where values sit on a chart: axis limits and label rules shared by every renderer.

The drawn charts (matplotlib, ``bars.py``, ``waterfall.py``) and PowerPoint's native
ones (``pptx/charts.py``) take their scales from here, so a line floats in the same
band above the bars and a thin bridge step is labelled outside in both.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportgen.charts.spec import ChartSpec, Series

# With lines over bars, bars and their total labels stay below BAR_ROOM of the
# plot height, and lines are drawn between LINE_BAND[0] and LINE_BAND[1].
BAR_ROOM = 0.58
LINE_BAND = (0.70, 0.90)
# Without lines, the bars' total labels still need room above the tallest bar.
_BAR_ROOM_ALONE = 0.87
# Room under a negative bar for its value label, in points.
_HANGING_LABEL_PT = 16.0
# A bridge step shorter than this share of the axis gets its label outside the bar.
_MIN_INSIDE_SHARE = 0.09


def stacked(spec: ChartSpec) -> bool:
    """Whether the drawn chart stacks its bars (one series stacks trivially)."""
    return spec.stacked or len(spec.bars) <= 1


def drawn_lines(spec: ChartSpec) -> bool:
    """Whether some line has a point to draw: only then do the bars make room for lines."""
    return any(v is not None for s in spec.lines for v in s.values)


def banded(spec: ChartSpec) -> bool:
    """Whether lines have an axis of their own, banded above bars (else they stand alone)."""
    return bool(spec.bars or spec.column_totals)


def bar_extents(spec: ChartSpec) -> tuple[list[float], list[float]]:
    """Each column's highest and lowest drawn value (a stack's top, a total, zero)."""
    bars = spec.bars
    x = range(len(spec.categories))
    totals = [spec.column_total(i) for i in x]
    tops = [
        max(sum(v for s in bars if (v := s.values[i]) is not None and v > 0), totals[i] or 0.0)
        if stacked(spec)
        else max([0.0, *(v for s in bars if (v := s.values[i]) is not None)])
        for i in x
    ]
    lows = [min([0.0, *(v for s in bars if (v := s.values[i]) is not None)]) for i in x]
    return tops, lows


def bar_limits(spec: ChartSpec) -> tuple[float, float]:
    """The bars' value axis: bars below ``BAR_ROOM`` of the plot when lines fly above."""
    tops, lows = bar_extents(spec)
    room = BAR_ROOM if drawn_lines(spec) else _BAR_ROOM_ALONE
    top = max([*tops, 1.0]) / room
    return bottom_limit(min(lows), top, spec.height_in), top


def bottom_limit(low: float, top: float, height_in: float) -> float:
    """The axis bottom: below the lowest bar by the height of the label hanging under it.

    A fixed share of the bar (say 25%) is too little when the negative bar is short
    against a tall positive range: its label would then sit on the axis line.
    """
    if low >= 0:
        return 0.0
    # Share of the plot height a hanging label needs (offset + one line of 7.5 pt text).
    share = min(_HANGING_LABEL_PT / (height_in * 72 * 0.7), 0.3)
    # Solve bottom = low - share * (top - bottom) for bottom.
    return min((low - share * top) / (1 - share), low * 1.1)


def line_limits(lines: Sequence[Series], banded: bool) -> tuple[float, float]:
    """Axis limits that put the lines' values inside the band above the bars."""
    values = [v for s in lines for v in s.values if v is not None]
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    # A flat or single-point line still needs a scale; give it one around its level.
    least = max(abs(hi), abs(lo), 1.0) * 0.2
    if hi - lo < least:
        middle = (hi + lo) / 2
        lo, hi = middle - least / 2, middle + least / 2
    if not banded:
        lo, hi = min(lo, 0.0), hi
        pad = (hi - lo) * 0.15
        return lo - (pad if lo < 0 else 0.0), hi + pad
    band_lo, band_hi = LINE_BAND
    scale = (hi - lo) / (band_hi - band_lo)
    return lo - band_lo * scale, hi + (1 - band_hi) * scale


def bridge_span(spec: ChartSpec) -> tuple[float, float]:
    """A bridge's lowest and highest level (zero and one included)."""
    levels = spec.levels
    low = min(0.0, *(b for b, _ in levels))
    high = max(1.0, *(t for _, t in levels))
    return low, high


def bridge_limits(spec: ChartSpec) -> tuple[float, float]:
    """A bridge's value axis: zero (or a little under the lowest level) to room for labels."""
    low, high = bridge_span(spec)
    span = high - low
    return (low - span * 0.04 if low < 0 else 0.0), high + span * 0.14


def step_outside(spec: ChartSpec) -> tuple[bool, ...]:
    """For each bridge step: its bar is too short for a label inside it."""
    low, high = bridge_span(spec)
    return tuple((top - bottom) / (high - low) < _MIN_INSIDE_SHARE for bottom, top in spec.levels)

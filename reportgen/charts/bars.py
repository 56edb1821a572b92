"""Bar charts: stacked or grouped bars, optional lines on a secondary axis, gaps marked."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reportgen.charts import style
from reportgen.charts.labels import axis_style, ink_on, label
from reportgen.charts.spec import ChartSpec, Series

# Segments thinner than this share of the axis get no inside label: it would not fit.
_MIN_LABEL_SHARE = 0.07


def draw_bars(fig: Figure, ax: Axes, spec: ChartSpec) -> None:
    """Stacked or grouped bars, with optional lines on a secondary axis."""
    x = list(range(len(spec.categories)))
    bars = [s for s in spec.series if s.kind == "bar"]
    lines = [s for s in spec.series if s.kind == "line"]
    handles, names = [], []
    if bars:
        handles += _draw_bars(ax, x, bars, spec)
        names += [s.label for s in bars]
    axis_style(ax, spec.left_unit)
    ax.set_xticks(x, spec.categories)
    ax.axhline(0, color="#8a8f99", linewidth=0.8)
    if lines:
        right = ax.twinx() if bars else ax
        for i, series in enumerate(lines):
            handles.append(_draw_line(right, x, series, i))
            names.append(series.label)
        if right is not ax:
            right.spines["right"].set_visible(False)
            right.tick_params(length=0)
            right.yaxis.set_major_formatter(lambda v, _pos: label(v, spec.right_unit))
            lo, hi = _line_limits(lines)
            right.set_ylim(lo, hi)
    for i in range(len(spec.categories)):
        if any(s.values[i] is None for s in spec.series):
            ax.annotate(
                "n/d",
                (i, 0),
                textcoords="offset points",
                xytext=(0, 4),
                ha="center",
                fontsize=7.5,
                color="#8a8f99",
            )
    if spec.legend and handles:
        fig.legend(
            handles,
            names,
            loc="lower center",
            ncol=min(len(names), 4),
            bbox_to_anchor=(0.5, 0.0),
            fontsize=7.5,
            handlelength=1.2,
        )


def _draw_bars(ax: Axes, x: list[int], bars: list[Series], spec: ChartSpec) -> list[object]:
    handles: list[object] = []
    count = len(bars)
    width = 0.58 if spec.stacked or count == 1 else 0.8 / count
    pos_base = [0.0] * len(x)
    neg_base = [0.0] * len(x)
    values = [[v for v in s.values] for s in bars]
    tops = (
        [max(sum(v for v in col if v and v > 0), 0.0) for col in zip(*values, strict=True)]
        if values
        else []
    )
    span = max([abs(t) for t in tops] + [1.0])
    ax.set_ylim(min(0.0, min((v or 0.0) for col in values for v in col) * 1.25), span * 1.22)
    for k, series in enumerate(bars):
        color = style.PALETTE[series.color % len(style.PALETTE)]
        heights = [v if v is not None else 0.0 for v in series.values]
        if spec.stacked:
            bottoms = [pos_base[i] if h >= 0 else neg_base[i] for i, h in enumerate(heights)]
            offsets = x
        else:
            bottoms = [0.0] * len(x)
            offsets = [i - 0.4 + width * (k + 0.5) for i in x]
        handle = ax.bar(offsets, heights, width, bottom=bottoms, color=color, linewidth=0)
        handles.append(handle)
        for i, h in enumerate(heights):
            if series.values[i] is None:
                continue
            if spec.stacked and abs(h) / span < _MIN_LABEL_SHARE:
                pass
            elif spec.stacked and count > 1:
                ax.text(
                    offsets[i],
                    bottoms[i] + h / 2,
                    label(h, series.unit),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=ink_on(color),
                )
            else:
                ax.annotate(
                    label(h, series.unit),
                    (offsets[i], h),
                    textcoords="offset points",
                    xytext=(0, 3 if h >= 0 else -3),
                    ha="center",
                    # A negative bar's label hangs below its end instead of overlapping it.
                    va="bottom" if h >= 0 else "top",
                    fontsize=7.5,
                )
            if spec.stacked:
                if h >= 0:
                    pos_base[i] += h
                else:
                    neg_base[i] += h
    if spec.stacked and spec.totals and count > 1:
        for i in x:
            column = [s.values[i] for s in bars]
            if any(v is None for v in column):
                continue
            total = sum(v for v in column if v is not None)
            ax.annotate(
                label(total, bars[0].unit),
                (i, pos_base[i]),
                textcoords="offset points",
                xytext=(0, 3),
                ha="center",
                fontsize=8,
                fontweight="bold",
            )
    return handles


def _line_limits(lines: list[Series]) -> tuple[float, float]:
    values = [v for s in lines for v in s.values if v is not None]
    if not values:
        return 0.0, 1.0
    lo, hi = min([*values, 0.0]), max(values)
    pad = (hi - lo) * 0.25 or 1.0
    # Lines sit in the upper part of the plot so they clear the bars below them.
    return lo - (hi - lo) * 1.6 - pad, hi + pad


def _draw_line(ax: Axes, x: list[int], series: Series, index: int) -> object:
    color = style.LINE_COLORS[index % len(style.LINE_COLORS)]
    (handle,) = ax.plot(
        x,
        [v if v is not None else float("nan") for v in series.values],
        color=color,
        marker="o",
        markersize=3.5,
        linewidth=1.6,
    )
    for i, value in enumerate(series.values):
        if value is not None:
            ax.annotate(
                label(value, series.unit),
                (i, value),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=7.5,
                color=color,
            )
    return handle

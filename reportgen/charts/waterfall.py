"""Waterfall charts: a total, the signed steps that change it, and the new total."""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reportgen import formatting
from reportgen.charts import style
from reportgen.charts.labels import axis_style, label
from reportgen.charts.spec import ChartSpec


def draw_waterfall(fig: Figure, ax: Axes, spec: ChartSpec) -> None:
    """A bridge from one total to another through signed steps."""
    running = 0.0
    labels = []
    for i, (name, value, is_total) in enumerate(spec.steps):
        labels.append(name)
        if is_total:
            bottom, height, color = 0.0, value, style.PALETTE[0]
            running = value
        else:
            bottom = running if value >= 0 else running + value
            height = abs(value)
            color = "#4f9a6a" if value >= 0 else "#c4513b"
            running += value
        ax.bar(i, height, 0.6, bottom=bottom, color=color, linewidth=0)
        text = label(value, "jpy_m") if is_total else formatting.jpy_million(value, signed=True)
        ax.annotate(
            text,
            (i, bottom + height),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=8,
        )
    axis_style(ax, spec.left_unit)
    ax.set_xticks(range(len(labels)), labels, fontsize=7.5)
    ax.axhline(0, color="#8a8f99", linewidth=0.8)
    top = max(max(abs(v) for _, v, _ in spec.steps), 1.0)
    ax.set_ylim(min(0.0, ax.get_ylim()[0]), ax.get_ylim()[1] + top * 0.1)

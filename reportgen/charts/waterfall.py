"""Waterfall charts: a total, the signed steps that change it, and the new total.

Drawn as IR bridges are: totals in navy from zero, increases in green and
decreases in red floating between the levels they join, dashed connectors from
one level to the next, and every bar labelled with its amount.
"""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from reportgen.charts import limits
from reportgen.charts.labels import axis_style, ink_on, step_text
from reportgen.charts.marks import Marks
from reportgen.charts.spec import ChartSpec, step_key

_BAR_WIDTH = 0.56
# Category labels wrap at this many characters so four or five fit side by side.
_WRAP = 16


def draw_waterfall(fig: Figure, ax: Axes, spec: ChartSpec, marks: Marks) -> None:
    """A bridge from one total to another through signed steps."""
    levels = spec.levels
    outside = limits.step_outside(spec)
    ax.set_ylim(*limits.bridge_limits(spec))
    look = spec.look
    running = 0.0
    for i, ((_, value, is_total), (bottom, top)) in enumerate(zip(spec.steps, levels, strict=True)):
        color = look.palette[0] if is_total else look.bridge_up if value >= 0 else look.bridge_down
        bar = ax.bar(i, top - bottom, _BAR_WIDTH, bottom=bottom, color=color, linewidth=0, zorder=3)
        marks.add(step_key(i), bar.patches[0])
        level_after = value if is_total else running + value
        if i + 1 < len(spec.steps):
            # The connector runs at the level this bar leaves the total at.
            ax.plot(
                (i + _BAR_WIDTH / 2, i + 1 - _BAR_WIDTH / 2),
                (level_after, level_after),
                color=look.bridge_connector,
                linewidth=0.8,
                linestyle=(0, (3, 2)),
                zorder=2,
            )
        running = level_after
        text = _label_bar(ax, i, value, is_total, bottom, top, color, outside[i], spec)
        marks.add(step_key(i), text)
    axis_style(ax, spec.left_unit, spec.edition, look.grid)
    ax.set_xticks(
        range(len(spec.steps)),
        [textwrap.fill(name, _WRAP) for name, _, _ in spec.steps],
        fontsize=7.5,
        linespacing=1.15,
    )
    ax.set_xlim(-0.55, len(spec.steps) - 0.45)
    ax.axhline(0, color=look.bridge_connector, linewidth=0.8, zorder=4)


def _label_bar(
    ax: Axes,
    i: int,
    value: float,
    is_total: bool,
    bottom: float,
    top: float,
    color: str,
    outside: bool,
    spec: ChartSpec,
) -> Text:
    """Totals are labelled above the bar; a step inside it, or beside it if too short."""
    edition = spec.edition
    text = step_text(value, is_total, edition)
    if is_total or outside:
        above = value >= 0 or is_total
        return ax.annotate(
            text,
            (i, top if above else bottom),
            textcoords="offset points",
            xytext=(0, 3 if above else -3),
            ha="center",
            va="bottom" if above else "top",
            fontsize=8.5,
            fontweight="bold",
            color=spec.look.ink,
            zorder=5,
        )
    return ax.text(
        i,
        (bottom + top) / 2,
        text,
        ha="center",
        va="center",
        fontsize=8.5,
        fontweight="bold",
        color=ink_on(color, spec.look.ink),
        zorder=5,
    )

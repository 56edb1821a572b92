"""Chart labels and axis look shared by every kind of chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportgen import formatting
from reportgen.charts import style

if TYPE_CHECKING:  # the build process formats labels without importing matplotlib
    from matplotlib.axes import Axes


def label(value: float | None, unit: str, edition: str = "en") -> str:
    """Format a value on a chart as the edition's tables do (accounting style)."""
    numbers = formatting.numbers_for(edition)
    if unit == "pct":
        return numbers.percent(value)
    if unit == "gbps":
        return numbers.number(value, 1)
    return numbers.number(value)


def excel_format(unit: str, edition: str = "en") -> str:
    """The spreadsheet number format that prints a chart value as ``label`` does.

    ``pct`` values are then stored as fractions (``SCALE``), as spreadsheets keep percentages.
    """
    kind = {"pct": "percent", "gbps": "decimal"}.get(unit, "number")
    return formatting.numbers_for(edition).excel_format(kind)


# Spreadsheet value = chart value x scale: percentages are fractions there.
SCALE = {"pct": 0.01}


def step_text(value: float, is_total: bool, edition: str = "en") -> str:
    """A bridge step's label: a total as a value, a step signed (``+128``, ``(46)``)."""
    if is_total:
        return label(value, "jpy_m", edition)
    return formatting.numbers_for(edition).jpy_million(value, signed=True)


def axis_style(ax: Axes, unit: str, edition: str = "en", grid: str = style.GRID) -> None:
    ax.yaxis.set_major_formatter(lambda v, _pos: label(v, unit, edition))
    ax.grid(axis="y", color=grid, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(length=0)


def ink_on(color: str, ink: str = style.TEXT) -> str:
    """Text colour readable on ``color``: white, or the brand's ``ink``."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if (0.299 * r + 0.587 * g + 0.114 * b) < 150 else ink

"""Draw a ``ChartSpec`` to SVG bytes with matplotlib's object API (no pyplot state)."""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reportgen.charts import style
from reportgen.charts.bars import draw_bars
from reportgen.charts.spec import ChartSpec
from reportgen.charts.waterfall import draw_waterfall

# One drawing function per ``ChartSpec.kind``.
DRAWERS: dict[str, Callable[[Figure, Axes, ChartSpec], None]] = {
    "bars": draw_bars,
    "waterfall": draw_waterfall,
}


def draw(spec: ChartSpec) -> bytes:
    """Return the chart as SVG bytes; deterministic for the same spec."""
    style.register_fonts()
    with mpl.rc_context(style.RC):
        fig = Figure(figsize=(spec.width_in, spec.height_in))
        # Side margins are fixed in inches, so tick labels fit a narrow chart as a wide one.
        side = min(0.45 / spec.width_in, 0.2)
        width = 1 - 2 * side
        ax = fig.add_axes((side, 0.2, width, 0.72) if spec.legend else (side, 0.1, width, 0.82))
        DRAWERS[spec.kind](fig, ax, spec)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()

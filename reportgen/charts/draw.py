"""Draw a ``ChartSpec`` to SVG bytes with matplotlib's object API (no pyplot state).

The drawing comes with the box of each value on it (``marks.py``), for the preview's
hotspots.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reportgen.charts import style
from reportgen.charts.bars import draw_bars
from reportgen.charts.marks import Marks
from reportgen.charts.spec import Box, ChartSpec
from reportgen.charts.waterfall import draw_waterfall

# One drawing function per ``ChartSpec.kind``.
DRAWERS: dict[str, Callable[[Figure, Axes, ChartSpec, Marks], None]] = {
    "bars": draw_bars,
    "waterfall": draw_waterfall,
}


def draw(spec: ChartSpec) -> bytes:
    """Return the chart as SVG bytes; deterministic for the same spec."""
    return draw_with_marks(spec)[0]


def draw_with_marks(spec: ChartSpec) -> tuple[bytes, dict[str, Box]]:
    """The chart as SVG bytes, and where each of its values sits on it (by key)."""
    style.register_fonts()
    marks = Marks()
    with mpl.rc_context(style.rc(spec.look)):
        fig = Figure(figsize=(spec.width_in, spec.height_in))
        # Side margins are fixed in inches, so tick labels fit a narrow chart as a wide one.
        side = min(0.45 / spec.width_in, 0.2)
        width = 1 - 2 * side
        ax = fig.add_axes((side, 0.2, width, 0.72) if spec.legend else (side, 0.1, width, 0.82))
        DRAWERS[spec.kind](fig, ax, spec, marks)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        # Measured after saving, so that measuring cannot change a byte of the drawing.
        boxes = marks.boxes(fig)
    return buffer.getvalue(), boxes

"""Chart layout measured with a renderer: legend, tick labels and plot never overlap.

The legend gets as many rows as its labels need to fit the figure's width, and
the plot is shrunk to sit above it and beside its value labels, whatever their
length (a Japanese edition's labels are not the English ones).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def fit_layout(fig: Figure, axes: Sequence[Axes], legend: list[tuple[Artist, str]]) -> None:
    """Fit legend, tick labels and plot into the figure without any of them overlapping."""
    renderer: RendererBase = FigureCanvasAgg(fig).get_renderer()
    fig_w, fig_h = fig.bbox.width, fig.bbox.height
    pad = 4 * fig.dpi / 72
    legend_top = 0.0
    if legend:
        handles = [h for h, _ in legend]
        names = [n for _, n in legend]
        for rows in range(1, len(names) + 1):
            ncol = math.ceil(len(names) / rows)
            box = fig.legend(
                handles,
                names,
                loc="lower center",
                bbox_to_anchor=(0.5, 0.0),
                ncol=ncol,
                fontsize=7.5,
                handlelength=1.2,
                columnspacing=1.2,
                borderaxespad=0.2,
            )
            extent = box.get_window_extent(renderer)
            if extent.width <= fig_w - 2 * pad or ncol == 1:
                legend_top = extent.y1
                break
            box.remove()
    main = axes[0]
    # Tick labels get their text only when their axis is laid out: measuring the
    # two axes does that without drawing the whole figure (a third of a chart's time).
    main.xaxis.get_tightbbox(renderer)
    main.yaxis.get_tightbbox(renderer)
    # Room under the plot for the category labels, beside it for the value labels.
    tick_h = max(t.get_window_extent(renderer).height for t in main.get_xticklabels())
    tick_w = max(
        (t.get_window_extent(renderer).width for t in main.get_yticklabels() if t.get_text()),
        default=0.0,
    )
    left = (tick_w + 2 * pad) / fig_w
    bottom = (legend_top + tick_h + 2.5 * pad) / fig_h
    top = 1 - pad / fig_h
    right = 1 - pad / fig_w
    for ax in axes:
        ax.set_position((left, bottom, right - left, top - bottom))

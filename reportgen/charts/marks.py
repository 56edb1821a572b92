"""Where each value of a chart sits on its image: the boxes the preview's hotspots cover.

A drawer names the artists of each value as it draws them (its label, its bar or
its point); once the figure is laid out and saved, :meth:`Marks.boxes` measures
them. A box is ``(left, top, right, bottom)`` as fractions of the image, from its
top left corner, so it holds at any size the image is shown at.

Keys name a value by its place in the ``ChartSpec`` (``spec.series_key`` and its
siblings), so that the slide can pair each box with the figure behind the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from reportgen.charts.spec import Box

# A value drawn smaller than this (a thin bar, a point) still gets a box a pointer
# can find and a finger can tap: grown around its centre to this size, in points.
_MIN_SIDE_PT = 9.0
# Fractions are rounded so that the same chart gives the same file, byte for byte.
_DIGITS = 4


@dataclass(frozen=True, slots=True)
class _Point:
    """A line's point, measured from data coordinates once the axes are in place."""

    ax: Axes
    x: float
    y: float
    radius_pt: float


@dataclass
class Marks:
    """The artists of each value, by key, collected while a chart is drawn."""

    found: dict[str, list[Artist | _Point]] = field(default_factory=dict)

    def add(self, key: str, artist: Artist) -> None:
        self.found.setdefault(key, []).append(artist)

    def point(self, key: str, ax: Axes, x: float, y: float, radius_pt: float) -> None:
        self.found.setdefault(key, []).append(_Point(ax, x, y, radius_pt))

    def boxes(self, fig: Figure) -> dict[str, Box]:
        """Each value's box (its artists together), as fractions of the image."""
        renderer = FigureCanvasAgg(fig).get_renderer()
        width, height = fig.bbox.width, fig.bbox.height
        least = _MIN_SIDE_PT * fig.dpi / 72
        boxes: dict[str, Box] = {}
        for key, artists in self.found.items():
            extents = [_extent(a, renderer, fig.dpi) for a in artists]
            union = Bbox.union(extents)
            x0, x1 = _widened(union.x0, union.x1, least)
            y0, y1 = _widened(union.y0, union.y1, least)
            # Display coordinates run up from the bottom; an image's run down from the top.
            boxes[key] = (
                _fraction(x0 / width),
                _fraction(1 - y1 / height),
                _fraction(x1 / width),
                _fraction(1 - y0 / height),
            )
        return boxes


def _extent(artist: Artist | _Point, renderer: object, dpi: float) -> Bbox:
    if isinstance(artist, _Point):
        x, y = artist.ax.transData.transform((artist.x, artist.y))
        r = artist.radius_pt * dpi / 72
        return Bbox.from_extents(x - r, y - r, x + r, y + r)
    return artist.get_window_extent(renderer)


def _widened(low: float, high: float, least: float) -> tuple[float, float]:
    if high - low >= least:
        return low, high
    middle = (low + high) / 2
    return middle - least / 2, middle + least / 2


def _fraction(value: float) -> float:
    """Rounded, and kept on the image (a box grown at an edge does not leave it)."""
    return round(min(max(value, 0.0), 1.0), _DIGITS)

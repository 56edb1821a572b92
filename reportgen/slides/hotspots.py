"""Chart values that hover in the preview: a box over each value, with its figure.

A chart is an image, so its values cannot carry a ``title`` as table cells do.
Once a chart is drawn, the box of each value on its image (``charts/marks.py``)
is paired with the figure behind the value (``Chart.shown_by_key``), and the
preview lays a transparent, focusable element over each box: its ``title`` is the
figure's provenance, its ``aria-label`` the value as printed and the provenance,
and ``data-docs`` the documents the popover links to.

Boxes are placed by a stylesheet written beside the deck (``hotspots.css``): the
page's Content-Security-Policy allows no inline style.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from reportgen.charts.spec import Box
from reportgen.slides.shown import Shown, doc_links

# Digits of a percentage in the stylesheet: a ten-thousandth of the image is finer
# than a pixel of any chart the deck shows.
_PLACES = 2


@dataclass(frozen=True, slots=True)
class Hotspot:
    """One value of a drawn chart: where it sits on the image, and what it shows."""

    name: str  # the CSS class that places it: ``hs-<chart>-<n>``
    box: Box
    shown: Shown

    @property
    def title(self) -> str:
        return self.shown.figure.provenance

    @property
    def label(self) -> str:
        """What a screen reader says: the value as printed, then where it comes from."""
        return f"{self.shown.text}: {self.title}"

    @property
    def docs(self) -> str:
        return doc_links(self.shown.figure.documents)


def hotspots(
    chart_name: str, shown: Iterable[tuple[str, Shown]], boxes: Mapping[str, Box]
) -> tuple[Hotspot, ...]:
    """The hotspots of one chart: each value shown that has a box on the image."""
    return tuple(
        Hotspot(f"hs-{chart_name}-{n}", boxes[key], item)
        for n, (key, item) in enumerate((k, s) for k, s in shown if k in boxes)
    )


def placement(charts: Iterable[tuple[str, float, tuple[Hotspot, ...]]]) -> str:
    """Place every hotspot: ``charts`` gives each chart's name, aspect ratio and hotspots.

    The layer over a chart takes the image's shape; a smaller box lies above a larger
    one it overlaps (a line's point over a bar), so that both can be reached.
    """
    rules: list[str] = []
    for name, ratio, spots in sorted(set(charts), key=lambda c: c[0]):
        rules.append(f".hs-{name} {{ aspect-ratio: {ratio:.6f}; }}")
        by_size = sorted(spots, key=lambda h: -(h.box[2] - h.box[0]) * (h.box[3] - h.box[1]))
        depth = {h.name: z for z, h in enumerate(by_size, start=1)}
        for spot in spots:
            left, top, right, bottom = (round(v * 100, _PLACES) for v in spot.box)
            rules.append(
                f".{spot.name} {{ left: {left}%; top: {top}%; "
                f"width: {round(right - left, _PLACES)}%; height: {round(bottom - top, _PLACES)}%; "
                f"z-index: {depth[spot.name]}; }}"
            )
    return "/* Where each chart value's hotspot sits (reportgen/slides/hotspots.py). */\n" + (
        "\n".join(rules) + "\n"
    )

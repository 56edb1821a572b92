"""The operating-income bridge as stacked columns: an invisible base under floating steps.

A stacked column chart stacks positive values up from zero and negative ones down
from it, separately. A step that floats between two levels of one sign sits on an
invisible base of that sign; a step whose running total crosses zero has no base and
is drawn as two parts, one above zero and one below, so the bar still spans exactly
the two levels it joins (``ChartSpec.levels``, which the PDF's chart draws too).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportgen.charts.spec import ChartSpec

# Series of the bridge chart, in order; the chart's data sheet shows them as columns.
SERIES = ("base", "total", "up", "up_below", "down", "down_below")


@dataclass(frozen=True, slots=True)
class BridgeColumns:
    """One value (or None) per step for each series of ``SERIES``."""

    values: dict[str, tuple[float | None, ...]]

    def step_values(self) -> tuple[float, ...]:
        """The signed step (or total) each column shows: what the PDF labels."""
        out = []
        for i in range(len(self.values["base"])):

            def get(name: str, i: int = i) -> float:
                return self.values[name][i] or 0.0

            if self.values["total"][i] is not None:
                out.append(get("total"))
            elif any(self.values[n][i] is not None for n in ("down", "down_below")):
                out.append(-(get("down") - get("down_below")))
            else:
                out.append(get("up") - get("up_below"))
        return tuple(out)


def bridge_columns(spec: ChartSpec) -> BridgeColumns:
    """Split each step of a waterfall into the stacked series that draw it."""
    columns: dict[str, list[float | None]] = {name: [] for name in SERIES}
    for (_, value, is_total), (bottom, top) in zip(spec.steps, spec.levels, strict=True):
        row: dict[str, float | None] = dict.fromkeys(SERIES)
        if is_total:
            row["total"] = value
        else:
            above, below = ("up", "up_below") if value >= 0 else ("down", "down_below")
            if bottom >= 0:  # floats above zero, on a positive base
                row["base"] = bottom or None
                row[above] = top - bottom
            elif top <= 0:  # floats below zero, under a negative base
                row["base"] = top or None
                row[below] = bottom - top
            else:  # crosses zero: one part each side, no base
                row[above] = top
                row[below] = bottom
        for name in SERIES:
            columns[name].append(row[name])
    return BridgeColumns({name: tuple(v) for name, v in columns.items()})


# Bridge labels' size; a label's box is about 1.3 lines high, and clears its bar by a gap.
LABEL_PT = 7.5
_LABEL_BOX = 1.3
_LABEL_GAP_PT = 2.0
# Share of the chart's height the plot takes (under it, the wrapped category names):
# PowerPoint lays the plot out itself, and the offset needs only an estimate of it,
# since a label is moved only off a bar under a tenth of the axis tall.
_PLOT_SHARE = 0.72


def _part(key: str, level: tuple[float, float]) -> tuple[float, float]:
    """The values the labelled part of a step spans (a step crossing zero has two)."""
    bottom, top = level
    if key in ("up_below", "down_below"):
        return bottom, min(top, 0.0)
    if key in ("up", "down") and bottom < 0 < top:
        return 0.0, top
    return bottom, top


def label_shift(
    spec: ChartSpec, i: int, key: str, axis: tuple[float, float], height_emu: int
) -> float:
    """Step ``i``'s label's move from the centre of its part (series ``key``) to just past
    the bar's end, as a share of the chart's height (down positive, as
    ``c:manualLayout`` counts), on a value axis from ``axis[0]`` to ``axis[1]``."""
    part = _part(key, spec.levels[i])
    _, value, is_total = spec.steps[i]
    bottom, top = spec.levels[i]
    chart_pt = height_emu / 12700
    per_unit = chart_pt * _PLOT_SHARE / (axis[1] - axis[0])
    centre = (part[0] + part[1]) / 2
    half_label = LABEL_PT * _LABEL_BOX / 2
    if value >= 0 or is_total:
        rise = (top - centre) * per_unit + _LABEL_GAP_PT + half_label
    else:
        rise = (bottom - centre) * per_unit - _LABEL_GAP_PT - half_label
    return -rise / chart_pt

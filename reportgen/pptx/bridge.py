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

"""Chart specifications: plain frozen data, so they hash, pickle and compare by value."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from reportgen.brand import DEFAULT_LOOK, ChartLook

# Where a value sits on a chart's image: (left, top, right, bottom), fractions of the
# image from its top left corner (``marks.py`` measures them).
Box = tuple[float, float, float, float]


def series_key(series: int, category: int) -> str:
    """The key of a series' value: the series' index in ``ChartSpec.series``, the category's."""
    return f"s{series}.{category}"


def total_key(category: int) -> str:
    """The key of a column's total (``ChartSpec.column_totals``)."""
    return f"t{category}"


def step_key(step: int) -> str:
    """The key of a waterfall step (``ChartSpec.steps``)."""
    return f"w{step}"


@dataclass(frozen=True, slots=True)
class Series:
    """One series of a chart; ``None`` values are gaps (not disclosed), never zero."""

    label: str
    values: tuple[float | None, ...]
    kind: str = "bar"  # bar | line
    axis: str = "left"  # left | right
    unit: str = "jpy_m"  # jpy_m | pct | number | gbps
    color: int = 0  # index into the palette


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """What to draw. ``kind`` is ``bars`` (stacked or grouped, optional lines) or ``waterfall``."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    stacked: bool = True
    totals: bool = True
    width_in: float = 5.2
    height_in: float = 3.2
    left_unit: str = "jpy_m"
    legend: bool = True
    # Waterfall steps are (label, value, is_total); other kinds leave this empty.
    steps: tuple[tuple[str, float, bool], ...] = field(default_factory=tuple)
    # Stacked bars: the disclosed total of each column. Where the parts shown do
    # not make it up (a split the company did not disclose), the rest is drawn
    # hatched under ``undisclosed_label``, so the total is shown but never split.
    column_totals: tuple[float | None, ...] = field(default_factory=tuple)
    undisclosed_label: str = ""
    # The edition whose number style labels the chart (negatives, the text for a gap).
    edition: str = "en"
    # The company's colours and fonts (``Brand.chart_look``): part of the cache key, so
    # two brands never share a drawing.
    look: ChartLook = DEFAULT_LOOK

    def digest(self, salt: str) -> str:
        fields = asdict(self)
        if self.look == DEFAULT_LOOK:
            # The default look is left out of the key: its drawings keep their names.
            del fields["look"]
        payload = json.dumps(fields, sort_keys=True, default=str) + salt
        return hashlib.sha256(payload.encode()).hexdigest()[:20]

    @property
    def gaps(self) -> tuple[str, ...]:
        """Categories where some series has no figure: they carry a 'not disclosed' note."""
        return tuple(
            cat
            for i, cat in enumerate(self.categories)
            if any(s.values[i] is None for s in self.series)
        )

    @property
    def bars(self) -> tuple[Series, ...]:
        return tuple(s for s in self.series if s.kind == "bar")

    @property
    def lines(self) -> tuple[Series, ...]:
        return tuple(s for s in self.series if s.kind == "line")

    def column_total(self, i: int) -> float | None:
        """Column ``i``'s total: as disclosed if given, else the sum of its bars if all are known.

        Every renderer labels a stacked column with this (matplotlib, PowerPoint).
        """
        if self.column_totals and self.column_totals[i] is not None:
            return self.column_totals[i]
        column = [s.values[i] for s in self.bars]
        if not column or any(v is None for v in column):
            return None
        return sum(v for v in column if v is not None)

    @property
    def levels(self) -> tuple[tuple[float, float], ...]:
        """Waterfall: (bottom, top) of each step's bar; totals stand on zero."""
        running = 0.0
        levels = []
        for _, value, is_total in self.steps:
            if is_total:
                levels.append((min(0.0, value), max(0.0, value)))
                running = value
            else:
                levels.append((min(running, running + value), max(running, running + value)))
                running += value
        return tuple(levels)

    @property
    def empty(self) -> bool:
        if self.kind == "waterfall":
            return not self.steps
        values = [v for s in self.series for v in s.values]
        return all(v is None for v in (*values, *self.column_totals))

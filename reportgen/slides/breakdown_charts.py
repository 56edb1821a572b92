"""Breakdown charts: a line item over the last quarters, stacked by its parts, with lines.

IIJ discloses most splits for a few quarters only, so each column shows what
exists: the parts where they are known, the disclosed total hatched where only
the total is, ``n/d`` where neither is. The note under the chart says which
quarters lack what, series by series; it never fills a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportgen.charts.labels import label
from reportgen.charts.spec import ChartSpec, Series
from reportgen.model.figures import Figure
from reportgen.slides.base import BuildContext, Chart
from reportgen.slides.charts import alt_text
from reportgen.slides.messages import Messages

QUARTERS_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Part:
    """A part of the stacked total: its item, its palette colour and its legend label."""

    key: str
    color: int
    label: str


@dataclass(frozen=True, slots=True)
class Line:
    """A line over the bars: an item's ratio (``ratio``) or its value, in a chart unit."""

    key: str
    label: str
    # The chart's label style (``charts/labels.py``): ``pct``, or ``gbps`` (one decimal).
    unit: str = "pct"
    ratio: bool = True


def breakdown_chart(
    ctx: BuildContext,
    *,
    total: str,
    parts: Sequence[Part],
    lines: Sequence[Line] = (),
    quarters_shown: int = QUARTERS_SHOWN,
    width_in: float = 5.2,
    height_in: float = 3.6,
) -> Chart:
    """Stack ``parts`` of ``total`` over the quarters up to the model's quarter."""
    model, t = ctx.model, ctx.messages
    quarters = model.quarter.trailing(quarters_shown)
    series: list[Series] = []
    figures: list[tuple[Figure, ...]] = []
    for part in parts:
        figs = tuple(model.value(part.key, q) for q in quarters)
        series.append(Series(part.label, tuple(f.value for f in figs), color=part.color))
        figures.append(figs)
    for line in lines:
        figs = tuple(
            model.ratio(line.key, q) if line.ratio else model.value(line.key, q) for q in quarters
        )
        series.append(
            Series(
                line.label,
                tuple(f.value for f in figs),
                kind="line",
                axis="right",
                unit=line.unit,
            )
        )
        figures.append(figs)
    totals = tuple(model.value(total, q) for q in quarters)
    spec = ChartSpec(
        kind="bars",
        categories=tuple(ctx.short_period(q) for q in quarters),
        series=tuple(series),
        column_totals=tuple(f.value for f in totals),
        undisclosed_label=t("revenue.chart.undisclosed"),
        width_in=width_in,
        height_in=height_in,
        edition=ctx.language,
    )
    return Chart(
        spec,
        describe(spec, t),
        gap_footnote(spec, t),
        figures=tuple(figures),
        total_figures=totals,
        total_label=t.item(total),
    )


def describe(spec: ChartSpec, t: Messages) -> str:
    """Alternative text: every series and value, then the disclosed totals."""
    text = alt_text(spec, t("unit.jpy_million"), t)
    gap = t("chart.alt_not_disclosed")
    totals = t("chart.alt_list").join(
        t(
            "chart.alt_value",
            name=cat,
            value=label(v, "jpy_m", spec.edition) if v is not None else gap,
        )
        for cat, v in zip(spec.categories, spec.column_totals, strict=True)
    )
    return t("chart.totals_alt", text=text, totals=totals)


def gap_footnote(spec: ChartSpec, t: Messages) -> str:
    """Say which quarters lack what: whole columns, breakdowns, then each line."""
    if spec.empty:
        return t("note.no_data")
    cats = spec.categories
    bars = [s for s in spec.series if s.kind == "bar"]
    totals = spec.column_totals or (None,) * len(cats)
    empty = [i for i in range(len(cats)) if totals[i] is None and _no_bars(bars, i)]
    split = [
        i
        for i in range(len(cats))
        if totals[i] is not None and any(s.values[i] is None for s in bars)
    ]
    notes = []
    if empty:
        notes.append(t("revenue.note.empty_columns", periods=periods(cats, empty, t)))
    if split:
        notes.append(t("revenue.note.breakdown", periods=periods(cats, split, t)))
    explained = set(empty) | set(split)
    for s in spec.series:
        skip = explained if s.kind == "bar" else set()
        gaps = [i for i, v in enumerate(s.values) if v is None and i not in skip]
        if gaps:
            notes.append(t("revenue.note.series", series=s.label, periods=periods(cats, gaps, t)))
    return t("revenue.note.separator").join(notes)


def _no_bars(bars: Sequence[Series], i: int) -> bool:
    return all(s.values[i] is None for s in bars)


def periods(categories: Sequence[str], indexes: Sequence[int], t: Messages) -> str:
    """A range (``revenue.note.range``) for a run of three or more neighbours, else a list."""
    runs: list[list[int]] = []
    for i in sorted(indexes):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    parts = []
    for run in runs:
        names = [categories[i] for i in run]
        parts.append(
            t("revenue.note.range", first=names[0], last=names[-1])
            if len(run) >= 3
            else t("chart.alt_list").join(names)
        )
    return t("chart.alt_list").join(parts)

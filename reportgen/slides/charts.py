"""Text that goes with a chart: its alternative text and its note on gaps."""

from __future__ import annotations

from reportgen.charts.labels import label
from reportgen.charts.spec import ChartSpec
from reportgen.slides.messages import Messages


def alt_text(spec: ChartSpec, unit: str, t: Messages) -> str:
    """Describe every series and value, for screen readers and the tagged PDF."""

    def shown(value: float | None, unit_kind: str) -> str:
        if value is None:
            return t("chart.alt_not_disclosed")
        return label(value, unit_kind, spec.edition)

    if spec.kind == "waterfall":
        steps = t("chart.alt_step_separator").join(
            t("chart.alt_value", name=name, value=shown(value, "jpy_m"))
            for name, value, _ in spec.steps
        )
        return t("chart.alt_waterfall", unit=unit, steps=steps)
    parts = []
    for series in spec.series:
        values = t("chart.alt_list").join(
            t("chart.alt_value", name=cat, value=shown(v, series.unit))
            for cat, v in zip(spec.categories, series.values, strict=True)
        )
        parts.append(t("chart.alt_series", series=series.label, values=values))
    return t("chart.alt_bars", unit=unit, series=t("chart.alt_series_separator").join(parts))


def gap_note(spec: ChartSpec, t: Messages) -> str:
    """``Not disclosed: 2Q07, 3Q07`` for the categories some series lacks."""
    if spec.empty:
        return t("note.no_data")
    return (
        t("note.not_disclosed_periods", periods=t("chart.alt_list").join(spec.gaps))
        if spec.gaps
        else ""
    )

"""Text that goes with a chart: its alternative text and its note on gaps."""

from __future__ import annotations

from reportgen.charts.labels import label
from reportgen.charts.spec import ChartSpec
from reportgen.slides.messages import Messages


def alt_text(spec: ChartSpec, unit: str) -> str:
    """Describe every series and value, for screen readers and the tagged PDF."""
    if spec.kind == "waterfall":
        steps = "; ".join(f"{name} {label(value, 'jpy_m')}" for name, value, _ in spec.steps)
        return f"Waterfall chart ({unit}): {steps}."
    parts = []
    for series in spec.series:
        values = ", ".join(
            f"{cat} {label(v, series.unit) if v is not None else 'not disclosed'}"
            for cat, v in zip(spec.categories, series.values, strict=True)
        )
        parts.append(f"{series.label}: {values}")
    return f"Chart ({unit}). " + ". ".join(parts) + "."


def gap_note(spec: ChartSpec, t: Messages) -> str:
    """``Not disclosed: 2Q07, 3Q07`` for the categories some series lacks."""
    if spec.empty:
        return t("note.no_data")
    return t("note.not_disclosed_periods", periods=", ".join(spec.gaps)) if spec.gaps else ""

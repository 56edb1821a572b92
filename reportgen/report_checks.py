"""Text table of validation checks, as ``reportgen check`` prints it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from reportgen import formatting
from reportgen.data.validate import Check
from reportgen.quarters import chronological

Format = Callable[[float], str]

HEADER = ("status", "period", "check", "expected", "actual", "difference", "tolerance", "unit")


def format_checks(checks: Sequence[Check], periods: Collection[str] | None = None) -> str:
    """Every check of ``periods`` (all if ``None``), and any error elsewhere: it stops a build."""
    shown = [c for c in checks if periods is None or c.period in periods or c.severity == "error"]
    rows = [_row(c) for c in shown]
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [HEADER, *rows]
    ]
    counts = {s: sum(1 for c in shown if c.severity == s) for s in ("ok", "warning", "error")}
    summary = (
        f"{len(shown)} checks: {counts['ok']} ok, {counts['warning']} warnings, "
        f"{counts['error']} errors"
    )
    if periods is not None:
        others = len(checks) - len(shown)
        summary += (
            f" (periods the deck shows: {', '.join(sorted(periods, key=chronological))}; "
            f"{others} checks of other periods pass or only warn: --all lists them)"
        )
    lines.append(summary)
    lines += [f"{c.severity}: {c.message}" for c in shown if c.severity != "ok"]
    return "\n".join(lines) + "\n"


def _row(check: Check) -> tuple[str, ...]:
    value, change = _formats(check)
    # Nothing computed to compare with (a change across a zero base): no actual, no difference.
    compared = (
        (value(check.actual), change(check.difference), "±" + change(check.tolerance).lstrip("+"))
        if check.compared
        else ("-", "-", "-")
    )
    return (
        check.severity.upper(),
        check.period,
        check.label or check.name,
        value(check.expected),
        *compared,
        check.unit,
    )


def _formats(check: Check) -> tuple[Format, Format]:
    """How to print values and differences: a difference of two percentages is in points."""
    if check.unit == "%":
        return (lambda v: formatting.percent(v, 2)), (lambda v: formatting.points(v, 2))
    if check.unit == "pt":
        return (lambda v: formatting.points(v, 2)), (lambda v: formatting.points(v, 2))
    places = 0 if all(float(v).is_integer() for v in (check.expected, check.actual)) else 2
    return (
        (lambda v: formatting.number(v, places)),
        (lambda v: formatting.number(v, places, signed=True)),
    )

"""Text table of validation checks, as ``reportgen check`` prints it."""

from __future__ import annotations

from collections.abc import Sequence

from reportgen import formatting
from reportgen.data.validate import Check


def format_checks(checks: Sequence[Check], *, show_all: bool = False) -> str:
    shown = [c for c in checks if show_all or c.severity != "ok"]
    header = ("status", "period", "check", "expected", "actual", "difference")
    rows = [
        (
            c.severity.upper(),
            c.period,
            c.name,
            formatting.number(c.expected, 2),
            formatting.number(c.actual, 2),
            formatting.number(c.difference, 2),
        )
        for c in shown
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    counts = {s: sum(1 for c in checks if c.severity == s) for s in ("ok", "warning", "error")}
    lines.append(
        f"{len(checks)} checks: {counts['ok']} ok, {counts['warning']} warnings, "
        f"{counts['error']} errors"
    )
    for c in shown:
        if c.severity != "ok":
            lines.append(f"{c.severity}: {c.message}")
    return "\n".join(lines) + "\n"

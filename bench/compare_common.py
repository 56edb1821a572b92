"""Shared by ``bench/compare_*.py``: build the deck, time a command, record in BENCHMARKS.md."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
REPORT = ROOT / "BENCHMARKS.md"


def build_html(out: Path, data: str = "data/iij", quarter: str = "1Q08") -> Path:
    """Build the deck's HTML into ``out`` (no PDF: only the HTML is printed); return index.html."""
    subprocess.run(
        [
            PYTHON,
            "-m",
            "reportgen",
            "-q",
            "build",
            "--quarter",
            quarter,
            "--data",
            data,
            "--out",
            str(out),
            "--no-pdf",
        ],
        cwd=ROOT,
        check=True,
    )
    return out / quarter / "html" / "index.html"


def timed(command: list[str], reps: int) -> list[float]:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    return times


def floor_median() -> float | None:
    """The IIJ 1Q08 floor (warm WeasyPrint render) of the last ``make bench``, if any."""
    results = REPORT.with_suffix(".json")
    if not results.exists():
        return None
    decks = json.loads(results.read_text(encoding="utf-8"))["decks"]
    return statistics.median(decks["IIJ 1Q08"]["floor"])


def record(section: str, lines: list[str]) -> None:
    """Replace (or add) ``section`` of BENCHMARKS.md, above the kept history."""
    from bench.report import KEEP

    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else f"# Benchmarks\n\n{KEEP}\n"
    heading = f"## {section}\n"
    if heading in text:
        before, rest = text.split(heading, 1)
        after = rest[rest.index("\n## ") + 1 :] if "\n## " in rest else rest[rest.index(KEEP) :]
        text = before + after
    head, tail = text.split(KEEP, 1)
    block = heading + "\n" + "\n".join(lines) + "\n\n"
    REPORT.write_text(head + block + KEEP + tail, encoding="utf-8")
